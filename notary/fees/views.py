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
from notary.cases.catalogue import register_matter_follow_up
from notary.cases.models import Case
from notary.cases.panels import CasePanel, register_case_panel
from notary.cases.rules import CaseStatus
from notary.core import audit_labels
from notary.core.errors import NotFound
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.paging import paginate_capped
from notary.core.params import arg, arg_page, parse_bool, parse_enum, parse_id, parse_text, reads
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, has_permission, permission_required
from notary.core.uploads import send_stored
from notary.extensions import db
from notary.fees import basis, bills, bp, pdf, queries, rules, services, tariff, tariff_bp
from notary.fees.forms import (
    TIER_ROWS,
    AdjustForm,
    BillForm,
    ChargeForm,
    DecisionForm,
    ItemForm,
    MinimumsForm,
    NoChargeForm,
    PaymentForm,
    ReductionForm,
    RefundForm,
    ScheduleForm,
    TotalsForm,
)
from notary.fees.models import (
    DecisionStatus,
    FeeBasis,
    NoChargeGround,
    PaymentMethod,
    ReductionGround,
    RefundFault,
    RefundOccasion,
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
    "fee.bill_record": _l("Official bill entered"),
    "fee.no_charge": _l("Recorded why nothing is charged"),
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
    "suggested_value": _l("Value the case gives (yuan)"),
    "bill_kind": _l("Kind of bill"),
    "bill_number": _l("Bill number"),
    "bill_date": _l("Date on the bill"),
    "bill_system": _l("Issued by (system)"),
    "pricing": _l("Pricing"),
    "category": _l("Class in the provincial table"),
    "article": _l("Article of the document"),
    "source": _l("Source"),
    "confirmed_at": _l("Confirmed"),
    "document_number": _l("Document number (文号)"),
    "issuer": _l("Issued by"),
    "issued_on": _l("Issued on"),
}, enums={"relief_kind": ReliefKind, "ground": ReductionGround, "decision": DecisionStatus},
    # "method" is also how a party was told (告知); here it is how money moved.
    action_enums={("fee.payment", "method"): PaymentMethod,
                  ("fee.refund", "occasion"): RefundOccasion,
                  ("fee.refund", "fault"): RefundFault,
                  ("fee.no_charge", "ground"): NoChargeGround})


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
    uncharged = services.charge_problem(case) if schedule is not None else None
    return {
        "balance": balance, "deferred": fees.deferred, "schedule": schedule,
        "charges": queries.charges_of(case.id) if fees.charges else [],
        "payments": queries.payments_of(case.id) if fees.payments else [],
        "refunds": queries.refunds_of(case.id) if fees.refunds else [],
        "reductions": queries.reductions_of(case.id) if fees.reductions else [],
        "suggestions": (queries.suggested_items(schedule.id, {m.code for m in case.matters},
                                                case.id)
                        if schedule is not None and can_record and open_case else []),
        "problem": uncharged or (None if settled else _(
            "The fee is not settled: %(due)s yuan is still due. Record the payment, or have "
            "a reduction, waiver or deferral approved.", due=rules.format_yuan(balance.due))),
        "no_charge": queries.no_charge_record(case.id) if fees.charges == 0 else None,
        "can_record_free": (uncharged is not None and open_case
                            and has_permission(actor, Permission.FEE_ADJUST)),
        "can_charge": can_record and schedule is not None and open_case
                      and case.status is not CaseStatus.ARCHIVED,
        "can_pay": can_record and balance.due > 0 and open_case,
        "can_bill": can_record,
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
@reads("item")
@permission_required(Permission.FEE_RECORD)
def add_charge(case_id: int) -> str | Response:
    case = _case(case_id)
    schedule = services.schedule_for(case)
    form = ChargeForm()
    form.item_id.choices = [(None, "—"), *queries.item_choices(schedule)]
    items = {i.id: i for i in schedule.items}
    chosen = items.get(arg("item", parse_id, 0))
    suggestion = basis.suggested_value(case, chosen.matter_code if chosen else None)
    if request.method == "GET":
        form.item_id.data = chosen.id if chosen else None
        if suggestion is not None:
            form.value.process_data(suggestion.amount)
    if form.validate_on_submit() and run_service(
            form, lambda: services.add_charge(case, form.to_data(), actor=current_user)):
        flash(_("Charged."), "success")
        return _back(case)
    return render_template("fees/charge_form.html", case=case, form=form, schedule=schedule,
                           items=items, tiered=FeeBasis.TIERED, agreed=FeeBasis.AGREED,
                           suggestion=suggestion)


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
        form.bill_system.data = current_app.config["FEE_BILL_SYSTEM"]
    if form.validate_on_submit() and (payment := run_service(
            form, lambda: services.record_payment(case, form.to_data(), actor=current_user))):
        flash(_("Payment recorded: receipt %(number)s.", number=payment.receipt_number),
              "success")
        return _back(case)
    return render_template("fees/payment_form.html", case=case, form=form, balance=balance)


@bp.route("/cases/<int:case_id>/payments/<int:payment_id>/bill", methods=["GET", "POST"])
@reads("next")
@permission_required(Permission.FEE_RECORD)
def record_bill(case_id: int, payment_id: int) -> str | Response:
    case = _case(case_id)
    payment = services.get_payment(case, payment_id)
    form = BillForm()
    if request.method == "GET":
        form.bill_kind.data = payment.bill_kind.value if payment.bill_kind else None
        form.bill_number.data = payment.bill_number
        form.bill_date.data = payment.bill_date
        form.bill_system.data = payment.bill_system or current_app.config["FEE_BILL_SYSTEM"]
    if form.validate_on_submit() and run_service(form, lambda: bills.record_bill(
            case, payment, form.to_data(), actor=current_user)):
        flash(_("Official bill entered for receipt %(number)s.",
                number=payment.receipt_number), "success")
        if request.args.get("next") == "register":
            return redirect(url_for("fees.payments", missing=1))
        return _back(case)
    return render_template("fees/bill_form.html", case=case, payment=payment, form=form)


@bp.route("/payments")
@reads("missing", "page")
@permission_required(Permission.FEE_VIEW)
def payments() -> str:
    missing = arg("missing", parse_bool, False)
    page = paginate_capped(queries.payments_statement(missing_bill=missing), page=arg_page(),
                           per_page=current_app.config["PAGE_SIZE"])
    cases = queries.cases_by_id({p.case_id for p in page.items})
    return render_template("fees/payments.html", page=page, cases=cases, missing=missing,
                           missing_count=queries.payments_without_bill())


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


@bp.route("/cases/<int:case_id>/no-charge", methods=["GET", "POST"])
@permission_required(Permission.FEE_ADJUST)
def no_charge(case_id: int) -> str | Response:
    case = _case(case_id)
    form = NoChargeForm()
    if form.validate_on_submit() and run_service(
            form, lambda: services.record_no_charge(case, form.to_data(), actor=current_user)):
        flash(_("Recorded in the file."), "success")
        return _back(case)
    return render_template("fees/no_charge_form.html", case=case, form=form)


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
@reads("ground")
@permission_required(Permission.REDUCTION_REQUEST)
def request_reduction(case_id: int) -> str | Response:
    case = _case(case_id)
    form = ReductionForm()
    minimums = services.minimums_for(case)
    if request.method == "GET":
        ground = arg("ground", lambda name, raw: parse_enum(name, raw, ReductionGround),
                     ReductionGround.MINIMUM_LIVING)
        try:
            kind, percent = services.propose(case, ground)
        except ValueError:
            kind, percent = ReliefKind.REDUCE, Decimal(0)
        form.ground.data, form.kind.data = ground.value, kind.value
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
    # What each decision is about in money: the matter charges and what the request takes off.
    fees = {r.case_id: queries.matter_charges_total(r.case_id) for r in requests}
    off = {r.id: rules.reduction_amount(fees[r.case_id], r.percent)
           for r in requests if r.percent is not None}
    return render_template("fees/pending.html", requests=requests, cases=cases, fees=fees,
                           off=off, pending_status=DecisionStatus.PENDING)


# --- totals --------------------------------------------------------------------------------------


def half_year_of(day: date) -> tuple[date, date]:
    """The half-year (Jan-Jun or Jul-Dec) a day falls in: the statistics' period."""
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


@bp.route("/totals")
@reads(TotalsForm)
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
    return render_template("fees/totals.html", form=form, totals=queries.fee_totals(start, end),
                           missing_bills=queries.payments_without_bill())


# --- the tariff (administrator) -------------------------------------------------------------------


@tariff_bp.route("/")
@permission_required(Permission.TARIFF_MANAGE)
def index() -> str:
    schedules = queries.all_schedules()
    in_force = queries.schedule_in_force(office_today())
    used = {s.id: queries.schedule_is_used(s.id) for s in schedules}
    return render_template("fees/tariff_index.html", schedules=schedules, in_force=in_force,
                           used=used, unconfirmed=queries.unconfirmed_items(),
                           unpriced=tariff.unpriced_matters(in_force) if in_force else [],
                           button_form=EmptyForm())


@tariff_bp.route("/new", methods=["GET", "POST"])
@tariff_bp.route("/<int:schedule_id>/edit", methods=["GET", "POST"])
@reads("copy")
@permission_required(Permission.TARIFF_MANAGE)
def schedule_form(schedule_id: int | None = None) -> str | Response:
    schedule = tariff.get_schedule(schedule_id) if schedule_id else None
    copy_from = arg("copy", parse_id, None) if schedule is None else None
    source = tariff.get_schedule(copy_from) if copy_from else None
    form = ScheduleForm(obj=schedule)
    if request.method == "GET" and schedule is not None:
        form.confirmed.data = schedule.confirmed_at is not None
    if form.validate_on_submit():
        def save() -> Any:
            if source is not None:
                return tariff.copy_schedule(source, form.to_data(), actor=current_user)
            return tariff.save_schedule(schedule, form.to_data(), actor=current_user)

        if saved := run_service(form, save):
            flash(_("Saved."), "success")
            return redirect(url_for("tariffs.schedule", schedule_id=saved.id))
    return render_template("fees/schedule_form.html", form=form, schedule=schedule,
                           source=source,
                           used=schedule is not None and queries.schedule_is_used(schedule.id))


@tariff_bp.route("/<int:schedule_id>")
@permission_required(Permission.TARIFF_MANAGE)
def schedule(schedule_id: int) -> str:
    found = tariff.get_schedule(schedule_id)
    return render_template("fees/schedule.html", schedule=found,
                           used=queries.schedule_is_used(found.id),
                           used_items=queries.used_items(found.id),
                           unpriced=tariff.unpriced_matters(found),
                           grounds={r.ground: r for r in found.reduction_rules})


@tariff_bp.route("/<int:schedule_id>/items/new", methods=["GET", "POST"])
@tariff_bp.route("/<int:schedule_id>/items/<int:item_id>", methods=["GET", "POST"])
@reads("matter")
@permission_required(Permission.TARIFF_MANAGE)
def item_form(schedule_id: int, item_id: int | None = None) -> str | Response:
    found = tariff.get_schedule(schedule_id)
    item = tariff.get_item(found, item_id) if item_id else None
    form = ItemForm(obj=item if request.method == "GET" else None)
    matters = _matter_codes()
    form.setup(matters)
    asked = arg("matter", parse_text, "")
    for_matter = dict(matters).get(asked) if item is None else None
    if request.method == "GET" and item is not None:
        form.kind.data, form.basis.data = item.kind.value, item.basis.value
        form.pricing.data = item.pricing.value
        form.category.data = item.category.value if item.category else None
        form.confirmed.data = item.is_confirmed
        for money in ("unit_amount", "minimum", "cap"):
            getattr(form, money).process_data(getattr(item, money))
        for row, tier in zip(form.tiers, item.tiers, strict=False):
            row.form.upper.process_data(tier.upper_bound)
            row.form.rate.process_data(tier.rate_percent)
            row.form.flat.process_data(tier.flat_amount)
    elif request.method == "GET" and for_matter is not None:
        # A new matter asks for its fee line (cases.catalogue's follow-up): start it here.
        form.code.data = form.matter_code.data = asked
        form.name.data = for_matter
        form.source.data = found.document_number
    if form.validate_on_submit() and run_service(form, lambda: tariff.save_item(
            found, item, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("tariffs.schedule", schedule_id=found.id))
    return render_template("fees/item_form.html", form=form, schedule=found, item=item,
                           tier_rows=TIER_ROWS, for_matter=for_matter,
                           frozen=item is not None and queries.item_is_used(item.id))


def _matter_codes() -> list[tuple[str, str]]:
    from notary.cases.catalogue import all_matters

    return [(m.code, m.name) for m in all_matters()]


def fee_line_follow_up(matter: Any) -> str | None:
    """After the administrator saves an active matter with no fee line in the schedule in
    force: the page that adds it (or marks it market-priced)."""
    in_force = queries.schedule_in_force(office_today())
    if not matter.is_active or in_force is None or queries.has_matter_line(in_force.id,
                                                                           matter.code):
        return None
    return url_for("tariffs.item_form", schedule_id=in_force.id, matter=matter.code)


register_matter_follow_up(fee_line_follow_up)


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
