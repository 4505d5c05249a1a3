"""The small-estate route (2016 中公协 guidance art. 2(1), an office setting): when every item
of the estate is within 50,000 yuan, the checklist items the office drops are not required."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.errors import ValidationFailed
from notary.core.permissions import Role
from notary.inheritance import services as inheritance
from notary.inheritance.models import AssetKind, ChecklistState, DeathProof, Relation
from notary.inheritance.small_estate import small_estate
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case


@pytest.mark.parametrize(("values", "eligible"), [
    ((), False), (("50000",), True), (("50000.01",), False), (("1000", "49999"), True),
    (("1000", "60000"), False),
])
def test_every_single_item_within_the_threshold(values: tuple[str, ...],
                                                eligible: bool) -> None:
    assert small_estate((Decimal(v) for v in values), Decimal("50000")) is eligible


def case_with_deposit(value: str) -> tuple[Any, Any]:
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = register_case(desk, matters=("inheritance",), applicants=(person("王秀英"),))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    inheritance.save_decedent(case, inheritance.DecedentData(
        "李德胜", date(2024, 3, 1), DeathProof.MEDICAL), actor=notary)
    inheritance.save_member(case, None, inheritance.MemberData("王秀英", Relation.SPOUSE),
                            actor=notary)
    inheritance.add_asset(case, inheritance.AssetData(
        AssetKind.DEPOSIT, "耒阳农商银行存款", Decimal(value)), actor=notary)
    states = {n: (ChecklistState.PRESENT, None) for n in range(1, 11)}
    states[5] = (ChecklistState.MISSING, None)  # no title documents: deposits only
    inheritance.update_checklist(case, states, actor=notary)
    return case, notary


def test_a_small_estate_goes_for_approval_without_the_dropped_item(app: Any) -> None:
    case, notary = case_with_deposit("30000")
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    assert case.status is CaseStatus.AWAITING_APPROVAL


def test_a_larger_estate_or_the_route_switched_off_needs_every_item(app: Any) -> None:
    case, notary = case_with_deposit("80000")
    with pytest.raises(ValidationFailed):
        perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    small, notary = case_with_deposit("30000")
    app.config["SMALL_ESTATE_ROUTE"] = False
    with pytest.raises(ValidationFailed):
        perform(small, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
