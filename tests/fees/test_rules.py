"""The pure fee calculation, table-driven at every tier boundary of the seeded example tariff,
plus properties (hypothesis): monotone in the amount, never below the minimum or above the cap,
reductions never make a fee negative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notary.core import money
from notary.fees import rules
from notary.fees.rules import Balance, FeeBasis, FeeItemRule, Tier
from tests.fees.helpers import migration

D = Decimal


def rule_of(code: str) -> FeeItemRule:
    """The seeded item as the pure calculation sees it (straight from the migration's data)."""
    row = next(r for r in migration().ITEMS if r[0] == code)
    _code, _name, _kind, basis, unit, minimum, cap, _matter, _note, bands = row
    return FeeItemRule(basis=FeeBasis(basis), unit_amount=unit, minimum=minimum, cap=cap,
                       tiers=tuple(Tier(u, r, f) for u, r, f in bands or ()))


INHERITANCE = rule_of("inheritance")


# 继承、赠与、遗赠 by the amount received: ≤5M 2% (min 200), 5-10M 1.5%, 10-50M 1%, >50M 0.5%.
@pytest.mark.parametrize(("value", "fee"), [
    ("0", "200.00"),  # the minimum
    ("9999.99", "200.00"),  # 199.9998 -> the minimum
    ("10000", "200.00"),  # 2% is exactly the minimum
    ("10025", "200.50"),
    ("10000.24", "200.00"),  # 200.0048 -> rounded once, half up, to the fen
    ("10000.25", "200.01"),  # 200.005 -> 200.01 (half up)
    # The must-show: 1,200,000 lies in the first tier: 1,200,000 × 2% = 24,000.00.
    ("1200000", "24000.00"),
    ("5000000", "100000.00"),  # top of tier 1: 5M × 2%
    ("5000000.01", "100000.00"),  # + 0.01 × 1.5% = 0.00015 -> rounds away
    ("5000100", "100001.50"),
    ("10000000", "175000.00"),  # 100,000 + 5M × 1.5%
    ("10000100", "175001.00"),  # + 100 × 1%
    ("50000000", "575000.00"),  # 175,000 + 40M × 1%
    ("50000100", "575000.50"),  # + 100 × 0.5%
    ("60000000", "625000.00"),  # 575,000 + 10M × 0.5%
])
def test_inheritance_tiers(value: str, fee: str) -> None:
    assert rules.item_fee(INHERITANCE, value=D(value)) == D(fee)


# Contracts with property: ≤50k 400 flat; then 0.6%, 0.5%, 0.4%, 0.2%, 0.1%, 0.05%, 0.02%, 0.01%.
@pytest.mark.parametrize(("value", "fee"), [
    ("0", "400.00"), ("50000", "400.00"), ("50001", "400.01"), ("100000", "700.00"),
    ("500000", "2700.00"), ("1000000", "4700.00"), ("5000000", "12700.00"),
    ("10000000", "17700.00"), ("50000000", "37700.00"), ("100000000", "47700.00"),
    ("200000000", "57700.00"),
])
def test_contract_tiers(value: str, fee: str) -> None:
    assert rules.item_fee(rule_of("contract_property"), value=D(value)) == D(fee)


# Enforceability: ≤400k 400 flat; 400k-10M 0.1%; 10M-100M 0.03%; >100M 0.01%.
@pytest.mark.parametrize(("value", "fee"), [
    ("400000", "400.00"), ("400001", "400.00"), ("401000", "401.00"),
    ("10000000", "10000.00"), ("100000000", "37000.00"), ("200000000", "47000.00"),
])
def test_enforceability_tiers(value: str, fee: str) -> None:
    assert rules.item_fee(rule_of("enforceability"), value=D(value)) == D(fee)


@pytest.mark.parametrize(("value", "fee"), [
    ("300000", "6000.00"), ("500000", "10000.00"), ("1200000", "10000.00"),  # the cap wins
])
def test_one_dwelling_is_capped_per_case(value: str, fee: str) -> None:
    assert rules.item_fee(rule_of("one_dwelling"), value=D(value)) == D(fee)


@pytest.mark.parametrize(("code", "quantity", "fee"), [
    ("will", 1, "800.00"), ("will", 2, "1600.00"), ("adoption", 1, "1000.00"),
    ("extra_copy", 3, "60.00"),
])
def test_fixed_fees(code: str, quantity: int, fee: str) -> None:
    assert rules.item_fee(rule_of(code), quantity=quantity) == D(fee)


def test_rounding_happens_once_at_the_end() -> None:
    # Three bands of 0.333...%: rounding each piece would give 0.01 + 0.01 + 0.01 = 0.03;
    # the exact sum 0.0249975 rounds once to 0.02.
    third = D(1) / D(3)
    tiers = (Tier(D("2.5"), third), Tier(D("5"), third), Tier(None, third))
    assert rules.item_fee(FeeItemRule(FeeBasis.TIERED, tiers=tiers), value=D("7.4999")) == \
        D("0.02")
    assert rules.to_fen(D("0.005")) == D("0.01")
    assert rules.to_fen(D("0.0049")) == D("0.00")


@pytest.mark.parametrize(("tiers", "problem"), [
    ((), "no tiers"),
    ((Tier(D(10), D(1)), Tier(D(5), D(1)), Tier(None, D(1))), "increase"),
    ((Tier(None, D(1)), Tier(D(5), D(1))), "open-ended"),
    ((Tier(D(5), None),), "either a rate or a flat"),
    ((Tier(None, D(101)),), "between 0 and 100"),
])
def test_bad_tiers_are_refused(tiers: tuple[Tier, ...], problem: str) -> None:
    assert any(problem in p for p in rules.check_tiers(tiers))
    with pytest.raises(rules.TariffError):
        rules.tiered_amount(D(1), tiers)


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError):
        rules.item_fee(INHERITANCE)  # a tiered fee needs its amount
    with pytest.raises(ValueError):
        rules.tiered_amount(D(-1), INHERITANCE.tiers)
    with pytest.raises(rules.TariffError):
        rules.item_fee(FeeItemRule(FeeBasis.FIXED))


