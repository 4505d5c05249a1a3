"""Fee services: charges from the schedule of the acceptance date, payments and receipt
numbers, refunds, reductions and the director's decision, the issue check, the tariff."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.extensions import db
from notary.fees import queries, services
from notary.fees import tariff as tariff_admin
from notary.fees.models import (
    Charge,
    DecisionStatus,
    FeeBasis,
    FeeSchedule,
    ItemKind,
    PaymentMethod,
    ReductionGround,
    RefundFault,
    ReliefKind,
)
from notary.parties.rules import Sex
from tests.cases.samples import advance, pdf_bytes, step_data
from tests.factories import person, register_case
from tests.fees.helpers import item

D = Decimal
ACCEPTED_ON = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in Leiyang


def accepted_case(desk: Any, notary: Any, director: Any, to: CaseStatus = CaseStatus.UNDER_REVIEW,
                  **kwargs: Any) -> Any:
    """A case accepted on 2026-03-02 and walked to `to`."""
    case = register_case(desk, **kwargs)
    with frozen_time(ACCEPTED_ON):
        advance(case, to, notary=notary, director=director)
    return case


def charge(case: Any, schedule: FeeSchedule, code: str, actor: Any, **kwargs: Any) -> Charge:
    return services.add_charge(case, services.ChargeData(item_id=item(schedule, code).id,
                                                         **kwargs), actor=actor)


def pay(case: Any, amount: str, actor: Any) -> Any:
    return services.record_payment(case, services.PaymentData(
        amount=D(amount), method=PaymentMethod.CASH, payer="张三"), actor=actor)


def actions(case: Any) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "cases", AuditEntry.target_id == case.id,
        AuditEntry.action.like("fee.%")).order_by(AuditEntry.id)))


# --- the must-shows ---------------------------------------------------------------------------


def test_inheritance_of_1_2_million_is_charged_by_the_seeded_tiers(tariff, desk, notary,
                                                                    director, admin):
    case = accepted_case(desk, notary, director)
    # 1,200,000 yuan received lies in the first tier (≤ 5,000,000 at 2%):
    # 1,200,000 × 2% = 24,000.00 yuan, above the 200-yuan minimum.
    first = charge(case, tariff, "inheritance", desk, value=D("1200000"))
    assert first.amount == first.computed_amount == D("24000.00")
    assert first.schedule_id == tariff.id

    # The province changes the standard after the acceptance: a new schedule from 2026-04-01
    # charging 1%. The case accepted on 2026-03-02 keeps the schedule of its acceptance date.
    new = tariff_copy(tariff, date(2026, 4, 1), admin)
    _set_rate(new, admin, D("1"))
    db.session.expire_all()
    assert db.session.get(Charge, first.id).amount == D("24000.00")
    services.adjust_charge(case, first, services.AdjustData(None, "重新计算", void=True),
                           actor=director)
    again = charge(case, tariff, "inheritance", desk, value=D("1200000"))
    assert again.amount == D("24000.00") and again.schedule_id == tariff.id

    # A case accepted after the change is charged by the new schedule.
    later = register_case(desk)
    with frozen_time(datetime(2026, 4, 2, 2, 0, tzinfo=UTC)):
        advance(later, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    newer = charge(later, new, "inheritance", desk, value=D("1200000"))
    assert newer.amount == D("12000.00") and newer.schedule_id == new.id


def tariff_copy(source: FeeSchedule, day: date, admin: Any) -> FeeSchedule:
    data = tariff_admin.ScheduleData(name="新标准", effective_from=day)
    return tariff_admin.copy_schedule(source, data, actor=admin)


def _set_rate(schedule: FeeSchedule, admin: Any, rate: Decimal) -> None:
    found = item(schedule, "inheritance")
    data = tariff_admin.ItemData(
        code=found.code, name=found.name, kind=found.kind, basis=found.basis, minimum=D(200),
        matter_code="inheritance",
        tiers=[tariff_admin.TierData(None, rate, None)])
    tariff_admin.save_item(schedule, found, data, actor=admin)


def test_a_low_income_reduction_is_proposed_decided_and_counted(tariff, desk, notary,
                                                                 director, director2):
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "inheritance", desk, value=D("1200000"))
    kind, percent = services.propose(case, ReductionGround.MINIMUM_LIVING)
    assert kind is ReliefKind.REDUCE and percent >= 50

    below = services.ReductionData(kind=ReliefKind.REDUCE, ground=ReductionGround.MINIMUM_LIVING,
                                   percent=D(40), reason="低保户", evidence=_evidence())
    with pytest.raises(ValidationFailed) as refused:
        services.request_reduction(case, below, actor=director)
    assert "percent" in refused.value.errors

    request = services.request_reduction(case, services.ReductionData(
        kind=ReliefKind.REDUCE, ground=ReductionGround.MINIMUM_LIVING, percent=percent,
        reason="申请人持有低保证", evidence=_evidence()), actor=director)
    assert request.status is DecisionStatus.PENDING and request.attachment is not None
    with pytest.raises(NotPermitted):  # the requester can never approve their own request
        services.decide_reduction(case, request, services.DecisionData(approve=True),
                                  actor=director)
    assert queries.case_balance(case.id).reduced == 0

    services.decide_reduction(case, request, services.DecisionData(approve=True, note="同意"),
                              actor=director2)
    assert request.status is DecisionStatus.APPROVED and request.amount == D("12000.00")
    balance = queries.case_balance(case.id)
    assert (balance.charged, balance.reduced, balance.due) == (D("24000.00"), D("12000.00"),
                                                              D("12000.00"))
    totals = queries.fee_totals(date(2026, 1, 1), date(2026, 12, 31))
    row = next(g for g in totals.grounds if g.ground is ReductionGround.MINIMUM_LIVING)
    assert (row.count, row.amount) == (1, D("12000.00"))
    assert totals.reduced == D("12000.00")
    assert next(n for n in totals.notaries if n.notary_id == notary.id).reduced == D("12000.00")
    with pytest.raises(DomainError):
        services.decide_reduction(case, request, services.DecisionData(approve=False, note="x"),
                                  actor=director2)


def test_a_case_with_an_unpaid_fee_and_no_relief_cannot_be_issued(tariff, desk, notary,
                                                                  director, director2):
    case = accepted_case(desk, notary, director, to=CaseStatus.APPROVED)
    charge(case, tariff, "will", desk)
    with pytest.raises(ValidationFailed) as refused:
        perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    assert "800.00" in refused.value.errors[""][0]
    assert case.status is CaseStatus.APPROVED

    pay(case, "300", desk)  # part of it is still not enough
    with pytest.raises(ValidationFailed):
        perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)

    # A pending deferral does not count; an approved one does.
    deferral = services.request_reduction(case, services.ReductionData(
        kind=ReliefKind.DEFER, ground=ReductionGround.OTHER, percent=None,
        reason="当事人下周补交"), actor=notary)
    with pytest.raises(ValidationFailed):
        perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    services.decide_reduction(case, deferral, services.DecisionData(approve=True),
                              actor=director2)
    perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    assert case.status is CaseStatus.ISSUED
    assert queries.case_balance(case.id).due == D("500.00")  # still owed, but deferred


def test_a_paid_case_is_issued_and_an_uncharged_one_only_with_its_reason(tariff, desk, notary,
                                                                         director):
    paid = accepted_case(desk, notary, director, to=CaseStatus.APPROVED)
    charge(paid, tariff, "will", desk)
    pay(paid, "800", desk)
    perform(paid, Action.ISSUE, step_data(Action.ISSUE, paid), actor=notary)
    free = accepted_case(desk, notary, director, to=CaseStatus.APPROVED)
    with pytest.raises(ValidationFailed) as refused:
        perform(free, Action.ISSUE, step_data(Action.ISSUE, free), actor=notary)
    assert refused.value.errors[""] == [services.charge_problem(free)]
    assert free.status is CaseStatus.APPROVED
    services.record_no_charge(free, services.NoChargeData(
        services.NoChargeGround.FREE_BY_RULE, "发改价格〔2021〕1081号：80周岁以上首次遗嘱免收"),
        actor=notary)
    perform(free, Action.ISSUE, step_data(Action.ISSUE, free), actor=notary)
    assert (paid.status, free.status) == (CaseStatus.ISSUED, CaseStatus.ISSUED)


# --- charges --------------------------------------------------------------------------------


def test_charges_wait_for_acceptance_and_a_schedule(desk, notary, director, tariff):
    case = register_case(desk)
    with pytest.raises(DomainError):  # accept first: the fee follows the acceptance date
        charge(case, tariff, "will", desk)
    tariff.effective_from = date(2030, 1, 1)  # nothing in force on the acceptance date
    db.session.commit()
    later = accepted_case(desk, notary, director)
    with pytest.raises(DomainError):  # no schedule in force on the acceptance date
        services.schedule_for(later)


def test_charge_input_is_checked(tariff, desk, notary, director):
    case = accepted_case(desk, notary, director)
    with pytest.raises(ValidationFailed) as bad:
        services.add_charge(case, services.ChargeData(item_id=None), actor=desk)
    assert "item_id" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        charge(case, tariff, "inheritance", desk, value=None)
    assert "value" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        charge(case, tariff, "inheritance", desk, value=D("10.001"))
    assert "value" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        charge(case, tariff, "will", desk, quantity=0)
    assert "quantity" in bad.value.errors
    charge(case, tariff, "inheritance", desk, value=D("500000"))
    with pytest.raises(ValidationFailed) as bad:  # tiers and cap apply to the case's total
        charge(case, tariff, "inheritance", desk, value=D("500000"))
    assert "item_id" in bad.value.errors
    extra = charge(case, tariff, "extra_copy", desk, quantity=2)
    assert (extra.kind, extra.amount) == (ItemKind.EXTRA, D("40.00"))
    assert queries.matter_charges_total(case.id) == D("10000.00")


def test_a_manual_change_needs_a_reason_and_is_audited(tariff, desk, notary, director):
    case = accepted_case(desk, notary, director)
    found = charge(case, tariff, "will", desk)
    with pytest.raises(NotPermitted):  # the front desk records, it does not change fees
        services.adjust_charge(case, found, services.AdjustData(D(700), "x"), actor=desk)
    with pytest.raises(ValidationFailed) as bad:
        services.adjust_charge(case, found, services.AdjustData(D(700), "  "), actor=notary)
    assert "reason" in bad.value.errors
    services.adjust_charge(case, found, services.AdjustData(D(700), "两份遗嘱合并办理"),
                           actor=notary)
    assert (found.amount, found.computed_amount, found.is_adjusted) == (D(700), D(800), True)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "fee.charge_adjust")).one()
    assert entry.before["amount"] == "800.00" and entry.after["amount"] == "700"
    assert entry.reason == "两份遗嘱合并办理"
    assert actions(case) == ["fee.charge_add", "fee.charge_adjust"]


# --- payments ---------------------------------------------------------------------------------


def test_payments_get_yearly_receipt_numbers_and_cannot_exceed_the_fee(tariff, desk, notary,
                                                                     director):
    case = accepted_case(desk, notary, director)
    with pytest.raises(DomainError):  # nothing is due yet
        pay(case, "1", desk)
    charge(case, tariff, "will", desk)
    with frozen_time(datetime(2026, 5, 1, 2, tzinfo=UTC)):
        first = pay(case, "300", desk)
        with pytest.raises(ValidationFailed) as bad:
            pay(case, "600", desk)
        assert "amount" in bad.value.errors
        second = pay(case, "500", desk)
    assert first.receipt_number == "（2026）耒证收字第00001号"
    assert second.receipt_number == "（2026）耒证收字第00002号"
    assert first.received_by_id == desk.id
    assert queries.case_balance(case.id).due == 0


# --- refunds ----------------------------------------------------------------------------------


def _closed(desk: Any, notary: Any, director: Any, tariff: FeeSchedule) -> Any:
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "will", desk)
    pay(case, "800", desk)
    perform(case, Action.REFUSE, StepData(ground="4", reason="继承人之间有争议"), actor=director)
    return case


@pytest.mark.parametrize(("fault", "asked", "refunded"), [
    (RefundFault.OFFICE, None, "800.00"), (RefundFault.PARTY, "500", "0.00"),
    (RefundFault.SHARED, "400", "400"),
])
def test_refunds_follow_who_caused_the_closing(tariff, desk, notary, director, fault, asked,
                                               refunded):
    case = _closed(desk, notary, director, tariff)
    refund = services.record_refund(case, services.RefundData(
        fault=fault, amount=D(asked) if asked else None, reason="不予办理",
        method=PaymentMethod.CASH), actor=desk)
    assert refund.amount == D(refunded)
    assert refund.occasion.value == "refused"
    assert queries.case_balance(case.id).received == D("800.00") - D(refunded)


def test_refund_input_is_checked(tariff, desk, notary, director):
    open_case = accepted_case(desk, notary, director)
    with pytest.raises(DomainError):
        services.record_refund(open_case, services.RefundData(RefundFault.OFFICE, None, "x"),
                               actor=desk)
    case = _closed(desk, notary, director, tariff)
    with pytest.raises(ValidationFailed) as bad:
        services.record_refund(case, services.RefundData(RefundFault.SHARED, D(900), ""),
                               actor=desk)
    assert {"amount", "reason", "method"} <= set(bad.value.errors) or {"amount", "reason"} <= \
        set(bad.value.errors)


# --- reductions ---------------------------------------------------------------------------------


def _evidence() -> services.Upload:
    return services.Upload(io.BytesIO(pdf_bytes()), "低保证.pdf")


def test_reduction_requests_are_checked(tariff, desk, notary, director):
    case = accepted_case(desk, notary, director)
    low_income = services.ReductionData(kind=ReliefKind.REDUCE,
                                        ground=ReductionGround.MINIMUM_LIVING, percent=D(50),
                                        reason="低保")
    with pytest.raises(ValidationFailed) as bad:  # no charges yet, no evidence
        services.request_reduction(case, low_income, actor=desk)
    assert "evidence" in bad.value.errors and "" in bad.value.errors
    charge(case, tariff, "inheritance", desk, value=D("100000"))
    with pytest.raises(ValidationFailed) as bad:
        services.request_reduction(case, services.ReductionData(
            kind=ReliefKind.REDUCE, ground=ReductionGround.LEGAL_AID, percent=D(100),
            reason="x"), actor=desk)
    assert "ground" in bad.value.errors  # legal aid goes through its record
    with pytest.raises(ValidationFailed) as bad:
        services.request_reduction(case, services.ReductionData(
            kind=ReliefKind.REDUCE, ground=ReductionGround.OTHER, percent=D(100), reason="x"),
            actor=desk)
    assert "kind" in bad.value.errors
    waiver = services.request_reduction(case, services.ReductionData(
        kind=ReliefKind.WAIVE, ground=ReductionGround.PUBLIC_INTEREST, percent=None,
        reason="公益"), actor=desk)
    assert waiver.percent == 100 and waiver.amount == D("2000.00")
    with pytest.raises(ValidationFailed):  # one reduction request at a time
        services.request_reduction(case, services.ReductionData(
            kind=ReliefKind.REDUCE, ground=ReductionGround.OTHER, percent=D(10), reason="x"),
            actor=desk)


def test_a_rejection_needs_a_reason(tariff, desk, notary, director):
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "will", desk)
    request = services.request_reduction(case, services.ReductionData(
        kind=ReliefKind.REDUCE, ground=ReductionGround.SUPPORT_AGREEMENT, percent=D(20),
        reason="赡养协议"), actor=desk)
    with pytest.raises(NotPermitted):
        services.decide_reduction(case, request, services.DecisionData(True), actor=notary)
    with pytest.raises(ValidationFailed):
        services.decide_reduction(case, request, services.DecisionData(False), actor=director)
    services.decide_reduction(case, request, services.DecisionData(False, "材料不足"),
                              actor=director)
    assert request.status is DecisionStatus.REJECTED
    assert queries.case_balance(case.id).reduced == 0


def test_first_will_at_80_needs_a_will_and_an_applicant_of_80(tariff, desk, notary, director):
    young = accepted_case(desk, notary, director, matters=("will",))
    charge(young, tariff, "will", desk)
    data = services.ReductionData(kind=ReliefKind.WAIVE,
                                  ground=ReductionGround.ELDERLY_FIRST_WILL, percent=None,
                                  reason="首次遗嘱")
    with pytest.raises(ValidationFailed) as bad:
        services.request_reduction(young, data, actor=desk)
    assert "ground" in bad.value.errors
    old = accepted_case(desk, notary, director, matters=("will",), applicants=(
        person("李奶奶", birth_date=date(1940, 1, 1), sex=Sex.FEMALE),))
    charge(old, tariff, "will", desk)
    assert services.request_reduction(old, data, actor=desk).amount == D("800.00")


# --- totals -----------------------------------------------------------------------------------


def test_totals_group_by_month_ground_and_notary(tariff, desk, notary, director):
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "will", desk)
    with frozen_time(datetime(2026, 3, 31, 17, tzinfo=UTC)):  # 1 April 01:00 in Leiyang
        pay(case, "800", desk)
    other = _closed(desk, notary, director, tariff)
    with frozen_time(datetime(2026, 5, 3, 2, tzinfo=UTC)):
        services.record_refund(other, services.RefundData(
            RefundFault.OFFICE, None, "本处原因", PaymentMethod.CASH), actor=desk)
    totals = queries.fee_totals(date(2026, 1, 1), date(2026, 6, 30))
    months = {m.month: m for m in totals.months}
    assert months["2026-04"].received == D("800.00")  # the local month, not UTC's March
    assert months["2026-05"].refunded == D("800.00")
    assert totals.income == D("800.00") + _paid_today(totals) - D("800.00")
    refund_row = totals.refunds[0]
    assert (refund_row.fault, refund_row.count, refund_row.amount) == (RefundFault.OFFICE, 1,
                                                                       D("800.00"))
    mine = next(n for n in totals.notaries if n.notary_id == notary.id)
    assert mine.refunded == D("800.00")
    empty = queries.fee_totals(date(2020, 1, 1), date(2020, 12, 31))
    assert (empty.income, empty.reductions, empty.legal_aid_cases) == (0, 0, 0)


def _paid_today(totals: Any) -> Decimal:
    """The closed case's payment was taken today (outside the frozen months)."""
    return sum((m.received for m in totals.months if m.month not in {"2026-04"}), D(0))


