"""Fee services: charges from the tariff, payments with receipts, refunds, reductions.

Each public service checks the permission, collects every problem, writes an audit entry
on the case (so the case history shows the money) and commits once. The step check at the
bottom keeps a certificate from being issued while its fee is unsettled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _

from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus
from notary.cases.services import ensure_may_act_on_case
from notary.cases.workflow import StepContext, register_step_check
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.core.sequences import next_value
from notary.core.uploads import clean_filename, store_upload
from notary.extensions import db
from notary.fees import basis, bills, queries, rules
from notary.fees.models import (
    Charge,
    DecisionStatus,
    FeeAttachment,
    FeeBasis,
    FeeItem,
    FeeSchedule,
    NoChargeGround,
    NoChargeRecord,
    Payment,
    PaymentMethod,
    PricingRegime,
    Reduction,
    ReductionGround,
    Refund,
    RefundFault,
    RefundOccasion,
    ReliefKind,
)

S = CaseStatus
# Closed without a certificate: no new charges or payments, only the refund decision.
CLOSED_WITHOUT_CERTIFICATE = frozenset({S.REFUSED, S.TERMINATED, S.WITHDRAWN})
OCCASION_OF_STATUS = {S.REFUSED: RefundOccasion.REFUSED, S.TERMINATED: RefundOccasion.TERMINATED,
                      S.WITHDRAWN: RefundOccasion.WITHDRAWN}
# A certificate that was issued can only be refunded after it is revoked (公证法 art. 39).
CERTIFICATE_STATUSES = frozenset({S.ISSUED, S.DELIVERED, S.ARCHIVED})
RECEIPT_SERIES = "fee_receipt"


@dataclass(frozen=True)
class ChargeData:
    item_id: int | None
    quantity: int = 1
    value: Decimal | None = None  # TIERED items: 受益额 / contract value
    amount: Decimal | None = None  # AGREED items: the price agreed with the party
    # Why the value differs from the case's own, or how the agreed price was reached.
    reason: str | None = None


@dataclass(frozen=True)
class AdjustData:
    amount: Decimal | None
    reason: str
    void: bool = False


@dataclass(frozen=True)
class PaymentData:
    amount: Decimal | None
    method: PaymentMethod
    payer: str
    note: str | None = None
    bill: bills.BillData | None = None  # the official bill, when it is issued at once


@dataclass(frozen=True)
class RefundData:
    fault: RefundFault
    amount: Decimal | None
    reason: str
    method: PaymentMethod | None = None


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str


@dataclass(frozen=True)
class ReductionData:
    kind: ReliefKind
    ground: ReductionGround
    percent: Decimal | None
    reason: str
    evidence: Upload | None = None


@dataclass(frozen=True)
class DecisionData:
    approve: bool
    note: str | None = None


# --- helpers (flush only) ---------------------------------------------------------------------


def get_charge(case: Case, charge_id: int) -> Charge:
    """Load one of the case's charges or raise NotFound."""
    charge = db.session.get(Charge, charge_id)
    if charge is None or charge.case_id != case.id:
        raise NotFound(_("No such charge."))
    return charge


def get_payment(case: Case, payment_id: int) -> Payment:
    """Load one of the case's payments or raise NotFound."""
    payment = db.session.get(Payment, payment_id)
    if payment is None or payment.case_id != case.id:
        raise NotFound(_("No such payment."))
    return payment


def get_reduction(case: Case, reduction_id: int) -> Reduction:
    """Load one of the case's reduction requests or raise NotFound."""
    reduction = db.session.get(Reduction, reduction_id)
    if reduction is None or reduction.case_id != case.id:
        raise NotFound(_("No such request."))
    return reduction


