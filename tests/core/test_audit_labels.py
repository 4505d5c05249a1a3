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


def test_a_code_reads_against_the_action_that_stored_it(app: Flask) -> None:
    # 不予办理 and 终止 number their grounds separately: "4" is a dispute (公证法 art. 31)
    # under one and obstruction under the other; the fee's "method" is how money moved.
    with app.test_request_context("/"):
        assert audit_value("closing_ground", "4", action="case.refuse") == (
            "（四）当事人之间对申请公证的事项有争议的")
        terminated = audit_value("closing_ground", "4", action="case.terminate")
        assert terminated.startswith("（四）当事人阻挠")
        assert audit_value("closing_ground", "2", action="case.reject") != "2"
        assert audit_value("method", "wechat", action="fee.payment") == "微信支付"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert audit_value("closing_ground", "5", action="case.terminate") != "5"


def test_a_family_change_reads_the_relation_in_the_readers_language(app: Flask) -> None:
    from flask_babel import force_locale

    with app.test_request_context("/"):
        assert audit_value("relation", "spouse", action="case.heir_change") == "配偶"
        with force_locale("en"):
            assert audit_value("relation", "spouse", action="case.heir_change") == "Spouse"
        # Elsewhere "relation" is a staff member's relative (回避), read by its own enum.
        assert audit_value("relation", "spouse", action="staff_relation.add") not in (
            "spouse", "")