@pytest.mark.parametrize(("text", "value"), [
    ("1,200,000", "1200000"), ("1200000.50", "1200000.50"), ("１２００", "1200"),
    (" 800元 ", "800"), ("1，000", "1000"),
])
def test_parse_money(text: str, value: str) -> None:
    assert money.parse_money(text) == D(value)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "NaN", "Infinity", ""])
def test_parse_money_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        money.parse_money(text)


@pytest.mark.parametrize(("base", "percent", "off"), [
    ("24000.00", "50", "12000.00"), ("24000.00", "100", "24000.00"),
    ("800.00", "40", "320.00"), ("0.05", "50", "0.03"),  # 0.025 -> 0.03 half up
    ("0.00", "50", "0.00"),
])
def test_reduction_amount(base: str, percent: str, off: str) -> None:
    assert rules.reduction_amount(D(base), D(percent)) == D(off)


def test_proposal_reads_the_configured_minimums() -> None:
    minimums = {g: p for g, p, _n in migration().MINIMUMS}
    ground = rules.ReductionGround
    assert rules.proposed_percent(ground.MINIMUM_LIVING, minimums) >= 50
    assert rules.proposed_percent(ground.SEVERE_DISABILITY, minimums) >= 50
    assert rules.proposed_percent(ground.PENSION_RELIEF, minimums) == 40
    assert rules.proposed_percent(ground.PUBLIC_INTEREST, minimums) == 20
    assert rules.proposed_percent(ground.SUPPORT_AGREEMENT, minimums) == 20
    assert rules.proposed_percent(ground.ELDERLY_FIRST_WILL, minimums) == 100
    assert rules.relief_kind_for(rules.proposed_percent(ground.LEGAL_AID, minimums)) is \
        rules.ReliefKind.WAIVE
    assert rules.proposed_percent(ground.OTHER, minimums) == 0
    assert rules.proposed_percent(ground.MINIMUM_LIVING, {}) == 0  # data, not magic


