"""Inheritance (继承) over JSON: the decedent, the family, the estate, the heir determination."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Response, jsonify
from marshmallow import Schema, fields, post_load

from notary.api.core import actor, respond, route
from notary.api.schemas import Id, Text
from notary.cases.services import get_case
from notary.core.errors import NotFound
from notary.core.permissions import Permission
from notary.inheritance import services
from notary.inheritance.models import AssetKind, DeathProof, LossGround
from notary.inheritance.rules import Kinship, Relation
from notary.inheritance.services import AssetData, DecedentData, MemberData

TAG = "Inheritance"


def _value() -> fields.Decimal:
    def check(value: Decimal) -> None:
        if not Decimal("0") <= value < Decimal("1000000000000"):
            from marshmallow import ValidationError

            raise ValidationError("Enter a value from 0 to 999999999999.99.")

    return fields.Decimal(places=2, as_string=True, required=True, allow_nan=False,
                          validate=check, metadata={"type": "string",
                                                    "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"})


class DecedentInSchema(Schema):
    """The decedent (被继承人)."""

    name = Text(100, required=True)
    death_date = fields.Date(required=True)
    death_proof = fields.Enum(DeathProof, by_value=True, required=True)
    document = Text(64, allow_none=True)
    death_place = Text(200, allow_none=True)
    last_residence = Text(200, allow_none=True)
    death_proof_note = Text(200, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> DecedentData:
        return DecedentData(**data)


class MemberInSchema(Schema):
    """A relative of the decedent, with what bears on their right to inherit."""

    name = Text(100, required=True)
    relation = fields.Enum(Relation, by_value=True, required=True)
    kind = fields.Enum(Kinship, by_value=True, load_default=Kinship.BORN)
    document_number = Text(64, allow_none=True)
    via_id = Id(allow_none=True)
    successor_of_id = Id(allow_none=True)
    birth_date = fields.Date(allow_none=True)
    death_date = fields.Date(allow_none=True)
    died_in_same_event = fields.Boolean(load_default=False)
    has_other_heirs = fields.Boolean(load_default=True)
    main_support = fields.Boolean(load_default=False)
    renounced = fields.Boolean(load_default=False)
    renounced_on = fields.Date(allow_none=True)
    lost_right_ground = fields.Enum(LossGround, by_value=True, allow_none=True)
    forgiven = fields.Boolean(load_default=False)
    note = Text(300, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> MemberData:
        return MemberData(**data)


class AssetInSchema(Schema):
    kind = fields.Enum(AssetKind, by_value=True, required=True)
    description = Text(300, required=True)
    value = _value()
    is_marital = fields.Boolean(load_default=False)
    disposed_by_will = fields.Boolean(load_default=False)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> AssetData:
        return AssetData(**data)


class MemberSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    relation = fields.Enum(Relation, by_value=True, required=True)
    kind = fields.Enum(Kinship, by_value=True, required=True)
    via_id = fields.Integer(allow_none=True, required=True)
    successor_of_id = fields.Integer(allow_none=True, required=True)
    death_date = fields.Date(allow_none=True, required=True)
    renounced = fields.Boolean(required=True)


class AssetSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(AssetKind, by_value=True, required=True)
    description = fields.String(required=True)
    value = fields.Decimal(places=2, as_string=True, required=True,
                           metadata={"type": "string"})
    is_marital = fields.Boolean(required=True)
    disposed_by_will = fields.Boolean(required=True)


class DecedentSchema(Schema):
    case_id = fields.Integer(required=True)
    decedent_name = fields.String(required=True)
    death_date = fields.Date(required=True)
    death_proof = fields.Enum(DeathProof, by_value=True, required=True)
    death_place = fields.String(allow_none=True, required=True)
    last_residence = fields.String(allow_none=True, required=True)


DETERMINATION = {
    "type": "object", "additionalProperties": True,
    "description": "Who inherits, in which order and share (民法典 arts. 1127-1130), with the "
                   "reasons; the same as the case page shows.",
    "properties": {"estate_total": {"type": "string"}, "inheritable": {"type": "string"},
                   "order": {"type": ["integer", "null"]},
                   "people": {"type": "array", "items": {"type": "object"}}},
}


def _file(case_id: int) -> Any:
    case = get_case(case_id)
    if services.get_file(case) is None:
        raise NotFound("No decedent is recorded on this case yet.")
    return case


@route("/cases/<int:case_id>/inheritance/decedent", "PUT", summary="Record the decedent",
       tag=TAG, body=DecedentInSchema, response=DecedentSchema,
       permissions=[Permission.INHERITANCE_EDIT], errors=[409, 422])
def save_decedent(case_id: int, data: DecedentData) -> Response:
    """Enter or correct the decedent; the first time opens the materials checklist."""
    return respond(DecedentSchema, services.save_decedent(get_case(case_id), data,
                                                          actor=actor()))


@route("/cases/<int:case_id>/inheritance/members", "GET", summary="List the family",
       tag=TAG, response=MemberSchema, many=True, permissions=[Permission.CASE_VIEW])
def list_members(case_id: int) -> Response:
    """The decedent's recorded relatives."""
    return respond(MemberSchema, services.members_of(_file(case_id).id), many=True)


@route("/cases/<int:case_id>/inheritance/members", "POST", summary="Add a relative", tag=TAG,
       body=MemberInSchema, response=MemberSchema, status=201,
       permissions=[Permission.INHERITANCE_EDIT], errors=[409, 422], idempotent=True)
def add_member(case_id: int, data: MemberData) -> Response:
    """Add a relative; the determination is computed again."""
    member = services.save_member(get_case(case_id), None, data, actor=actor())
    return respond(MemberSchema, member, 201)


@route("/cases/<int:case_id>/inheritance/assets", "GET", summary="List the estate", tag=TAG,
       response=AssetSchema, many=True, permissions=[Permission.CASE_VIEW])
def list_assets(case_id: int) -> Response:
    """The items of the estate with their values."""
    return respond(AssetSchema, services.assets_of(_file(case_id).id), many=True)


@route("/cases/<int:case_id>/inheritance/assets", "POST", summary="Add an estate item",
       tag=TAG, body=AssetInSchema, response=AssetSchema, status=201,
       permissions=[Permission.INHERITANCE_EDIT], errors=[409, 422], idempotent=True)
def add_asset(case_id: int, data: AssetData) -> Response:
    """Add an item of the estate; the determination is computed again."""
    return respond(AssetSchema, services.add_asset(get_case(case_id), data, actor=actor()),
                   201)


@route("/cases/<int:case_id>/inheritance/determination", "GET",
       summary="Determine the heirs", tag=TAG, response=DETERMINATION,
       permissions=[Permission.CASE_VIEW])
def heir_determination(case_id: int) -> Response:
    """The heirs, their order and shares from what is recorded now (404 before a decedent)."""
    summary = services.determination_summary(_file(case_id))
    return jsonify(summary)
