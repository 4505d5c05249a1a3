"""Inheritance pages through the client: the panel shows heirs, shares and articles."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from notary.cases.models import Case
from notary.core.audit import AuditEntry
from notary.extensions import db
from notary.inheritance import services
from notary.inheritance.models import FamilyMember
from tests.inheritance.test_services import must_show_case

D = date


def row_of(html: str, member_id: int) -> str:
    match = re.search(rf'<tr[^>]*data-member="{member_id}">(.*?)</tr>', html, flags=re.S)
    assert match, member_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_must_show_panel_lists_heirs_shares_and_articles(
        staff: dict[str, Any], accepted: Callable[..., Case],
        login_as: Callable[..., FlaskClient]) -> None:
    case = must_show_case(staff, accepted)
    html = login_as(staff["desk"]).get(f"/cases/{case.id}").get_data(as_text=True)
    ids = {m.name: m.id for m in services.members_of(case.id)}
    spouse, grandson = row_of(html, ids["王秀英"]), row_of(html, ids["李小明"])
    assert "1/2" in spouse and "150000.00" in spouse and "民法典第1127条" in spouse
    assert "1/4" in grandson and "75000.00" in grandson and "民法典第1128条" in grandson
    assert "民法典第1124条" in row_of(html, ids["李春梅"])
    assert "300000.00" in html  # the spouse's own half, and the estate divided


def test_decedent_form_puts_errors_next_to_fields(staff: dict[str, Any],
                                                  accepted: Callable[..., Case],
                                                  login_as: Callable[..., FlaskClient]) -> None:
    case = accepted(D(2026, 11, 2), matters=("inheritance",))
    client = login_as(staff["notary"])
    response = client.post(f"/inheritance/cases/{case.id}/decedent",
                           data={"name": "李德胜", "death_date": "2099-01-01",
                                 "death_proof": "medical"})
    assert response.status_code == 200
    assert 'data-field-error="death_date"' in response.get_data(as_text=True)
    ok = client.post(f"/inheritance/cases/{case.id}/decedent",
                     data={"name": "李德胜", "death_date": "2024-03-01", "death_proof": "police"})
    assert ok.status_code == 302
    assert services.get_file(case) is not None


def test_member_checklist_and_division_pages(staff: dict[str, Any],
                                             accepted: Callable[..., Case],
                                             login_as: Callable[..., FlaskClient]) -> None:
    case = must_show_case(staff, accepted)
    client = login_as(staff["notary"])
    base = f"/inheritance/cases/{case.id}"
    bad = client.post(f"{base}/members/new", data={"name": "李孙", "relation": "descendant",
                                                  "kind": "born"})
    assert 'data-field-error="via_id"' in bad.get_data(as_text=True)
    assert client.post(f"{base}/members/new", data={
        "name": "李母", "relation": "parent", "kind": "adopted",
        "has_other_heirs": "y"}).status_code == 302
    assert db.session.query(FamilyMember).filter_by(name="李母").one().kind.value == "adopted"
    assert client.get(f"{base}/checklist").status_code == 200
    assert client.post(f"{base}/checklist", data={"state_1": "present", "note_1": "身份证",
                                                 "state_2": "present"}).status_code == 302
    assert services.missing_items(case.id) == list(range(3, 11))
    page = client.get(f"{base}/division")
    assert page.status_code == 200
    heirs = services.determination(case).heirs  # type: ignore[union-attr]
    wrong = client.post(f"{base}/division", data={"note": "协议",
                                                 **{f"share_{h.person_id}": "1/2"
                                                    for h in heirs}})
    assert wrong.status_code == 200 and "alert-danger" in wrong.get_data(as_text=True)
    values = ["40%", "0.3", "3/10", "0"][: len(heirs)]
    values[-1] = str(1 - sum(services.rules.parse_fraction(v) for v in values[:-1]))
    ok = client.post(f"{base}/division", data={"note": "2026年11月3日全体继承人签署分配协议",
                                              **{f"share_{h.person_id}": v
                                                 for h, v in zip(heirs, values, strict=True)}})
    assert ok.status_code == 302
    file = services.get_file(case)
    assert file is not None and file.agreed_shares is not None
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "2026年11月3日全体继承人签署分配协议" in html


def test_director_override_page(staff: dict[str, Any], accepted: Callable[..., Case],
                                login_as: Callable[..., FlaskClient]) -> None:
    case = must_show_case(staff, accepted)
    client = login_as(staff["director"])
    assert "inheritance/cases" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    empty = client.post(f"/inheritance/cases/{case.id}/checklist/override", data={})
    assert 'data-field-error="reason"' in empty.get_data(as_text=True)
    ok = client.post(f"/inheritance/cases/{case.id}/checklist/override",
                     data={"reason": "材料在途，主任确认"})
    assert ok.status_code == 302
    file = services.get_file(case)
    assert file is not None and file.checklist_override_reason == "材料在途，主任确认"


def test_the_case_page_masks_the_decedents_number_for_every_role(
        staff: dict[str, Any], accepted: Callable[..., Case],
        login_as: Callable[..., FlaskClient]) -> None:
    case = accepted(D(2026, 11, 2), matters=("inheritance",))
    number = "43048119450517121X"
    client = login_as(staff["notary"])
    saved = client.post(f"/inheritance/cases/{case.id}/decedent",
                        data={"name": "李德胜", "death_date": "2024-03-01",
                              "death_proof": "police", "document": number})
    assert saved.status_code == 302
    assert services.get_file(case).decedent_document == number
    for who in ("notary", "director", "desk"):
        html = login_as(staff[who]).get(f"/cases/{case.id}").get_data(as_text=True)
        assert "李德胜" in html and number not in html and "121X" in html
    # The decedent's form holds the full number: opening it is a logged reveal.
    def reveals() -> int:
        return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "personal_data.reveal")) or 0

    assert reveals() == 0
    form = client.get(f"/inheritance/cases/{case.id}/decedent").get_data(as_text=True)
    assert number in form and reveals() == 1
