"""The value a tiered fee is charged on (受益额, contract value), as the case gives it.

A domain that knows such a value registers a provider for its matter: inheritance gives the
estate's value passing to the heirs. The charge form is prefilled with it, and a charge on a
different value needs a reason (services.add_charge), which the audit trail keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from notary.cases.models import Case


@dataclass(frozen=True)
class SuggestedValue:
    """A value the case gives, and where it comes from (shown next to the field)."""

    amount: Decimal
    label: str


ValueProvider = Callable[[Case], SuggestedValue | None]
_providers: dict[str, ValueProvider] = {}


def register_value_provider(matter_code: str, provider: ValueProvider) -> ValueProvider:
    """Let a domain say what value a case of one of its matters is charged on."""
    _providers[matter_code] = provider
    return provider


def suggested_value(case: Case, matter_code: str | None = None) -> SuggestedValue | None:
    """The value the case gives for an item of `matter_code` (else for any of its matters)."""
    codes = [matter_code] if matter_code else []
    codes += [m.code for m in case.matters if m.code != matter_code]
    for code in codes:
        provider = _providers.get(code)
        if provider is not None and (found := provider(case)) is not None:
            return found
    return None


def inheritance_value(case: Case) -> SuggestedValue | None:
    """继承: the estate passing to the heirs (by statute or by will), without the surviving
    spouse's own half of the marital property (民法典 art. 1153), from the heir determination."""
    from notary.inheritance import services as inheritance  # inheritance builds on cases too

    result = inheritance.determination(case)
    if result is None or result.estate_total == 0:
        return None
    return SuggestedValue(result.inheritable + result.by_will,
                          str(_l("the estate's inheritable value, from the inheritance file")))


register_value_provider("inheritance", inheritance_value)
