"""Retention rules per record kind are settings; what is past them is listed, and only
records that are not legal records are anonymised, each change audited."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from notary.auth.models import SignInFailure
from notary.consultations.models import CaseLookup, Channel, Consultation, Outcome
from notary.core.audit import AuditEntry
from notary.core.models import utcnow
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import create_staff, register_case


def seed() -> dict[str, int]:
    now = utcnow()
    old, recent = now - timedelta(days=4 * 365), now - timedelta(days=30)
    rows = {
        "old": Consultation(received_at=old, channel=Channel.PHONE, persons=1, topic="继承",
                            outcome=Outcome.ANSWERED, name="王五", phone="13900001111",
                            summary="问继承材料"),
        "recent": Consultation(received_at=recent, channel=Channel.PHONE, persons=1,
                               topic="委托", outcome=Outcome.ANSWERED, name="赵六",
                               phone="13900002222"),
    }
    db.session.add_all(rows.values())
    db.session.add_all([
        CaseLookup(looked_up_at=now - timedelta(days=200), client_ip="203.0.113.5",
                   acceptance_number="x", found=False, refused=False),
        CaseLookup(looked_up_at=now, client_ip="203.0.113.6", acceptance_number="y",
                   found=False, refused=False),
        SignInFailure(failed_at=now - timedelta(days=100), client_ip="203.0.113.7",
                      username_typed="admin"),
    ])
    db.session.commit()
    return {k: v.id for k, v in rows.items()}


def run(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_report_lists_what_is_past_retention_per_kind(app):
    seed()
    lines = {line.split()[0]: line.split() for line in run(app, "report").splitlines()}
    assert lines["consultations"][1:] == ["1095", "days", "1", "past", "anonymise"]
    assert lines["case_lookups"][3] == "1" and lines["sign_in_failures"][3] == "1"
    assert lines["audit_entries"][1:] == ["permanent", "0", "past", "keep"]
    assert lines["case_files:permanent"][-1] == "keep"


def test_apply_anonymises_only_old_non_legal_records_and_audits_it(app):
    ids = seed()
    case = register_case(create_staff(Role.FRONT_DESK))
    assert "dry run" in run(app, "apply")
    assert db.session.get(Consultation, ids["old"]).name == "王五"  # the dry run changed nothing

    output = run(app, "apply", "--apply")
    assert "anonymised 1 consultations" in output
    db.session.expire_all()
    old, recent = db.session.get(Consultation, ids["old"]), db.session.get(Consultation,
                                                                           ids["recent"])
    assert (old.name, old.phone, old.summary) == (None, None, None)
    assert old.topic == "继承"  # the statistics still count it
    assert (recent.name, recent.phone) == ("赵六", "13900002222")
    ips = set(db.session.scalars(sa.select(CaseLookup.client_ip)))
    assert ips == {"-", "203.0.113.6"}
    assert db.session.scalars(sa.select(SignInFailure.client_ip)).one() == "-"
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "retention.anonymise")).all()
    assert {(e.target_type, e.target_id) for e in entries} == {
        ("consultations", ids["old"]), ("case_lookups", 0), ("sign_in_failures", 0)}
    assert all("王五" not in str(e.after) for e in entries)  # the log keeps no erased value
    # Legal records are untouched, and the trail still verifies.
    assert db.session.get(type(case), case.id).participants
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    assert "anonymised" not in run(app, "apply", "--apply")  # nothing left to do


def test_a_kind_set_to_permanent_is_kept(app):
    ids = seed()
    app.config["RETENTION_DAYS"] = {**app.config["RETENTION_DAYS"], "consultations": None}
    run(app, "apply", "--apply")
    db.session.expire_all()
    assert db.session.get(Consultation, ids["old"]).name == "王五"
