"""The statutory procedure as a pure state machine: every (status, action) pair, table-driven."""

from __future__ import annotations

import itertools

import pytest

from notary.cases.rules import (
    CLOCK_PAUSED_STATUSES,
    CLOSING_OF_ACTION,
    FINAL_STATUSES,
    TRANSITIONS,
    Action,
    CaseStatus,
    ClosingType,
    RefusalGround,
    TerminationGround,
    TransitionNotAllowed,
    agent_not_allowed,
    available_actions,
    next_status,
)

S = CaseStatus
A = Action
OPEN_AFTER_ACCEPTANCE = (S.ACCEPTED, S.UNDER_REVIEW, S.SUPPLEMENTING, S.VERIFYING,
                         S.AWAITING_APPROVAL, S.APPROVED)

# The documented procedure (rules.py docstring, domain.md §1.2-1.3), written out by hand so a
# change to TRANSITIONS that is not also a change to the law shows up here.
DOCUMENTED: dict[tuple[CaseStatus, Action], CaseStatus] = {
    (S.APPLIED, A.ACCEPT): S.ACCEPTED,
    (S.ACCEPTED, A.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.REQUEST_SUPPLEMENT): S.SUPPLEMENTING,
    (S.UNDER_REVIEW, A.START_VERIFICATION): S.VERIFYING,
    (S.SUPPLEMENTING, A.RESUME_REVIEW): S.UNDER_REVIEW,
    (S.VERIFYING, A.RESUME_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.SUBMIT_FOR_APPROVAL): S.AWAITING_APPROVAL,
    (S.AWAITING_APPROVAL, A.RETURN_FOR_REVIEW): S.UNDER_REVIEW,
    (S.AWAITING_APPROVAL, A.APPROVE): S.APPROVED,
    (S.APPROVED, A.ISSUE): S.ISSUED,
    (S.ISSUED, A.DELIVER): S.DELIVERED,
    (S.DELIVERED, A.ARCHIVE): S.ARCHIVED,
    # 不予受理 ends an application before acceptance (公证程序规则 art. 19); 不予办理 (公证法
    # art. 31) is decided after it.
    (S.APPLIED, A.REJECT): S.NOT_ACCEPTED,
    **{(s, A.REFUSE): S.REFUSED for s in OPEN_AFTER_ACCEPTANCE},
    # 终止 needs an accepted case.
    **{(s, A.TERMINATE): S.TERMINATED for s in OPEN_AFTER_ACCEPTANCE},
    # 撤回 is possible until the certificate is issued.
    **{(s, A.WITHDRAW): S.WITHDRAWN for s in (S.APPLIED, *OPEN_AFTER_ACCEPTANCE)},
}

ALL_PAIRS = list(itertools.product(CaseStatus, Action))


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS,
                         ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_next_status_of_every_pair(status: CaseStatus, action: Action) -> None:
    expected = DOCUMENTED.get((status, action))
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as excinfo:
            next_status(status, action)
        assert excinfo.value.status is status
        assert excinfo.value.action is action
    else:
        assert next_status(status, action) is expected


def test_the_documented_table_is_the_whole_machine() -> None:
    allowed = {(s, a) for s, a in ALL_PAIRS if a in available_actions(s)}
    assert allowed == set(DOCUMENTED)


@pytest.mark.parametrize("status", sorted(FINAL_STATUSES))
def test_final_statuses_allow_nothing(status: CaseStatus) -> None:
    assert available_actions(status) == []
    for action in Action:
        with pytest.raises(TransitionNotAllowed):
            next_status(status, action)


def test_final_statuses_are_exactly_the_closings_and_archive() -> None:
    assert {S.REFUSED, S.TERMINATED, S.WITHDRAWN, S.ARCHIVED, S.NOT_ACCEPTED} == FINAL_STATUSES


