"""The fee calculation (pure: Decimal in, Decimal out; no Flask, no database).

Fee standards are set by the province (公证法 art. 46) and change, so every amount, tier, cap
and reduction minimum comes in as data (the tariff schedule); this module only knows how to
combine them.

Rounding rule, used everywhere: an amount is computed exactly in Decimal (tier pieces, rates,
percentages are never rounded on the way) and rounded ONCE, ROUND_HALF_UP to the fen (0.01
yuan), when it becomes a recorded amount: a charge line, a reduction, a refund. Sums of
recorded amounts are then exact. Money is never a float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from notary.core.money import ZERO, to_fen

HUNDRED = Decimal(100)


class FeeBasis(StrEnum):
    FIXED = "fixed"  # a price per unit (per certificate, per extra copy, per visit)
    TIERED = "tiered"  # by an amount (受益额, contract value), accumulated across tiers
    # 市场调节价 without a posted price: the notary enters the price agreed with the party,
    # with the reason (价格法 art. 6; 湘发改价费规〔2020〕818号 art. 4 leaves such items out of
    # government guidance).
    AGREED = "agreed"


class PricingRegime(StrEnum):
    """How the province prices an item (价格法 art. 18; 公证法 art. 46)."""

    GOVERNMENT_GUIDED = "government_guided"  # 政府指导价: the standard is a ceiling [U float]
    MARKET_REGULATED = "market_regulated"  # 市场调节价: the office sets and posts its price


class FeeCategory(StrEnum):
    """The four kinds of notarial service the provincial tables are laid out by."""

    LEGAL_ACT = "legal_act"  # 证明法律行为类: contracts, inheritance, powers of attorney, wills
    LEGAL_FACT = "legal_fact"  # 证明法律事实类: birth, death, marital status, kinship
    DOCUMENT = "document"  # 证明文件文书类: signatures and seals, copies, translations
    AFFAIR = "affair"  # 公证事务类: preservation of evidence, escrow
    OTHER = "other"  # copies, translation, mailing, visits


class ItemKind(StrEnum):
    MATTER = "matter"  # the notarization itself: the basic service reductions apply to
    EXTRA = "extra"  # copies after the first, translation, mailing, home visit


@dataclass(frozen=True)
class Tier:
    """One band of a tiered fee: up to `upper` (None: no upper bound), at `rate_percent` of the
    part of the amount inside the band, or a `flat` sum for the whole band."""

    upper: Decimal | None
    rate_percent: Decimal | None = None
    flat: Decimal | None = None


@dataclass(frozen=True)
class FeeItemRule:
    """What the tariff says about one item."""

    basis: FeeBasis
    unit_amount: Decimal | None = None  # FIXED: price per unit
    tiers: tuple[Tier, ...] = ()  # TIERED: bands in increasing order
    minimum: Decimal | None = None  # TIERED: never less than this (e.g. 200 yuan)
    cap: Decimal | None = None  # the most one case pays for this item (e.g. one dwelling)


class TariffError(ValueError):
    """The tariff data cannot be used (bands out of order, a band without a price...)."""


def check_tiers(tiers: Sequence[Tier]) -> list[str]:
    """Return what is wrong with a list of bands (empty when they can be used)."""
    problems = []
    if not tiers:
        problems.append("no tiers")
    previous = ZERO
    for i, tier in enumerate(tiers):
        last = i == len(tiers) - 1
        if tier.upper is None and not last:
            problems.append(f"tier {i + 1}: only the last tier may be open-ended")
        if tier.upper is not None and tier.upper <= previous:
            problems.append(f"tier {i + 1}: upper bounds must increase")
        if (tier.rate_percent is None) == (tier.flat is None):
            problems.append(f"tier {i + 1}: give either a rate or a flat amount")
        if tier.rate_percent is not None and not ZERO <= tier.rate_percent <= HUNDRED:
            problems.append(f"tier {i + 1}: the rate must be between 0 and 100 per cent")
        if tier.flat is not None and tier.flat < 0:
            problems.append(f"tier {i + 1}: the flat amount cannot be negative")
        previous = tier.upper if tier.upper is not None else previous
    if tiers and tiers[-1].upper is not None:
        problems.append("the last tier must be open-ended")
    return problems


def tiered_amount(value: Decimal, tiers: Sequence[Tier]) -> Decimal:
    """The cumulative fee for an amount: each band charges only the part inside it (exact)."""
    if value < 0:
        raise ValueError("the amount cannot be negative")
    problems = check_tiers(tiers)
    if problems:
        raise TariffError("; ".join(problems))
    total = Decimal(0)
    lower = Decimal(0)
    for i, tier in enumerate(tiers):
        if i > 0 and value <= lower:
            break  # the amount ends below this band
        top = value if tier.upper is None else min(value, tier.upper)
        if tier.flat is not None:
            total += tier.flat
        else:
            assert tier.rate_percent is not None
            total += (top - lower) * tier.rate_percent / HUNDRED
        if tier.upper is None:
            break
        lower = tier.upper
    return total


def item_fee(rule: FeeItemRule, *, quantity: int = 1, value: Decimal | None = None) -> Decimal:
    """The fee of one charge line, rounded once to the fen.

    FIXED: unit price × quantity. TIERED: the cumulative fee for `value`, raised to the
    minimum, then limited by the per-case cap (the cap wins over the minimum).
    """
    if quantity < 0:
        raise ValueError("quantity cannot be negative")
    if rule.basis is FeeBasis.AGREED:
        raise TariffError("an agreed price is entered on the case, not computed")
    if rule.basis is FeeBasis.FIXED:
        if rule.unit_amount is None:
            raise TariffError("a fixed item needs a unit amount")
        exact = rule.unit_amount * quantity
    else:
        if value is None:
            raise ValueError("a tiered item needs the amount it is charged on")
        exact = tiered_amount(value, rule.tiers)
        if rule.minimum is not None:
            exact = max(exact, rule.minimum)
    if rule.cap is not None:
        exact = min(exact, rule.cap)
    return to_fen(exact)


# --- reductions and waivers (减收 / 免收) ----------------------------------------------------


class ReliefKind(StrEnum):
    REDUCE = "reduce"  # 减收: a percentage off
    WAIVE = "waive"  # 免收: all of it
    DEFER = "defer"  # 缓收: pay later; the certificate may be issued meanwhile


class ReductionGround(StrEnum):
    """Grounds for a reduction (法律援助法 art. 53; 发改价格〔2021〕1081号 as implemented by
    the provinces, domain.md §5.1)."""

    LEGAL_AID = "legal_aid"  # 受援人: a legal-aid recipient (art. 53 ¶2)
    MINIMUM_LIVING = "minimum_living"  # 低保
    EXTREME_POVERTY = "extreme_poverty"  # 特困供养
    SEVERE_DISABILITY = "severe_disability"  # 重度残疾
    PREFERENTIAL_CARE = "preferential_care"  # 优抚对象 (military and martyrs' families)
    ELDERLY_FIRST_WILL = "elderly_first_will"  # 80 or older, first will
    PENSION_RELIEF = "pension_relief"  # 抚恤金、劳工赔偿金、救济金、劳动保险金 matters
    PUBLIC_INTEREST = "public_interest"  # 公益事项
    SUPPORT_AGREEMENT = "support_agreement"  # 赡养、抚养、扶养协议
    OTHER = "other"


# Grounds that rest on the person's status: the card or certificate must be attached
# (低保证, 特困供养证, 残疾证, 优抚证; domain.md §5.3).
EVIDENCE_REQUIRED = frozenset({ReductionGround.MINIMUM_LIVING, ReductionGround.EXTREME_POVERTY,
                               ReductionGround.SEVERE_DISABILITY,
                               ReductionGround.PREFERENTIAL_CARE})
ELDERLY_AGE = 80


def proposed_percent(ground: ReductionGround, minimums: Mapping[str, Decimal]) -> Decimal:
    """The least percentage the rules give for a ground (0 when the schedule sets none)."""
    return Decimal(minimums.get(ground.value, ZERO))


def relief_kind_for(percent: Decimal) -> ReliefKind:
    """100 per cent off is a waiver (免收), anything less a reduction (减收)."""
    return ReliefKind.WAIVE if percent >= HUNDRED else ReliefKind.REDUCE


def reduction_amount(base: Decimal, percent: Decimal) -> Decimal:
    """The amount taken off `base` at `percent`, rounded once; never more than the base."""
    if not ZERO <= percent <= HUNDRED:
        raise ValueError("percent must be between 0 and 100")
    if base <= 0:
        return ZERO
    return min(to_fen(base * percent / HUNDRED), to_fen(base))


def age_on(birth: date, day: date) -> int:
    """Whole years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- what a case owes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """A case's money: what was charged, reduced, paid and refunded, and what is still due."""

    charged: Decimal
    reduced: Decimal
    paid: Decimal
    refunded: Decimal

    @property
    def payable(self) -> Decimal:
        """Charges less approved reductions; reductions never make it negative."""
        return max(self.charged - self.reduced, ZERO)

    @property
    def received(self) -> Decimal:
        """Payments less refunds: the office's income from the case."""
        return self.paid - self.refunded

    @property
    def due(self) -> Decimal:
        """What the party still owes (0 when paid up or overpaid)."""
        return max(self.payable - self.received, ZERO)