def schedule_for(case: Case) -> FeeSchedule:
    """The schedule in force on the case's acceptance date (Asia/Shanghai)."""
    accepted_on = queries.acceptance_date(case)
    if accepted_on is None:
        raise DomainError(_("The fee follows the schedule in force on the acceptance date: "
                            "accept the case first."))
    schedule = queries.schedule_in_force(accepted_on)
    if schedule is None:
        raise DomainError(_("No fee schedule was in force on %(day)s. Ask the administrator "
                            "to enter one.", day=accepted_on.isoformat()))
    return schedule


def store_attachment(case: Case, upload: Upload, *, actor: Any, field: str) -> FeeAttachment:
    """Check and store an uploaded file for the case (flushes; the caller commits)."""
    stored = store_upload(upload.stream, Path(current_app.config["UPLOAD_FOLDER"]),
                          max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]), field=field)
    attachment = FeeAttachment(
        case_id=case.id, original_filename=clean_filename(upload.filename),
        stored_path=stored.relative_path, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, uploaded_by_id=actor.id, uploaded_at=utcnow())
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _money_in_range(value: Decimal | None, errors: ErrorCollector, field: str, *,
                    allow_zero: bool = False) -> Decimal | None:
    if value is None:
        errors.add(field, _("Enter an amount."))
        return None
    if value != rules.to_fen(value):
        errors.add(field, _("Enter the amount in yuan with at most two decimals."))
        return None
    if value < 0 or (value == 0 and not allow_zero):
        errors.add(field, _("Enter an amount greater than zero."))
        return None
    if value >= Decimal("10000000000"):
        errors.add(field, _("The amount is too large."))
        return None
    return value


def _ensure_chargeable(case: Case) -> None:
    if case.status in CLOSED_WITHOUT_CERTIFICATE or case.status is S.ARCHIVED:
        raise DomainError(_("This case is closed (%(status)s): no charges can be added or "
                            "changed.", status=case.status.label))


# --- charges ----------------------------------------------------------------------------------


def add_charge(case: Case, data: ChargeData, *, actor: Any) -> Charge:
    """Charge a tariff item on the case, computed from the schedule of its acceptance date.

    A tiered item is charged on the value the case gives (the estate, for 继承) unless the
    notary gives another with a reason; an agreed-price item (市场调节价) takes the price
    agreed with the party, with how it was reached. Both reasons are audited.
    """
    ensure_permitted(actor, Permission.FEE_RECORD)
    ensure_may_act_on_case(actor, case)
    _ensure_chargeable(case)
    schedule = schedule_for(case)
    errors = ErrorCollector()
    item = db.session.get(FeeItem, data.item_id) if data.item_id else None
    if item is None or item.schedule_id != schedule.id or not item.is_active:
        errors.add("item_id", _("Choose an item of the fee schedule in force on the acceptance "
                                "date."))
    if not 1 <= data.quantity <= 999:
        errors.add("quantity", _("Enter a quantity from 1 to 999."))
    reason = (data.reason or "").strip() or None
    value: Decimal | None = None
    suggested: Decimal | None = None
    if item is not None and item.basis is FeeBasis.TIERED:
        value = _money_in_range(data.value, errors, "value", allow_zero=True)
        if value is not None and value >= Decimal("1000000000000"):
            errors.add("value", _("The amount is too large."))
        found = basis.suggested_value(case, item.matter_code)
        suggested = found.amount if found is not None else None
        if value is not None and found is not None and value != found.amount and not reason:
            errors.add("reason", _("The case gives %(value)s yuan (%(source)s): give the reason "
                                   "for charging on another amount.",
                                   value=rules.format_yuan(found.amount), source=found.label))
        duplicate = next((c for c in queries.charges_of(case.id)
                          if c.item_id == item.id and not c.is_void), None)
        if duplicate is not None:
            # The tiers and the cap apply to the whole amount of the case, not per line.
            errors.add("item_id", _("This item is already charged on the case: change that "
                                    "charge, or cancel it and charge the total amount once."))
    agreed: Decimal | None = None
    if item is not None and item.basis is FeeBasis.AGREED:
        agreed = _money_in_range(data.amount, errors, "amount", allow_zero=True)
        if not reason:
            errors.add("reason", _("Say how the price was agreed with the party; it is recorded "
                                   "in the file."))
    errors.raise_if_any()
    assert item is not None
    quantity = data.quantity if item.basis is FeeBasis.FIXED else 1
    if agreed is not None:
        amount = agreed
    else:
        try:
            amount = rules.item_fee(item.rule(), quantity=quantity, value=value)
        except rules.TariffError as exc:
            raise DomainError(_("The fee schedule's entry for this item is incomplete; ask "
                                "the administrator to correct it.")) from exc
    keep_reason = reason if agreed is not None or (value is not None and value != suggested
                                                   and suggested is not None) else None
    charge = Charge(case_id=case.id, schedule_id=schedule.id, item_id=item.id,
                    description=item.name, kind=item.kind, quantity=quantity, base_value=value,
                    suggested_value=suggested, basis_reason=keep_reason,
                    computed_amount=amount, amount=amount, created_by_id=actor.id)
    db.session.add(charge)
    audit.record(db.session, actor, "fee.charge_add", case, after={
        "fee_item": item.name, "quantity": quantity, "base_value": value,
        "suggested_value": suggested, "amount": amount, "fee_schedule": schedule.name},
        reason=keep_reason)
    db.session.commit()
    return charge


