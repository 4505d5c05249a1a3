"""Numbers under concurrent issue from several OS processes: no duplicate, no gap."""

from __future__ import annotations

import multiprocessing
from typing import Any

import sqlalchemy as sa

from notary.cases.rules import CaseStatus
from notary.certificates.models import Certificate
from notary.extensions import db
from tests.cases.samples import advance
from tests.certificates._issuer import issue_cases
from tests.factories import register_case

PROCESSES, EACH = 5, 10


def test_fifty_certificates_issued_concurrently_get_fifty_consecutive_numbers(
        app, backend: dict[str, Any], desk, notary, director) -> None:
    cases = [advance(register_case(desk, matters=("birth",)), CaseStatus.APPROVED,
                     notary=notary, director=director) for _ in range(PROCESSES * EACH)]
    ids = [c.id for c in cases]
    db.session.remove()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [context.Process(target=issue_cases, args=(
        backend["url"], str(backend["tmp"]), ids[i::PROCESSES], notary.id, barrier))
        for i in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    rows = db.session.execute(sa.select(Certificate.seq, Certificate.number, Certificate.case_id)
                              .order_by(Certificate.seq)).all()
    assert len(rows) == PROCESSES * EACH
    assert [r.seq for r in rows] == list(range(1, PROCESSES * EACH + 1))  # no gap, no repeat
    assert len({r.number for r in rows}) == PROCESSES * EACH
    assert {r.case_id for r in rows} == set(ids)
