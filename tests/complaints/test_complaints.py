"""The complaint register: registered with who and what, answered by the director before its
deadline, counted in the statistics; and the other figures of the case file: applications not
accepted kept apart (a setting), certificates counted in 件."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.complaints import services
from notary.complaints.models import ComplaintChannel, ComplaintOutcome
from notary.core.errors import NotPermitted, ValidationFailed
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.statistics import queries
from notary.statistics.rules import date_range
from tests.cases.samples import advance
from tests.factories import create_staff, register_case


def data(**overrides: Any) -> services.ComplaintData:
    values: dict[str, Any] = dict(
        received_on=office_today(), channel=ComplaintChannel.VISIT, complainant_name="段文江",
        complainant_phone="13812345678", complainant_address="耒阳市蔡子池街道",
        subject="办证等候时间过长，工作人员态度生硬", staff_involved="窗口接待",
        case_number=None, forwarded_by=None, forwarded_reference=None)
    values.update(overrides)
    return services.ComplaintData(**values)


def test_a_complaint_is_registered_and_answered(app: Any) -> None:
    desk, director = create_staff(Role.FRONT_DESK), create_staff(Role.DIRECTOR)
    case = register_case(desk)
    advance(case, CaseStatus.ACCEPTED, notary=create_staff(Role.NOTARY), director=director)
    with pytest.raises(ValidationFailed) as excinfo:
        services.register_complaint(data(complainant_name=" ", subject="",
                                         case_number="（2026）耒证受字第99999号",
                                         channel=ComplaintChannel.FORWARDED), actor=desk)
    assert set(excinfo.value.errors) == {"complainant_name", "subject", "case_number",
                                         "forwarded_by"}
    complaint = services.register_complaint(data(case_number=case.acceptance_number),
                                            actor=desk)
    assert complaint.case_id == case.id and complaint.registered_by_id == desk.id
    assert complaint.answer_due_on == office_today() + timedelta(days=60)  # the setting
    with pytest.raises(NotPermitted):  # the director answers
        services.answer_complaint(complaint, services.AnswerData(
            "已致歉", office_today(), ComplaintOutcome.UPHELD), actor=desk)
    with pytest.raises(ValidationFailed) as excinfo:
        services.answer_complaint(complaint, services.AnswerData("", None, None), actor=director)
    assert set(excinfo.value.errors) == {"answer", "answered_on", "outcome"}
    services.answer_complaint(complaint, services.AnswerData(
        "经核查属实，已批评教育并向投诉人致歉。", office_today(), ComplaintOutcome.UPHELD),
        actor=director)
    assert (complaint.outcome, complaint.answered_by_id) == (ComplaintOutcome.UPHELD,
                                                             director.id)
    figures = queries.figures(date_range(office_today(), office_today()))
    assert (figures["complaints_received"], figures["complaints_answered"]) == (1, 1)


def test_not_accepted_is_kept_apart_and_certificates_are_counted(app: Any) -> None:
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    rejected = register_case(desk)
    perform(rejected, Action.REJECT, StepData(ground="4", reason="不属本处执业区域"),
            actor=notary)
    issued = register_case(desk, matters=("declaration", "kinship"))
    advance(issued, CaseStatus.ISSUED, notary=notary, director=director)
    today = office_today()
    period = date_range(today - timedelta(days=1), today)
    figures = queries.figures(period)
    assert figures["concluded"] == {"total": 1, "issued": 1, "refused": 0, "terminated": 0}
    assert figures["not_accepted"] == 1
    assert figures["certificates_issued"] == 2  # one case, two certificates: two 件
    # An office that reports 不予受理 with the refusals says so in its settings.
    app.config["STATS_CLOSING_COUNTS"] = {**app.config["STATS_CLOSING_COUNTS"],
                                          "not_accepted": "refused"}
    figures = queries.figures(period)
    assert figures["concluded"]["refused"] == 1 and figures["not_accepted"] == 0
