"""How audit entries read in the timeline: translated action names, field names and values.

The kernel knows no domain: each domain registers its actions, fields, enum-valued fields,
masked fields and value formatters when its blueprint is registered (`register_audit_labels`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ACTION_LABELS: dict[str, Any] = {}
FIELD_LABELS: dict[str, Any] = {"sha256": "SHA-256"}
VALUE_ENUMS: dict[str, Any] = {}
# Enum-valued fields whose codes mean something else under another action: (action, field).
# 不予办理 and 终止 both store a ground "1".."9", read against different articles.
ACTION_ENUMS: dict[tuple[str, str], Any] = {}
# Fields holding ID or phone numbers, and how each is masked when the history shows it.
MASKED_FIELDS: dict[str, Callable[[str], str]] = {}
# Fields whose values are records (a dict), and how each reads as one line.
VALUE_FORMATTERS: dict[str, Callable[[dict[str, Any]], str]] = {}


def register_audit_labels(actions: dict[str, Any] | None = None,
                          fields: dict[str, Any] | None = None,
                          enums: dict[str, Any] | None = None,
                          masks: dict[str, Callable[[str], str]] | None = None,
                          formatters: dict[str, Callable[[dict[str, Any]], str]] | None = None,
                          action_enums: dict[tuple[str, str], Any] | None = None) -> None:
    """Let a domain name its own audit actions, fields and enum-valued fields (a field whose
    value is read through a LabelledEnum; `action_enums` for a field read differently under
    one action), mask personal numbers and format record values."""
    ACTION_ENUMS.update(action_enums or {})
    ACTION_LABELS.update(actions or {})
    FIELD_LABELS.update(fields or {})
    VALUE_ENUMS.update(enums or {})
    MASKED_FIELDS.update(masks or {})
    VALUE_FORMATTERS.update(formatters or {})


def audit_action(action: str) -> str:
    """The translated name of an audit action."""
    return str(ACTION_LABELS.get(action, action))


def audit_field(key: str) -> str:
    """The translated name of an audited field."""
    return str(FIELD_LABELS.get(key, key))


def audit_value(key: str, value: Any, names: dict[int, str] | None = None,
                action: str | None = None) -> str:
    """A value as a person reads it: labels for enums (the action's own first), names for
    user ids, 、 for lists."""
    if value is None or value == "":
        return "—"
    if key in MASKED_FIELDS and isinstance(value, str):
        # The history is a page like any other: personal numbers stay masked there too
        # (full numbers only through a logged reveal, 个人信息保护法 art. 51).
        return MASKED_FIELDS[key](value)
    enum_cls = ACTION_ENUMS.get((action or "", key)) or VALUE_ENUMS.get(key)
    if enum_cls is not None:
        try:
            return str(enum_cls(value).label)
        except ValueError:
            return str(value)
    if key.endswith("_id") and key != "party_id" and names and isinstance(value, int):
        return names.get(value, str(value))
    if isinstance(value, dict) and key in VALUE_FORMATTERS:
        return VALUE_FORMATTERS[key](value)
    if isinstance(value, list):
        return "、".join(audit_value(key, v, names, action) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)
