"""Personal information of parties (个人信息保护法): logged reveals, and a party's own data.

Full ID and phone numbers are masked on every page; a role with PERSONAL_DATA_VIEW sees them
only by asking, and every such reveal is an audit entry (PIPL art. 51: access control and a
record of who processed what). A party's request for a copy of their data (art. 45) is
answered with everything the office holds about them, and the export is audited too.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from notary.core import audit
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db
from notary.parties.models import Party
from notary.parties.services import PARTY_AUDIT_FIELDS


def reveal_personal_data(party: Party, *, actor: Any, purpose: str) -> Party:
    """Record that the actor is shown the party's full numbers (purpose: where and why)."""
    ensure_permitted(actor, Permission.PERSONAL_DATA_VIEW)
    audit.record(db.session, actor, "party.reveal", party, reason=purpose[:200])
    db.session.commit()
    return party


def record_reveal(target: Any, *, actor: Any, purpose: str) -> None:
    """Record that a form showed someone's full ID number outside a party record (a decedent
    or a family member in an inheritance file: the number is edited there)."""
    audit.record(db.session, actor, "personal_data.reveal", target, reason=purpose[:200])
    db.session.commit()


def export_personal_data(party: Party, *, actor: Any) -> dict[str, Any]:
    """Everything held about a party, as JSON-safe data (PIPL art. 45), and audit it."""
    from notary.cases.models import Case, CaseParticipant, Material

    ensure_permitted(actor, Permission.PARTY_DATA_EXPORT)
    rows = db.session.execute(
        sa.select(Case, CaseParticipant.role)
        .join(CaseParticipant, CaseParticipant.case_id == Case.id)
        .where(CaseParticipant.party_id == party.id).order_by(Case.id)).all()
    cases = []
    for case, role in rows:
        materials = db.session.scalars(sa.select(Material).where(
            Material.case_id == case.id).order_by(Material.id)).all()
        cases.append({
            "id": case.id, "number": case.display_number, "role": role.value,
            "status": case.status.value, "applied_at": case.applied_at,
            "matters": [m.name for m in case.matters], "place_of_use": case.place_of_use,
            "purpose": case.purpose,
            "materials": [{"title": m.title, "file_name": m.original_filename,
                           "content_type": m.content_type, "size": m.size, "sha256": m.sha256}
                          for m in materials],
        })
    history = db.session.scalars(sa.select(audit.AuditEntry).where(
        audit.AuditEntry.target_type == Party.__tablename__,
        audit.AuditEntry.target_id == party.id).order_by(audit.AuditEntry.id)).all()
    data = {
        "exported_at": utcnow(),
        "party": {"id": party.id, **audit.snapshot(party, PARTY_AUDIT_FIELDS)},
        "cases": cases,
        "changes": [{"at": e.created_at, "action": e.action, "before": e.before,
                     "after": e.after} for e in history],
    }
    audit.record(db.session, actor, "party.export", party,
                 after={"cases": len(cases)})
    db.session.commit()
    return dict(audit.to_jsonable(data))
