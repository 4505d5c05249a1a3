"""Reference data a script needs before it can act: who the token is, the matter catalogue."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from marshmallow import Schema, fields

from notary.api.core import actor, respond, route
from notary.cases.models import MatterType
from notary.core.permissions import ROLE_PERMISSIONS, Permission, Role
from notary.extensions import db

TAG = "Reference"


class MeSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    permissions = fields.Function(
        lambda u: sorted(p.value for p in ROLE_PERMISSIONS.get(u.role, frozenset())),
        required=True, metadata={"type": "array", "items": {"type": "string",
                                                            "enum": [p.value for p in
                                                                     Permission]}})


class MatterSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    in_person_only = fields.Boolean(required=True, metadata={
        "description": "公证法 art. 26: no agent may apply."})


@route("/me", "GET", summary="Who this token acts for", tag=TAG, response=MeSchema)
def me() -> Response:
    """The token's user, role and permissions."""
    return respond(MeSchema, actor())


@route("/matters", "GET", summary="List the matter catalogue", tag=TAG, response=MatterSchema,
       many=True, permissions=[Permission.CASE_VIEW])
def list_matters() -> Response:
    """The active matters (公证事项) an application can name in matter_ids."""
    matters = db.session.scalars(sa.select(MatterType).where(MatterType.is_active.is_(True))
                                 .order_by(MatterType.sort_order, MatterType.id))
    return respond(MatterSchema, list(matters), many=True)