@pytest.mark.parametrize(("status", "expected"), [
    (S.APPLIED, [A.ACCEPT, A.REJECT, A.WITHDRAW]),
    (S.ACCEPTED, [A.START_REVIEW, A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.UNDER_REVIEW, [A.REQUEST_SUPPLEMENT, A.START_VERIFICATION, A.SUBMIT_FOR_APPROVAL,
                      A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.SUPPLEMENTING, [A.RESUME_REVIEW, A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.VERIFYING, [A.RESUME_REVIEW, A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.AWAITING_APPROVAL, [A.RETURN_FOR_REVIEW, A.APPROVE, A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.APPROVED, [A.ISSUE, A.REFUSE, A.TERMINATE, A.WITHDRAW]),
    (S.ISSUED, [A.DELIVER]),
    (S.DELIVERED, [A.ARCHIVE]),
    (S.ARCHIVED, []),
    (S.REFUSED, []),
    (S.TERMINATED, []),
    (S.WITHDRAWN, []),
])
def test_available_actions_in_procedure_order(status: CaseStatus,
                                              expected: list[Action]) -> None:
    assert available_actions(status) == expected


@pytest.mark.parametrize(("flags", "has_agent", "refused"), [
    ((), False, False),
    ((), True, False),
    ((False,), True, False),
    ((False, False), True, False),
    ((True,), False, False),
    ((True,), True, True),
    ((False, True), True, True),
    ((True, True), True, True),
    ((True, False), False, False),
])
def test_agent_not_allowed(flags: tuple[bool, ...], has_agent: bool, refused: bool) -> None:
    assert agent_not_allowed(flags, has_agent) is refused


def test_agent_not_allowed_accepts_a_generator() -> None:
    assert agent_not_allowed((flag for flag in (False, True)), True) is True


@pytest.mark.parametrize(("action", "required"), [
    (A.ACCEPT, False),
    (A.START_REVIEW, False),
    (A.REQUEST_SUPPLEMENT, True),
    (A.START_VERIFICATION, True),
    (A.RESUME_REVIEW, False),
    (A.SUBMIT_FOR_APPROVAL, False),
    (A.RETURN_FOR_REVIEW, True),
    (A.APPROVE, False),
    (A.ISSUE, False),
    (A.DELIVER, False),
    (A.ARCHIVE, False),
    (A.REFUSE, True),
    (A.TERMINATE, True),
    (A.WITHDRAW, True),
    (A.REJECT, True),
])
def test_reason_required(action: Action, required: bool) -> None:
    assert TRANSITIONS[action].reason_required is required


@pytest.mark.parametrize(("action", "closing"), [
    (A.ISSUE, ClosingType.ISSUED),
    (A.REFUSE, ClosingType.REFUSED),
    (A.TERMINATE, ClosingType.TERMINATED),
    (A.WITHDRAW, ClosingType.WITHDRAWN),
    (A.REJECT, ClosingType.NOT_ACCEPTED),
])
def test_closing_type_of_closing_actions(action: Action, closing: ClosingType) -> None:
    assert CLOSING_OF_ACTION[action] is closing


def test_only_the_five_closing_actions_close_a_case() -> None:
    assert set(CLOSING_OF_ACTION) == {A.ISSUE, A.REFUSE, A.TERMINATE, A.WITHDRAW, A.REJECT}


def test_clock_pauses_only_for_supplement_and_verification() -> None:
    # 公证法 art. 30: only these (and force majeure) are not counted in the 15 working days.
    assert {S.SUPPLEMENTING, S.VERIFYING} == CLOCK_PAUSED_STATUSES


def test_statutory_grounds() -> None:
    assert [g.value for g in RefusalGround] == [str(n) for n in range(1, 10)]  # art. 31
    assert [g.value for g in TerminationGround] == [str(n) for n in range(1, 6)]


def test_transition_not_allowed_message_names_both() -> None:
    exc = TransitionNotAllowed(S.ISSUED, A.WITHDRAW)
    assert str(exc) == "withdraw is not possible from issued"
