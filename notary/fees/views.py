"""Fee pages: the case panel, charges, payments and receipts, refunds, reductions, totals,
and the tariff admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.auth.forms import EmptyForm
from notary.cases import services as case_services
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.cases.rules import CaseStatus
from notary.core import audit_labels
from notary.core.errors import NotFound
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, has_permission, permission_required
from notary.core.uploads import send_stored
from notary.extensions import db
from notary.fees import bp, pdf, queries, rules, services, tariff, tariff_bp
from notary.fees.forms import (
    TIER_ROWS,
    AdjustForm,
    ChargeForm,
    DecisionForm,
    ItemForm,
    MinimumsForm,
    PaymentForm,
    ReductionForm,
    RefundForm,
    ScheduleForm,
    TotalsForm,
)
from notary.fees.models import (
    DecisionStatus,
    FeeBasis,
    ReductionGround,
    RefundFault,
    ReliefKind,
)

# The case history shows fee events in words (core's label tables are open for extension).
audit_labels.register_audit_labels(actions={
    "fee.charge_add": _l("Fee charged"),
    "fee.charge_adjust": _l("Fee changed"),
    "fee.charge_void": _l("Fee cancelled"),
    "fee.payment": _l("Payment received"),
    "fee.refund": _l("Refund decided"),
    "fee.reduction_request": _l("Fee reduction requested"),
    "fee.reduction_decide": _l("Fee reduction decided"),
    "tariff.schedule_save": _l("Fee schedule saved"),
    "tariff.schedule_copy": _l("Fee schedule copied"),
    "tariff.item_save": _l("Fee item saved"),
    "tariff.minimums_save": _l("Reduction minimums saved"),
}, fields={
    "fee_item": _l("Fee item"),
    "fee_schedule": _l("Fee schedule"),
    "quantity": _l("Quantity"),
    "base_value": _l("Amount charged on (yuan)"),
    "amount": _l("Amount (yuan)"),
    "computed_amount": _l("Amount by the tariff (yuan)"),
    "method": _l("Method"),
    "receipt_number": _l("Receipt no."),
    "occasion": _l("Occasion"),
    "fault": _l("Who caused it"),
    "relief_kind": _l("Request"),
    "ground": _l("Ground"),
    "percent": _l("Percentage off"),
    "decision": _l("Decision"),
})


@bp.app_template_filter("yuan")
def yuan_filter(amount: Decimal | None) -> str:
    """1234.5 -> 1,234.50 (money is shown with two decimals and thousands separators)."""
    return "—" if amount is None else f"{amount:,.2f}"


@bp.app_template_filter("percent")
def percent_filter(value: Decimal | None) -> str:
    """50.00 -> 50, 12.50 -> 12.5 (never 5E+1)."""
    return "" if value is None else rules.format_percent(value)


# --- the case panel ------------------------------------------------------------------------------


def fee_panel(case: Case, actor: Any) -> dict[str, Any] | None:
    """What the fee panel shows this actor (None without FEE_VIEW); loads only what exists."""
    if not has_permission(actor, Permission.FEE_VIEW):
        return None
    fees = queries.case_fees(case.id)
    balance = fees.balance
    accepted_on = queries.acceptance_date(case)
    schedule = queries.schedule_in_force(accepted_on) if accepted_on else None
    open_case = case.status not in services.CLOSED_WITHOUT_CERTIFICATE
    can_record = has_permission(actor, Permission.FEE_RECORD)
    occasion = services.refund_occasion(case)
    settled = rules.is_settled(balance, deferred=fees.deferred)
    return {
        "balance": balance, "deferred": fees.deferred, "schedule": schedule,
        "charges": queries.charges_of(case.id) if fees.charges else [],
        "payments": queries.payments_of(case.id) if fees.payments else [],
        "refunds": queries.refunds_of(case.id) if fees.refunds else [],
        "reductions": queries.reductions_of(case.id) if fees.reductions else [],
        "suggestions": (queries.suggested_items(schedule.id, {m.code for m in case.matters},
                                                case.id)
                        if schedule is not None and can_record and open_case else []),
        "problem": None if settled else _(
            "The fee is not settled: %(due)s yuan is still due. Record the payment, or have "
            "a reduction, waiver or deferral approved.", due=rules.format_yuan(balance.due)),
        "can_charge": can_record and schedule is not None and open_case
                      and case.status is not CaseStatus.ARCHIVED,
        "can_pay": can_record and balance.due > 0 and open_case,
        "can_adjust": has_permission(actor, Permission.FEE_ADJUST),
        "can_request": (has_permission(actor, Permission.REDUCTION_REQUEST)
                        and fees.charges > 0 and open_case),
        "can_decide": has_permission(actor, Permission.REDUCTION_APPROVE),
        "refund_prompt": (occasion is not None and occasion.value != "revoked"
                          and balance.received > 0 and not fees.refunds),
        "can_refund": can_record and occasion is not None and balance.received > 0,
        "actor_id": actor.id,
    }


register_case_panel(CasePanel(template="fees/_panel.html", context=fee_panel, column="main",
                              order=40))


# --- charges --------------------------------------------------------------------------------------


def _case(case_id: int) -> Case:
    return case_services.get_case(case_id)


def _back(case: Case) -> Response:
    return redirect(url_for("cases.detail", case_id=case.id) + "#fees")


@bp.route("/cases/<int:case_id>/charges/new", methods=["GET", "POST"])
@permission_required(Permission.FEE_RECORD)
def add_charge(case_id: int) -> str | Response:
    case = _case(case_id)
    schedule = services.schedule_for(case)
    form = ChargeForm()
    form.item_id.choices = [(None, "—"), *queries.item_choices(schedule)]
    if request.method == "GET":
        form.item_id.data = request.args.get("item", type=int)
    if form.validate_on_submit() and run_service(
            form, lambda: services.add_charge(case, form.to_data(), actor=current_user)):
        flash(_("Charged."), "success")
        return _back(case)
    items = {i.id: i for i in schedule.items}
    return render_template("fees/charge_form.html", case=case, form=form, schedule=schedule,
                           items=items, tiered=FeeBasis.TIERED)


@bp.route("/cases/<int:case_id>/charges/<int:charge_id>/adjust", methods=["GET", "POST"])
@permission_required(Permission.FEE_ADJUST)
def adjust_charge(case_id: int, charge_id: int) -> str | Response:
    case = _case(case_id)
    charge = services.get_charge(case, charge_id)
    form = AdjustForm()
    if request.method == "GET":
        form.amount.process_data(charge.amount)
    if form.validate_on_submit() and run_service(form, lambda: services.adjust_charge(
            case, charge, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return _back(case)
    return render_template("fees/adjust_form.html", case=case, charge=charge, form=form)


# --- payments and receipts ---------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/payments/new", methods=["GET", "POST"])
@permission_required(Permission.FEE_RECORD)
def add_payment(case_id: int) -> str | Response:
    case = _case(case_id)
    balance = queries.case_balance(case.id)
    form = PaymentForm()
    if request.method == "GET":
        form.amount.process_data(balance.due if balance.due > 0 else None)
        form.payer.data = case.applicants[0].party.name if case.applicants else ""
    if form.validate_on_submit() and (payment := run_service(
            form, lambda: services.record_payment(case, form.to_data(), actor=current_user))):
        flash(_("Payment recorded: receipt %(number)s.", number=payment.receipt_number),
              "success")
        return _back(case)
    return render_template("fees/payment_form.html", case=case, form=form, balance=balance)


def _receipt(case: Case, payment: Any, filename: str) -> Response:
    data = queries.receipt_data(case, current_app.config["OFFICE_NAME"], payment)
    return pdf_response(lambda: pdf.receipt_pdf(data), filename,
                        back=url_for("cases.detail", case_id=case.id, _anchor="fees"))


@bp.route("/cases/<int:case_id>/payments/<int:payment_id>/receipt.pdf")
@permission_required(Permission.FEE_VIEW)
def receipt(case_id: int, payment_id: int) -> Response:
    case = _case(case_id)
    payment = services.get_payment(case, payment_id)
    return _receipt(case, payment, f"receipt-{payment.id}.pdf")


@bp.route("/cases/<int:case_id>/statement.pdf")
@permission_required(Permission.FEE_VIEW)
def statement(case_id: int) -> Response:
    case = _case(case_id)
    return _receipt(case, None, f"fees-case-{case.id}.pdf")


# --- refunds ------------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/refunds/new", methods=["GET", "POST"])
@permission_required(Permission.FEE_RECORD)
def add_refund(case_id: int) -> str | Response:
    case = _case(case_id)
    occasion = services.refund_occasion(case)
    balance = queries.case_balance(case.id)
    form = RefundForm()
    if request.method == "GET":
        form.fault.data = RefundFault.SHARED.value
    if form.validate_on_submit() and run_service(
            form, lambda: services.record_refund(case, form.to_data(), actor=current_user)):
        flash(_("Refund decision recorded."), "success")
        return _back(case)
    return render_template("fees/refund_form.html", case=case, form=form, occasion=occasion,
                           balance=balance)


# --- reductions ----------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/reductions/new", methods=["GET", "POST"])
@permission_required(Permission.REDUCTION_REQUEST)
def request_reduction(case_id: int) -> str | Response:
    case = _case(case_id)
    form = ReductionForm()
    minimums = services.minimums_for(case)
    if request.method == "GET":
        ground = request.args.get("ground", ReductionGround.MINIMUM_LIVING.value)
        try:
            kind, percent = services.propose(case, ReductionGround(ground))
        except ValueError:
            kind, percent = ReliefKind.REDUCE, Decimal(0)
        form.ground.data, form.kind.data = ground, kind.value
        form.percent.process_data(percent.normalize() if percent else None)
    if form.validate_on_submit() and run_service(
            form, lambda: services.request_reduction(case, form.to_data(), actor=current_user)):
        flash(_("Request sent to the director."), "success")
        return _back(case)
    grounds = [(g, minimums.get(g.value)) for g in ReductionGround
               if g is not ReductionGround.LEGAL_AID]
    return render_template("fees/reduction_form.html", case=case, form=form, grounds=grounds,
                           base=queries.matter_charges_total(case.id))


@bp.route("/cases/<int:case_id>/reductions/<int:reduction_id>/decide", methods=["GET", "POST"])
@permission_required(Permission.REDUCTION_APPROVE)
def decide_reduction(case_id: int, reduction_id: int) -> str | Response:
    case = _case(case_id)
    reduction = services.get_reduction(case, reduction_id)
    form = DecisionForm()
    if form.validate_on_submit() and run_service(form, lambda: services.decide_reduction(
            case, reduction, form.to_data(), actor=current_user)):
        flash(_("Decision recorded."), "success")
        return _back(case)
    base = queries.matter_charges_total(case.id)
    preview = (rules.reduction_amount(base, reduction.percent)
               if reduction.percent is not None else None)
    return render_template("fees/decide_form.html", case=case, reduction=reduction, form=form,
                           base=base, preview=preview,
                           own=reduction.requested_by_id == current_user.id)


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>")
@permission_required(Permission.FEE_VIEW)
def attachment(case_id: int, attachment_id: int) -> Response:
    case = _case(case_id)
    found = queries.attachment_of(case.id, attachment_id)
    if found is None:
        raise NotFound(_("No such file."))
    return send_stored(found)


@bp.route("/reductions")
@permission_required(Permission.REDUCTION_APPROVE)
def pending() -> str:
    requests = queries.pending_reductions()
    cases = {c.id: c for c in db.session.query(Case).filter(
        Case.id.in_({r.case_id for r in requests}))} if requests else {}
    return render_template("fees/pending.html", requests=requests, cases=cases,
                           pending_status=DecisionStatus.PENDING)


# --- totals --------------------------------------------------------------------------------------


def half_year_of(day: date) -> tuple[date, date]:
    """The half-year (Jan-Jun or Jul-Dec) a day falls in: the statistics' period."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