def is_settled(balance: Balance, *, deferred: bool) -> bool:
    """Whether a certificate may be issued as far as the fee goes.

    No charges at all counts as settled: an office that has not configured fees must still
    be able to work (the director's approval checklist covers the fee by hand, domain.md §1.2).
    Otherwise the fee must be paid up, or waived or reduced to nothing, or a deferral approved.
    """
    if balance.charged == 0:
        return True
    return deferred or balance.due == 0


# --- refunds (退费) ---------------------------------------------------------------------------


class RefundOccasion(StrEnum):
    REFUSED = "refused"  # 不予办理 (公证法 art. 31)
    TERMINATED = "terminated"  # 终止公证
    WITHDRAWN = "withdrawn"  # 撤回
    REVOKED = "revoked"  # 撤销 after 复查 (公证法 art. 39)


class RefundFault(StrEnum):
    """Who caused the refusal, termination or revocation (domain.md §1.3, §1.5)."""

    OFFICE = "office"  # the office's fault: full refund
    PARTY = "party"  # the party's fault: no refund
    SHARED = "shared"  # both: partial
    NEITHER = "neither"  # nobody's fault (death, withdrawal): partial, by the work done


def refund_range(fault: RefundFault, refundable: Decimal) -> tuple[Decimal, Decimal]:
    """The least and most that may be refunded, given who caused it and what was received."""
    refundable = max(refundable, ZERO)
    if fault is RefundFault.OFFICE:
        return refundable, refundable
    if fault is RefundFault.PARTY:
        return ZERO, ZERO
    return ZERO, refundable


# --- 人民币大写 (the amount in words on a receipt) -------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    out, zero = "", False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def amount_in_words(amount: Decimal) -> str:
    """Write a yuan amount in financial capitals, e.g. 24000 -> 贰万肆仟元整."""
    amount = to_fen(amount)
    if amount < 0:
        return "负" + amount_in_words(-amount)
    fen_total = int(amount * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    groups: list[int] = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    text = ""
    need_zero = False
    for i in range(len(groups) - 1, -1, -1):
        group = groups[i]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[i]
        need_zero = False
    if not text and not jiao and not fen:
        return "零元整"
    if text:
        text += "元"
    if not jiao and not fen:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text


def format_yuan(amount: Decimal) -> str:
    """1234.5 -> '1,234.50'."""
    return f"{amount:,.2f}"


def format_percent(percent: Decimal) -> str:
    """50.00 -> '50', 12.50 -> '12.5'."""
    return f"{percent.normalize():f}"


def sum_amounts(amounts: Iterable[Decimal]) -> Decimal:
    """Add recorded (already rounded) amounts exactly."""
    return sum(amounts, ZERO)
