"""Fees for the demo office: charges, payments, 低保 reductions and legal aid.

Called by `flask demo load` right after the demo cases are created (so it runs once, like
them). Money moves are dated inside each case's own history with frozen_time.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from notary.cases.models import Case
from notary.cases.rules import CaseStatus
from notary.core.errors import DomainError
from notary.core.models import OFFICE_TZ, frozen_time, utcnow
from notary.extensions import db
from notary.fees import basis, bills, queries, services
from notary.fees.models import BillKind, FeeBasis, PaymentMethod, ReductionGround, ReliefKind

S = CaseStatus
PAID_UP = {S.ISSUED, S.DELIVERED, S.ARCHIVED, S.APPROVED}
METHODS = (PaymentMethod.WECHAT, PaymentMethod.CASH, PaymentMethod.ALIPAY,
           PaymentMethod.BANK_CARD)
BILL_SYSTEM = "财政电子票据管理系统（演示）"


def _scan() -> bytes:
    """A one-page PDF standing in for a scanned 低保证 or decision letter (a real xref)."""
    bodies = (b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
              b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o
                                                          for o in offsets)
    out += b"trailer\n<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


SCAN = _scan()


def load_fee_demo(users: dict[str, Any], seed: int = 2026) -> int:
    """Charge the demo's accepted cases by the tariff and record their money; return cases."""
    rng = random.Random(seed)
    desk, director = users["desk"], users["director"]
    # Closed and archived cases were closed before fees existed in the demo: left uncharged.
    closed = services.CLOSED_WITHOUT_CERTIFICATE | {S.ARCHIVED}
    cases = list(db.session.scalars(sa.select(Case).where(Case.accepted_at.is_not(None),
                                                          Case.status.not_in(closed))
                                    .order_by(Case.accepted_at)))
    done = 0
    reduced = aided = 0
    for case in cases:
        accepted = case.accepted_at
        assert accepted is not None  # selected above
        if queries.has_live_charge(case.id):
            done += 1  # charged and paid before its certificate was issued
            continue
        when = (case.issued_at or accepted) + timedelta(minutes=30)
        with frozen_time(accepted + timedelta(minutes=20)):
            if not charge_matters(case, desk, rng):
                continue
        done += 1
        notary = case.handling_notary or users["notary"]
        if case.status in {S.UNDER_REVIEW, S.ACCEPTED} and reduced < 3 and rng.random() < 0.3:
            with frozen_time(accepted + timedelta(hours=1)):
                request = services.request_reduction(case, services.ReductionData(
                    kind=ReliefKind.REDUCE, ground=ReductionGround.MINIMUM_LIVING,
                    percent=Decimal(50), reason="申请人持有耒阳市民政局核发的最低生活保障证",
                    evidence=services.Upload(io.BytesIO(SCAN), "低保证.pdf")), actor=desk)
                if reduced < 2:  # one stays pending, for the director to decide
                    services.decide_reduction(case, request, services.DecisionData(
                        True, "材料齐全，同意减半收取"), actor=director)
            reduced += 1
            continue
        if case.status is S.AWAITING_APPROVAL and aided < 2:
            _legal_aid(case, notary, director, emergency=aided == 0)
            aided += 1
            continue
        due = queries.case_balance(case.id).due
        if case.status in PAID_UP:
            _pay(case, due, when, desk, rng)
        elif rng.random() < 0.4:
            _pay(case, (due / 2).quantize(Decimal("1")), when, desk, rng)
    return done


def settle_before_issue(case: Case, users: dict[str, Any], rng: random.Random) -> None:
    """Charge the case and take its payment, as the office does before it issues (the demo
    walks its cases to issue before load_fee_demo runs over the rest)."""
    desk = users["desk"]
    if not queries.has_live_charge(case.id) and not charge_matters(case, desk, rng):
        return
    _pay(case, queries.case_balance(case.id).due, utcnow(), desk, rng)


def charge_matters(case: Case, desk: Any, rng: random.Random) -> bool:
    """Charge each of the case's matters by its first line in the schedule of its acceptance
    date (a tiered fee on the value the case gives, else a plausible one)."""
    try:
        schedule = services.schedule_for(case)
    except DomainError:
        return False
    lines: dict[str, Any] = {}
    for line in schedule.items:
        if line.is_active and line.matter_code is not None:
            lines.setdefault(line.matter_code, line)
    items = [lines[m.code] for m in case.matters if m.code in lines]
    if not items:
        return False
    for line in items:
        data = services.ChargeData(item_id=line.id)
        if line.basis is FeeBasis.TIERED:
            found = basis.suggested_value(case, line.matter_code)
            value = found.amount if found else Decimal(rng.randrange(8, 300)) * 10000
            data = services.ChargeData(item_id=line.id, value=value)
        elif line.basis is FeeBasis.AGREED:
            data = services.ChargeData(item_id=line.id,
                                       amount=Decimal(rng.randrange(5, 30)) * 100,
                                       reason="按本处公示的服务价格与当事人协商确定")
        services.add_charge(case, data, actor=desk)
    if case.copies > 1:
        extra = next((i for i in schedule.items if i.code == "extra_copy"), None)
        if extra is not None:
            services.add_charge(case, services.ChargeData(item_id=extra.id,
                                                          quantity=case.copies - 1), actor=desk)
    return True


def _pay(case: Case, amount: Decimal, when: Any, desk: Any, rng: random.Random) -> None:
    if amount <= 0:
        return
    payer = case.applicants[0].party.name if case.applicants else "当事人"
    # Most bills are issued at the counter; some come later and wait in the register's queue.
    bill = None
    if rng.random() < 0.85:
        local = when.astimezone(OFFICE_TZ)
        bill = bills.BillData(kind=BillKind.E_BILL,
                              number=f"4304{local:%y%m%d}{case.id:06d}{rng.randrange(100):02d}",
                              bill_date=local.date(), system=BILL_SYSTEM)
    with frozen_time(when):
        services.record_payment(case, services.PaymentData(
            amount=amount, method=rng.choice(METHODS), payer=payer, bill=bill), actor=desk)


def _legal_aid(case: Case, notary: Any, director: Any, *, emergency: bool) -> None:
    from notary.legal_aid import services as aid
    from notary.legal_aid.models import AidRoute, Eligibility

    accepted = case.accepted_at
    assert accepted is not None
    upload = services.Upload(io.BytesIO(SCAN), "法律援助决定书.pdf")
    data = aid.LegalAidData(
        recipient_id=case.applicants[0].party_id, eligibility=Eligibility.SOCIAL_ASSISTANCE,
        route=AidRoute.EMERGENCY if emergency else AidRoute.DECISION,
        emergency_reason="当事人年老病重，急需办理" if emergency else None,
        decision_number=None if emergency else f"耒法援决字〔{case.acceptance_year}〕第{case.id}号",
        decision_date=None if emergency else accepted.date(),
        decision_scan=None if emergency else upload)
    with frozen_time(accepted + timedelta(hours=2)):
        record = aid.record_legal_aid(case, data, actor=notary)
        if record.reduction is not None and not emergency:
            services.decide_reduction(case, record.reduction, services.DecisionData(
                True, "法律援助受援人，依法免收"), actor=director)
