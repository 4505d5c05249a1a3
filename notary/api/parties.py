"""Parties (当事人) over JSON: register, read, change, search."""

from __future__ import annotations

from typing import Any

from flask import Response, g, url_for
from marshmallow import Schema, fields, post_load

from notary.api.core import actor, expected_version, page_after, respond, route
from notary.api.schemas import PageQuerySchema, Text, page_schema, patch_schema
from notary.core.permissions import Permission
from notary.parties import privacy, services
from notary.parties.models import Party, PartyKind
from notary.parties.queries import party_search_statement
from notary.parties.rules import DocumentType, Sex
from notary.parties.services import PartyData

TAG = "Parties"


class PartyInSchema(Schema):
    """A party as sent: a person with an identity document, or an organisation with its
    unified social credit code."""

    kind = fields.Enum(PartyKind, by_value=True, required=True)
    name = Text(200, required=True)
    document_type = fields.Enum(DocumentType, by_value=True, required=True)
    document_number = Text(64, required=True)
    sex = fields.Enum(Sex, by_value=True, allow_none=True)
    birth_date = fields.Date(allow_none=True)
    nationality = Text(64, allow_none=True)
    phone = Text(32, allow_none=True)
    address = Text(300, allow_none=True)
    legal_representative = Text(200, allow_none=True)
    notes = Text(4000, allow_none=True)
    birth_province = Text(50, allow_none=True)
    birth_county = Text(50, allow_none=True)
    father_name = Text(100, allow_none=True)
    mother_name = Text(100, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> PartyData:
        return PartyData(**data)


PartyPatchSchema = patch_schema(PartyInSchema, "PartyPatch")


class PartySchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(PartyKind, by_value=True, required=True)
    name = fields.String(required=True)
    document_type = fields.Enum(DocumentType, by_value=True, required=True)
    document_number = fields.Function(
        lambda p: p.document_number if _revealed(p) else p.masked_document_number,
        required=True, metadata={"type": "string", "description": "Masked (4304**********1X) "
                                 "except in the answer of the reveal endpoint."})
    sex = fields.Enum(Sex, by_value=True, allow_none=True, required=True)
    birth_date = fields.Date(allow_none=True, required=True)
    nationality = fields.String(allow_none=True, required=True)
    phone = fields.Function(
        lambda p: (p.phone if _revealed(p) else p.masked_phone) or None,
        required=True, metadata={"type": ["string", "null"]})
    address = fields.String(allow_none=True, required=True)
    legal_representative = fields.String(allow_none=True, required=True)
    notes = fields.String(allow_none=True, required=True)
    birth_province = fields.String(allow_none=True, required=True)
    birth_county = fields.String(allow_none=True, required=True)
    father_name = fields.String(allow_none=True, required=True)
    mother_name = fields.String(allow_none=True, required=True)
    version = fields.Integer(required=True, metadata={"description": "Also sent as the ETag."})


def _revealed(party: Party) -> bool:
    """Full numbers only in the answer to a logged reveal of this party (as on the pages)."""
    return bool(g.get("api_revealed_party") == party.id)


class PartyQuerySchema(PageQuerySchema):
    q = Text(100, metadata={"description": "Part of the name, or the start of the document "
                                           "number."})


PartyPage = page_schema(PartySchema, "PartyPage")
PARTY_FIELDS = tuple(PartyInSchema().fields)


def _created(party: Party) -> Response:
    return respond(PartySchema, party, 201, version=party.version,
                   location=url_for("api.get_party", party_id=party.id))


@route("/parties", "GET", summary="Search parties", tag=TAG, query=PartyQuerySchema,
       response=PartyPage, permissions=[Permission.PARTY_VIEW], errors=[422])
def list_parties(args: dict[str, Any]) -> Response:
    """Parties whose name contains `q` or whose document number starts with it, newest first."""
    page = page_after(party_search_statement(args.get("q")), [Party.id], args.get("cursor"),
                      args["limit"], [int])
    return respond(PartyPage, page)


@route("/parties", "POST", summary="Register a party", tag=TAG, body=PartyInSchema,
       response=PartySchema, status=201, permissions=[Permission.PARTY_EDIT],
       errors=[409, 422], idempotent=True)
def create_party(data: PartyData) -> Response:
    """Register a party; the document number is checked (GB 11643 for resident IDs)."""
    return _created(services.create_party(data, actor=actor()))


@route("/parties/<int:party_id>", "GET", summary="Read a party", tag=TAG,
       response=PartySchema, permissions=[Permission.PARTY_VIEW], errors=[404], etag=True)
def get_party(party_id: int) -> Response:
    """One party; the ETag is the version a change must name in If-Match."""
    party = services.get_party(party_id)
    return respond(PartySchema, party, version=party.version)


@route("/parties/<int:party_id>", "PATCH", summary="Change a party", tag=TAG,
       body=PartyPatchSchema, response=PartySchema, permissions=[Permission.PARTY_EDIT],
       errors=[404, 409, 412, 422, 428], if_match=True, etag=True)
def update_party(party_id: int, data: dict[str, Any]) -> Response:
    """Change the fields sent; a stale If-Match gets 412 and changes nothing."""
    party = services.get_party(party_id)
    version = expected_version(party.version)
    merged = {name: getattr(party, name) for name in PARTY_FIELDS} | data
    party = services.update_party(party, PartyData(**merged), actor=actor(), version=version)
    return respond(PartySchema, party, version=party.version)


@route("/parties/<int:party_id>/reveal", "POST", summary="Show a party's full numbers",
       tag=TAG, response=PartySchema, permissions=[Permission.PARTY_VIEW,
                                                   Permission.PERSONAL_DATA_VIEW],
       errors=[404])
def reveal_party(party_id: int) -> Response:
    """The party with its full ID and phone numbers; every reveal is an audit entry
    (个人信息保护法 art. 51), as on the party page. Other answers carry masked numbers."""
    party = services.get_party(party_id)
    privacy.reveal_personal_data(party, actor=actor(), purpose="API")
    g.api_revealed_party = party.id
    return respond(PartySchema, party, version=party.version)
