"""The fee day book (what the totals page sums): kept through every service that moves money
or changes a case's notary, equal to the rows it sums, rebuilt from them, filled by its
migration, checked by `flask fees day-totals`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from notary.auth.models import User
from notary.cases.rules import Action
from notary.cases.services import assign_staff
from notary.cases.workflow import StepData, perform
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.deadlines.services import decide_recusal, request_recusal
from notary.extensions import db
from notary.fees import daybook, queries, services
from notary.fees.models import (
    FeeDayTotal,
    FeeSchedule,
    Payment,
    PaymentMethod,
    ReductionGround,
    RefundFault,
    ReliefKind,
)
from tests.factories import create_staff
from tests.fees.test_services import _evidence, accepted_case, charge, pay

D = Decimal
HALF = (date(2026, 1, 1), date(2026, 6, 30))


def _agrees() -> None:
    assert daybook.differences(db.session.connection()) == {}


def _by_notary(totals: Any) -> dict[int | None, tuple[Decimal, Decimal, Decimal, int]]:
    return {n.notary_id: (n.received, n.refunded, n.reduced, n.reductions)
            for n in totals.notaries}


def _story(tariff: FeeSchedule, desk: User, notary: User, director: User,
           director2: User) -> dict[str, Any]:
    """Payments on both sides of a local month's end, an approved and a rejected reduction,
    a refund, then the paid case moved to another notary and paid again."""
    other = create_staff(Role.NOTARY)
    paid = accepted_case(desk, notary, director)
    charge(paid, tariff, "inheritance", desk, value=D("1200000"))
    with frozen_time(datetime(2026, 3, 31, 15, 59, 59, tzinfo=UTC)):  # 23:59:59 local
        pay(paid, "300", desk)
    with frozen_time(datetime(2026, 3, 31, 16, tzinfo=UTC)):  # 1 April 00:00 local
        pay(paid, "200", desk)
    relieved = accepted_case(desk, notary, director)
    charge(relieved, tariff, "inheritance", desk, value=D("1200000"))

    def data() -> services.ReductionData:
        return services.ReductionData(kind=ReliefKind.REDUCE,
                                      ground=ReductionGround.MINIMUM_LIVING, percent=D(50),
                                      reason="低保户", evidence=_evidence())

    rejected = services.request_reduction(relieved, data(), actor=director)
    with frozen_time(datetime(2026, 5, 9, 2, tzinfo=UTC)):
        services.decide_reduction(relieved, rejected, services.DecisionData(
            approve=False, note="材料不全"), actor=director2)
    approved = services.request_reduction(relieved, data(), actor=director)
    with frozen_time(datetime(2026, 5, 10, 2, tzinfo=UTC)):
        services.decide_reduction(relieved, approved, services.DecisionData(approve=True),
                                  actor=director2)
    refused = accepted_case(desk, notary, director)
    charge(refused, tariff, "will", desk)
    with frozen_time(datetime(2026, 2, 3, 2, tzinfo=UTC)):
        pay(refused, "800", desk)
    perform(refused, Action.REFUSE, StepData(ground="4", reason="继承人之间有争议"),
            actor=director)
    with frozen_time(datetime(2026, 6, 30, 15, 59, tzinfo=UTC)):  # the half year's last minute
        services.record_refund(refused, services.RefundData(
            RefundFault.OFFICE, None, "本处原因", PaymentMethod.CASH), actor=desk)
    _agrees()
    assign_staff(paid, notary_id=other.id, assistant_id=None, reason="工作调整", actor=director)
    _agrees()
    with frozen_time(datetime(2026, 4, 2, 2, tzinfo=UTC)):
        pay(paid, "100", desk)
    return {"paid": paid, "relieved": relieved, "refused": refused, "other": other,
            "reduced": approved.amount}


def test_the_book_follows_every_movement_and_the_case_to_its_new_notary(
        tariff: FeeSchedule, desk: User, notary: User, director: User, director2: User) -> None:
    story = _story(tariff, desk, notary, director, director2)
    _agrees()
    totals = queries.fee_totals(*HALF)
    months = {m.month: (m.received, m.refunded, m.payments) for m in totals.months}
    assert months == {"2026-02": (D("800.00"), 0, 1), "2026-03": (D("300.00"), 0, 1),
                      "2026-04": (D("300.00"), 0, 2), "2026-06": (0, D("800.00"), 0)}
    reduced = story["reduced"]
    assert reduced > 0
    assert _by_notary(totals) == {
        notary.id: (D("800.00"), D("800.00"), reduced, 1),   # the refused and relieved cases
        story["other"].id: (D("600.00"), 0, 0, 0),           # the paid case, moved with it
    }
    assert (totals.received, totals.refunded, totals.reduced) == (D("1400.00"), D("800.00"),
                                                                  reduced)
    # A period ending the day before the last payment's local day leaves it out.
    assert queries.fee_totals(date(2026, 1, 1), date(2026, 3, 31)).received == D("1100.00")


def test_a_recusal_and_a_change_in_the_same_flush_move_the_figures(
        tariff: FeeSchedule, desk: User, notary: User, director: User, director2: User) -> None:
    story = _story(tariff, desk, notary, director, director2)
    relieved, other = story["relieved"], story["other"]
    request = request_recusal(relieved, "申请人", "公证员系申请人亲属", actor=desk)
    decide_recusal(request, True, other.id, "准予回避", actor=director)
    _agrees()
    assert _by_notary(queries.fee_totals(*HALF))[other.id][2:] == (story["reduced"], 1)
    # The notary changed and a payment added in one flush (not through a service): the stored
    # figures move, the new payment is counted once, under the new notary.
    paid = story["paid"]
    paid.handling_notary_id = notary.id
    db.session.add(Payment(case_id=paid.id, amount=D("50.00"), method=PaymentMethod.CASH,
                           paid_at=datetime(2026, 4, 3, 2, tzinfo=UTC), receipt_number="R-x",
                           payer="张三"))
    db.session.commit()
    _agrees()
    assert _by_notary(queries.fee_totals(*HALF))[notary.id][0] == D("1450.00")


def test_rebuilt_and_migrated_books_equal_the_kept_one(
        tariff: FeeSchedule, desk: User, notary: User, director: User, director2: User) -> None:
    _story(tariff, desk, notary, director, director2)
    conn = db.session.connection()
    kept = daybook.book(conn)
    assert len(kept) >= 6
    assert daybook.rebuild(conn) >= 6
    assert daybook.book(conn) == kept
    db.session.commit()
    db.session.remove()
    downgrade(revision="fees16")
    upgrade()
    assert daybook.book(db.session.connection()) == kept


def test_a_key_written_twice_is_summed_and_a_wrong_cell_is_found(
        app: Flask, tariff: FeeSchedule, desk: User, notary: User, director: User) -> None:
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "will", desk)
    with frozen_time(datetime(2026, 3, 2, 2, tzinfo=UTC)):
        pay(case, "500", desk)
    # Two first movements of a day committed side by side leave the key twice: both count.
    db.session.add(FeeDayTotal(day=date(2026, 3, 2), notary_id=notary.id, received=D("300.00"),
                               refunded=0, reduced=0, payments=1, reductions=0))
    db.session.commit()
    assert queries.fee_totals(*HALF).received == D("800.00")
    runner = app.test_cli_runner()
    wrong = runner.invoke(args=["fees", "day-totals"])
    assert wrong.exit_code == 1
    assert "2026-03-02" in wrong.output and "1 day cells differ" in wrong.output
    fixed = runner.invoke(args=["fees", "day-totals", "--rebuild"])
    assert fixed.exit_code == 0, fixed.output
    assert "agrees with the rows" in fixed.output
    db.session.expire_all()
    assert queries.fee_totals(*HALF).received == D("500.00")
    assert db.session.scalar(sa.select(sa.func.count(FeeDayTotal.id))) == 1


@pytest.mark.parametrize("amount", ["0.01", "10000.07"])
def test_cents_add_up_exactly(tariff: FeeSchedule, desk: User, notary: User, director: User,
                              amount: str) -> None:
    case = accepted_case(desk, notary, director)
    charge(case, tariff, "inheritance", desk, value=D("50000000"))
    with frozen_time(datetime(2026, 3, 2, 2, tzinfo=UTC)):
        for _ in range(7):
            pay(case, amount, desk)
    _agrees()
    assert queries.fee_totals(*HALF).received == D(amount) * 7
