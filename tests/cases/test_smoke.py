from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.permissions import Role
from tests.factories import create_staff, register_case


def test_flow(app):
    desk = create_staff(Role.FRONT_DESK)
    notary = create_staff(Role.NOTARY)
    director = create_staff(Role.DIRECTOR)
    case = register_case(desk)
    perform(case, Action.ACCEPT, StepData(), actor=notary)
    assert case.status is CaseStatus.ACCEPTED
    assert case.acceptance_number.endswith("00001号")
    perform(case, Action.START_REVIEW, StepData(), actor=notary)
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    perform(case, Action.APPROVE, StepData(), actor=director)
    assert case.status is CaseStatus.APPROVED
