"""`flask demo generate`: bulk data that the application reads as its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import Flask

from notary.cases.models import Case, CaseEvent
from notary.cases.rules import CaseStatus
from notary.certificates.models import Certificate
from notary.consultations.models import Consultation
from notary.core.audit import AuditEntry, record, verify_chain
from notary.core.sequences import next_value
from notary.demo_generate import generate
from notary.extensions import db
from notary.fees.models import Charge, FeeBasis, FeeItem, FeeSchedule, ItemKind, Payment
from notary.parties.models import Party, PartyKind
from notary.parties.rules import DocumentType, check_document


def test_generated_register_is_consistent(app: Flask) -> None:
    schedule = FeeSchedule(name="标准", effective_from=date(2010, 1, 1))
    db.session.add(schedule)
    db.session.flush()
    db.session.add(FeeItem(schedule_id=schedule.id, code="M1", name="公证费", kind=ItemKind.MATTER,
                           basis=FeeBasis.FIXED, unit_amount=Decimal("200.00")))
    db.session.commit()
    result = generate(cases=600, consultations=900, seed=7)
    assert result.cases == 600
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 600
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 900
    # Every stage, and each case's history ends where the case is.
    statuses = set(db.session.scalars(sa.select(Case.status).distinct()))
    assert statuses == set(CaseStatus)
    last = dict(db.session.execute(
        sa.select(CaseEvent.case_id, CaseEvent.to_status)
        .where(CaseEvent.id.in_(sa.select(sa.func.max(CaseEvent.id))
                                .group_by(CaseEvent.case_id)))).all())
    for case_id, status in db.session.execute(sa.select(Case.id, Case.status)):
        assert last.get(case_id, CaseStatus.APPLIED) == status
    events = db.session.scalar(sa.select(sa.func.count(CaseEvent.id)))
    audits = db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                               .where(AuditEntry.target_type == "cases"))
    assert audits == events + 600
    # The generated entries are chained like live ones: the trail verifies, and an entry
    # written afterwards through the services continues the chain.
    record(db.session, None, "case.edit", db.session.scalars(sa.select(Case).limit(1)).one(),
           reason="after the bulk load")
    db.session.commit()
    checked, broken = verify_chain(db.session.connection())
    assert broken is None and checked == db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    # Charges on every accepted case; payments with unique receipt numbers.
    accepted = db.session.scalar(sa.select(sa.func.count(Case.id))
                                 .where(Case.accepted_at.is_not(None)))
    charged = db.session.scalar(sa.select(sa.func.count(sa.distinct(Charge.case_id))))
    assert charged == accepted > 0
    receipts = db.session.scalars(sa.select(Payment.receipt_number)).all()
    assert len(receipts) == len(set(receipts)) > 0
    # Every ID number is valid.
    for doc_type, number, birth, sex in db.session.execute(
            sa.select(Party.document_type, Party.document_number, Party.birth_date,
                      Party.sex)):
        assert check_document(DocumentType(doc_type), number, birth_date=birth,
                              sex=sex) == [], number


def test_counters_continue_after_the_generated_numbers(app: Flask) -> None:
    generate(cases=300, consultations=0, seed=3, until=date(2026, 11, 30), years=1)
    year = 2026
    seq = db.session.scalar(sa.select(sa.func.max(Case.acceptance_seq))
                            .where(Case.acceptance_year == year))
    cert = db.session.scalar(sa.select(sa.func.max(Certificate.seq))
                             .where(Certificate.year == year))
    assert next_value(db.session, "acceptance", year) == seq + 1
    assert next_value(db.session, "certificate:general", year) == cert + 1
    db.session.rollback()
    # The database's own ids continue too (PostgreSQL sequences moved past them).
    party = Party(kind=PartyKind.PERSON, name="新当事人", document_type=DocumentType.PASSPORT,
                  document_number="E12345678")
    db.session.add(party)
    db.session.commit()
    assert party.id > db.session.scalar(sa.select(sa.func.count(Party.id))) - 1


def test_same_seed_same_data(app: Flask) -> None:
    first = generate(cases=200, consultations=100, seed=11)
    rows = db.session.execute(sa.select(Case.acceptance_number, Case.status, Case.applied_at)
                              .order_by(Case.id)).all()
    names = db.session.scalars(sa.select(Party.name).order_by(Party.id)).all()
    assert first.rows["cases"] == 200
    # Rebuild from scratch with the same seed: the same register.
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in {"users", "matter_types", "fee_schedules", "fee_items",
                              "fee_tiers", "fee_reduction_rules", "number_sequences"}:
            db.session.execute(table.delete())
    db.session.execute(sa.text("DELETE FROM number_sequences"))
    db.session.commit()
    generate(cases=200, consultations=100, seed=11)
    again = db.session.execute(sa.select(Case.acceptance_number, Case.status, Case.applied_at)
                               .order_by(Case.id)).all()
    assert [tuple(r) for r in again] == [tuple(r) for r in rows]
    assert db.session.scalars(sa.select(Party.name).order_by(Party.id)).all() == names
