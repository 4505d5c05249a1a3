"""Domain errors raised by services; views and the CLI turn them into messages."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the domain was broken; the message is safe to show to the user."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The record does not exist (or the actor may not know it exists)."""


class NotPermitted(DomainError):
    """The actor lacks the permission or the object-level right for this action."""


class ValidationFailed(DomainError):
    """Input was rejected: `errors` maps a field name to its messages ('' for the whole form)."""

    def __init__(self, errors: Mapping[str, list[str] | str]) -> None:
        normalized = {k: [v] if isinstance(v, str) else list(v) for k, v in errors.items()}
        super().__init__("; ".join(m for msgs in normalized.values() for m in msgs))
        self.errors: dict[str, list[str]] = normalized


class ConcurrentEdit(DomainError):
    """The record changed since the user loaded it (optimistic locking)."""


class ErrorCollector:
    """Collect every problem before raising, so the user sees all of them at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