def adjust_charge(case: Case, charge: Charge, data: AdjustData, *, actor: Any) -> Charge:
    """Change a computed charge by hand, or cancel it; the reason is required and audited."""
    ensure_permitted(actor, Permission.FEE_ADJUST)
    ensure_may_act_on_case(actor, case)
    _ensure_chargeable(case)
    if charge.case_id != case.id:
        raise NotFound(_("No such charge."))
    if charge.is_void:
        raise DomainError(_("This charge was cancelled."))
    errors = ErrorCollector()
    reason = (data.reason or "").strip()
    if not reason:
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    amount = None if data.void else _money_in_range(data.amount, errors, "amount",
                                                    allow_zero=True)
    if not data.void and amount is not None and amount == charge.amount:
        errors.add("amount", _("This is the amount already charged."))
    if not data.void and amount is not None and (ceiling := guided_ceiling(charge)) is not None \
            and amount > ceiling:
        errors.add("amount", _("A government-guided price (政府指导价) may not be exceeded: at "
                               "most %(max)s yuan.", max=rules.format_yuan(ceiling)))
    errors.raise_if_any()
    before = {"fee_item": charge.description, "amount": charge.amount}
    if data.void:
        charge.is_void, charge.void_reason = True, reason
        audit.record(db.session, actor, "fee.charge_void", case, before=before,
                     after={"fee_item": charge.description, "amount": Decimal("0.00")},
                     reason=reason)
    else:
        assert amount is not None
        charge.amount, charge.adjustment_reason = amount, reason
        audit.record(db.session, actor, "fee.charge_adjust", case, before=before,
                     after={"fee_item": charge.description, "amount": amount,
                            "computed_amount": charge.computed_amount}, reason=reason)
    db.session.commit()
    return charge


def guided_ceiling(charge: Charge) -> Decimal | None:
    """The most a government-guided line may come to: the standard is a ceiling, raised only
    by the float the office setting allows (FEE_GUIDED_MAX_INCREASE_PERCENT, 0 [U])."""
    if charge.item.pricing is not PricingRegime.GOVERNMENT_GUIDED:
        return None
    percent = Decimal(str(current_app.config["FEE_GUIDED_MAX_INCREASE_PERCENT"]))
    return rules.to_fen(charge.computed_amount * (rules.HUNDRED + percent) / rules.HUNDRED)


# --- payments ---------------------------------------------------------------------------------


def _receipt_number(now_year: int) -> str:
    seq = next_value(db.session, RECEIPT_SERIES, now_year)
    fmt = current_app.config["FEE_RECEIPT_NUMBER_FORMAT"]
    width = int(current_app.config["FEE_RECEIPT_SEQ_WIDTH"])
    return str(fmt.format(year=now_year, seq=str(seq).zfill(width)))


