"""Export of the case list (CSV and XLSX): filters, every row once, permission and audit."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from notary.cases import exports
from notary.cases.rules import CaseStatus
from notary.cases.views import XLSX_TYPE
from notary.core.audit import AuditEntry
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case


@pytest.fixture
def office(app: Flask) -> dict[str, object]:
    desk, notary = create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY)
    director = create_staff(Role.DIRECTOR)
    start = datetime(2026, 3, 2, 2, tzinfo=UTC)
    cases = []
    for i, name in enumerate(["王一", "李二", "赵三", "钱四", "孙五"]):
        # Two cases share one application time: the keyset paging must keep both.
        with frozen_time(start + timedelta(days=min(i, 3))):
            cases.append(register_case(desk, applicants=(person(name),)))
    with frozen_time(start + timedelta(days=5)):
        advance(cases[0], CaseStatus.ACCEPTED, notary=notary, director=director)
    return {"cases": cases, "notary": notary}


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_lists_every_case_newest_first_across_pages(
        office: dict[str, object], login_as: Callable[..., FlaskClient],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "PAGE", 2)
    response = login_as(Role.NOTARY).get("/cases/export.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv_rows(response.data)
    assert rows[0] == list(exports.HEADERS)
    assert [r[6] for r in rows[1:]] == ["孙五", "钱四", "赵三", "李二", "王一"]
    accepted = rows[-1]
    assert accepted[0].startswith("（2026）") and accepted[2] == "2026-03-07"
    assert accepted[5] and accepted[7] == office["notary"].full_name  # type: ignore[attr-defined]


def test_export_applies_the_list_filters_and_is_audited(
        office: dict[str, object], login_as: Callable[..., FlaskClient]) -> None:
    client = login_as(Role.DIRECTOR)
    rows = _csv_rows(client.get("/cases/export.csv?q=李二").data)
    assert [r[6] for r in rows[1:]] == ["李二"]
    rows = _csv_rows(client.get("/cases/export.csv?status=accepted").data)
    assert [r[6] for r in rows[1:]] == ["王一"]
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "case.export")
                                 .order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.after) for e in entries] == [
        (client.user.id, {"format": "csv", "q": "李二"}),  # type: ignore[attr-defined]
        (client.user.id, {"format": "csv", "status": "accepted"}),  # type: ignore[attr-defined]
    ]


def test_xlsx_has_the_same_rows(office: dict[str, object],
                                login_as: Callable[..., FlaskClient]) -> None:
    response = login_as(Role.ASSISTANT).get("/cases/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    data = response.data
    response.close()  # what every WSGI server does once the body is sent
    left = [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("notary-export-")]
    assert left == []  # the temporary workbook is gone with the response
    sheet = load_workbook(io.BytesIO(data), read_only=True)["案件"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == list(exports.HEADERS)
    assert [r[6] for r in rows[1:]] == ["孙五", "钱四", "赵三", "李二", "王一"]


def test_front_desk_may_not_export(office: dict[str, object],
                                   login_as: Callable[..., FlaskClient]) -> None:
    client = login_as(Role.FRONT_DESK)
    assert client.get("/cases/export.csv").status_code == 403
    assert b"export.csv" not in client.get("/cases/").data
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))
                             .where(AuditEntry.action == "case.export")) == 0


FORMULA = '=HYPERLINK("http://x","y")'


def test_a_party_named_like_a_formula_is_text_in_both_exports(
        app: Flask, login_as: Callable[..., FlaskClient]) -> None:
    desk = create_staff(Role.FRONT_DESK)
    register_case(desk, applicants=(person(FORMULA),))
    client = login_as(Role.NOTARY)
    rows = _csv_rows(client.get("/cases/export.csv").data)
    assert rows[1][6] == "'" + FORMULA
    response = client.get("/cases/export.xlsx")
    data = response.data
    response.close()
    sheet = load_workbook(io.BytesIO(data))["案件"]
    cell = sheet.cell(row=2, column=7)
    assert cell.data_type == "s" and cell.value == "'" + FORMULA
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
