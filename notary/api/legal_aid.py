"""Legal aid (法律援助) over JSON: record it on a case, confirm an emergency grant."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema, fields, post_load

from notary.api.core import actor, respond, route
from notary.api.schemas import FileSchema, Id, Percent, Text
from notary.cases.services import get_case
from notary.core.errors import NotFound
from notary.core.permissions import Permission
from notary.legal_aid import queries, services
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility
from notary.legal_aid.services import ConfirmData, LegalAidData

TAG = "Legal aid"


class LegalAidInSchema(Schema):
    """Legal aid on a case: by the agency's decision letter, or first by the office."""

    recipient_id = Id(required=True, metadata={"description": "A party on the case."})
    eligibility = fields.Enum(Eligibility, by_value=True, required=True)
    route = fields.Enum(AidRoute, by_value=True, required=True)
    relief = fields.Enum(AidRelief, by_value=True, load_default=AidRelief.WAIVE)
    percent = Percent(allow_none=True, load_default=None)
    agency_name = Text(100)
    eligibility_detail = Text(4000, allow_none=True)
    evidence = fields.Nested(FileSchema, allow_none=True)
    decision_number = Text(64, allow_none=True)
    decision_date = fields.Date(allow_none=True)
    decision_scan = fields.Nested(FileSchema, allow_none=True)
    emergency_reason = Text(4000, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> LegalAidData:
        return LegalAidData(**data)


class ConfirmInSchema(Schema):
    decision_number = Text(64, required=True)
    decision_date = fields.Date(required=True)
    decision_scan = fields.Nested(FileSchema, required=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ConfirmData:
        return ConfirmData(**data)


class LegalAidSchema(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    recipient_id = fields.Integer(required=True)
    eligibility = fields.Enum(Eligibility, by_value=True, required=True)
    route = fields.Enum(AidRoute, by_value=True, required=True)
    relief = fields.Enum(AidRelief, by_value=True, required=True)
    agency_name = fields.String(required=True)
    decision_number = fields.String(allow_none=True, required=True)
    decision_date = fields.Date(allow_none=True, required=True)
    confirmed_at = fields.DateTime(allow_none=True, required=True)
    reduction_id = fields.Integer(allow_none=True, required=True)


@route("/cases/<int:case_id>/legal-aid", "GET", summary="Read a case's legal aid", tag=TAG,
       response=LegalAidSchema, permissions=[Permission.FEE_VIEW])
def get_legal_aid(case_id: int) -> Response:
    """The case's legal-aid record (404 if it has none)."""
    record = queries.record_of(get_case(case_id).id)
    if record is None:
        raise NotFound("This case has no legal aid.")
    return respond(LegalAidSchema, record)


@route("/cases/<int:case_id>/legal-aid", "POST", summary="Record legal aid", tag=TAG,
       body=LegalAidInSchema, response=LegalAidSchema, status=201,
       permissions=[Permission.LEGAL_AID_MANAGE, Permission.REDUCTION_REQUEST],
       errors=[409, 422], idempotent=True)
def record_legal_aid(case_id: int, data: LegalAidData) -> Response:
    """Record legal aid and request the waiver or reduction it gives (法律援助法 art. 53)."""
    return respond(LegalAidSchema, services.record_legal_aid(get_case(case_id), data,
                                                             actor=actor()), 201)


@route("/legal-aid/<int:record_id>/confirmation", "POST", summary="Confirm emergency legal aid",
       tag=TAG, body=ConfirmInSchema, response=LegalAidSchema,
       permissions=[Permission.LEGAL_AID_MANAGE], errors=[409, 422], idempotent=True)
def confirm_legal_aid(record_id: int, data: ConfirmData) -> Response:
    """Enter the agency's decision letter for aid the office gave first (先行办理)."""
    record = services.get_record(record_id)
    return respond(LegalAidSchema, services.confirm_emergency(record, data, actor=actor()))
