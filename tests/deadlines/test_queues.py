"""Work queues with a frozen today: exactly the right cases in each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask

from notary.cases import services as case_services
from notary.cases.models import Case, Urgency
from notary.cases.rules import Action
from notary.core.permissions import Role
from notary.deadlines import queries, services
from tests.factories import create_staff
from tests.query_counting import counted_queries

D = date


def ids(name: str, today: date, user_id: int | None = None) -> list[int]:
    return [c.id for c, _clock in queries.queue_rows(name, today, user_id)]


def test_overdue_and_due_soon(app: Flask, accepted: Callable[..., Case],
                              step: Callable[..., Case]) -> None:
    today = D(2026, 11, 30)  # Monday
    overdue = accepted(D(2026, 11, 2))  # due Mon 23 Nov
    due_today = accepted(D(2026, 11, 9))  # due Mon 30 Nov
    due_in_3 = accepted(D(2026, 11, 12))  # due Thu 3 Dec = today + 3 working days
    due_in_4 = accepted(D(2026, 11, 13))  # due Fri 4 Dec: not yet "soon"
    paused_late = accepted(D(2026, 11, 2))
    step(paused_late, Action.START_VERIFICATION, D(2026, 11, 3))  # paused: in neither
    issued_late = accepted(D(2026, 11, 2))
    for action in (Action.SUBMIT_FOR_APPROVAL, Action.APPROVE):
        step(issued_late, action, D(2026, 11, 24))
    step(issued_late, Action.ISSUE, D(2026, 11, 25))  # stopped: in neither
    assert services.get_clock(due_in_3).due_date == D(2026, 12, 3)
    assert services.get_clock(due_in_4).due_date == D(2026, 12, 4)
    assert ids("overdue", today) == [overdue.id]
    assert ids("due_soon", today) == [due_today.id, due_in_3.id]
    assert services.get_clock(issued_late).issued_on_time is False
    # The office-wide counts (read from the clocks alone) agree with the queues' rows.
    assert queries.queue_counts(today, names=("overdue", "due_soon")) == {
        "overdue": 1, "due_soon": 2}


def test_queues_of_one_notary(app: Flask, accepted: Callable[..., Case],
                              staff: dict[str, Any]) -> None:
    mine = accepted(D(2026, 11, 2))
    other_notary = create_staff(Role.NOTARY)
    theirs = accepted(D(2026, 11, 2))
    case_services.assign_staff(theirs, notary_id=other_notary.id, assistant_id=None,
                               actor=staff["director"])
    today = D(2026, 11, 30)
    assert ids("overdue", today) == [mine.id, theirs.id]
    assert ids("overdue", today, staff["notary"].id) == [mine.id]
    assert ids("overdue", today, other_notary.id) == [theirs.id]
    assert queries.queue_counts(today, staff["notary"].id)["overdue"] == 1


def test_expedited_target_puts_a_case_in_the_overdue_queue_earlier(
        app: Flask, accepted: Callable[..., Case], staff: dict[str, Any]) -> None:
    case = accepted(D(2026, 11, 26), urgency=Urgency.SPECIAL, urgency_reason="急需")
    assert ids("expedited", D(2026, 11, 27)) == [case.id]
    services.approve_expedite(case, 0, "特事特办", actor=staff["director"])
    assert ids("overdue", D(2026, 11, 27)) == [case.id]  # due the day of acceptance


def test_long_paused_and_stalled(app: Flask, accepted: Callable[..., Case],
                                 step: Callable[..., Case]) -> None:
    long_ago = accepted(D(2026, 4, 1))
    step(long_ago, Action.REQUEST_SUPPLEMENT, D(2026, 5, 29))  # 6 months before Nov 29
    recent = accepted(D(2026, 11, 2))
    step(recent, Action.REQUEST_SUPPLEMENT, D(2026, 11, 20))
    verifying = accepted(D(2026, 9, 1))
    step(verifying, Action.START_VERIFICATION, D(2026, 9, 2))
    today = D(2026, 11, 29)
    assert ids("long_paused", today) == [long_ago.id, verifying.id]
    assert ids("stalled", today) == [long_ago.id]  # only the party's materials stall
    assert ids("stalled", D(2026, 11, 28)) == []
    counts = queries.queue_counts(today)
    assert counts["long_paused"] == 2 and counts["stalled"] == 1


def test_archive_deadline_queue(app: Flask, accepted: Callable[..., Case],
                                step: Callable[..., Case], staff: dict[str, Any]) -> None:
    refused = accepted(D(2026, 8, 20))
    step(refused, Action.REFUSE, D(2026, 8, 25))  # file due by 25 Nov
    recent = accepted(D(2026, 10, 20))
    step(recent, Action.REFUSE, D(2026, 10, 21))  # due 21 Jan: not yet listed
    near = accepted(D(2026, 9, 10))
    step(near, Action.TERMINATE, D(2026, 9, 12), ground="1")  # due 12 Dec: within 14 days
    assert ids("archive", D(2026, 11, 30)) == [refused.id, near.id]
    case_services.archive_closed_file(refused, "2026-不-001", actor=staff["notary"])
    assert ids("archive", D(2026, 11, 30)) == [near.id]
    assert queries.archive_deadline(D(2026, 8, 25)) == D(2026, 11, 25)
    assert queries.archive_deadline(D(2026, 11, 30)) == D(2027, 2, 28)


def test_every_queue_counted_in_one_statement(app: Flask, accepted: Callable[..., Case],
                                             step: Callable[..., Case],
                                             staff: dict[str, Any]) -> None:
    """The six counts come in one statement, for the whole office, a notary and an
    assistant, each equal to its queue's rows; the archive queue's count (read from the
    indexes of concluded cases not archived) follows the archiving."""
    today = D(2026, 11, 30)
    accepted(D(2026, 11, 2))  # overdue
    accepted(D(2026, 11, 12), urgency=Urgency.EXPEDITED, urgency_reason="出国在即")  # due soon
    refused = accepted(D(2026, 8, 20))
    step(refused, Action.REFUSE, D(2026, 8, 25))  # to archive
    withdrawn = accepted(D(2026, 8, 3))
    assistant = staff["assistant"]
    case_services.assign_staff(withdrawn, notary_id=staff["notary"].id,
                               assistant_id=assistant.id, actor=staff["director"])
    step(withdrawn, Action.WITHDRAW, D(2026, 8, 4))  # to archive
    other = create_staff(Role.NOTARY)
    names = tuple(q.name for q in queries.QUEUES)
    for user_id in (None, staff["notary"].id, assistant.id, other.id):
        with counted_queries() as statements:
            counts = queries.queue_counts(today, user_id, cap=2000)
        assert len(statements) == 1, user_id
        assert counts == {name: len(queries.queue_rows(name, today, user_id))
                          for name in names}, user_id
    assert queries.queue_counts(today)["archive"] == 2
    assert queries.queue_counts(today, assistant.id)["archive"] == 1
    assert queries.queue_counts(today, other.id)["archive"] == 0
    case_services.archive_closed_file(withdrawn, "2026-不-002", actor=staff["notary"])
    assert queries.queue_counts(today)["archive"] == 1
    assert queries.queue_counts(today, assistant.id)["archive"] == 0


def test_the_menu_counts_agree_with_the_queues(app: Flask, accepted: Callable[..., Case],
                                               staff: dict[str, Any]) -> None:
    """The navigation's badges (one statement) count what the two queues count."""
    today = D(2026, 11, 30)
    for applied in (D(2026, 11, 2), D(2026, 11, 9), D(2026, 11, 12), D(2026, 11, 13)):
        accepted(applied)
    assistant = staff["assistant"]
    theirs = accepted(D(2026, 11, 3))
    case_services.assign_staff(theirs, notary_id=staff["notary"].id,
                               assistant_id=assistant.id, actor=staff["director"])
    names = ("overdue", "due_soon")
    for user_id in (None, staff["notary"].id, assistant.id, create_staff(Role.NOTARY).id):
        assert queries.menu_counts(today, user_id) == queries.queue_counts(
            today, user_id, names=names), user_id
    assert queries.menu_counts(today) == {"overdue": 2, "due_soon": 2}
    assert queries.menu_counts(today, assistant.id) == {"overdue": 1, "due_soon": 0}


