"""`make run` loads the demo office with `flask demo load`: the same command, with its default
size and seed, runs to the end on a fresh database, leaves a sound register, and a second run
adds nothing."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.audit import verify_chain
from notary.extensions import db


def test_make_runs_demo_office_loads_and_reloads(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "demo office loaded: 200 cases" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) >= 200
    statuses = set(db.session.scalars(sa.select(Case.status).distinct()))
    # Every ending of the procedure is in the demo, not accepting at intake among them.
    assert {CaseStatus.ARCHIVED, CaseStatus.REFUSED, CaseStatus.TERMINATED,
            CaseStatus.WITHDRAWN, CaseStatus.NOT_ACCEPTED} <= statuses
    db.session.commit()
    with db.engine.connect() as conn:
        checked, broken = verify_chain(conn)
    assert broken is None and checked > 1000
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    assert "demo office already loaded" in again.output