@pytest.mark.parametrize(("fault", "low", "high"), [
    (rules.RefundFault.OFFICE, "500", "500"), (rules.RefundFault.PARTY, "0", "0"),
    (rules.RefundFault.SHARED, "0", "500"), (rules.RefundFault.NEITHER, "0", "500"),
])
def test_refund_range_by_who_caused_it(fault: rules.RefundFault, low: str, high: str) -> None:
    assert rules.refund_range(fault, D(500)) == (D(low), D(high))


@pytest.mark.parametrize(("charged", "reduced", "paid", "refunded", "deferred", "settled"), [
    ("0", "0", "0", "0", False, True),  # no charges: an office without fees still works
    ("800", "0", "0", "0", False, False),
    ("800", "0", "800", "0", False, True),
    ("800", "400", "400", "0", False, True),
    ("800", "800", "0", "0", False, True),  # waived
    ("800", "0", "0", "0", True, True),  # deferral approved
    ("800", "0", "800", "800", False, False),  # refunded: owed again
])
def test_settled(charged: str, reduced: str, paid: str, refunded: str, deferred: bool,
                 settled: bool) -> None:
    balance = Balance(D(charged), D(reduced), D(paid), D(refunded))
    assert rules.is_settled(balance, deferred=deferred) is settled


@pytest.mark.parametrize(("amount", "words"), [
    ("24000", "贰万肆仟元整"), ("0", "零元整"), ("1005.07", "壹仟零伍元零柒分"),
    ("10010", "壹万零壹拾元整"), ("1200000", "壹佰贰拾万元整"), ("100010000", "壹亿零壹万元整"),
    ("3.10", "叁元壹角整"), ("0.05", "伍分"), ("-5", "负伍元整"),
])
def test_amount_in_words(amount: str, words: str) -> None:
    assert rules.amount_in_words(D(amount)) == words


def test_age_on() -> None:
    from datetime import date

    assert rules.age_on(date(1946, 3, 1), date(2026, 3, 1)) == 80
    assert rules.age_on(date(1946, 3, 2), date(2026, 3, 1)) == 79


# --- properties -----------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False,
                      allow_infinity=False)
percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False,
                       allow_infinity=False)
TIERED = [rule_of(c) for c in ("inheritance", "contract_property", "enforceability",
                               "one_dwelling")]


@given(a=amounts, b=amounts, which=st.sampled_from(TIERED))
def test_fee_is_monotone_in_the_amount(a: Decimal, b: Decimal, which: FeeItemRule) -> None:
    low, high = sorted((a, b))
    assert rules.item_fee(which, value=low) <= rules.item_fee(which, value=high)


@given(value=amounts, which=st.sampled_from(TIERED))
def test_fee_respects_minimum_and_cap(value: Decimal, which: FeeItemRule) -> None:
    fee = rules.item_fee(which, value=value)
    assert fee == fee.quantize(D("0.01"))
    if which.cap is not None:
        assert fee <= which.cap
    elif which.minimum is not None:
        assert fee >= which.minimum


@given(base=amounts, percent=percents)
def test_reductions_never_make_a_fee_negative(base: Decimal, percent: Decimal) -> None:
    off = rules.reduction_amount(base, percent)
    assert D(0) <= off <= base
    assert Balance(base, off, D(0), D(0)).payable >= 0


@given(charged=amounts, reduced=amounts, paid=amounts)
def test_due_is_never_negative(charged: Decimal, reduced: Decimal, paid: Decimal) -> None:
    balance = Balance(charged, reduced, paid, D(0))
    assert balance.due >= 0 and balance.payable >= 0
