"""The small-estate route (小额遗产继承): 中国公证协会《关于办理小额遗产继承公证的指导意见》
(2016-02-02) art. 2(1): each single item of the estate at most 50,000 yuan. What the route
drops beyond that is the office's setting (the guidance's later articles were not read,
legal-texts.md §4.1 [U])."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app

from notary.cases.models import Case
from notary.inheritance.models import EstateItem


def small_estate(values: Iterable[Decimal], threshold: Decimal) -> bool:
    """Every single item of the estate is at most the threshold (guidance art. 2(1)); an
    estate with nothing recorded does not qualify."""
    items = list(values)
    return bool(items) and all(v <= threshold for v in items)


@dataclass(frozen=True)
class SmallEstateRoute:
    """The route as the office set it: its threshold, source and what it drops."""

    threshold: Decimal
    source: str
    no_public_notice: bool
    optional_items: tuple[int, ...]


def small_estate_route(case: Case, assets: list[EstateItem]) -> SmallEstateRoute | None:
    """The simplified route when the office uses it and every item is within the threshold."""
    cfg = current_app.config
    if not cfg["SMALL_ESTATE_ROUTE"]:
        return None
    threshold = Decimal(str(cfg["SMALL_ESTATE_THRESHOLD"]))
    if not small_estate((Decimal(a.value) for a in assets), threshold):
        return None
    return SmallEstateRoute(threshold, cfg["SMALL_ESTATE_SOURCE"],
                            bool(cfg["SMALL_ESTATE_NO_PUBLIC_NOTICE"]),
                            tuple(cfg["SMALL_ESTATE_OPTIONAL_ITEMS"]))
