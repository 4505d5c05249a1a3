"""The statutory procedure as a state machine (pure: no Flask, no database).

公证法 arts. 25-31 and 公证程序规则 (2020) describe the stages 申请 → 受理 → 审查 → (核实 /
补充材料) → 审批 → 出证 → 送达 → 归档, with the closings 不予办理 (art. 31, 9 grounds),
终止 (5 grounds) and 撤回. Only the transitions listed here are possible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from notary.core.enums import LabelledEnum


class CaseStatus(LabelledEnum):
    APPLIED = "applied"  # 申请
    ACCEPTED = "accepted"  # 受理
    UNDER_REVIEW = "under_review"  # 审查
    SUPPLEMENTING = "supplementing"  # 补充材料 (pauses the art. 30 clock)
    VERIFYING = "verifying"  # 核实 (pauses the art. 30 clock)
    AWAITING_APPROVAL = "awaiting_approval"  # 审批
    APPROVED = "approved"  # 已审批, certificate not yet issued
    ISSUED = "issued"  # 出证
    DELIVERED = "delivered"  # 送达
    ARCHIVED = "archived"  # 归档
    REFUSED = "refused"  # 不予办理
    TERMINATED = "terminated"  # 终止
    WITHDRAWN = "withdrawn"  # 撤回
    NOT_ACCEPTED = "not_accepted"  # 不予受理: the application was never accepted


class Action(StrEnum):
    ACCEPT = "accept"
    START_REVIEW = "start_review"
    REQUEST_SUPPLEMENT = "request_supplement"
    START_VERIFICATION = "start_verification"
    RESUME_REVIEW = "resume_review"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    RETURN_FOR_REVIEW = "return_for_review"
    APPROVE = "approve"
    ISSUE = "issue"
    DELIVER = "deliver"
    ARCHIVE = "archive"
    REFUSE = "refuse"
    TERMINATE = "terminate"
    WITHDRAW = "withdraw"
    REJECT = "reject"  # 不予受理 at intake


class ClosingType(LabelledEnum):
    """结案方式, a field of the register (公证程序规则 2020 art. 57)."""

    ISSUED = "issued"  # 出证
    REFUSED = "refused"  # 不予办理
    TERMINATED = "terminated"  # 终止
    WITHDRAWN = "withdrawn"  # 撤回
    NOT_ACCEPTED = "not_accepted"  # 不予受理 (before acceptance, 公证程序规则 art. 19)


class NotAcceptedGround(LabelledEnum):
    """公证程序规则 (2020) art. 19: an application is accepted only when all four conditions
    hold; 不予受理 names the condition that fails (the rule's own 不予受理 clause was not
    found, legal-texts.md §2.2, so the grounds are the four conditions read negatively)."""

    NO_INTEREST = "1"  # 申请人与申请公证的事项没有利害关系
    DISPUTED = "2"  # 申请人之间对申请公证的事项有争议
    OUTSIDE_SCOPE = "3"  # 申请公证的事项不属于《公证法》第十一条规定的范围
    NO_JURISDICTION = "4"  # 不符合《公证法》第二十五条的规定或不在本机构执业区域内


class RefusalGround(LabelledEnum):
    """公证法 art. 31: the nine grounds on which a notary office does not handle a matter."""

    NO_CAPACITY = "1"  # 无民事行为能力人或者限制民事行为能力人没有监护人代理申请办理的
    NO_INTEREST = "2"  # 当事人与申请公证的事项没有利害关系的
    TECHNICAL_APPRAISAL = "3"  # 申请公证的事项属专业技术鉴定、评估事项的
    DISPUTED = "4"  # 当事人之间对申请公证的事项有争议的
    FALSE_MATERIALS = "5"  # 当事人虚构、隐瞒事实，或者提供虚假证明材料的
    INSUFFICIENT_MATERIALS = "6"  # 当事人提供的证明材料不充分或者拒绝补充证明材料的
    UNTRUE_OR_UNLAWFUL = "7"  # 申请公证的事项不真实、不合法的
    AGAINST_MORALITY = "8"  # 申请公证的事项违背社会公德的
    FEE_REFUSED = "9"  # 当事人拒绝按照规定支付公证费的


class TerminationGround(LabelledEnum):
    """公证程序规则 (2006 art. 50): the five grounds for terminating a notarization."""

    STALLED_BY_PARTY = "1"  # 因当事人的原因致使该公证事项在六个月内不能办结的
    WITHDRAWN = "2"  # 公证书出具前当事人撤回公证申请的
    # 因申请公证的自然人死亡、法人或者其他组织终止，不能继续办理或者继续办理已无意义的
    PARTY_DIED = "3"
    OBSTRUCTION = "4"  # 当事人阻挠、妨碍公证机构及承办公证员按规定的程序、期限办理公证的
    OTHER = "5"  # 其他应当终止的情形


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[CaseStatus]
    target: CaseStatus
    reason_required: bool = False


S = CaseStatus
_OPEN_AFTER_ACCEPTANCE = frozenset(
    {S.ACCEPTED, S.UNDER_REVIEW, S.SUPPLEMENTING, S.VERIFYING, S.AWAITING_APPROVAL, S.APPROVED}
)

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(Action.ACCEPT, frozenset({S.APPLIED}), S.ACCEPTED),
        Transition(Action.START_REVIEW, frozenset({S.ACCEPTED}), S.UNDER_REVIEW),
        Transition(Action.REQUEST_SUPPLEMENT, frozenset({S.UNDER_REVIEW}), S.SUPPLEMENTING, True),
        Transition(Action.START_VERIFICATION, frozenset({S.UNDER_REVIEW}), S.VERIFYING, True),
        Transition(Action.RESUME_REVIEW, frozenset({S.SUPPLEMENTING, S.VERIFYING}),
                   S.UNDER_REVIEW),
        Transition(Action.SUBMIT_FOR_APPROVAL, frozenset({S.UNDER_REVIEW}), S.AWAITING_APPROVAL),
        Transition(Action.RETURN_FOR_REVIEW, frozenset({S.AWAITING_APPROVAL}), S.UNDER_REVIEW,
                   True),
        Transition(Action.APPROVE, frozenset({S.AWAITING_APPROVAL}), S.APPROVED),
        Transition(Action.ISSUE, frozenset({S.APPROVED}), S.ISSUED),
        Transition(Action.DELIVER, frozenset({S.ISSUED}), S.DELIVERED),
        Transition(Action.ARCHIVE, frozenset({S.DELIVERED}), S.ARCHIVED),
        # 不予受理 ends an application that fails the conditions of acceptance (公证程序规则
        # art. 19); 不予办理 (公证法 art. 31) is decided only after acceptance.
        Transition(Action.REJECT, frozenset({S.APPLIED}), S.NOT_ACCEPTED, True),
        Transition(Action.REFUSE, _OPEN_AFTER_ACCEPTANCE, S.REFUSED, True),
        Transition(Action.TERMINATE, _OPEN_AFTER_ACCEPTANCE, S.TERMINATED, True),
        # 撤回 is possible until the certificate is issued (termination ground 2).
        Transition(Action.WITHDRAW, _OPEN_AFTER_ACCEPTANCE | {S.APPLIED}, S.WITHDRAWN, True),
    )
}

# Refused and terminated cases cannot move again; withdrawn and archived ones neither.
FINAL_STATUSES = frozenset({S.REFUSED, S.TERMINATED, S.WITHDRAWN, S.ARCHIVED,
                            S.NOT_ACCEPTED})
# Statuses in which the case is concluded (办结) and the register has a closing date.
CLOSING_OF_ACTION: dict[Action, ClosingType] = {
    Action.ISSUE: ClosingType.ISSUED,
    Action.REFUSE: ClosingType.REFUSED,
    Action.TERMINATE: ClosingType.TERMINATED,
    Action.WITHDRAW: ClosingType.WITHDRAWN,
    Action.REJECT: ClosingType.NOT_ACCEPTED,
}
# 公证法 art. 30: time spent supplementing materials or verifying does not count.
CLOCK_PAUSED_STATUSES = frozenset({S.SUPPLEMENTING, S.VERIFYING})
OPEN_STATUSES = frozenset(set(S) - FINAL_STATUSES - {S.ISSUED, S.DELIVERED})
# Stages in which the application's own data may still be edited.
EDITABLE_STATUSES = frozenset({S.APPLIED, S.ACCEPTED, S.UNDER_REVIEW, S.SUPPLEMENTING,
                               S.VERIFYING})


class TransitionNotAllowed(Exception):
    """The action is not possible from the case's current status."""

    def __init__(self, status: CaseStatus, action: Action) -> None:
        super().__init__(f"{action.value} is not possible from {status.value}")
        self.status = status
        self.action = action


def available_actions(status: CaseStatus) -> list[Action]:
    """List the actions the state machine allows from a status, in procedure order."""
    if status in FINAL_STATUSES:
        return []
    return [a for a, t in TRANSITIONS.items() if status in t.sources]


def next_status(status: CaseStatus, action: Action) -> CaseStatus:
    """Return the status an action leads to, or raise TransitionNotAllowed."""
    transition = TRANSITIONS[action]
    if status in FINAL_STATUSES or status not in transition.sources:
        raise TransitionNotAllowed(status, action)
    return transition.target


def agent_not_allowed(in_person_flags: Iterable[bool], has_agent: bool) -> bool:
    """公证法 art. 26, 公证程序规则 art. 11: in-person matters cannot go through an agent."""
    return has_agent and any(in_person_flags)
