"""The Leiyang half-year: the office report's figures, through the command line and the page."""

from __future__ import annotations

import json
import re
import time

from notary.core.permissions import Role


def test_the_leiyang_half_year_through_the_cli_and_the_page(app, login_as):
    runner = app.test_cli_runner()
    started = time.monotonic()
    loaded = runner.invoke(args=["demo", "load", "--scenario", "leiyang-half-year"])
    assert loaded.exit_code == 0, loaded.output
    assert time.monotonic() - started < 60  # bulk, not 831 workflow runs
    again = runner.invoke(args=["demo", "load", "--scenario", "leiyang-half-year"])
    assert "0 cases and 0 consultations added" in again.output  # idempotent

    result = runner.invoke(args=["stats", "report", "--year", "2025", "--half", "1",
                                 "--format", "json"])
    report = json.loads(result.output)
    assert report["concluded"]["total"] == 831
    assert report["domestic_total"] == 719
    assert report["foreign_total"] == 112
    assert report["legal_aid_cases"] == 9
    assert report["fee_reduction_total"] == "8700.00"
    assert report["phone_consultation_persons"] == 750
    assert report["visit_persons"] == 2000
    assert sum(report["by_category"].values()) == 831
    assert sum(report["monthly_concluded"].values()) == 831

    html = login_as(Role.DIRECTOR).get("/statistics/?kind=half&year=2025&half=1").get_data(
        as_text=True)
    shown = dict(re.findall(r'data-key="([^"]+)">([^<]*)</td>', html))
    assert shown["concluded:办结合计"] == "831"
    assert shown["scope:国内（含涉港澳台）"] == "719"
    assert shown["scope:涉外"] == "112"
    assert shown["fees:法律援助案件（件）"] == "9"
    assert shown["fees:减免公证费（元）"] == "8700.00"
    assert shown["desk:电话咨询"] == "750"
    assert shown["desk:来访接待"] == "2000"
