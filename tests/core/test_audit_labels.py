"""Audit entries store codes; the timeline translates them when it shows them."""

from __future__ import annotations

from flask import Flask

from notary.core.audit_labels import audit_action, audit_field, audit_value


def test_values_read_as_a_person_reads_them(app: Flask) -> None:
    with app.test_request_context("/"):
        assert audit_value("status", "awaiting_approval") == "待审批"
        assert audit_value("category", "hong_kong") == "涉港"
        assert audit_value("urgency", "special") == "特事特办"
        assert audit_value("participants", [{"role": "applicant", "name": "𠮷春华",
                                             "party_id": 3},
                                            {"role": "agent", "name": "李四", "party_id": 4}]
                           ) == "申请人: 𠮷春华、代理人: 李四"
        assert audit_value("handling_notary_id", 7, {7: "谢文慧"}) == "谢文慧"
        assert audit_value("matters", ["继承", "委托"]) == "继承、委托"
        assert audit_value("notes", None) == "—"
        assert audit_value("status", "no-such-status") == "no-such-status"
        assert audit_action("case.accept") == "已受理"
        assert audit_action("something.new") == "something.new"
        assert audit_field("certificate_number") == "公证书编号"
