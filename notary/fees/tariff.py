"""The tariff (收费标准), edited by the administrator: schedules, items, tiers, minimums.

A line that a charge was computed from is frozen: the fee of a case is the one of the schedule
in force on its acceptance date, and must not move afterwards. A new standard is a new
schedule (copied from the last one) with its own effective date. Lines may still be added to a
schedule in use (a new matter needs its fee line), and a line's article, source and
confirmation can always be completed.

Every figure the office has not yet checked against the province's document is 待核实
(unconfirmed): confirming a line or a schedule records who checked it, and needs its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db
from notary.fees import queries, rules
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

# What a charge was computed from: frozen once a charge used the line.
PRICE_FIELDS = ("code", "name", "kind", "basis", "unit_amount", "minimum", "cap", "pricing",
                "category")
ITEM_FIELDS = (*PRICE_FIELDS, "matter_code", "note", "sort_order", "is_active", "article",
               "source")
SCHEDULE_FIELDS = ("name", "effective_from", "note", "document_number", "issuer", "issued_on",
                   "source")


@dataclass(frozen=True)
class ScheduleData:
    name: str
    effective_from: date | None
    note: str | None = None
    document_number: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    source: str | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class TierData:
    upper: Decimal | None
    rate_percent: Decimal | None
    flat: Decimal | None


@dataclass(frozen=True)
class ItemData:
    code: str
    name: str
    kind: ItemKind
    basis: FeeBasis
    unit_amount: Decimal | None = None
    minimum: Decimal | None = None
    cap: Decimal | None = None
    matter_code: str | None = None
    note: str | None = None
    sort_order: int = 100
    is_active: bool = True
    tiers: list[TierData] = field(default_factory=list)
    category: FeeCategory | None = None
    pricing: PricingRegime = PricingRegime.GOVERNMENT_GUIDED
    article: str | None = None
    source: str | None = None
    confirmed: bool = False


def get_schedule(schedule_id: int) -> FeeSchedule:
    """Load a schedule or raise NotFound."""
    schedule = db.session.get(FeeSchedule, schedule_id)
    if schedule is None:
        raise NotFound(_("No such fee schedule."))
    return schedule


def get_item(schedule: FeeSchedule, item_id: int) -> FeeItem:
    """Load one of a schedule's items or raise NotFound."""
    item = db.session.get(FeeItem, item_id)
    if item is None or item.schedule_id != schedule.id:
        raise NotFound(_("No such item."))
    return item


def ensure_editable(schedule: FeeSchedule) -> None:
    """Refuse to change a schedule that charges were computed from."""
    if queries.schedule_is_used(schedule.id):
        raise DomainError(_("Charges were computed from this schedule, so it can no longer "
                            "change. Copy it to a new schedule with a new effective date."))


def _check_schedule(data: ScheduleData, schedule: FeeSchedule | None,
                    errors: ErrorCollector) -> None:
    if not data.name.strip():
        errors.add("name", _("This field is required."))
    if data.effective_from is None:
        errors.add("effective_from", _("Enter the date the schedule takes effect."))
        return
    clash = db.session.scalar(sa.select(FeeSchedule.id).where(
        FeeSchedule.effective_from == data.effective_from))
    if clash is not None and (schedule is None or clash != schedule.id):
        errors.add("effective_from", _("Another schedule takes effect on this date."))


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _confirmation(obj: Any, confirmed: bool, source: str | None, errors: ErrorCollector,
                  actor: Any) -> None:
    """Record or withdraw the office's confirmation (a confirmed figure names its source)."""
    if confirmed and not source:
        errors.add("source", _("Name the document and article the figure comes from before "
                               "confirming it."))
        return
    if confirmed and obj.confirmed_at is None:
        obj.confirmed_at, obj.confirmed_by_id = utcnow(), actor.id
    elif not confirmed:
        obj.confirmed_at, obj.confirmed_by_id = None, None


def save_schedule(schedule: FeeSchedule | None, data: ScheduleData, *,
                  actor: Any) -> FeeSchedule:
    """Create an empty schedule, or change one (re-dated only while no charge used it)."""
    ensure_permitted(actor, Permission.TARIFF_MANAGE)
    if schedule is not None and schedule.effective_from != data.effective_from:
        ensure_editable(schedule)
    errors = ErrorCollector()
    _check_schedule(data, schedule, errors)
    errors.raise_if_any()
    before = audit.snapshot(schedule, (*SCHEDULE_FIELDS, "confirmed_at")) if schedule else None
    if schedule is None:
        schedule = FeeSchedule()
        db.session.add(schedule)
    schedule.name = data.name.strip()
    schedule.effective_from = data.effective_from  # type: ignore[assignment]
    schedule.note = _clean(data.note)
    schedule.document_number = _clean(data.document_number)
    schedule.issuer = _clean(data.issuer)
    schedule.issued_on = data.issued_on
    schedule.source = _clean(data.source)
    _confirmation(schedule, data.confirmed, schedule.source, errors, actor)
    errors.raise_if_any()
    after = audit.snapshot(schedule, (*SCHEDULE_FIELDS, "confirmed_at"))
    if before is not None:
        before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "tariff.schedule_save", schedule, before=before,
                 after=after)
    db.session.commit()
    return schedule


