"""Object-level rules through the pages: a notary works only on the cases assigned to them.

(Through the pages too, elsewhere: the handler never approves their own case,
tests/test_permissions.py::test_a_director_handling_the_case_cannot_approve_it_through_the_page;
the requester never decides their own fee reduction,
tests/fees/test_views.py::test_the_requester_cannot_decide_through_the_page; a material is
served only from its own case,
tests/cases/test_views.py::test_a_material_of_another_case_is_not_served.)
"""

from __future__ import annotations

import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.cases.test_views import form_values
from tests.factories import create_staff, register_case


def accepted_case(handler):
    case = register_case(create_staff(Role.FRONT_DESK))
    return advance(case, CaseStatus.ACCEPTED, notary=handler, director=create_staff(Role.DIRECTOR))


def changes(case_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.target_type == "cases", AuditEntry.target_id == case_id)) or 0


def test_a_notary_cannot_edit_another_notarys_case_through_the_page(app, login_as):
    handler, other = create_staff(Role.NOTARY), login_as(Role.NOTARY)
    case = accepted_case(handler)
    before = changes(case.id)
    assert other.get(f"/cases/{case.id}/edit").status_code == 403
    values = form_values(login_as(handler).get(f"/cases/{case.id}/edit").get_data(as_text=True))
    values["copies"] = ["9"]
    response = other.post(f"/cases/{case.id}/edit", data=values)
    assert response.status_code == 403
    assert response.headers["X-Denied-By"] == "object-rule"
    db.session.expire_all()
    assert db.session.get(Case, case.id).copies != 9 and changes(case.id) == before
    # The positive control: the handling notary's same request goes through.
    assert login_as(handler).post(f"/cases/{case.id}/edit", data=values).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).copies == 9


def test_a_notary_cannot_take_a_step_on_another_notarys_case(app, login_as):
    handler, other = create_staff(Role.NOTARY), login_as(Role.NOTARY)
    case = accepted_case(handler)
    before = changes(case.id)
    other.post(f"/cases/{case.id}/step/start_review")
    db.session.expire_all()
    assert db.session.get(Case, case.id).status is CaseStatus.ACCEPTED
    assert changes(case.id) == before
    login_as(handler).post(f"/cases/{case.id}/step/start_review")
    db.session.expire_all()
    assert db.session.get(Case, case.id).status is CaseStatus.UNDER_REVIEW
