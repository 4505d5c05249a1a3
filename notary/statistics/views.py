"""Statistics pages: the period's figures with charts, the exports, and submitting a report."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.core import audit_labels
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.params import reads
from notary.core.pdf import pdf_response
from notary.core.permissions import Permission, has_permission, permission_required
from notary.statistics import bp, charts, exports, pdf, queries, services
from notary.statistics.forms import PeriodForm, SubmitForm
from notary.statistics.labels import shown, shown_items
from notary.statistics.rules import Period

audit_labels.register_audit_labels(actions={"stats.submit": _l("Statistical report submitted")},
                                   fields={"period": _l("Period")})


def _period() -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.args)
    form.setup()
    form.validate()
    return form, form.period(office_today())


def _args(period: Period) -> str:
    return urlencode({"kind": "range", "start": period.start.isoformat(),
                      "end": period.end.isoformat()})


def _file_name(period: Period, ext: str) -> str:
    return f"statistics-{period.start.isoformat()}-{period.end.isoformat()}.{ext}"


@bp.route("/")
@reads(PeriodForm)
@permission_required(Permission.STATS_VIEW)
def index() -> str:
    form, period = _period()
    figs = queries.report(period)
    submitted = queries.latest_submission(period)
    items = pdf.chart_items(figs)
    chart_svgs = {
        "category": charts.bars_svg(shown_items(items["category"]), title=shown("按类别办结")),
        "matter": charts.bars_svg(items["matter"], title=shown("按公证事项办结（前12项）")),
        "trend": charts.columns_svg(shown_items(items["trend"]), title=shown("月度办结趋势")),
    }
    return render_template(
        "statistics/index.html", form=form, period=period, figs=figs,
        sections=exports.sections(figs), charts=chart_svgs, submitted=submitted,
        daily=exports.daily_rows(figs), daily_headers=[shown(h) for h in exports.DAILY_HEADERS],
        shown=shown,
        differences=queries.differences(submitted.figures, figs) if submitted else [],
        submit_form=SubmitForm() if has_permission(current_user, Permission.STATS_SUBMIT)
        else None, query=request.query_string.decode())


@bp.route("/report.csv")
@reads(PeriodForm)
@permission_required(Permission.STATS_VIEW)
def export_csv() -> Response:
    _form, period = _period()
    body = "\ufeff" + exports.csv_text(queries.report(period))  # BOM: Excel reads UTF-8
    return send_file(BytesIO(body.encode("utf-8")), mimetype="text/csv", as_attachment=True,
                     download_name=_file_name(period, "csv"))


@bp.route("/report.xlsx")
@reads(PeriodForm)
@permission_required(Permission.STATS_VIEW)
def export_xlsx() -> Response:
    _form, period = _period()
    content = exports.xlsx_bytes(queries.report(period), current_app.config["OFFICE_NAME"])
    return send_file(BytesIO(content), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     download_name=_file_name(period, "xlsx"))


@bp.route("/report.pdf")
@reads(PeriodForm)
@permission_required(Permission.STATS_VIEW)
def export_pdf() -> Response:
    _form, period = _period()
    submitted = queries.latest_submission(period)
    note = None
    if submitted is not None:
        note = f"已报送：{submitted.submitted_by.full_name} {submitted.submitted_at:%Y-%m-%d}"
    return pdf_response(lambda: pdf.report_pdf(
        queries.report(period), office_name=current_app.config["OFFICE_NAME"], submitted=note),
        _file_name(period, "pdf"),
        back=f"{url_for('statistics.index')}?{request.query_string.decode()}")


@bp.route("/submit", methods=["POST"])
@permission_required(Permission.STATS_SUBMIT)
def submit() -> str | Response:
    _form, period = _period()
    form = SubmitForm()
    if form.validate_on_submit() and run_service(
            form, lambda: services.submit_report(period, form.note.data, actor=current_user)):
        flash(_("The report for %(period)s is submitted: its figures are frozen.",
                period=period.title), "success")
    elif form.errors or form.form_errors:
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms)
              or " ".join(form.form_errors), "danger")
    return redirect(url_for("statistics.index") + "?" + _args(period))


