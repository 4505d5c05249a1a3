"""Panels other domains add to the case page (clock, fees, ...), without cases importing them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from notary.cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    template: str  # rendered with `case` and `panel` (the dict from `context`)
    context: Callable[[Case, Any], dict[str, Any] | None]  # None: nothing to show to this actor
    column: Literal["main", "side"] = "side"
    order: int = 100


_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> CasePanel:
    """Add a panel to every case page (called once, when the domain's package is imported)."""
    _panels.append(panel)
    return panel


def panels_for(case: Case, actor: Any) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The panels to render for this case and actor, by column, in order."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {"main": [], "side": []}
    for panel in sorted(_panels, key=lambda p: p.order):
        context = panel.context(case, actor)
        if context is not None:
            out[panel.column].append((panel.template, context))
    return out