def copy_schedule(source: FeeSchedule, data: ScheduleData, *, actor: Any) -> FeeSchedule:
    """Start a new schedule from an existing one: every item, tier and minimum copied."""
    ensure_permitted(actor, Permission.TARIFF_MANAGE)
    errors = ErrorCollector()
    _check_schedule(data, None, errors)
    errors.raise_if_any()
    copy = FeeSchedule(name=data.name.strip(), effective_from=data.effective_from,
                       note=_clean(data.note), document_number=_clean(data.document_number),
                       issuer=_clean(data.issuer), issued_on=data.issued_on,
                       source=_clean(data.source))
    db.session.add(copy)
    db.session.flush()
    for item in source.items:
        new = FeeItem(schedule_id=copy.id, **{f: getattr(item, f) for f in ITEM_FIELDS})
        new.tiers = [FeeTier(position=t.position, upper_bound=t.upper_bound,
                             rate_percent=t.rate_percent, flat_amount=t.flat_amount)
                     for t in item.tiers]
        db.session.add(new)
    for rule in source.reduction_rules:
        db.session.add(ReductionRule(schedule_id=copy.id, ground=rule.ground,
                                     min_percent=rule.min_percent, note=rule.note))
    audit.record(db.session, actor, "tariff.schedule_copy", copy,
                 after={"copied_from": source.name, "effective_from": copy.effective_from})
    db.session.commit()
    return copy


def _nonnegative(value: Decimal | None, errors: ErrorCollector, name: str) -> None:
    if value is not None and (value < 0 or value != rules.to_fen(value)):
        errors.add(name, _("Enter an amount of zero or more, with at most two decimals."))


def _tiers(data: ItemData, errors: ErrorCollector) -> list[rules.Tier]:
    tiers = [rules.Tier(t.upper, t.rate_percent, t.flat) for t in data.tiers
             if not (t.upper is None and t.rate_percent is None and t.flat is None)]
    if data.basis is not FeeBasis.TIERED:
        return []
    if not tiers:
        errors.add("tiers", _("Enter at least one tier."))
        return []
    problems = []
    lower = Decimal(0)
    for i, tier in enumerate(tiers, start=1):
        if tier.upper is not None and tier.upper <= lower:
            problems.append(_("Tier %(n)d: the upper bounds must increase.", n=i))
        if tier.upper is None and i < len(tiers):
            problems.append(_("Tier %(n)d: only the last tier has no upper bound.", n=i))
        if (tier.rate_percent is None) == (tier.flat is None):
            problems.append(_("Tier %(n)d: give either a rate or a flat amount.", n=i))
        if tier.rate_percent is not None and not 0 <= tier.rate_percent <= 100:
            problems.append(_("Tier %(n)d: the rate is a percentage from 0 to 100.", n=i))
        lower = tier.upper if tier.upper is not None else lower
    if tiers[-1].upper is not None:
        problems.append(_("Leave the upper bound of the last tier empty (no limit)."))
    for p in problems:
        errors.add("tiers", p)
    return tiers


def _check_item(schedule: FeeSchedule, item: FeeItem | None, data: ItemData,
                errors: ErrorCollector) -> list[rules.Tier]:
    code = data.code.strip()
    if not code:
        errors.add("code", _("This field is required."))
    if not data.name.strip():
        errors.add("name", _("This field is required."))
    clash = db.session.scalar(sa.select(FeeItem.id).where(FeeItem.schedule_id == schedule.id,
                                                          FeeItem.code == code))
    if clash is not None and (item is None or clash != item.id):
        errors.add("code", _("Already used by another item of this schedule."))
    for name in ("unit_amount", "minimum", "cap"):
        _nonnegative(getattr(data, name), errors, name)
    if data.basis is FeeBasis.FIXED and data.unit_amount is None:
        errors.add("unit_amount", _("A fixed fee needs its amount."))
    if data.basis is FeeBasis.AGREED and data.pricing is not PricingRegime.MARKET_REGULATED:
        # 价格法 art. 18: a government-guided price is set by the province, never agreed.
        errors.add("pricing", _("Only a market-regulated item (市场调节价) can be priced by "
                                "agreement on the case."))
    if data.minimum is not None and data.cap is not None and data.cap < data.minimum:
        errors.add("cap", _("The cap cannot be below the minimum."))
    return _tiers(data, errors)