# --- the tariff -------------------------------------------------------------------------------


def test_a_used_schedule_is_frozen_and_copies_are_editable(tariff, desk, notary, director,
                                                           admin):
    data = tariff_admin.ItemData(code="birth", name="出生", kind=ItemKind.MATTER,
                           basis=FeeBasis.FIXED, unit_amount=D(150), matter_code="birth")
    tariff_admin.save_item(tariff, None, data, actor=admin)
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "birth", desk)
    birth = item(tariff, "birth")
    with pytest.raises(DomainError):  # used: copy the schedule to change its figures
        tariff_admin.save_item(tariff, birth, tariff_admin.ItemData(
            **{**data.__dict__, "unit_amount": D(200)}), actor=admin)
    with pytest.raises(DomainError):  # nor can it be re-dated
        tariff_admin.save_schedule(tariff, tariff_admin.ScheduleData(
            tariff.name, date(2011, 1, 1)), actor=admin)
    with pytest.raises(NotPermitted):
        tariff_admin.copy_schedule(tariff, tariff_admin.ScheduleData("x", date(2027, 1, 1)),
                                   actor=director)
    copy = tariff_copy(tariff, date(2027, 1, 1), admin)
    assert {i.code for i in copy.items} == {i.code for i in tariff.items}
    assert {r.ground for r in copy.reduction_rules} == {r.ground for r in tariff.reduction_rules}
    with pytest.raises(ValidationFailed) as bad:
        tariff_copy(tariff, date(2027, 1, 1), admin)
    assert "effective_from" in bad.value.errors
    tariff_admin.save_minimums(copy, {ReductionGround.MINIMUM_LIVING: D(60)}, {}, actor=admin)
    assert next(r.min_percent for r in copy.reduction_rules
                if r.ground is ReductionGround.MINIMUM_LIVING) == 60


def test_item_validation(tariff, admin):
    bad = tariff_admin.ItemData(code="x", name="", kind=ItemKind.MATTER, basis=FeeBasis.TIERED,
                          minimum=D(500), cap=D(100),
                          tiers=[tariff_admin.TierData(D(100), D(1), None),
                                 tariff_admin.TierData(D(50), None, None)])
    with pytest.raises(ValidationFailed) as refused:
        tariff_admin.save_item(tariff, None, bad, actor=admin)
    assert {"name", "cap", "tiers"} <= set(refused.value.errors)
    fixed = tariff_admin.ItemData(code="will", name="遗嘱", kind=ItemKind.MATTER,
                                  basis=FeeBasis.FIXED)
    with pytest.raises(ValidationFailed) as refused:
        tariff_admin.save_item(tariff, None, fixed, actor=admin)
    assert {"code", "unit_amount"} <= set(refused.value.errors)
