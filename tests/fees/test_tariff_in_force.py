"""The tariff in force in Hunan today (湘发改价费规〔2020〕818号, 〔2025〕737号) as the migration
seeds it, the case's value as the basis of a tiered fee, agreed prices, the no-charge rule at
issue, and the official bill of each payment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import perform
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time, office_today
from notary.extensions import db
from notary.fees import bills, queries, services
from notary.fees import tariff as tariff_admin
from notary.fees.models import (
    BillKind,
    FeeBasis,
    FeeItem,
    FeeSchedule,
    ItemKind,
    NoChargeGround,
    PaymentMethod,
    PricingRegime,
)
from tests.cases.samples import advance, step_data
from tests.factories import register_case
from tests.fees.helpers import item, migration

D = Decimal
# 10:00 in Leiyang on each day.
IN_2026 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # under 737号 (from 2025-11-13)
IN_2024 = datetime(2024, 6, 3, 2, 0, tzinfo=UTC)  # under 818号 (2020-11-04 to 2025-11-12)
IN_2015 = datetime(2015, 6, 1, 2, 0, tzinfo=UTC)  # under the 2010 standard


def accepted(desk: Any, notary: Any, director: Any, matters: tuple[str, ...], *,
             on: datetime = IN_2026, to: CaseStatus = CaseStatus.UNDER_REVIEW) -> Any:
    case = register_case(desk, matters=matters)
    with frozen_time(on):
        advance(case, to, notary=notary, director=director)
    return case


def charge(case: Any, code: str, actor: Any, **kwargs: Any) -> Any:
    schedule = services.schedule_for(case)
    return services.add_charge(case, services.ChargeData(item_id=item(schedule, code).id,
                                                         **kwargs), actor=actor)


def estate_of(case: Any, notary: Any, value: str) -> None:
    """An inheritance file: the decedent, a son, and one estate item of `value` yuan."""
    from notary.inheritance import services as inheritance
    from notary.inheritance.models import AssetKind, DeathProof
    from notary.inheritance.rules import Relation

    inheritance.save_decedent(case, inheritance.DecedentData(
        "李德胜", date(2025, 12, 1), DeathProof.MEDICAL, death_place="湖南省耒阳市"),
        actor=notary)
    inheritance.save_member(case, None, inheritance.MemberData("李明", Relation.CHILD),
                            actor=notary)
    inheritance.add_asset(case, inheritance.AssetData(
        AssetKind.REAL_ESTATE, "耒阳市蔡子池街道住房一套", D(value)), actor=notary)


def bill(number: str = "43010126000001", **overrides: Any) -> bills.BillData:
    values: dict[str, Any] = {"kind": BillKind.E_BILL, "number": number,
                              "bill_date": office_today(), "system": "湖南省财政电子票据系统"}
    values.update(overrides)
    return bills.BillData(**values)


# --- a fresh office -------------------------------------------------------------------------------


def test_a_fresh_office_has_the_2020_and_2025_schedules_pricing_every_active_matter(
        app: Flask) -> None:
    # Migrate again from the revision before: the seed is the migration's own, not a copy.
    db.session.remove()
    downgrade(revision=migration("fees0012").down_revision)
    upgrade()
    schedules = {s.document_number: s for s in db.session.scalars(sa.select(FeeSchedule))}
    current = schedules["湘发改价费规〔2025〕737号"]
    previous = schedules["湘发改价费规〔2020〕818号"]
    assert queries.schedule_in_force(date(2026, 12, 5)) == current
    assert queries.schedule_in_force(date(2025, 11, 12)) == previous
    assert current.effective_from == current.issued_on == date(2025, 11, 13)
    for schedule in (current, previous):
        assert tariff_admin.unpriced_matters(schedule) == []
        # No amount was seen in either document: every line waits for the office.
        assert schedule.confirmed_at is None
        assert all(i.confirmed_at is None and i.source and schedule.document_number in i.source
                   for i in schedule.items)
    lines = {i.code: i for i in previous.items}
    # 818号 art. 4: facts and documents are government-guided; legal acts are not listed.
    assert lines["birth"].pricing is PricingRegime.GOVERNMENT_GUIDED
    assert lines["copy_conformity"].pricing is PricingRegime.GOVERNMENT_GUIDED
    assert lines["power_of_attorney"].pricing is PricingRegime.MARKET_REGULATED
    assert lines["evidence_preservation"].basis is FeeBasis.AGREED
    assert "第四条" in lines["birth"].source and "第四条" in lines["birth"].article
    # Nothing in the new schedules is called an example any more.
    assert not any("示例" in s.name for s in schedules.values())


def test_the_matters_of_the_issue_charged_from_the_schedule_in_force(hunan, desk, notary,
                                                                     director):
    proxy = accepted(desk, notary, director, ("power_of_attorney",))
    birth = accepted(desk, notary, director, ("birth",))
    estate = accepted(desk, notary, director, ("inheritance",))
    estate_of(estate, notary, "1200000")
    assert charge(proxy, "power_of_attorney", desk).amount == D("300.00")
    assert charge(birth, "birth", desk).amount == D("150.00")
    # 受益额 1,200,000, cumulative: 500,000 × 0.5% + 700,000 × 0.3% = 2,500 + 2,100.
    inheritance = charge(estate, "inheritance", desk, value=D("1200000"))
    assert inheritance.amount == D("4600.00")
    assert inheritance.suggested_value == D("1200000.00") and inheritance.basis_reason is None
    for case in (proxy, birth, estate):
        assert services.schedule_for(case) == hunan["737"]
        assert services.fee_problem(case) is not None  # charged, not yet paid


def test_the_superseded_schedules_stay_for_cases_accepted_under_them(hunan, desk, notary,
                                                                     director):
    old = accepted(desk, notary, director, ("inheritance",), on=IN_2015)
    middle = accepted(desk, notary, director, ("birth",), on=IN_2024)
    assert services.schedule_for(old) == hunan["2010"]
    assert services.schedule_for(middle) == hunan["818"]
    # The 2010 standard: 2% of the whole 1,200,000.
    assert charge(old, "inheritance", desk, value=D("1200000")).amount == D("24000.00")
    assert charge(middle, "birth", desk).schedule_id == hunan["818"].id


# --- the basis and agreed prices ------------------------------------------------------------------


def test_a_tiered_fee_on_another_value_than_the_estate_needs_a_reason(hunan, desk, notary,
                                                                       director):
    case = accepted(desk, notary, director, ("inheritance",))
    estate_of(case, notary, "1200000")
    with pytest.raises(ValidationFailed) as refused:
        charge(case, "inheritance", desk, value=D("800000"))
    assert "1,200,000.00" in refused.value.errors["reason"][0]
    line = charge(case, "inheritance", desk, value=D("800000"),
                  reason="住房按评估报告价值80万元计")
    # 500,000 × 0.5% + 300,000 × 0.3% = 2,500 + 900.
    assert (line.amount, line.suggested_value, line.basis_reason) == (
        D("3400.00"), D("1200000.00"), "住房按评估报告价值80万元计")
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "fee.charge_add")).one()
    assert entry.reason == "住房按评估报告价值80万元计"
    assert entry.after["suggested_value"] == "1200000.00"


def test_a_market_priced_matter_takes_the_agreed_price_with_its_reason(hunan, desk, notary,
                                                                       director):
    case = accepted(desk, notary, director, ("evidence_preservation",))
    with pytest.raises(ValidationFailed) as refused:
        charge(case, "evidence_preservation", desk)
    assert {"amount", "reason"} <= set(refused.value.errors)
    line = charge(case, "evidence_preservation", desk, amount=D("1500"),
                  reason="网页证据保全两次，按本处公示价协商")
    assert (line.amount, line.computed_amount, line.basis_reason) == (
        D("1500.00"), D("1500.00"), "网页证据保全两次，按本处公示价协商")


def test_a_government_guided_price_is_a_ceiling(hunan, desk, notary, director):
    case = accepted(desk, notary, director, ("birth",))
    line = charge(case, "birth", desk)
    with pytest.raises(ValidationFailed) as refused:
        services.adjust_charge(case, line, services.AdjustData(D("200"), "加急"),
                               actor=director)
    assert "amount" in refused.value.errors
    lowered = services.adjust_charge(case, line, services.AdjustData(D("100"), "困难户"),
                                     actor=director)
    assert lowered.amount == D("100.00")
    contract = accepted(desk, notary, director, ("contract",))
    raised = services.adjust_charge(contract, charge(contract, "contract", desk),
                                    services.AdjustData(D("500"), "两份合同文本"),
                                    actor=director)
    assert raised.amount == D("500.00")  # market-regulated: the office's price


# --- nothing charged at issue ---------------------------------------------------------------------


def test_an_uncharged_case_reaches_issue_only_when_the_file_says_why(hunan, desk, notary,
                                                                     director):
    case = accepted(desk, notary, director, ("will",), to=CaseStatus.APPROVED)
    with pytest.raises(ValidationFailed) as refused:
        perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    assert refused.value.errors[""] == [services.charge_problem(case)]
    with pytest.raises(NotPermitted):  # waiving the whole fee is the director's
        services.record_no_charge(case, services.NoChargeData(NoChargeGround.WAIVED, "x"),
                                  actor=notary)
    with pytest.raises(ValidationFailed) as refused:
        services.record_no_charge(case, services.NoChargeData(NoChargeGround.LEGAL_AID, " "),
                                  actor=notary)
    assert {"basis", "ground"} <= set(refused.value.errors)  # no legal aid on the case
    services.record_no_charge(case, services.NoChargeData(
        NoChargeGround.WAIVED, "主任决定：当事人系见义勇为人员，免收"), actor=director)
    assert (services.no_charge_reason(case) or "").endswith("主任决定：当事人系见义勇为人员，免收")
    with pytest.raises(ValidationFailed):  # once is enough
        services.record_no_charge(case, services.NoChargeData(
            NoChargeGround.FREE_BY_RULE, "x"), actor=notary)
    perform(case, Action.ISSUE, step_data(Action.ISSUE, case), actor=notary)
    assert case.status is CaseStatus.ISSUED


def test_a_voided_charge_counts_as_nothing_charged(hunan, desk, notary, director):
    case = accepted(desk, notary, director, ("birth",), to=CaseStatus.APPROVED)
    line = charge(case, "birth", desk)
    services.adjust_charge(case, line, services.AdjustData(None, "重复录入", void=True),
                           actor=director)
    assert services.charge_problem(case) is not None
    assert services.fee_problem(case) == services.charge_problem(case)


def test_a_case_accepted_before_any_schedule_is_not_held(hunan, desk, notary, director):
    case = accepted(desk, notary, director, ("birth",), on=datetime(2009, 6, 1, 2, tzinfo=UTC),
                    to=CaseStatus.APPROVED)
    assert services.fee_problem(case) is None


# --- official bills -------------------------------------------------------------------------------


def test_a_payment_waits_in_the_queue_until_its_official_bill_is_entered(hunan, desk, notary,
                                                                         director):
    case = accepted(desk, notary, director, ("birth",))
    charge(case, "birth", desk)
    # The form's default system alone is no bill: the payment is taken, the bill comes later.
    payment = services.record_payment(case, services.PaymentData(
        D("150"), PaymentMethod.WECHAT, "张三", bill=bill(number="", bill_date=None)),
        actor=desk)
    assert not payment.has_bill
    assert queries.payments_without_bill() == 1
    assert list(db.session.scalars(queries.payments_statement(missing_bill=True))) == [payment]
    with pytest.raises(ValidationFailed) as refused:
        bills.record_bill(case, payment, bill(number="", bill_date=office_today()
                                              + timedelta(days=1), system="", kind=None),
                          actor=desk)
    assert {"bill_kind", "bill_number", "bill_date", "bill_system"} <= set(
        refused.value.errors)
    bills.record_bill(case, payment, bill(), actor=desk)
    assert payment.bill_number == "43010126000001" and payment.bill_recorded_by_id == desk.id
    assert queries.payments_without_bill() == 0
    with pytest.raises(ValidationFailed) as refused:  # a correction says why
        bills.record_bill(case, payment, bill("43010126000002"), actor=desk)
    assert "reason" in refused.value.errors
    bills.record_bill(case, payment, bill("43010126000002", reason="票号录错"), actor=desk)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "fee.bill_record").order_by(AuditEntry.id.desc())).first()
    assert entry.before == {"bill_number": "43010126000001"} and entry.reason == "票号录错"


def test_a_bill_number_is_never_on_two_payments(hunan, desk, notary, director):
    case = accepted(desk, notary, director, ("inheritance",))
    charge(case, "inheritance", desk, value=D("100000"))
    first = services.record_payment(case, services.PaymentData(
        D("200"), PaymentMethod.CASH, "张三", bill=bill()), actor=desk)
    assert first.has_bill and first.bill_system == "湖南省财政电子票据系统"
    with pytest.raises(ValidationFailed) as refused:
        services.record_payment(case, services.PaymentData(
            D("100"), PaymentMethod.CASH, "张三", bill=bill()), actor=desk)
    assert "bill_number" in refused.value.errors
    assert len(queries.payments_of(case.id)) == 1


# --- the tariff admin -----------------------------------------------------------------------------


def data_of(line: FeeItem, **changes: Any) -> tariff_admin.ItemData:
    values: dict[str, Any] = {
        "code": line.code, "name": line.name, "kind": line.kind, "basis": line.basis,
        "unit_amount": line.unit_amount, "minimum": line.minimum, "cap": line.cap,
        "matter_code": line.matter_code, "category": line.category, "pricing": line.pricing,
        "article": line.article, "source": line.source, "sort_order": line.sort_order,
        "tiers": [tariff_admin.TierData(t.upper_bound, t.rate_percent, t.flat_amount)
                  for t in line.tiers]}
    values.update(changes)
    return tariff_admin.ItemData(**values)


def test_a_used_line_keeps_its_figures_and_is_confirmed_against_its_source(hunan, desk, notary,
                                                                           director, admin):
    schedule = hunan["737"]
    case = accepted(desk, notary, director, ("birth",))
    charge(case, "birth", desk)
    line = item(schedule, "birth")
    with pytest.raises(DomainError):
        tariff_admin.save_item(schedule, line, data_of(line, unit_amount=D("120")),
                               actor=admin)
    with pytest.raises(ValidationFailed) as refused:
        tariff_admin.save_item(schedule, line, data_of(line, source="", confirmed=True),
                               actor=admin)
    assert "source" in refused.value.errors
    tariff_admin.save_item(schedule, line, data_of(
        line, article="附件第二项第1目", source="737号附件（本处存档纸质文件）", confirmed=True),
        actor=admin)
    assert line.is_confirmed and line.confirmed_by_id == admin.id
    assert line.unit_amount == D("150.00")
    # A new matter still gets its line in a schedule in use.
    added = tariff_admin.save_item(schedule, None, tariff_admin.ItemData(
        code="apostille_help", name="代办认证", kind=ItemKind.EXTRA, basis=FeeBasis.AGREED,
        pricing=PricingRegime.MARKET_REGULATED), actor=admin)
    assert added.id is not None
    with pytest.raises(ValidationFailed) as refused:  # 价格法 art. 18: never agreed
        tariff_admin.save_item(schedule, None, tariff_admin.ItemData(
            code="x", name="x", kind=ItemKind.MATTER, basis=FeeBasis.AGREED,
            pricing=PricingRegime.GOVERNMENT_GUIDED), actor=admin)
    assert "pricing" in refused.value.errors


def test_a_matter_without_a_line_is_listed(hunan, admin, app):
    from notary.cases import catalogue

    matter = catalogue.save_matter(None, {
        "code": "lost_certificate", "name": "证书遗失", "name_en": "Lost certificate",
        "in_person_only": False, "is_active": True, "sort_order": 300}, actor=admin)
    assert [m.code for m in tariff_admin.unpriced_matters(hunan["737"])] == [matter.code]
    with app.test_request_context():
        assert catalogue.matter_follow_up(matter) == (
            f"/admin/tariffs/{hunan['737'].id}/items/new?matter=lost_certificate")
