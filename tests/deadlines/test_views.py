"""The deadline pages as a user sees them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask

from notary.cases.models import Case, Urgency
from notary.cases.rules import Action
from notary.core.models import frozen_time
from notary.deadlines import services
from notary.deadlines.models import RecusalStatus
from tests.deadlines.conftest import at
from tests.factories import resident_id

D = date


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.get_data(as_text=True))


def test_case_page_shows_due_date_and_pauses(app: Flask, login_as: Callable[..., Any],
                                              accepted: Callable[..., Case],
                                              step: Callable[..., Case],
                                              staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 9, 30))
    step(case, Action.START_VERIFICATION, D(2026, 10, 12), reason="赴村委会核实亲属关系")
    step(case, Action.RESUME_REVIEW, D(2026, 10, 15))
    client = login_as(staff["notary"])
    with frozen_time(at(D(2026, 10, 20))):
        html = page(client, f"/cases/{case.id}")
    assert 'id="clock"' in html
    assert "2026-10-30" in html  # the due date
    assert "赴村委会核实亲属关系" in html and "2026-10-12" in html and "2026-10-15" in html
    assert f"/deadlines/cases/{case.id}/pause" in html  # the notary may pause
    assert f"/deadlines/cases/{case.id}/expedite" not in html  # only the director


def test_queue_page_and_navigation_counts(app: Flask, login_as: Callable[..., Any],
                                          accepted: Callable[..., Case],
                                          staff: dict[str, Any]) -> None:
    late = accepted(D(2026, 11, 2))
    client = login_as(staff["notary"])
    with frozen_time(at(D(2026, 11, 30))):
        html = page(client, "/deadlines/")
        home = page(client, "/")
    overdue_section = html.split('id="queue-overdue"')[1].split("</section>")[0]
    assert f'href="/cases/{late.id}#clock"' in overdue_section
    assert 'title="逾期">1</span>' in home or 'title="Overdue">1</span>' in home
    director = login_as(staff["director"])
    with frozen_time(at(D(2026, 11, 30))):
        assert f'href="/cases/{late.id}#clock"' in page(director, "/deadlines/")


def test_pause_and_resume_through_the_pages(app: Flask, login_as: Callable[..., Any],
                                            accepted: Callable[..., Case],
                                            staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    client = login_as(staff["notary"])
    response = client.post(f"/deadlines/cases/{case.id}/pause",
                           data={"kind": "force_majeure", "reason": ""})
    assert response.status_code == 200
    assert 'data-field-error="reason"' in response.get_data(as_text=True)
    response = client.post(f"/deadlines/cases/{case.id}/pause",
                           data={"kind": "force_majeure", "reason": "洪水"})
    assert response.status_code == 302
    clock = services.get_clock(case)
    assert clock is not None and clock.paused_since is not None
    pause_id = clock.pauses[0].id
    response = client.post(f"/deadlines/cases/{case.id}/pauses/{pause_id}/resume")
    assert response.status_code == 302
    assert services.get_clock(case).pauses[0].ended_on is not None  # type: ignore[union-attr]


def test_director_sets_an_expedited_target(app: Flask, login_as: Callable[..., Any],
                                           accepted: Callable[..., Case],
                                           staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 30), urgency=Urgency.EXPEDITED, urgency_reason="出国在即")
    client = login_as(staff["director"])
    html = page(client, f"/deadlines/cases/{case.id}/expedite")
    assert "出国在即" in html
    response = client.post(f"/deadlines/cases/{case.id}/expedite",
                           data={"days": "2", "note": "出国在即"})
    assert response.status_code == 302
    assert services.get_clock(case).expedite_due_date == D(2026, 12, 2)  # type: ignore[union-attr]


def test_recusal_request_and_decision_pages(app: Flask, login_as: Callable[..., Any],
                                            accepted: Callable[..., Case],
                                            staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    desk = login_as(staff["desk"])
    response = desk.post(f"/deadlines/cases/{case.id}/recusal",
                         data={"requested_by": "张三", "reason": "公证员与对方当事人是同学"})
    assert response.status_code == 302
    request = services.recusals_of(case.id)[0]
    director = login_as(staff["director"])
    html = page(director, f"/deadlines/recusals/{request.id}")
    assert "公证员与对方当事人是同学" in html
    response = director.post(f"/deadlines/recusals/{request.id}",
                             data={"decision": "grant", "new_notary_id": "",
                                   "decision_note": "同意"})
    assert response.status_code == 200  # a granted request needs the new notary
    assert 'data-field-error="new_notary_id"' in response.get_data(as_text=True)
    response = director.post(f"/deadlines/recusals/{request.id}",
                             data={"decision": "reject", "decision_note": "不属回避情形"})
    assert response.status_code == 302
    assert request.status is RecusalStatus.REJECTED


def test_calendar_admin_and_staff_relations(app: Flask, login_as: Callable[..., Any],
                                            staff: dict[str, Any]) -> None:
    admin = login_as(staff["admin"])
    with frozen_time(at(D(2026, 11, 30))):
        html = page(admin, "/admin/calendar/?year=2027")
        assert "2027" in html and "alert-warning" in html  # 2027 is not known yet
        response = admin.post("/admin/calendar/", data={"day": "2027-01-01", "is_working": "0",
                                                        "note": "元旦"})
        assert response.status_code == 302
        response = admin.post("/admin/calendar/years/2027", data={"complete": "1"})
        assert response.status_code == 302
        html = page(admin, "/admin/calendar/?year=2027")
    assert "元旦" in html and "alert-warning" not in html
    official = page(admin, "/admin/calendar/?year=2026")
    assert "国庆节" in official and "2026-10-10" in official  # a make-up Saturday
    number = resident_id()
    response = admin.post(f"/deadlines/staff/{staff['notary'].id}/relations",
                          data={"relation": "spouse", "name": "王芳",
                                "document_type": "resident_id", "document_number": number})
    assert response.status_code == 302
    html = page(admin, f"/deadlines/staff/{staff['notary'].id}/relations")
    assert "王芳" in html and number not in html  # masked


def test_archive_a_refused_file(app: Flask, login_as: Callable[..., Any],
                                accepted: Callable[..., Case], step: Callable[..., Case],
                                staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 2))
    step(case, Action.REFUSE, D(2026, 11, 3))
    client = login_as(staff["notary"])
    assert f"/cases/{case.id}/archive-file" in page(client, f"/cases/{case.id}")
    response = client.post(f"/cases/{case.id}/archive-file", data={"archive_number": ""})
    assert 'data-field-error="archive_number"' in response.get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/archive-file",
                           data={"archive_number": "2026-不-001"})
    assert response.status_code == 302
    assert case.archive_number == "2026-不-001" and case.archived_at is not None
    assert case.status.value == "refused"
    # The case page: the archive number where the deadline was; no notice warning on a
    # closed case (the applicant was never told, and no approval will come).
    html = page(client, f"/cases/{case.id}")
    assert "2026-不-001" in html
    assert "前归档" not in html and "File due by" not in html
    assert "不能审批" not in html and "Approval waits for the notice" not in html
