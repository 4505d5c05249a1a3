"""The seeded tariffs (read from the migrations themselves) and fee scenarios for tests."""

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
    FeeCategory,
    FeeItem,
    FeeSchedule,
    FeeTier,
    ItemKind,
    PricingRegime,
    ReductionGround,
    ReductionRule,
)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@cache
def migration(revision: str = "fee50003") -> ModuleType:
    """A fees migration module: fee50003 seeds the 2010 standard, fees0012 the Hunan 2020
    and 2025 schedules (and relabels the 2010 one)."""
    path = next(MIGRATIONS.glob(f"*{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(revision, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_example_tariff(effective_from: date = date(2010, 6, 1)) -> FeeSchedule:
    """Put back the 2010 schedule as the migrations leave it (the fixtures empty every
    table)."""
    existing = db.session.scalars(sa.select(FeeSchedule).where(
        FeeSchedule.effective_from == effective_from)).first()
    if existing is not None:
        return existing
    m, relabel = migration(), migration("fees0012")
    schedule = FeeSchedule(name=relabel.NAME_2010, effective_from=effective_from,
                           note=relabel.NOTE_2010, source=relabel.SOURCE_2010)
    db.session.add(schedule)
    db.session.flush()
    for i, (code, name, kind, basis, unit, minimum, cap, matter, note, bands) in enumerate(
            m.ITEMS):
        category = relabel.CATEGORY_2010[code]
        item = FeeItem(schedule_id=schedule.id, code=code, name=name, kind=ItemKind(kind),
                       basis=FeeBasis(basis), unit_amount=unit, minimum=minimum, cap=cap,
                       matter_code=matter, note=note, sort_order=(i + 1) * 10, is_active=True,
                       category=FeeCategory(category),
                       pricing=PricingRegime.MARKET_REGULATED if category == "other"
                       else PricingRegime.GOVERNMENT_GUIDED,
                       source=relabel.PLACEHOLDER_2010 if category == "other"
                       else relabel.SOURCE_2010)
        item.tiers = [FeeTier(position=p, upper_bound=u, rate_percent=r, flat_amount=f)
                      for p, (u, r, f) in enumerate(bands or [])]
        db.session.add(item)
    for ground, percent, note in m.MINIMUMS:
        db.session.add(ReductionRule(schedule_id=schedule.id, ground=ReductionGround(ground),
                                     min_percent=percent, note=note))
    db.session.commit()
    return schedule


def seed_hunan_tariffs() -> dict[str, FeeSchedule]:
    """Put back what a fresh office starts with: the 2010 standard and the schedules of
    湘发改价费规〔2020〕818号 and 〔2025〕737号, as the fees0012 migration seeds them."""
    m = migration("fees0012")
    out = {"2010": seed_example_tariff()}
    for spec in m.SCHEDULES:
        existing = db.session.scalars(sa.select(FeeSchedule).where(
            FeeSchedule.effective_from == spec["effective_from"])).first()
        if existing is not None:
            out[spec["key"]] = existing
            continue
        schedule = FeeSchedule(**{k: v for k, v in spec.items() if k != "key"})
        db.session.add(schedule)
        db.session.flush()
        for i, (code, name, category, basis, unit, minimum, cap, matter, bands,
                origin) in enumerate(m.ITEMS):
            pricing = m._pricing(spec["key"], code, category)
            new = FeeItem(schedule_id=schedule.id, code=code, name=name,
                          kind=ItemKind.EXTRA if category == "other" else ItemKind.MATTER,
                          basis=FeeBasis(basis), unit_amount=unit, minimum=minimum, cap=cap,
                          matter_code=matter, sort_order=(i + 1) * 10, is_active=True,
                          category=FeeCategory(category), pricing=PricingRegime(pricing),
                          article=m._article(spec["key"], category, pricing),
                          source=m._source(spec, code, category, pricing, origin))
            new.tiers = [FeeTier(position=p, upper_bound=u, rate_percent=r, flat_amount=f)
                         for p, (u, r, f) in enumerate(bands or [])]
            db.session.add(new)
        for ground, percent, note in m.MINIMUMS:
            db.session.add(ReductionRule(schedule_id=schedule.id,
                                         ground=ReductionGround(ground), min_percent=percent,
                                         note=note))
        out[spec["key"]] = schedule
    db.session.commit()
    return out


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