def record_payment(case: Case, data: PaymentData, *, actor: Any) -> Payment:
    """Record money received for the case and give it the next receipt number of the year."""
    ensure_permitted(actor, Permission.FEE_RECORD)
    ensure_may_act_on_case(actor, case)
    if case.status in CLOSED_WITHOUT_CERTIFICATE:
        raise DomainError(_("This case is closed (%(status)s): no payments can be taken.",
                            status=case.status.label))
    balance = queries.case_balance(case.id)
    if balance.due == 0:
        raise DomainError(_("Nothing is due on this case."))
    errors = ErrorCollector()
    amount = _money_in_range(data.amount, errors, "amount")
    if amount is not None and amount > balance.due:
        errors.add("amount", _("Only %(due)s yuan is due.", due=rules.format_yuan(balance.due)))
    payer = (data.payer or "").strip()
    if not payer:
        errors.add("payer", _("Enter who paid."))
    bill = data.bill if data.bill is not None and not data.bill.is_empty else None
    if bill is not None:
        bills.check_bill(bill, None, errors)
    errors.raise_if_any()
    assert amount is not None
    now = utcnow()
    year = now.astimezone(queries.OFFICE_TZ).year
    payment = Payment(case_id=case.id, amount=amount, method=data.method, paid_at=now,
                      receipt_number=_receipt_number(year), payer=payer[:200],
                      note=(data.note or "").strip()[:300] or None, received_by_id=actor.id)
    if bill is not None:
        bills.apply_bill(payment, bill, actor=actor)
    db.session.add(payment)
    audit.record(db.session, actor, "fee.payment", case, after={
        "amount": amount, "method": data.method, "receipt_number": payment.receipt_number,
        "bill_number": payment.bill_number})
    db.session.commit()
    return payment


# --- refunds ----------------------------------------------------------------------------------


def refund_occasion(case: Case) -> RefundOccasion | None:
    """Why a refund may be due now: the case's closing, or a revoked certificate."""
    if case.status in OCCASION_OF_STATUS:
        return OCCASION_OF_STATUS[case.status]
    if case.status in CERTIFICATE_STATUSES:
        return RefundOccasion.REVOKED
    return None


def record_refund(case: Case, data: RefundData, *, actor: Any) -> Refund:
    """Decide the refund after a refusal, termination, withdrawal or revocation.

    Who caused it decides how much (domain.md §1.3, §1.5): the office → all of it; the party →
    nothing (recorded as a decision of 0); both, or nobody → part of it.
    """
    ensure_permitted(actor, Permission.FEE_RECORD)
    ensure_may_act_on_case(actor, case)
    occasion = refund_occasion(case)
    if occasion is None:
        raise DomainError(_("A refund is decided only when a case is refused, terminated or "
                            "withdrawn, or its certificate revoked."))
    balance = queries.case_balance(case.id)
    low, high = rules.refund_range(rules.RefundFault(data.fault.value), balance.received)
    errors = ErrorCollector()
    reason = (data.reason or "").strip()
    if not reason:
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    if occasion is RefundOccasion.REVOKED and not reason:
        errors.add("reason", _("Name the review decision that revoked the certificate."))
    amount = data.amount
    if data.fault is RefundFault.OFFICE:
        amount = high  # all of it: nothing to choose
    elif data.fault is RefundFault.PARTY:
        amount = Decimal("0.00")
    else:
        amount = _money_in_range(amount, errors, "amount", allow_zero=True)
        if amount is not None and not low <= amount <= high:
            errors.add("amount", _("Enter an amount from %(low)s to %(high)s yuan.",
                                   low=rules.format_yuan(low), high=rules.format_yuan(high)))
    if amount and data.method is None:
        errors.add("method", _("Choose how the money is paid back."))
    errors.raise_if_any()
    assert amount is not None
    refund = Refund(case_id=case.id, occasion=occasion, fault=data.fault, amount=amount,
                    method=data.method if amount else None, reason=reason,
                    refunded_at=utcnow(), recorded_by_id=actor.id)
    db.session.add(refund)
    audit.record(db.session, actor, "fee.refund", case, after={
        "occasion": occasion, "fault": data.fault, "amount": amount}, reason=reason)
    db.session.commit()
    return refund


