"""The seeded example tariff (read from the migration itself) and fee scenarios for tests."""

from __future__ import annotations

import importlib.util
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from notary.extensions import db
from notary.fees.models import (
    FeeBasis,
    FeeItem,
    FeeSchedule,
    FeeTier,
    ItemKind,
    ReductionGround,
    ReductionRule,
)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@cache
def migration() -> ModuleType:
    """The fees migration module: its ITEMS and MINIMUMS are the seed."""
    path = next(MIGRATIONS.glob("*_fee50003_*.py"))
    spec = importlib.util.spec_from_file_location("fee50003", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_example_tariff(effective_from: date = date(2010, 6, 1)) -> FeeSchedule:
    """Put back the schedule the migration seeds (the test fixtures empty every table)."""
    existing = db.session.scalars(sa.select(FeeSchedule).where(
        FeeSchedule.effective_from == effective_from)).first()
    if existing is not None:
        return existing
    m = migration()
    schedule = FeeSchedule(name="湖南省公证服务收费标准（2010年版）——示例，请替换为现行标准",
                           effective_from=effective_from, note="示例")
    db.session.add(schedule)
    db.session.flush()
    for i, (code, name, kind, basis, unit, minimum, cap, matter, note, bands) in enumerate(
            m.ITEMS):
        item = FeeItem(schedule_id=schedule.id, code=code, name=name, kind=ItemKind(kind),
                       basis=FeeBasis(basis), unit_amount=unit, minimum=minimum, cap=cap,
                       matter_code=matter, note=note, sort_order=(i + 1) * 10, is_active=True)
        item.tiers = [FeeTier(position=p, upper_bound=u, rate_percent=r, flat_amount=f)
                      for p, (u, r, f) in enumerate(bands or [])]
        db.session.add(item)
    for ground, percent, note in m.MINIMUMS:
        db.session.add(ReductionRule(schedule_id=schedule.id, ground=ReductionGround(ground),
                                     min_percent=percent, note=note))
    db.session.commit()
    return schedule


def item(schedule: FeeSchedule, code: str) -> FeeItem:
    """A schedule's item by code."""
    return next(i for i in schedule.items if i.code == code)


def fee_records(case: Any, desk: Any, notary: Any) -> dict[str, Any]:
    """One of every fee record on an accepted case (for the route walk): path parameters."""
    import io
    from decimal import Decimal

    from notary.fees import services
    from notary.legal_aid import services as aid_services
    from notary.legal_aid.models import AidRelief, AidRoute, Eligibility
    from tests.cases.samples import pdf_bytes

    schedule = seed_example_tariff()
    charge = services.add_charge(case, services.ChargeData(
        item_id=item(schedule, "inheritance").id, value=Decimal("1200000")), actor=desk)
    payment = services.record_payment(case, services.PaymentData(
        amount=Decimal("100"), method=services.PaymentMethod.CASH, payer="张三"), actor=desk)
    record = aid_services.record_legal_aid(case, aid_services.LegalAidData(
        recipient_id=case.applicants[0].party_id, eligibility=Eligibility.ECONOMIC_HARDSHIP,
        eligibility_detail="家庭月收入低于当地标准",
        evidence=services.Upload(io.BytesIO(pdf_bytes()), "收入证明.pdf"),
        route=AidRoute.EMERGENCY, relief=AidRelief.WAIVE, emergency_reason="当事人病危"),
        actor=notary)
    assert record.reduction is not None and record.evidence_id is not None
    return {"charge_id": charge.id, "payment_id": payment.id,
            "reduction_id": record.reduction.id, "record_id": record.id,
            "schedule_id": schedule.id, "item_id": item(schedule, "will").id,
            "attachment_id": record.evidence_id}
