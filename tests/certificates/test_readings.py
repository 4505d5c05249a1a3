"""Names with a character the Pinyin dictionary does not know (𠮷, read jí) on pages for
abroad: refused with a message saying what to do, until the administrator records the
reading on the Documents page; then every translation page writes the name in Pinyin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from notary.cases.models import Category
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.certificates import services
from notary.certificates.languages import name_pinyin, unknown_characters
from notary.core.audit import AuditEntry
from notary.core.errors import NotPermitted, ValidationFailed
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case, tell_applicants


@pytest.fixture
def admin(app):
    return create_staff(Role.ADMIN)


def _english_case(desk, notary, director):
    return advance(register_case(desk, matters=("declaration",), category=Category.FOREIGN_CIVIL,
                                 place_of_use="美国", translation_language="英语",
                                 applicants=(person("李𠮷"),)),
                   CaseStatus.UNDER_REVIEW, notary=notary, director=director)


def test_a_name_the_dictionary_cannot_read_is_refused_until_the_office_records_it(
        app, desk, notary, director, admin) -> None:
    assert unknown_characters("李𠮷王𡒄") == ["𠮷"]  # 𡒄 is in the dictionary (lán)
    case = _english_case(desk, notary, director)
    cert = services.prepare_drafts(case, actor=notary)[0]
    assert "𠮷" in cert.applicant_block_en
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    tell_applicants(case, notary)
    with pytest.raises(ValidationFailed) as refused:
        perform(case, Action.APPROVE, StepData(), actor=director)
    assert "“文书设置”页面登记其读音" in str(refused.value.errors)

    services.record_reading("𠮷", "ji", actor=admin)
    assert name_pinyin("李𠮷") == "Li Ji"
    services.prepare_drafts(case, actor=notary)  # draft again, as the message says
    perform(case, Action.APPROVE, StepData(), actor=director)
    cert = services.certificates_of(case.id)[0]
    assert "Li Ji" in cert.applicant_block_en and "𠮷" not in cert.applicant_block_en


def test_recording_a_reading_checks_what_is_typed_and_is_audited(app, admin, notary) -> None:
    for char, reading, field in (("李", "li", "char"), ("a", "a", "char"), ("𠮷𠮷", "ji", "char"),
                                 ("𠮷", "ji2", "reading"), ("𠮷", "jiiiiii", "reading"),
                                 ("𠮷", "", "reading")):
        with pytest.raises(ValidationFailed) as refused:
            services.record_reading(char, reading, actor=admin)
        assert field in refused.value.errors, (char, reading)
    with pytest.raises(NotPermitted):
        services.record_reading("𠮷", "ji", actor=notary)
    services.record_reading("𠮷", "JI", actor=admin)
    services.record_reading("𠮷", "jie", actor=admin)  # a correction: the newest wins
    assert services.office_readings() == {"𠮷": "jie"}
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "certificate.reading").order_by(AuditEntry.id)).all()
    assert [e.after["reading"] for e in entries] == ["ji", "jie"]
    assert entries[1].before == {"char": "𠮷", "reading": "ji"}


def test_the_documents_page_shows_the_unknown_character_and_records_its_reading(
        app, admin, login_as) -> None:
    client = login_as(admin)
    html = client.get("/admin/documents/?text=李𠮷").get_data(as_text=True)
    assert 'data-reading="𠮷"' in html and 'value="𠮷"' in html  # the form is prefilled
    response = client.post("/admin/documents/readings?text=李𠮷",
                           data={"char": "𠮷", "reading": "ji2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-field-error="reading"' in html
    response = client.post("/admin/documents/readings?text=李𠮷",
                           data={"char": "𠮷", "reading": "ji"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "data-readings" in html and ">ji<" in html
