"""Investigation pages through the client, and the printed record (pdftotext, pdffonts)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.models import frozen_time
from notary.deadlines import services as deadlines
from notary.extensions import db
from notary.investigations import services
from notary.investigations.models import Investigation, Method
from tests.deadlines.conftest import at

D = date
QA = ("问：被继承人李德胜有几个子女？\n答：三个，长子李建国已于2019年去世。\n"
      "问：遗产有哪些？\n答：蔡子池街道住房一套。")


def form(staff_ids: list[int], **extra: Any) -> dict[str, Any]:
    return {"method": "site_visit", "purpose": "到哲桥镇石湾村核实被继承人的亲属关系",
            "staff_ids": [str(i) for i in staff_ids], "place": "耒阳市哲桥镇石湾村村委会",
            "scheduled_at": "2026-10-12T09:30", **extra}


def test_must_show_visit_refused_with_one_accepted_with_two_record_prints_clock_pauses(
        staff: dict[str, Any], accepted: Callable[..., Case], login_as: Callable[..., FlaskClient],
        tmp_path: Path) -> None:
    case = accepted(D(2026, 9, 30))
    notary, assistant = staff["notary"], staff["assistant"]
    client = login_as(notary)
    with frozen_time(at(D(2026, 10, 12))):
        refused = client.post(f"/investigations/cases/{case.id}/new", data=form([notary.id]))
        html = refused.get_data(as_text=True)
        assert refused.status_code == 200
        assert 'data-field-error="staff_ids"' in html
        assert db.session.query(Investigation).count() == 0
        ok = client.post(f"/investigations/cases/{case.id}/new",
                         data=form([notary.id, assistant.id]))
    assert ok.status_code == 302
    task = db.session.query(Investigation).one()
    db.session.expire_all()
    assert db.session.get(Case, case.id).status is CaseStatus.VERIFYING
    clock = deadlines.get_clock(case)
    assert clock is not None and clock.paused_since == D(2026, 10, 12) and clock.due_date is None
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert str(Method.SITE_VISIT.label) in page and str(CaseStatus.VERIFYING.label) in page
    # The record, through the page.
    with frozen_time(at(D(2026, 10, 12), 11)):
        response = client.post(f"/investigations/{task.id}/records/new", data={
            "place": "石湾村村委会", "started_at": "2026-10-12T09:40",
            "ended_at": "2026-10-12T10:20", "recorder_id": str(assistant.id),
            "persons-0-role": "questioned", "persons-0-name": "谢茂池",
            "persons-0-relation": "村主任", "persons-0-signed": "y",
            "persons-0-fingerprinted": "y", "persons-1-role": "witness",
            "persons-2-role": "present", "questions": QA,
            "observations": "查阅户籍底册，记载一致。"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    record = task.records[0]
    assert next((q.question, q.answer) for q in record.questions) == (
        "被继承人李德胜有几个子女？", "三个，长子李建国已于2019年去世。")
    pdf = client.get(f"/investigations/records/{record.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf.data)
    if shutil.which("pdftotext") is None:
        pytest.fail("poppler-utils is missing (apt-get install poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    squeezed = re.sub(r"\s+", "", text)
    for expected in ("核实笔录", "湖南省耒阳市公证处", "问：被继承人李德胜有几个子女？",
                     "答：三个，长子李建国已于2019年去世。", "被询问人：谢茂池", "已签名/已捺指印",
                     "查阅户籍底册，记载一致。", case.acceptance_number or "",
                     "2026年10月12日09:40至10:20"):
        assert expected in squeezed, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in row for row in rows)  # embedded (and subset)
    assert "STSong" not in fonts
    # Closing the task brings the case back into review; the clock runs again.
    with frozen_time(at(D(2026, 10, 15))):
        closed = client.post(f"/investigations/{task.id}/close",
                             data={"result": "done", "outcome": "亲属关系属实。"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).status is CaseStatus.UNDER_REVIEW
    assert deadlines.get_clock(case).due_date == D(2026, 10, 30)  # type: ignore[union-attr]


def test_record_form_rejects_unmarked_questions(staff: dict[str, Any],
                                                accepted: Callable[..., Case],
                                                login_as: Callable[..., FlaskClient]) -> None:
    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, services.TaskData(
        services.Method.PHONE, "电话核实", [staff["notary"].id]), actor=staff["notary"])
    client = login_as(staff["notary"])
    response = client.post(f"/investigations/{task.id}/records/new", data={
        "place": "公证处", "started_at": "2026-11-02T10:00", "recorder_id": staff["notary"].id,
        "questions": "你好吗？"})
    assert response.status_code == 200
    assert 'data-field-error="questions"' in response.get_data(as_text=True)


def test_pdf_refuses_characters_the_font_lacks(staff: dict[str, Any],
                                               accepted: Callable[..., Case]) -> None:
    from notary.core.errors import DomainError
    from notary.investigations.pdf import RecordHeader, build_record_pdf

    case = accepted(D(2026, 11, 2))
    task = services.create_investigation(case, services.TaskData(
        services.Method.PHONE, "电话核实", [staff["notary"].id]), actor=staff["notary"])
    record = services.add_record(task, services.RecordData(
        place="公证处", started_at=at(D(2026, 11, 2)), recorder_id=staff["notary"].id,
        observations="当事人名为\U00030041"), actor=staff["notary"])  # in none of the fonts
    with pytest.raises(DomainError) as exc:
        build_record_pdf(task, record, RecordHeader("公证处", "1", ["甲"], "电话"))
    assert "\U00030041" in exc.value.message


def test_upcoming_page_mine_and_the_directors(staff: dict[str, Any],
                                              accepted: Callable[..., Case],
                                              login_as: Callable[..., FlaskClient]) -> None:
    case = accepted(D(2026, 11, 2))
    services.create_investigation(case, services.TaskData(
        services.Method.HOME_VISIT, "上门办理签字", [staff["notary"].id],
        place="永济镇申请人家中", scheduled_at=at(D(2026, 11, 4)), witness_name="村干部"),
        actor=staff["notary"])
    with frozen_time(at(D(2026, 11, 3))):
        mine = login_as(staff["notary"]).get("/investigations/").get_data(as_text=True)
        theirs = login_as(staff["assistant"]).get("/investigations/").get_data(as_text=True)
        director = login_as(staff["director"]).get("/investigations/").get_data(as_text=True)
    assert "上门办理签字" in mine and "2026-11-04" in mine
    assert "上门办理签字" not in theirs
    assert "上门办理签字" in director