# --- reductions, waivers, deferrals ------------------------------------------------------------


def minimums_for(case: Case) -> dict[str, Decimal]:
    """The least reduction per ground under the case's schedule (empty before acceptance)."""
    try:
        schedule = schedule_for(case)
    except DomainError:
        return {}
    return {r.ground.value: r.min_percent for r in schedule.reduction_rules}


def propose(case: Case, ground: ReductionGround) -> tuple[ReliefKind, Decimal]:
    """What the system proposes for a ground: the least the rules give, as waive or reduce."""
    percent = rules.proposed_percent(ground.rule, minimums_for(case))
    return ReliefKind(rules.relief_kind_for(percent).value), percent


def _elderly_applicant(case: Case) -> bool:
    day = queries.acceptance_date(case) or utcnow().astimezone(queries.OFFICE_TZ).date()
    return any(p.party.birth_date is not None
               and rules.age_on(p.party.birth_date, day) >= rules.ELDERLY_AGE
               for p in case.applicants)


def _check_reduction(case: Case, data: ReductionData, errors: ErrorCollector, *,
                     legal_aid: bool) -> Decimal | None:
    """Validate a request; return the percentage it asks for (None for a deferral)."""
    open_requests = [r for r in queries.reductions_of(case.id)
                     if r.status is not DecisionStatus.REJECTED]
    same_kind = [r for r in open_requests if (r.kind is ReliefKind.DEFER)
                 == (data.kind is ReliefKind.DEFER)]
    if same_kind:
        errors.add("", _("This case already has such a request (awaiting a decision or "
                         "approved)."))
    if not (data.reason or "").strip():
        errors.add("reason", _("Explain the request; it is recorded in the file."))
    if data.ground is ReductionGround.LEGAL_AID and not legal_aid:
        errors.add("ground", _("Record the legal aid on the case: its waiver or reduction is "
                               "requested from there."))
    if (data.ground.rule in rules.EVIDENCE_REQUIRED and data.evidence is None
            and data.kind is not ReliefKind.DEFER):
        errors.add("evidence", _("Attach the card or certificate that proves the ground."))
    if data.ground is ReductionGround.ELDERLY_FIRST_WILL:
        if not any(m.code == "will" for m in case.matters):
            errors.add("ground", _("This ground is for a will."))
        elif not _elderly_applicant(case):
            errors.add("ground", _("No applicant is aged 80 or over (by the date of birth on "
                                   "file)."))
    if data.kind is ReliefKind.DEFER:
        if queries.case_balance(case.id).due == 0:
            errors.add("kind", _("Nothing is due on this case."))
        return None
    if queries.matter_charges_total(case.id) == 0 and not legal_aid:
        # Legal aid may come before the charges: its amount is fixed when it is approved.
        errors.add("", _("Add the charges first: a reduction is a share of them."))
    minimum = rules.proposed_percent(data.ground.rule, minimums_for(case))
    percent = rules.HUNDRED if data.kind is ReliefKind.WAIVE else data.percent
    if percent is None:
        errors.add("percent", _("Enter the percentage."))
    elif not Decimal(0) < percent <= rules.HUNDRED or percent != percent.quantize(
            Decimal("0.01")):
        errors.add("percent", _("Enter a percentage above 0 and at most 100, with at most "
                                "two decimals."))
    elif percent < minimum:
        errors.add("percent", _("The rules give at least %(min)s%% for this ground.",
                                min=rules.format_percent(minimum)))
    elif data.kind is ReliefKind.REDUCE and percent == rules.HUNDRED:
        errors.add("kind", _("All of the fee off is a waiver: choose waiver."))
    return percent


