"""Cases (公证案件) over JSON: register, read, change, list, and every procedure step."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response, url_for
from marshmallow import Schema, fields, post_load, validate

from notary.api.core import actor, expected_version, page_after, respond, route
from notary.api.parties import PartyInSchema
from notary.api.schemas import Day, Id, PageQuerySchema, QueryId, Text, page_schema, patch_schema
from notary.cases import services
from notary.cases.models import Case, Category, ParticipantRole, Urgency
from notary.cases.queries import CaseFilters, case_list_statement
from notary.cases.rules import Action, CaseStatus, ClosingType
from notary.cases.services import ApplicationData, CaseDetails, ParticipantData
from notary.cases.workflow import StepData, allowed_actions, perform
from notary.core.permissions import Permission

TAG = "Cases"


class ParticipantInSchema(Schema):
    """An existing party by id, or a party's data (found by document, or registered)."""

    role = fields.Enum(ParticipantRole, by_value=True, required=True)
    party_id = Id(allow_none=True)
    party = fields.Nested(PartyInSchema, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ParticipantData:
        return ParticipantData(**data)


class CaseDetailsSchema(Schema):
    matter_ids = fields.List(Id(), required=True, validate=validate.Length(1, 20))
    category = fields.Enum(Category, by_value=True, required=True)
    place_of_use = Text(100, allow_none=True)
    purpose = Text(200, allow_none=True)
    document_name = Text(200, allow_none=True)
    translation_language = Text(50, allow_none=True)
    copies = fields.Integer(load_default=1, validate=validate.Range(1, 99))
    urgency = fields.Enum(Urgency, by_value=True, load_default=Urgency.NORMAL)
    urgency_reason = Text(300, allow_none=True)
    notes = Text(4000, allow_none=True)


class CaseInSchema(CaseDetailsSchema):
    """An application (申请): what is to be notarized, and who applies."""

    participants = fields.List(fields.Nested(ParticipantInSchema), required=True,
                               validate=validate.Length(1, 20))
    handling_notary_id = Id(allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ApplicationData:
        participants = data.pop("participants")
        notary = data.pop("handling_notary_id", None)
        return ApplicationData(CaseDetails(**data), participants, notary)


CasePatchSchema = patch_schema(CaseDetailsSchema, "CasePatch")


class ParticipantSchema(Schema):
    id = fields.Integer(required=True)
    role = fields.Enum(ParticipantRole, by_value=True, required=True)
    party_id = fields.Integer(required=True)
    name = fields.Function(lambda p: p.party.name, required=True)


class CaseSchema(Schema):
    id = fields.Integer(required=True)
    acceptance_number = fields.String(allow_none=True, required=True)
    status = fields.Enum(CaseStatus, by_value=True, required=True)
    category = fields.Enum(Category, by_value=True, required=True)
    matter_ids = fields.Function(lambda c: [m.id for m in c.matters], required=True,
                                 metadata={"type": "array", "items": {"type": "integer"}})
    place_of_use = fields.String(allow_none=True, required=True)
    purpose = fields.String(allow_none=True, required=True)
    document_name = fields.String(allow_none=True, required=True)
    translation_language = fields.String(allow_none=True, required=True)
    copies = fields.Integer(required=True)
    urgency = fields.Enum(Urgency, by_value=True, required=True)
    urgency_reason = fields.String(allow_none=True, required=True)
    notes = fields.String(allow_none=True, required=True)
    participants = fields.List(fields.Nested(ParticipantSchema), required=True,
                               attribute="active_participants")
    handling_notary_id = fields.Integer(allow_none=True, required=True)
    assistant_id = fields.Integer(allow_none=True, required=True)
    approver_id = fields.Integer(allow_none=True, required=True)
    applied_at = fields.DateTime(required=True)
    accepted_at = fields.DateTime(allow_none=True, required=True)
    approved_at = fields.DateTime(allow_none=True, required=True)
    issued_at = fields.DateTime(allow_none=True, required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    archived_at = fields.DateTime(allow_none=True, required=True)
    closed_at = fields.DateTime(allow_none=True, required=True)
    closing_type = fields.Enum(ClosingType, by_value=True, allow_none=True, required=True)
    closing_ground = fields.String(allow_none=True, required=True)
    closing_reason = fields.String(allow_none=True, required=True)
    certificate_number = fields.String(allow_none=True, required=True)
    version = fields.Integer(required=True, metadata={"description": "Also sent as the ETag."})
    allowed_actions = fields.Function(
        lambda c: [a.value for a in allowed_actions(actor(), c)], required=True,
        metadata={"type": "array", "items": {"type": "string",
                                             "enum": [a.value for a in Action]},
                  "description": "The steps the token's user may take now."})


class CaseQuerySchema(PageQuerySchema):
    q = Text(100, metadata={"description": "A party's name or document number, an acceptance "
                                           "or certificate number."})
    status = fields.Enum(CaseStatus, by_value=True)
    category = fields.Enum(Category, by_value=True)
    matter_id = QueryId()
    notary_id = QueryId()
    date_from = Day(metadata={"description": "Applied on or after (office date)."})
    date_to = Day(metadata={"description": "Applied on or before (office date)."})


class StepSchema(Schema):
    """What a step needs; each step reads only its own fields."""

    reason = Text(2000, allow_none=True, metadata={
        "description": "Required for supplements, returns, refusals, terminations, withdrawals."})
    ground = Text(8, allow_none=True, metadata={
        "description": "Refuse: 公证法 art. 31 ground 1-9; terminate: ground 1-5."})
    notary_id = Id(allow_none=True, metadata={"description": "Accept: the handling notary."})
    conditions_confirmed = fields.Boolean(load_default=False, metadata={
        "description": "Accept: the notary confirms the acceptance conditions."})
    delivery_method = Text(32, allow_none=True)
    delivered_to = Text(200, allow_none=True, metadata={"description": "Deliver: who received "
                                                                       "the certificate."})
    archive_number = Text(64, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> StepData:
        return StepData(**data)


CasePage = page_schema(CaseSchema, "CasePage")
DETAIL_FIELDS = tuple(CaseDetailsSchema().fields)
ACTIONS = ", ".join(a.value for a in Action)


def _case(case: Case, status: int = 200) -> Response:
    location = url_for("api.get_case", case_id=case.id) if status == 201 else None
    return respond(CaseSchema, case, status, version=case.version, location=location)


@route("/cases", "GET", summary="List cases", tag=TAG, query=CaseQuerySchema,
       response=CasePage, permissions=[Permission.CASE_VIEW], errors=[422])
def list_cases(args: dict[str, Any]) -> Response:
    """Cases matching the filters, newest application first."""
    filters = CaseFilters(**{k: v for k, v in args.items() if k not in {"cursor", "limit"}})
    page = page_after(case_list_statement(filters), [Case.applied_at, Case.id],
                      args.get("cursor"), args["limit"], [datetime, int])
    return respond(CasePage, page)


@route("/cases", "POST", summary="Register an application", tag=TAG, body=CaseInSchema,
       response=CaseSchema, status=201, permissions=[Permission.CASE_CREATE],
       errors=[409, 422], idempotent=True)
def create_case(data: ApplicationData) -> Response:
    """Register an application (申请) with its parties; it waits for acceptance."""
    return _case(services.register_application(data, actor=actor()), 201)


@route("/cases/<int:case_id>", "GET", summary="Read a case", tag=TAG, response=CaseSchema,
       permissions=[Permission.CASE_VIEW], errors=[404], etag=True)
def get_case(case_id: int) -> Response:
    """One case with its participants and the steps the token's user may take now."""
    # A will's confidential file (密卷) opens only to those its rule lets in, as on the page.
    return _case(services.open_case(case_id, actor()))


@route("/cases/<int:case_id>", "PATCH", summary="Change a case's details", tag=TAG,
       body=CasePatchSchema, response=CaseSchema, permissions=[Permission.CASE_CREATE],
       errors=[404, 409, 412, 422, 428], if_match=True, etag=True)
def update_case(case_id: int, data: dict[str, Any]) -> Response:
    """Change the details sent; a stale If-Match gets 412 and changes nothing."""
    case = services.get_case(case_id)
    version = expected_version(case.version)
    current = {name: getattr(case, name) for name in DETAIL_FIELDS if name != "matter_ids"}
    current["matter_ids"] = [m.id for m in case.matters]
    details = CaseDetails(**(current | data))
    return _case(services.update_case(case, details, actor=actor(), version=version))


@route(f"/cases/<int:case_id>/steps/<any({ACTIONS}):action>", "POST",
       summary="Take a procedure step", tag=TAG, body=StepSchema, response=CaseSchema,
       permissions=[Permission.CASE_VIEW], errors=[404, 409, 422], idempotent=True)
def take_step(case_id: int, action: str, data: StepData) -> Response:
    """Move the case one step (受理, 审查, 审批, 出证, 送达, 归档, 不予办理 …).

    Who may take which step is the procedure's rule: e.g. only a director approves, and never
    on a case they handle. A refused step answers 403 (the role or the case) or 409 (not
    possible in the case's current stage).
    """
    case = services.get_case(case_id)
    return _case(perform(case, Action(action), data, actor=actor()))
