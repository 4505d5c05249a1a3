"""Schemas shared by every endpoint: safe text, ids, money, problems and pages."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate
from marshmallow.utils import missing as marshmallow_missing

from notary.core import params

# Identifiers are PostgreSQL integers: a larger number could not name a record.
MAX_ID = params.MAX_ID
MONEY_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
PERCENT_PATTERN = r"^(100|[0-9]{1,2})(\.[0-9]{1,2})?$"


def _storable(value: str) -> None:
    # PostgreSQL refuses NUL in text and UTF-8 cannot carry lone surrogates: say so up front
    # instead of failing in the database (the same check as every query parameter's).
    try:
        params.check_text("", value, max_length=len(value))
    except params.BadParameter as exc:
        raise ValidationError(exc.message) from exc


def Text(max_length: int | None = None, *, required: bool = False,
         allow_none: bool = False, min_length: int | None = None, **kwargs: Any) -> fields.String:
    """A string field that the database can store (length checked, no NUL)."""
    validators: list[Any] = [_storable]
    if max_length is not None or min_length is not None:
        validators.append(validate.Length(min=min_length, max=max_length))
    return fields.String(required=required, allow_none=allow_none, validate=validators,
                         **kwargs)


def Id(*, required: bool = False, allow_none: bool = False, **kwargs: Any) -> fields.Integer:
    """A record identifier."""
    return fields.Integer(required=required, allow_none=allow_none, strict=True,
                          validate=validate.Range(1, MAX_ID), **kwargs)


def _within_days(value: Any) -> None:
    if not params.FIRST_DAY <= value <= params.LAST_DAY:
        raise ValidationError(f"Enter a date from {params.FIRST_DAY} to {params.LAST_DAY}.")


def Day(*, required: bool = False, allow_none: bool = False, **kwargs: Any) -> fields.Date:
    """A calendar date inside the range the office's records keep to (core.params)."""
    metadata = {"description": "", **kwargs.pop("metadata", {})}
    metadata["description"] = (f"{metadata['description']} From {params.FIRST_DAY} to "
                               f"{params.LAST_DAY}.").strip()
    return fields.Date(required=required, allow_none=allow_none, validate=_within_days,
                       metadata=metadata, **kwargs)


def QueryId(**kwargs: Any) -> fields.Integer:
    """A record identifier in a query string (digits, not a JSON number)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


def _between(low: Decimal, high: Decimal) -> Any:
    # A plain function, not validate.Range: apispec would print the bounds as strings into a
    # schema whose type is string, which JSON Schema does not allow.
    def check(value: Decimal) -> None:
        if not low <= value <= high:
            raise ValidationError(f"Enter an amount from {low} to {high}.")

    return check


def Money(*, required: bool = False, allow_none: bool = False) -> fields.Decimal:
    """An amount in yuan, sent and returned as a decimal string (never a float)."""
    return fields.Decimal(places=2, as_string=True, required=required, allow_none=allow_none,
                          allow_nan=False,
                          validate=_between(Decimal("0"), Decimal("9999999999.99")),
                          metadata={"type": "string", "pattern": MONEY_PATTERN,
                                    "examples": ["120.00"]})


def Percent(*, allow_none: bool = False, **kwargs: Any) -> fields.Decimal:
    """A percentage from 0 to 100 as a decimal string."""
    return fields.Decimal(places=2, as_string=True, allow_none=allow_none, allow_nan=False,
                          validate=_between(Decimal("0"), Decimal("100")),
                          metadata={"type": "string", "pattern": PERCENT_PATTERN},
                          **kwargs)


class ProblemFieldSchema(Schema):
    field = fields.String(required=True)
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details; `errors` lists each invalid field."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemFieldSchema))


class PageQuerySchema(Schema):
    cursor = Text(200, metadata={"description": "The next_cursor of the previous page."})
    limit = fields.Integer(load_default=25, validate=validate.Range(1, 100),
                           metadata={"description": "Rows per page (1-100)."})


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A page of items with the cursor of the next page (null on the last page)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(required=True, allow_none=True),
    }, name=name)


def patch_schema(schema_cls: type[Schema], name: str) -> type[Schema]:
    """The schema's fields, none required: a PATCH sends only what changes."""
    import copy

    optional = {}
    for field_name, field in schema_cls._declared_fields.items():
        clone = copy.deepcopy(field)
        clone.required = False
        clone.load_default = marshmallow_missing
        optional[field_name] = clone
    return Schema.from_dict(optional, name=name)


def _plausible(moment: datetime) -> None:
    if not datetime(2000, 1, 1, tzinfo=UTC) <= moment <= datetime(2100, 1, 1, tzinfo=UTC):
        raise ValidationError("Enter a time between 2000 and 2100.")


def When(*, required: bool = False, allow_none: bool = False) -> fields.AwareDateTime:
    """A moment (ISO 8601); without an offset it is read as UTC."""
    return fields.AwareDateTime(default_timezone=UTC, required=required,
                                allow_none=allow_none, validate=_plausible)


class FileSchema(Schema):
    """A file sent inside JSON: its name and its bytes in base64 (PDF, JPEG or PNG)."""

    filename = Text(200, required=True, min_length=1)
    content_base64 = fields.String(required=True, validate=validate.Length(1, 28_000_000),
                                   metadata={"contentEncoding": "base64"})

    @post_load
    def to_upload(self, data: dict[str, Any], **kwargs: Any) -> Any:
        import base64
        import binascii
        import io

        from notary.fees.services import Upload

        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError("Not valid base64.", "content_base64") from exc
        return Upload(io.BytesIO(content), data["filename"])