@bp.route("/totals")
@permission_required(Permission.FEE_VIEW, Permission.REGISTER_VIEW)
def totals() -> str:
    form = TotalsForm(request.args)
    form.validate()
    start, end = half_year_of(office_today())
    start = form.date_from.data if not form.date_from.errors and form.date_from.data else start
    end = form.date_to.data if not form.date_to.errors and form.date_to.data else end
    if end < start:
        start, end = end, start
    form.date_from.data, form.date_to.data = start, end
    return render_template("fees/totals.html", form=form, totals=queries.fee_totals(start, end))


# --- the tariff (administrator) -------------------------------------------------------------------


@tariff_bp.route("/")
@permission_required(Permission.TARIFF_MANAGE)
def index() -> str:
    schedules = queries.all_schedules()
    in_force = queries.schedule_in_force(office_today())
    used = {s.id: queries.schedule_is_used(s.id) for s in schedules}
    return render_template("fees/tariff_index.html", schedules=schedules, in_force=in_force,
                           used=used, button_form=EmptyForm())


@tariff_bp.route("/new", methods=["GET", "POST"])
@tariff_bp.route("/<int:schedule_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.TARIFF_MANAGE)
def schedule_form(schedule_id: int | None = None) -> str | Response:
    schedule = tariff.get_schedule(schedule_id) if schedule_id else None
    copy_from = request.args.get("copy", type=int) if schedule is None else None
    source = tariff.get_schedule(copy_from) if copy_from else None
    form = ScheduleForm(obj=schedule)
    if form.validate_on_submit():
        def save() -> Any:
            if source is not None:
                return tariff.copy_schedule(source, form.to_data(), actor=current_user)
            return tariff.save_schedule(schedule, form.to_data(), actor=current_user)

        if saved := run_service(form, save):
            flash(_("Saved."), "success")
            return redirect(url_for("tariffs.schedule", schedule_id=saved.id))
    return render_template("fees/schedule_form.html", form=form, schedule=schedule,
                           source=source)


@tariff_bp.route("/<int:schedule_id>")
@permission_required(Permission.TARIFF_MANAGE)
def schedule(schedule_id: int) -> str:
    found = tariff.get_schedule(schedule_id)
    return render_template("fees/schedule.html", schedule=found,
                           used=queries.schedule_is_used(found.id),
                           grounds={r.ground: r for r in found.reduction_rules})


@tariff_bp.route("/<int:schedule_id>/items/new", methods=["GET", "POST"])
@tariff_bp.route("/<int:schedule_id>/items/<int:item_id>", methods=["GET", "POST"])
@permission_required(Permission.TARIFF_MANAGE)
def item_form(schedule_id: int, item_id: int | None = None) -> str | Response:
    found = tariff.get_schedule(schedule_id)
    item = tariff.get_item(found, item_id) if item_id else None
    form = ItemForm(obj=item if request.method == "GET" else None)
    form.setup([(code, name) for code, name in _matter_codes()])
    if request.method == "GET" and item is not None:
        form.kind.data, form.basis.data = item.kind.value, item.basis.value
        for money in ("unit_amount", "minimum", "cap"):
            getattr(form, money).process_data(getattr(item, money))
        for row, tier in zip(form.tiers, item.tiers, strict=False):
            row.form.upper.process_data(tier.upper_bound)
            row.form.rate.process_data(tier.rate_percent)
            row.form.flat.process_data(tier.flat_amount)
    if form.validate_on_submit() and run_service(form, lambda: tariff.save_item(
            found, item, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("tariffs.schedule", schedule_id=found.id))
    return render_template("fees/item_form.html", form=form, schedule=found, item=item,
                           tier_rows=TIER_ROWS, used=queries.schedule_is_used(found.id))


def _matter_codes() -> list[tuple[str, str]]:
    from notary.cases.catalogue import all_matters

    return [(m.code, m.name) for m in all_matters()]


@tariff_bp.route("/<int:schedule_id>/minimums", methods=["GET", "POST"])
@permission_required(Permission.TARIFF_MANAGE)
def minimums(schedule_id: int) -> str | Response:
    found = tariff.get_schedule(schedule_id)
    existing = {r.ground: r for r in found.reduction_rules}
    form = MinimumsForm()
    grounds = list(ReductionGround)
    if request.method == "GET":
        for ground in grounds:
            rule = existing.get(ground)
            form.rows.append_entry({"ground": ground.value, "percent": rule.min_percent
                                    if rule else None, "note": rule.note if rule else ""})
    if form.validate_on_submit():
        values = {ReductionGround(r.form.ground.data): r.form.percent.amount
                  for r in form.rows if r.form.ground.data in {g.value for g in grounds}}
        notes = {ReductionGround(r.form.ground.data): r.form.note.data
                 for r in form.rows if r.form.ground.data in {g.value for g in grounds}}
        if run_service(form, lambda: tariff.save_minimums(found, values, notes,
                                                          actor=current_user)):
            flash(_("Saved."), "success")
            return redirect(url_for("tariffs.schedule", schedule_id=found.id))
    labels = {g.value: g.label for g in grounds}
    return render_template("fees/minimums_form.html", form=form, schedule=found, labels=labels)
