"""Figures from cases handled in this system (not imported): the clock's working days to the
certificate and the on-time rate, fee income from payments, legal aid and home visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from notary.cases.models import Case
from notary.cases.rules import Action
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.fees import services as fee_services
from notary.fees.queries import case_balance
from notary.investigations import services as investigations
from notary.investigations.models import Method, PersonRole
from notary.statistics import queries
from notary.statistics.rules import make_period, month, quarter
from tests.cases.samples import settle_nothing_charged
from tests.deadlines.conftest import at
from tests.factories import create_staff
from tests.fees.helpers import item, seed_example_tariff

D = date


def test_clock_figures_fees_and_field_work(app: Any, accepted: Callable[..., Case],
                                           step: Callable[..., Case],
                                           staff: dict[str, Any]) -> None:
    on_time = accepted(D(2026, 11, 2))  # Monday
    schedule = seed_example_tariff()
    with frozen_time(at(D(2026, 11, 5))):
        fee_services.add_charge(on_time, fee_services.ChargeData(
            item_id=item(schedule, "inheritance").id, value=Decimal("100000")),
            actor=staff["desk"])
        due = case_balance(on_time.id).due  # a certificate is issued only when paid
        fee_services.record_payment(on_time, fee_services.PaymentData(
            amount=due, method=fee_services.PaymentMethod.CASH, payer="张三"),
            actor=staff["desk"])
    with frozen_time(at(D(2026, 11, 6))):
        task = investigations.create_investigation(on_time, investigations.TaskData(
            Method.HOME_VISIT, "上门办理", [staff["notary"].id, create_staff(Role.ASSISTANT).id],
            place="龙水村", scheduled_at=at(D(2026, 11, 6), 14)), actor=staff["notary"])
        investigations.add_record(task, investigations.RecordData(
            place="龙水村", started_at=at(D(2026, 11, 6), 14), recorder_id=staff["notary"].id,
            persons=[investigations.PersonData(PersonRole.QUESTIONED, "李德胜", signed=True)],
            questions=[("是否本人申请？", "是。")]), actor=staff["notary"])
        investigations.close_investigation(task, "已上门核实并签字", done=True,
                                           actor=staff["notary"])
    for action in (Action.SUBMIT_FOR_APPROVAL, Action.APPROVE):
        step(on_time, action, D(2026, 11, 10))
    step(on_time, Action.ISSUE, D(2026, 11, 12))  # 8 working days after acceptance
    late = accepted(D(2026, 11, 2))
    for action in (Action.SUBMIT_FOR_APPROVAL, Action.APPROVE):
        step(late, action, D(2026, 12, 1))
    settle_nothing_charged(late, staff["notary"])  # issued free, the file says why
    step(late, Action.ISSUE, D(2026, 12, 4))  # after the 15th working day
    refused = accepted(D(2026, 11, 3))
    step(refused, Action.REFUSE, D(2026, 11, 20))


    november = queries.figures(month(2026, 11))
    assert november["concluded"] == {"total": 2, "issued": 1, "refused": 1, "terminated": 0}
    assert november["fee_income"] == f"{due:.2f}" and due > 0
    assert november["home_visits_done"] == 1 and november["investigations_done"] == 0
    days = int(november["average_working_days"].split(".")[0])
    assert november["on_time_rate"] == "100.0" and 5 <= days <= 9

    q4 = queries.figures(quarter(2026, 4))
    assert q4["concluded"]["issued"] == 2 and q4["on_time_rate"] == "50.0"
    assert q4["by_notary"] == {staff["notary"].full_name: 3}
    assert queries.figures(make_period(start=D(2026, 12, 1), end=D(2026, 12, 31)))[
        "on_time_rate"] == "0.0"
