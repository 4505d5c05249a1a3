"""Money: Decimal yuan, rounded once to the fen, and read from what a person types (pure).

Rounding rule, used everywhere: an amount is computed exactly in Decimal and rounded ONCE,
ROUND_HALF_UP to the fen (0.01 yuan), when it becomes a recorded amount. Never a float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
ZERO = Decimal("0.00")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def to_fen(amount: Decimal) -> Decimal:
    """Round an exact amount once, half up, to the fen (the one rounding rule)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_money(text: str) -> Decimal:
    """Read an amount a person typed ('1,200,000', '1200000.5', '１２００'); else ValueError."""
    cleaned = text.strip().translate(_FULL_WIDTH).replace(",", "").replace("，", "")
    cleaned = cleaned.removesuffix("元").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value
