"""The front-desk log (咨询 / 来访) over JSON: log, search, read, start an application."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, url_for
from marshmallow import Schema, fields, post_load, validate

from notary.api.cases import CaseInSchema, CaseSchema
from notary.api.core import actor, page_after, respond, route
from notary.api.schemas import Day, Id, PageQuerySchema, QueryId, Text, When, page_schema
from notary.cases.services import ApplicationData
from notary.consultations import services
from notary.consultations.models import Channel, Consultation, Outcome
from notary.consultations.queries import LogFilters, log_statement
from notary.consultations.services import ConsultationData
from notary.core.permissions import Permission
from notary.parties.rules import mask_phone

TAG = "Consultations"


class ConsultationInSchema(Schema):
    channel = fields.Enum(Channel, by_value=True, required=True)
    persons = fields.Integer(load_default=1, validate=validate.Range(1, 500))
    topic = Text(200, required=True)
    received_at = When(allow_none=True)
    matter_type_id = Id(allow_none=True)
    summary = Text(4000, allow_none=True)
    outcome = fields.Enum(Outcome, by_value=True, load_default=Outcome.ANSWERED)
    name = Text(100, allow_none=True)
    phone = Text(32, allow_none=True)
    taken_by_id = Id(allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ConsultationData:
        return ConsultationData(**data)


class ConsultationSchema(Schema):
    id = fields.Integer(required=True)
    received_at = fields.DateTime(required=True)
    channel = fields.Enum(Channel, by_value=True, required=True)
    persons = fields.Integer(required=True)
    topic = fields.String(required=True)
    matter_type_id = fields.Integer(allow_none=True, required=True)
    summary = fields.String(allow_none=True, required=True)
    outcome = fields.Enum(Outcome, by_value=True, required=True)
    name = fields.String(allow_none=True, required=True)
    phone = fields.Function(lambda c: mask_phone(c.phone) if c.phone else None, required=True,
                            metadata={"type": ["string", "null"],
                                      "description": "Masked, as in the desk's log."})
    taken_by_id = fields.Integer(allow_none=True, required=True)
    case_id = fields.Integer(allow_none=True, required=True)


class ConsultationQuerySchema(PageQuerySchema):
    q = Text(100, metadata={"description": "Topic, summary, name or phone."})
    channel = fields.Enum(Channel, by_value=True)
    date_from = Day()
    date_to = Day()
    taken_by_id = QueryId()


ConsultationPage = page_schema(ConsultationSchema, "ConsultationPage")


@route("/consultations", "GET", summary="Search the front-desk log", tag=TAG,
       query=ConsultationQuerySchema, response=ConsultationPage,
       permissions=[Permission.CONSULTATION_LOG])
def list_consultations(args: dict[str, Any]) -> Response:
    """Consultations and visits, newest first."""
    filters = LogFilters(**{k: v for k, v in args.items() if k not in {"cursor", "limit"}})
    page = page_after(log_statement(filters), [Consultation.received_at, Consultation.id],
                      args.get("cursor"), args["limit"], [datetime, int])
    return respond(ConsultationPage, page)


@route("/consultations", "POST", summary="Log a consultation or visit", tag=TAG,
       body=ConsultationInSchema, response=ConsultationSchema, status=201,
       permissions=[Permission.CONSULTATION_LOG], errors=[422], idempotent=True)
def create_consultation(data: ConsultationData) -> Response:
    """Record one consultation or visit; whoever took it answers for it (首问负责)."""
    consultation = services.log_consultation(data, actor=actor())
    return respond(ConsultationSchema, consultation, 201, location=url_for(
        "api.get_consultation", consultation_id=consultation.id))


@route("/consultations/<int:consultation_id>", "GET", summary="Read a consultation", tag=TAG,
       response=ConsultationSchema, permissions=[Permission.CONSULTATION_LOG])
def get_consultation(consultation_id: int) -> Response:
    """One entry of the log."""
    return respond(ConsultationSchema, services.get_consultation(consultation_id))


@route("/consultations/<int:consultation_id>/application", "POST",
       summary="Register the application a consultation led to", tag=TAG, body=CaseInSchema,
       response=CaseSchema, status=201,
       permissions=[Permission.CONSULTATION_LOG, Permission.CASE_CREATE], errors=[409, 422],
       idempotent=True)
def start_application(consultation_id: int, data: ApplicationData) -> Response:
    """Register the application and link it to the consultation."""
    consultation = services.get_consultation(consultation_id)
    case = services.start_application(consultation, data, actor=actor())
    return respond(CaseSchema, case, 201, version=case.version,
                   location=url_for("api.get_case", case_id=case.id))