def _ensure_open_for_relief(case: Case) -> None:
    if case.status in CLOSED_WITHOUT_CERTIFICATE or case.status is S.ARCHIVED:
        raise DomainError(_("This case is closed (%(status)s).", status=case.status.label))


def check_legal_aid_relief(case: Case, data: ReductionData, errors: ErrorCollector) -> None:
    """Collect what is wrong with the fee relief a legal-aid record asks for."""
    _ensure_open_for_relief(case)
    _check_reduction(case, data, errors, legal_aid=True)


def build_reduction(case: Case, data: ReductionData, *, actor: Any,
                    legal_aid: bool = False) -> Reduction:
    """Validate and add a request (flushes; used by request_reduction and by legal aid)."""
    ensure_permitted(actor, Permission.REDUCTION_REQUEST)
    ensure_may_act_on_case(actor, case)
    _ensure_open_for_relief(case)
    errors = ErrorCollector()
    percent = _check_reduction(case, data, errors, legal_aid=legal_aid)
    errors.raise_if_any()
    _kind, proposed = propose(case, data.ground)
    attachment = (store_attachment(case, data.evidence, actor=actor, field="evidence")
                  if data.evidence is not None else None)
    base = queries.matter_charges_total(case.id)
    amount = rules.reduction_amount(base, percent) if percent is not None else rules.ZERO
    reduction = Reduction(case_id=case.id, kind=data.kind, ground=data.ground, percent=percent,
                          proposed_percent=proposed if data.kind is not ReliefKind.DEFER
                          else None, amount=amount, reason=data.reason.strip(),
                          attachment_id=attachment.id if attachment else None,
                          requested_by_id=actor.id, requested_at=utcnow())
    db.session.add(reduction)
    audit.record(db.session, actor, "fee.reduction_request", case, after={
        "relief_kind": data.kind, "ground": data.ground, "percent": percent, "amount": amount},
        reason=reduction.reason)
    return reduction


def request_reduction(case: Case, data: ReductionData, *, actor: Any) -> Reduction:
    """Ask the director to reduce, waive or defer the case's fee (减收 / 免收 / 缓收)."""
    reduction = build_reduction(case, data, actor=actor)
    db.session.commit()
    return reduction


def decide_reduction(case: Case, reduction: Reduction, data: DecisionData, *,
                     actor: Any) -> Reduction:
    """Approve or reject a request; whoever asked for it can never decide it."""
    ensure_permitted(actor, Permission.REDUCTION_APPROVE)
    ensure_may_act_on_case(actor, case)
    if reduction.case_id != case.id:
        raise NotFound(_("No such request."))
    if reduction.requested_by_id == actor.id:
        raise NotPermitted(_("You asked for this reduction: another director must decide it."))
    if reduction.status is not DecisionStatus.PENDING:
        raise DomainError(_("This request was already decided."))
    note = (data.note or "").strip() or None
    errors = ErrorCollector()
    if not data.approve and not note:
        errors.add("note", _("Give the reason for rejecting the request."))
    if data.approve and reduction.kind is not ReliefKind.DEFER:
        base = queries.matter_charges_total(case.id)
        if base == 0:
            errors.add("", _("The case has no charges left to reduce."))
    errors.raise_if_any()
    if data.approve and reduction.kind is not ReliefKind.DEFER:
        # The amount is fixed now, from the charges on the case at the time of approval.
        assert reduction.percent is not None
        reduction.amount = rules.reduction_amount(queries.matter_charges_total(case.id),
                                                  reduction.percent)
    reduction.status = DecisionStatus.APPROVED if data.approve else DecisionStatus.REJECTED
    reduction.decided_by_id, reduction.decided_at = actor.id, utcnow()
    reduction.decision_note = note
    audit.record(db.session, actor, "fee.reduction_decide", case, after={
        "relief_kind": reduction.kind, "ground": reduction.ground,
        "decision": reduction.status, "amount": reduction.amount}, reason=note)
    db.session.commit()
    return reduction


