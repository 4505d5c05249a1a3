"""Run in a separate OS process: issue the given approved cases, one unit of work each."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def issue_cases(url: str, tmp: str, case_ids: list[int], notary_id: int, barrier: Any) -> None:
    """Wait for the other processes, then issue the cases as fast as possible."""
    from notary import create_app
    from notary.auth.models import User
    from notary.cases.models import Case
    from notary.cases.rules import Action
    from notary.cases.workflow import StepData, perform
    from notary.extensions import db
    from tests.conftest import _config

    app = create_app(_config(url, Path(tmp)))
    with app.app_context():
        notary = db.session.get(User, notary_id)
        cases = [db.session.get(Case, i) for i in case_ids]
        db.session.commit()  # end the read transaction before the race starts
        barrier.wait(timeout=60)
        for case in cases:
            assert case is not None
            perform(case, Action.ISSUE, StepData(), actor=notary)
        db.session.remove()
        db.engine.dispose()