def _price_values(data: ItemData) -> dict[str, Any]:
    return {"code": data.code.strip(), "name": data.name.strip(), "kind": data.kind,
            "basis": data.basis,
            "unit_amount": data.unit_amount if data.basis is FeeBasis.FIXED else None,
            "minimum": data.minimum if data.basis is FeeBasis.TIERED else None,
            "cap": data.cap if data.basis is not FeeBasis.AGREED else None,
            "pricing": data.pricing, "category": data.category}


def save_item(schedule: FeeSchedule, item: FeeItem | None, data: ItemData, *,
              actor: Any) -> FeeItem:
    """Add an item to a schedule, or change one; a line a charge used keeps its figures."""
    ensure_permitted(actor, Permission.TARIFF_MANAGE)
    errors = ErrorCollector()
    tiers = _check_item(schedule, item, data, errors)
    values = _price_values(data)
    new_bands = [[t.upper, t.rate_percent, t.flat] for t in tiers]
    frozen = item is not None and queries.item_is_used(item.id)
    if frozen:
        assert item is not None
        old_bands = [[t.upper_bound, t.rate_percent, t.flat_amount] for t in item.tiers]
        if any(getattr(item, k) != v for k, v in values.items()) or old_bands != new_bands:
            raise DomainError(_("Charges were computed from this line, so its figures can no "
                                "longer change. Copy the schedule to a new one with a new "
                                "effective date."))
    errors.raise_if_any()
    before = audit.snapshot(item, (*ITEM_FIELDS, "confirmed_at")) if item else None
    if item is None:
        item = FeeItem(schedule_id=schedule.id)
        db.session.add(item)
    values.update({"matter_code": _clean(data.matter_code), "note": _clean(data.note),
                   "sort_order": data.sort_order, "is_active": data.is_active,
                   "article": _clean(data.article), "source": _clean(data.source)})
    for key, value in values.items():
        setattr(item, key, value)
    _confirmation(item, data.confirmed, item.source, errors, actor)
    errors.raise_if_any()
    if not frozen:
        if item.tiers:
            item.tiers = []
            db.session.flush()  # the old bands go before the new ones take their positions
        item.tiers = [FeeTier(position=i, upper_bound=t.upper, rate_percent=t.rate_percent,
                              flat_amount=t.flat) for i, t in enumerate(tiers)]
    after = audit.snapshot(item, (*ITEM_FIELDS, "confirmed_at"))
    if before is not None:
        before["tiers"] = new_bands  # compared below; tier edits show in full
        after["tiers"] = new_bands
        before, after = audit.changed_only(before, after)
    after["tiers"] = new_bands
    audit.record(db.session, actor, "tariff.item_save", schedule, before=before, after=after)
    db.session.commit()
    return item


def unpriced_matters(schedule: FeeSchedule) -> list[Any]:
    """The active matters of the catalogue with no active line in the schedule."""
    from notary.cases.models import MatterType

    priced = sa.select(FeeItem.matter_code).where(FeeItem.schedule_id == schedule.id,
                                                  FeeItem.is_active.is_(True),
                                                  FeeItem.matter_code.is_not(None))
    return list(db.session.scalars(sa.select(MatterType).where(
        MatterType.is_active.is_(True), MatterType.code.not_in(priced))
        .order_by(MatterType.sort_order, MatterType.id)))


def save_minimums(schedule: FeeSchedule, minimums: dict[ReductionGround, Decimal | None],
                  notes: dict[ReductionGround, str | None], *, actor: Any) -> FeeSchedule:
    """Set the least reduction the schedule gives for each ground (empty: no minimum).

    Allowed on a schedule in use: a minimum only guides requests still to come, and each
    decided reduction keeps the percentage and amount it was decided at.
    """
    ensure_permitted(actor, Permission.TARIFF_MANAGE)
    errors = ErrorCollector()
    order = list(ReductionGround)  # the form lists the grounds in this order
    for ground, value in minimums.items():
        if value is not None and (not 0 <= value <= 100 or value != rules.to_fen(value)):
            errors.add(f"rows-{order.index(ground)}-percent",
                       _("Enter a percentage from 0 to 100."))
    errors.raise_if_any()
    existing = {r.ground: r for r in schedule.reduction_rules}
    before = {g.value: r.min_percent for g, r in existing.items()}
    for ground, value in minimums.items():
        rule = existing.get(ground)
        if value is None:
            if rule is not None:
                db.session.delete(rule)  # a setting, not a legal record
            continue
        if rule is None:
            rule = ReductionRule(schedule_id=schedule.id, ground=ground, min_percent=value)
            db.session.add(rule)
        rule.min_percent = value
        rule.note = (notes.get(ground) or "").strip() or None
    after = {g.value: v for g, v in minimums.items()}
    before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "tariff.minimums_save", schedule, before=before,
                 after=after)
    db.session.commit()
    db.session.refresh(schedule)
    return schedule
