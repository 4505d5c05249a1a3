"""Object-level rules through the pages: a notary works only on the cases assigned to them.

(Through the pages too, elsewhere: the handler never approves their own case,
tests/test_permissions.py::test_a_director_handling_the_case_cannot_approve_it_through_the_page;
the requester never decides their own fee reduction,
tests/fees/test_views.py::test_the_requester_cannot_decide_through_the_page; a material is
served only from its own case,
tests/cases/test_views.py::test_a_material_of_another_case_is_not_served.)
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.audit import AuditEntry
from notary.core.errors import NotPermitted
from notary.core.permissions import Role
from notary.extensions import db
from notary.fees import services as fees
from notary.fees.models import Charge
from notary.legal_aid import services as legal_aid
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility, LegalAidRecord
from tests.cases.samples import advance
from tests.cases.test_views import form_values
from tests.factories import create_staff, register_case
from tests.test_permissions import api_token


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


def charged_case(handler):
    from tests.fees.helpers import item, seed_example_tariff

    case = accepted_case(handler)
    charge = fees.add_charge(case, fees.ChargeData(item_id=item(seed_example_tariff(),
                                                                "will").id),
                             actor=create_staff(Role.FRONT_DESK))
    return case, charge


def test_a_notary_cannot_change_or_void_a_charge_on_another_notarys_case(app, login_as):
    handler, other = create_staff(Role.NOTARY), create_staff(Role.NOTARY)
    case, charge = charged_case(handler)
    amount, before = charge.amount, changes(case.id)
    for void in (False, True):
        with pytest.raises(NotPermitted):
            fees.adjust_charge(case, charge, fees.AdjustData(Decimal("1.00"), "改", void),
                               actor=other)
    db.session.rollback()
    page = login_as(other).post(f"/fees/cases/{case.id}/charges/{charge.id}/adjust",
                                data={"amount": "1.00", "reason": "改价", "void": "y"})
    api = login_as(other).post(f"/api/v1/cases/{case.id}/charges/{charge.id}/adjustment",
                               json={"amount": "1.00", "reason": "改价"}, headers=api_token(other))
    assert (page.status_code, api.status_code) == (403, 403)
    db.session.expire_all()
    kept = db.session.get(Charge, charge.id)
    assert kept.amount == amount and not kept.is_void and changes(case.id) == before
    # The positive control: the handling notary's same call goes through.
    done = login_as(handler).post(f"/api/v1/cases/{case.id}/charges/{charge.id}/adjustment",
                                  json={"amount": "1.00", "reason": "改价"},
                                  headers=api_token(handler))
    assert done.status_code == 200 and done.get_json()["amount"] == "1.00"


def test_legal_aid_cannot_be_recorded_or_confirmed_on_another_notarys_case(app, login_as):
    from tests.cases.samples import pdf_bytes

    def upload(name):
        return fees.Upload(io.BytesIO(pdf_bytes()), name)

    handler, other = create_staff(Role.NOTARY), create_staff(Role.NOTARY)
    assistant = create_staff(Role.ASSISTANT)
    case, _charge = charged_case(handler)
    aid = legal_aid.LegalAidData(
        recipient_id=case.applicants[0].party_id, eligibility=Eligibility.SOCIAL_ASSISTANCE,
        route=AidRoute.EMERGENCY, relief=AidRelief.WAIVE, emergency_reason="当事人病危")
    for outsider in (other, assistant):
        with pytest.raises(NotPermitted):
            legal_aid.record_legal_aid(case, aid, actor=outsider)
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(LegalAidRecord.id))) == 0
    record = legal_aid.record_legal_aid(case, aid, actor=handler)
    letter = legal_aid.ConfirmData("耒法援决字〔2026〕第12号", date(2026, 4, 8),
                                   upload("决定书.pdf"))
    with pytest.raises(NotPermitted):
        legal_aid.confirm_emergency(record, letter, actor=other)
    db.session.rollback()
    page = login_as(other).post(f"/legal-aid/{record.id}/confirm", data={
        "decision_number": "耒法援决字〔2026〕第12号", "decision_date": "2026-04-08",
        "decision_scan": (io.BytesIO(pdf_bytes()), "决定书.pdf")})
    assert page.status_code == 403
    db.session.expire_all()
    assert db.session.get(LegalAidRecord, record.id).awaiting_confirmation
    assert legal_aid.confirm_emergency(record, letter, actor=handler).confirmed_at is not None
