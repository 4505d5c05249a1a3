"""Investigations (核实) over JSON: plan a task, record what was found, close it."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema, fields, post_load, validate

from notary.api.core import actor, respond, route
from notary.api.schemas import Id, Text, When
from notary.cases.services import get_case
from notary.core.permissions import Permission
from notary.investigations import services
from notary.investigations.models import Method, PersonRole, TaskStatus
from notary.investigations.services import PersonData, RecordData, TaskData

TAG = "Investigations"


class TaskInSchema(Schema):
    """A verification task or home visit; a verification pauses the case's clock."""

    method = fields.Enum(Method, by_value=True, required=True)
    purpose = Text(2000, required=True)
    staff_ids = fields.List(Id(), required=True, validate=validate.Length(1, 10))
    place = Text(200, allow_none=True)
    scheduled_at = When(allow_none=True)
    other_office = Text(200, allow_none=True)
    witness_name = Text(100, allow_none=True)
    witness_contact = Text(200, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> TaskData:
        return TaskData(**data)


class PersonInSchema(Schema):
    role = fields.Enum(PersonRole, by_value=True, required=True)
    name = Text(100, required=True, min_length=1)
    document_number = Text(64, allow_none=True)
    relation = Text(100, allow_none=True)
    signed = fields.Boolean(load_default=False)
    fingerprinted = fields.Boolean(load_default=False)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> PersonData:
        return PersonData(**data)


class QuestionSchema(Schema):
    question = Text(4000, required=True)
    answer = Text(4000, required=True)


class RecordInSchema(Schema):
    """The record (笔录) of an interview or inspection."""

    place = Text(200, required=True)
    started_at = When(required=True)
    ended_at = When(allow_none=True)
    recorder_id = Id(required=True)
    observations = Text(20000, allow_none=True)
    persons = fields.List(fields.Nested(PersonInSchema), load_default=list,
                          validate=validate.Length(max=50))
    questions = fields.List(fields.Nested(QuestionSchema), load_default=list,
                            validate=validate.Length(max=200))

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> RecordData:
        data["questions"] = [(q["question"], q["answer"]) for q in data["questions"]]
        return RecordData(**data)


class CloseInSchema(Schema):
    outcome = Text(4000, required=True, metadata={"description": "The outcome, or why the "
                                                                 "task was cancelled."})
    done = fields.Boolean(load_default=True, metadata={"description": "false: cancelled."})


class RecordSchema(Schema):
    id = fields.Integer(required=True)
    place = fields.String(required=True)
    started_at = fields.DateTime(required=True)
    ended_at = fields.DateTime(allow_none=True, required=True)
    recorder_id = fields.Integer(required=True)
    observations = fields.String(allow_none=True, required=True)


class InvestigationSchema(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    method = fields.Enum(Method, by_value=True, required=True)
    purpose = fields.String(required=True)
    place = fields.String(allow_none=True, required=True)
    scheduled_at = fields.DateTime(allow_none=True, required=True)
    due_on = fields.Date(allow_none=True, required=True)
    other_office = fields.String(allow_none=True, required=True)
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    outcome = fields.String(allow_none=True, required=True)
    staff_ids = fields.Function(lambda t: [u.id for u in t.staff], required=True,
                                metadata={"type": "array", "items": {"type": "integer"}})
    records = fields.List(fields.Nested(RecordSchema), required=True)


@route("/cases/<int:case_id>/investigations", "GET", summary="List a case's investigations",
       tag=TAG, response=InvestigationSchema, many=True, permissions=[Permission.CASE_VIEW])
def list_investigations(case_id: int) -> Response:
    """The case's verification tasks and home visits, oldest first."""
    return respond(InvestigationSchema, services.investigations_of(get_case(case_id).id),
                   many=True)


@route("/cases/<int:case_id>/investigations", "POST", summary="Plan an investigation",
       tag=TAG, body=TaskInSchema, response=InvestigationSchema, status=201,
       permissions=[Permission.INVESTIGATION_MANAGE], errors=[409, 422], idempotent=True)
def create_investigation(case_id: int, data: TaskData) -> Response:
    """Plan a task; a verification moves the case into 核实 (its clock pauses)."""
    task = services.create_investigation(get_case(case_id), data, actor=actor())
    return respond(InvestigationSchema, task, 201)


@route("/investigations/<int:investigation_id>", "GET", summary="Read an investigation",
       tag=TAG, response=InvestigationSchema, permissions=[Permission.CASE_VIEW])
def get_investigation(investigation_id: int) -> Response:
    """One task with its records."""
    return respond(InvestigationSchema, services.get_investigation(investigation_id))


@route("/investigations/<int:investigation_id>/records", "POST", summary="Add a record",
       tag=TAG, body=RecordInSchema, response=RecordSchema, status=201,
       permissions=[Permission.INVESTIGATION_MANAGE], errors=[409, 422], idempotent=True)
def add_record(investigation_id: int, data: RecordData) -> Response:
    """Add the record (笔录) of an interview or inspection."""
    task = services.get_investigation(investigation_id)
    return respond(RecordSchema, services.add_record(task, data, actor=actor()), 201)


@route("/investigations/<int:investigation_id>/close", "POST", summary="Close an "
       "investigation", tag=TAG, body=CloseInSchema, response=InvestigationSchema,
       permissions=[Permission.INVESTIGATION_MANAGE], errors=[409, 422], idempotent=True)
def close_investigation(investigation_id: int, data: dict[str, Any]) -> Response:
    """Record the outcome and close; the last open verification returns the case to review."""
    task = services.get_investigation(investigation_id)
    services.close_investigation(task, data["outcome"], done=data["done"], actor=actor())
    return respond(InvestigationSchema, task)
