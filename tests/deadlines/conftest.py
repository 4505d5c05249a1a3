"""Fixtures for the deadline tests: staff, and a case walked to a stage at a chosen moment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from notary.cases.models import Case
from notary.cases.rules import Action
from notary.cases.workflow import StepData, perform
from notary.core.models import frozen_time
from notary.core.permissions import Role
from tests.factories import create_staff, register_case, tell_applicants

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10) -> datetime:
    """A moment in office hours on a local (Asia/Shanghai) day, as aware UTC."""
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def staff(app: Flask) -> dict[str, Any]:
    return {"desk": create_staff(Role.FRONT_DESK), "notary": create_staff(Role.NOTARY),
            "director": create_staff(Role.DIRECTOR), "admin": create_staff(Role.ADMIN),
            "assistant": create_staff(Role.ASSISTANT)}


@pytest.fixture
def step(staff: dict[str, Any]) -> Callable[..., Case]:
    """Take one procedure step on a local day: step(case, Action.X, day, **StepData fields)."""

    def _step(case: Case, action: Action, day: date, actor: Any = None, **data: Any) -> Case:
        if action is Action.ACCEPT:
            data.setdefault("conditions_confirmed", True)
            data.setdefault("notary_id", staff["notary"].id)
        if action in {Action.REQUEST_SUPPLEMENT, Action.START_VERIFICATION, Action.REFUSE,
                      Action.TERMINATE, Action.WITHDRAW}:
            data.setdefault("reason", "理由")
        if action is Action.REFUSE:
            data.setdefault("ground", "4")
        if actor is None:
            actor = staff["director"] if action in {Action.APPROVE, Action.REFUSE,
                                                    Action.TERMINATE} else staff["notary"]
        with frozen_time(at(day)):
            if action is Action.APPROVE:
                tell_applicants(case, staff["notary"])
            return perform(case, action, StepData(**data), actor=actor)

    return _step


@pytest.fixture
def accepted(staff: dict[str, Any], step: Callable[..., Case]) -> Callable[..., Case]:
    """A new case accepted on a local day and under review from the same day."""

    def _accepted(day: date, **kwargs: Any) -> Case:
        with frozen_time(at(day, 9)):
            case = register_case(staff["desk"], **kwargs)
        step(case, Action.ACCEPT, day)
        step(case, Action.START_REVIEW, day)
        return case

    return _accepted
