"""The must-shows of the statistics: exact figures through the command line for a hand-built
ledger (the 30 June 23:30 / 1 July 00:30 boundary included), comparisons, the roll-up, and a
submitted report that later changes do not alter."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from notary.core.permissions import Role
from notary.statistics import queries
from notary.statistics.rules import half_year, make_period, month, quarter
from tests.factories import create_staff
from tests.statistics.helpers import import_hand_built


@pytest.fixture
def ledger(app: Any) -> Any:
    create_staff(Role.NOTARY, full_name="谢文慧")
    create_staff(Role.FRONT_DESK, full_name="刘晓燕")
    return import_hand_built(create_staff(Role.DIRECTOR))


def cli_report(app: Any, *args: str) -> dict[str, Any]:
    result = app.test_cli_runner().invoke(args=["stats", "report", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_first_half_figures_through_the_cli(app, ledger):
    report = cli_report(app, "--year", "2025", "--half", "1")
    assert report["period"] | {} == {"kind": "half", "start": "2025-01-01",
                                     "end": "2025-06-30", "title": "2025年上半年"}
    # 1, 2, 3 (30 June 23:30), 5, 6 (withdrawn), 7 (1 January 00:10), 11; not 4 (1 July 00:30).
    assert report["concluded"] == {"total": 7, "issued": 4, "refused": 1, "terminated": 2}
    assert report["by_category"] == {"国内民事": 3, "国内经济": 1, "涉外民事": 1, "涉外经济": 0,
                                     "涉港": 0, "涉澳": 1, "涉台": 1}
    assert (report["domestic_total"], report["foreign_total"],
            report["hk_macao_taiwan_total"]) == (6, 1, 2)
    assert report["by_matter"] == {"继承": 2, "遗嘱": 1, "委托": 1, "亲属关系": 1, "学历": 1,
                                   "合同": 1}
    assert report["by_notary"] == {"—": 4, "谢文慧": 2, "老王": 1}
    assert report["legal_aid_cases"] == 1
    assert report["fee_reduction_total"] == "750.00"  # 500 + 50 + 200
    assert report["fee_income"] == "850.00"  # 400 + 300 + 100 + 50 (open case, accepted date)
    assert report["phone_consultation_persons"] == 2  # 30 June 23:30
    assert report["visit_persons"] == 6  # two identical lines: two visits
    assert report["letter_persons"] == 1
    assert report["monthly_concluded"] == {"2025-01": 1, "2025-02": 1, "2025-03": 1,
                                           "2025-04": 1, "2025-05": 1, "2025-06": 2}
    compared = report["comparison"]["figures"]
    assert compared["concluded.total"] == {"current": 7, "previous": 1, "year_before": 1}
    assert compared["foreign_total"] == {"current": 1, "previous": 1, "year_before": 0}


def test_second_half_takes_the_1_july_0030_case(app, ledger):
    report = cli_report(app, "--year", "2025", "--half", "2")
    assert report["concluded"]["total"] == 1
    assert report["by_category"]["涉港"] == 1
    assert report["domestic_total"] == 1 and report["hk_macao_taiwan_total"] == 1
    assert report["phone_consultation_persons"] == 1
    assert report["fee_income"] == "300.00"


@pytest.mark.parametrize(("args", "total"), [
    (("--year", "2025", "--month", "6"), 2), (("--year", "2025", "--month", "7"), 1),
    (("--year", "2025", "--quarter", "2"), 4), (("--year", "2025"), 8),
    (("--from", "2025-06-30", "--to", "2025-06-30"), 1),
    (("--from", "2025-07-01", "--to", "2025-07-01"), 1),
    (("--from", "2024-12-31", "--to", "2025-01-01"), 2),
])
def test_other_periods(app, ledger, args, total):
    assert cli_report(app, *args)["concluded"]["total"] == total


def test_the_roll_up_is_configurable(app, ledger):
    app.config["STATS_HMT_AS_DOMESTIC"] = False
    report = cli_report(app, "--year", "2025", "--half", "1")
    assert (report["domestic_total"], report["foreign_total"],
            report["hk_macao_taiwan_total"], report["hmt_roll_up"]) == (4, 1, 2, "separate")


def test_bad_period_arguments_are_refused_with_a_message(app):
    result = app.test_cli_runner().invoke(args=["stats", "report", "--half", "1"])
    assert result.exit_code == 2 and "year" in result.output
    result = app.test_cli_runner().invoke(args=["stats", "report", "--year", "2025",
                                                "--half", "1", "--month", "2"])
    assert result.exit_code == 2


def test_periods_step_back_and_a_year_before():
    assert half_year(2025, 1).previous() == half_year(2024, 2)
    assert half_year(2025, 2).year_before() == half_year(2024, 2)
    assert month(2025, 1).previous() == month(2024, 12)
    assert quarter(2024, 1).previous() == quarter(2023, 4)
    leap = make_period(start=date(2024, 2, 29), end=date(2024, 2, 29))
    assert leap.year_before().start == date(2023, 2, 28)
    assert leap.previous().end == date(2024, 2, 28)
    with pytest.raises(ValueError):
        make_period(start=date(2025, 2, 1), end=date(2025, 1, 1))


def test_the_figures_are_grouped_queries_not_row_loops(app, ledger):
    from sqlalchemy import event

    from notary.extensions import db

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    queries.figures(half_year(2025, 1))
    event.remove(db.engine, "before_cursor_execute", count)
    # A fixed number of statements whatever the number of cases (about one per figure).
    assert len(statements) < 20


def test_a_submitted_report_is_frozen_and_the_page_shows_differences(app, ledger, login_as):
    from notary.ledger.services import import_ledger, read_ledger
    from notary.statistics.services import submit_report
    from tests.statistics.helpers import case, csv_bytes

    director = create_staff(Role.DIRECTOR)
    period = half_year(2025, 1)
    report = submit_report(period, "按期报送", actor=director)
    assert report.figures["concluded"]["total"] == 7
    late = csv_bytes(("受理号", "受理日期", "公证事项", "类别", "申请人", "证件类型", "证件号码",
                      "结案方式", "办结日期"),
                     [case(50, "2025-05-01", "继承", "国内民事", "出证", "2025-05-02")])
    assert import_ledger(read_ledger([("late.csv", late)]), actor=director).written
    assert queries.latest_submission(period).figures["concluded"]["total"] == 7
    page = login_as(director).get("/statistics/?kind=half&year=2025&half=1").get_data(
        as_text=True)
    assert 'id="differences"' in page
    assert "concluded.total" in page and "by_category.国内民事" in page
    diffs = dict((k, (a, b)) for k, a, b in queries.differences(
        report.figures, queries.report(period)))
    assert diffs["concluded.total"] == (7, 8)


def test_submitting_through_the_page(app, ledger, login_as):
    client = login_as(Role.DIRECTOR)
    response = client.post("/statistics/submit?kind=half&year=2025&half=1",
                           data={"note": "半年报"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="submitted"' in page and 'id="differences"' not in page
    assert login_as(Role.NOTARY).post("/statistics/submit").status_code == 403