def test_the_menu_badges_follow_each_change(app: Flask, accepted: Callable[..., Case],
                                            step: Callable[..., Case], staff: dict[str, Any],
                                            login_as: Callable[..., Any]) -> None:
    """The badges are kept for the data version a page begins at: the next page after a
    change shows the change, and the next day counts afresh."""
    import re

    from notary.core.models import frozen_time
    from tests.deadlines.conftest import at

    def overdue_badge(day: date) -> str | None:
        with frozen_time(at(day, 11)):
            page = client.get("/cases/").get_data(as_text=True)
        found = re.search(r'class="badge bg-danger" title="[^"]*">(\d+)<', page)
        return found.group(1) if found else None

    late = accepted(D(2026, 11, 2))  # due Mon 23 Nov
    client = login_as(staff["director"])
    assert overdue_badge(D(2026, 11, 20)) is None
    assert overdue_badge(D(2026, 11, 20)) is None  # kept while nothing changes
    assert overdue_badge(D(2026, 11, 24)) == "1"  # another day
    accepted(D(2026, 11, 3))  # due Tue 24 Nov
    assert overdue_badge(D(2026, 11, 25)) == "2"
    step(late, Action.START_VERIFICATION, D(2026, 11, 25))  # its clock paused
    assert overdue_badge(D(2026, 11, 25)) == "1"
