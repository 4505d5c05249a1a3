"""The matter catalogue (公证事项) and the case's materials list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from notary.cases.models import Material, MatterType
from notary.core import audit
from notary.core.errors import ErrorCollector, NotFound
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db

MATTER_FIELDS = ("code", "name", "name_en", "in_person_only", "is_active", "sort_order")

# What another domain still needs once a matter is saved (fees: its fee line): the URL of the
# page that asks for it, or None. The matter page goes there next, in the same flow.
MatterFollowUp = Callable[[MatterType], str | None]
_follow_ups: list[MatterFollowUp] = []


def register_matter_follow_up(follow_up: MatterFollowUp) -> MatterFollowUp:
    """Let a domain ask for what a matter needs from it after the administrator saves it."""
    _follow_ups.append(follow_up)
    return follow_up


def matter_follow_up(matter: MatterType) -> str | None:
    """The first page another domain asks the administrator to fill in for the matter."""
    return next((url for f in _follow_ups if (url := f(matter)) is not None), None)


def all_matters() -> list[MatterType]:
    """Every matter type, in display order."""
    return list(db.session.scalars(sa.select(MatterType).order_by(MatterType.sort_order,
                                                                  MatterType.id)))


def get_matter(matter_id: int) -> MatterType:
    """Load a matter type or raise NotFound."""
    matter = db.session.get(MatterType, matter_id)
    if matter is None:
        raise NotFound(_("No such matter."))
    return matter


def save_matter(matter: MatterType | None, data: Mapping[str, Any], *, actor: Any) -> MatterType:
    """Create or edit a matter type (retired by marking it not in use, never deleted)."""
    ensure_permitted(actor, Permission.SETTINGS_MANAGE)
    errors = ErrorCollector()
    for field in ("code", "name"):
        clash = db.session.scalar(sa.select(MatterType.id).where(
            getattr(MatterType, field) == data[field]))
        if clash is not None and (matter is None or clash != matter.id):
            errors.add(field, _("Already used by another matter."))
    errors.raise_if_any()
    before = audit.snapshot(matter, MATTER_FIELDS) if matter else None
    if matter is None:
        matter = MatterType()
        db.session.add(matter)
    for field in MATTER_FIELDS:
        setattr(matter, field, data[field] if data[field] is not None else "")
    after = audit.snapshot(matter, MATTER_FIELDS)
    if before is not None:
        before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "matter.save", matter, before=before, after=after)
    db.session.commit()
    return matter


def materials_of(case_id: int) -> list[Material]:
    """The case's materials, in upload order."""
    return list(db.session.scalars(sa.select(Material).where(Material.case_id == case_id)
                                   .order_by(Material.id)))