# --- the certificate waits for the fee ----------------------------------------------------------


@dataclass(frozen=True)
class NoChargeData:
    ground: NoChargeGround
    basis: str  # the rule and its article, the legal-aid decision, the director's waiver


def no_charge_reason(case: Case) -> str | None:
    """Why nothing is charged on the case, as its file says (None when it says nothing)."""
    record = queries.no_charge_record(case.id)
    if record is not None:
        return f"{record.ground.label}: {record.basis}"
    if queries.has_legal_aid(case.id):
        return str(NoChargeGround.LEGAL_AID.label)
    return None


def charge_problem(case: Case) -> str | None:
    """Why the case cannot be issued with nothing charged, or None.

    The approval checklist asks that the fee follow the standard (公证程序规则, approval
    article, item (五), legal-texts.md §2.3; 公证法 art. 46): a case accepted while a schedule
    was in force is charged from it, unless the file says why it is free. A case accepted
    before any schedule took effect has nothing to be charged from.
    """
    if queries.has_live_charge(case.id):
        return None
    accepted_on = queries.acceptance_date(case)
    if accepted_on is None or queries.schedule_in_force(accepted_on) is None:
        return None
    if no_charge_reason(case) is not None:
        return None
    return _("Nothing is charged on this case. Charge its matters from the fee schedule, or "
             "record why it is free (free by rule, legal aid, whole fee waived).")


def fee_problem(case: Case) -> str | None:
    """Why the case's certificate cannot be issued yet as far as the fee goes, or None."""
    if (problem := charge_problem(case)) is not None:
        return problem
    balance = queries.case_balance(case.id)
    if rules.is_settled(balance, deferred=queries.has_approved_deferral(case.id)):
        return None
    return _("The fee is not settled: %(due)s yuan is still due. Record the payment, or have "
             "a reduction, waiver or deferral approved.", due=rules.format_yuan(balance.due))


def record_no_charge(case: Case, data: NoChargeData, *, actor: Any) -> NoChargeRecord:
    """Record in the file why the case is issued with nothing charged.

    Free by rule: the notary cites the rule (FEE_ADJUST). Legal aid: only with the legal-aid
    record on the case (法律援助法 art. 53 ¶2). A waiver of the whole fee is the director's
    (REDUCTION_APPROVE), as every other waiver.
    """
    ensure_permitted(actor, Permission.REDUCTION_APPROVE if data.ground is NoChargeGround.WAIVED
                     else Permission.FEE_ADJUST)
    ensure_may_act_on_case(actor, case)
    _ensure_open_for_relief(case)
    errors = ErrorCollector()
    text = (data.basis or "").strip()
    if queries.no_charge_record(case.id) is not None:
        errors.add("", _("The file already says why this case is free."))
    if queries.has_live_charge(case.id):
        errors.add("", _("The case has charges: cancel them first, or reduce or waive them."))
    if not text:
        errors.add("basis", _("Cite the rule or the decision; it is recorded in the file."))
    if data.ground is NoChargeGround.LEGAL_AID and not queries.has_legal_aid(case.id):
        errors.add("ground", _("Record the legal aid on the case first."))
    errors.raise_if_any()
    record = NoChargeRecord(case_id=case.id, ground=data.ground, basis=text[:2000],
                            recorded_by_id=actor.id, recorded_at=utcnow())
    db.session.add(record)
    audit.record(db.session, actor, "fee.no_charge", case, after={"ground": data.ground},
                 reason=text)
    db.session.commit()
    return record


@register_step_check
def fee_settled_before_issue(context: StepContext, errors: ErrorCollector) -> None:
    """No certificate with nothing charged and no reason on file, nor while the fee is unpaid
    unless relief was approved (domain.md §1.2)."""
    if context.action is Action.ISSUE:
        problem = fee_problem(context.case)
        if problem is not None:
            errors.add("", problem)
