"""Enums stored as strings, each member with a translated label."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_LABELS: dict[tuple[type, str], Any] = {}


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translated label, attached with `labels()`."""

    @property
    def label(self) -> str:
        return str(_LABELS.get((type(self), self.value), self.value))

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return (value, label) pairs for a select field."""
        return [(m.value, m.label) for m in cls]


def labels(enum_cls: type[LabelledEnum], mapping: dict[LabelledEnum, Any]) -> None:
    """Attach lazy-translated labels to every member of an enum (all members required)."""
    missing = set(enum_cls) - set(mapping)
    if missing:
        raise ValueError(f"{enum_cls.__name__} lacks labels for {sorted(missing)}")
    for member, text in mapping.items():
        _LABELS[(enum_cls, member.value)] = text

