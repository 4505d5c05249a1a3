"""In-process measurements on one generated database, each next to its floor.

Run by bench/run.py with DATABASE_URL set; prints one JSON object. Every figure is measured
against a floor taken in the same process on the same data:
- pages (list, searches, detail) through the WSGI test client vs the bare SQL they need;
- the statistics page's figures (a half-year, the previous half and the year before, and
  the breakdowns) vs hand-written grouped SQL computing the same numbers, and the page;
- certificate PDFs vs a minimal ReportLab page in the same embedded font.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from notary import create_app
from notary.extensions import db

REPS = 40


def timed(call: Callable[[], Any], reps: int = REPS, warmup: int = 3) -> dict[str, float]:
    """p50 / p95 / mean in milliseconds over `reps` calls after a warm-up."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(reps):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2),
            "mean_ms": round(statistics.fmean(samples), 2), "n": reps}


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.engine = db.engine
        sa.event.listen(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args: Any) -> None:
        self.count += 1

    def around(self, call: Callable[[], Any]) -> int:
        self.count = 0
        call()
        return self.count


def login(app: Any) -> Any:
    client = app.test_client()
    from notary.demo import DEMO_PASSWORD

    response = client.post("/login", data={"username": "director", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.data[:300]
    return client


def get_ok(client: Any, url: str) -> Callable[[], Any]:
    def call() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return call


def sample_values() -> dict[str, str]:
    """Real values from the middle of the data to search for."""
    n = db.session.scalar(sa.text("SELECT max(id) FROM cases")) or 1
    row = db.session.execute(sa.text(
        "SELECT c.acceptance_number, c.certificate_number, p.document_number, p.name "
        "FROM cases c JOIN case_participants cp ON cp.case_id = c.id "
        "JOIN parties p ON p.id = cp.party_id WHERE c.id >= :mid AND p.kind = 'person' "
        "AND c.certificate_number IS NOT NULL ORDER BY c.id LIMIT 1"), {"mid": n // 2}).one()
    return {"acceptance": row[0], "certificate": row[1], "document": row[2], "name": row[3]}


def pages(app: Any, client: Any) -> dict[str, Any]:
    """Case list and searches: server time through WSGI vs the bare SQL of the page."""
    from notary.cases.queries import CaseFilters, case_list_statement, count_capped
    from notary.cases.rules import CaseStatus
    from notary.cases.views import LIST_COUNT_CAP

    values = sample_values()
    per_page = app.config["PAGE_SIZE"]
    scenarios = {
        "case list, first page": ("/cases/", CaseFilters()),
        "case list, filtered (status + category)": (
            "/cases/?status=archived&category=foreign_civil",
            CaseFilters(status=CaseStatus.ARCHIVED, category="foreign_civil")),
        "search: acceptance number": (f"/cases/?q={values['acceptance']}",
                                      CaseFilters(q=values["acceptance"])),
        "search: document number": (f"/cases/?q={values['document']}",
                                    CaseFilters(q=values["document"])),
        "search: party name": (f"/cases/?q={values['name']}", CaseFilters(q=values["name"])),
        "search: certificate number": (f"/cases/?q={values['certificate']}",
                                       CaseFilters(q=values["certificate"])),
    }
    out = {}
    for label, (url, filters) in scenarios.items():
        def floor(filters: CaseFilters = filters) -> None:
            # The page's own two statements: the (capped) count and the first page.
            stmt = case_list_statement(filters)
            count_capped(stmt, LIST_COUNT_CAP)
            db.session.execute(stmt.limit(per_page)).all()
            db.session.rollback()
        page = timed(get_ok(client, url))
        out[label] = {"url": url, "page": page, "floor_sql": timed(floor),
                      "target": "p95 < 50 ms", "ok": page["p95_ms"] < 50}
    return out


def detail(client: Any, counter: QueryCounter) -> dict[str, Any]:
    """Queries and time of one case's page with 5 history entries, then with 500."""
    case_id = db.session.scalar(sa.text(
        "SELECT target_id FROM audit_entries WHERE target_type = 'cases' "
        "GROUP BY target_id HAVING count(*) = 5 ORDER BY target_id DESC LIMIT 1"))
    url = f"/cases/{case_id}"
    q_small = counter.around(get_ok(client, url))
    page_small = timed(get_ok(client, url), reps=20)
    start = (db.session.scalar(sa.text("SELECT max(id) FROM audit_entries")) or 0) + 1
    rows = [{"id": start + k, "actor": 1, "target": case_id,
             "after": json.dumps({"notes": f"第{k}次补充说明"}, ensure_ascii=False)}
            for k in range(495)]
    db.session.execute(sa.text(
        "INSERT INTO audit_entries (id, created_at, actor_id, action, target_type, "
        "target_id, before, after) VALUES (:id, CURRENT_TIMESTAMP, :actor, 'case.update',"
        " 'cases', :target, NULL, :after)"), rows)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT setval(pg_get_serial_sequence('audit_entries', "
                                   "'id'), (SELECT max(id) FROM audit_entries))"))
    db.session.commit()
    q_big = counter.around(get_ok(client, url))
    return {"case_id": case_id, "queries_5_entries": q_small, "queries_500_entries": q_big,
            "ok": q_small == q_big and q_big <= 30, "page_5": page_small,
            "page_500": timed(get_ok(client, url), reps=20)}


def query_counts(client: Any, counter: QueryCounter) -> dict[str, int]:
    urls = {"home": "/", "case list": "/cases/", "party list": "/parties/",
            "register": "/cases/register", "front desk": "/desk/", "fee totals": "/fees/totals",
            "investigations": "/investigations/", "legal aid": "/legal-aid/",
            "deadline queues": "/deadlines/"}
    return {label: counter.around(get_ok(client, url)) for label, url in urls.items()}


def walk(app: Any, counter: QueryCounter, reps: int = REPS) -> list[dict[str, Any]]:
    """Every page each role opens (bench/walk.py), built fresh: p50/p95 and statements.

    Forty builds a page (p95: the second slowest; of fifteen it was the slowest, so one
    disk read or collection decided it), fifteen of the statistics page."""
    from bench import walk as pages_walk
    from notary.demo import DEMO_PASSWORD

    clients: dict[str | None, Any] = {}

    def client_for(username: str | None) -> Any:
        if username not in clients:
            client = app.test_client()
            if username:
                response = client.post("/login", data={"username": username,
                                                       "password": DEMO_PASSWORD})
                assert response.status_code == 302, (username, response.status_code)
            clients[username] = client
        return clients[username]

    out = []
    skip = [p for p in os.environ.get("BENCH_WALK_SKIP", "").split(",") if p]
    for role, client, page in pages_walk.walk(app, client_for):
        if any(page.url.startswith(prefix) for prefix in skip):
            continue
        statements = counter.around(get_ok(client, page.url))
        size = len(client.get(page.url).data)
        # The statistics page has its own target: everything it shows for a half year under
        # a second, against hand-written SQL computing the same figures (the "statistics" row).
        slow = page.label == "statistics.index"
        limit = 1000 if slow else 50
        figures = timed(get_ok(client, page.url), reps=15 if slow else reps, warmup=2)
        out.append({"role": role, "page": page.label, "url": page.url, "statements": statements,
                    "kb": round(size / 1024, 1), **figures, "target": f"p95 < {limit} ms",
                    "ok": figures["p95_ms"] < limit})
        print(f"{role:12} {page.url:60} p50 {figures['p50_ms']:8.1f} p95 "
              f"{figures['p95_ms']:8.1f} ms {statements:3} q {size // 1024:4} KB",
              file=sys.stderr, flush=True)
    return out


# --- statistics -------------------------------------------------------------------------------

def _day(expr: str, dialect: str) -> str:
    """The local day as the consultations' day index is built on (migration statsix15)."""
    if dialect == "sqlite":
        return f"strftime('%Y-%m-%d', {expr}, '+8 hours')"
    return f"CAST(({expr} + interval '8 hours') AS DATE)"


def floor_statistics(bounds: list[dict[str, Any]], dialect: str) -> dict[str, list[Any]]:
    """Everything the statistics page shows, in hand-written grouped SQL: the shown period
    (bounds[0]: by month, matter, notary and day too) and the compared periods (the scalars
    beside it), each table read by one statement with a branch per period.

    bounds: per period {lo, hi} (UTC instants, bound as the database stores them) and
    {first, last} (local dates); the shown period's also {months: [{key, lo, hi}]}."""
    p: dict[str, Any] = {}
    for i, b in enumerate(bounds):
        p |= {f"lo{i}": b["lo"], f"hi{i}": b["hi"], f"first{i}": b["first"],
              f"last{i}": b["last"]}
    n = range(len(bounds))

    def concluded(i: int, alias: str = "c") -> str:
        return (f"{alias}.closing_type IS NOT NULL AND {alias}.closed_at >= :lo{i} "
                f"AND {alias}.closed_at < :hi{i}")

    def union(parts: list[str]) -> str:
        return " UNION ALL ".join(parts)

    # The shown period by month: a branch per month (its range of the closing-time index).
    grid_parts = []
    for k, m in enumerate(bounds[0]["months"]):
        p |= {f"mlo{k}": m["lo"], f"mhi{k}": m["hi"]}
        grid_parts.append((0, f"'{m['key']}'", f"mlo{k}", f"mhi{k}"))
    grid_parts += [(i, "NULL", f"lo{i}", f"hi{i}") for i in n if i]
    day = _day("received_at", dialect)
    sql = {
        "grid": union([
            f"SELECT {i}, c.closing_type, c.category, {label}, count(*), "
            "count(k.working_days_to_issue), coalesce(sum(k.working_days_to_issue), 0), "
            "count(k.issued_on_time), coalesce(sum(CASE WHEN k.issued_on_time THEN 1 ELSE 0 "
            "END), 0) FROM cases c LEFT JOIN case_clocks k ON k.case_id = c.id AND "
            f"c.closing_type = 'issued' WHERE c.closing_type IS NOT NULL AND c.closed_at >= "
            f":{lo} AND c.closed_at < :{hi} GROUP BY c.closing_type, c.category"
            for i, label, lo, hi in grid_parts]) if dialect == "sqlite" else (
            # PostgreSQL: the clocks joined once to the cases of every branch.
            "SELECT x.bucket, x.closing_type, x.category, x.month, count(*), "
            "count(k.working_days_to_issue), coalesce(sum(k.working_days_to_issue), 0), "
            "count(k.issued_on_time), coalesce(sum(CASE WHEN k.issued_on_time THEN 1 ELSE 0 "
            "END), 0) FROM (" + union([
                f"SELECT {i} AS bucket, c.closing_type, c.category, {label} AS month, c.id "
                "FROM cases c WHERE c.closing_type IS NOT NULL AND c.closed_at >= "
                f":{lo} AND c.closed_at < :{hi}" for i, label, lo, hi in grid_parts])
            + ") x LEFT JOIN case_clocks k ON k.case_id = x.id AND x.closing_type = 'issued' "
            "GROUP BY x.bucket, x.month, x.closing_type, x.category"),
        "matter": "SELECT m.name, x.n FROM (SELECT cm.matter_type_id AS id, count(*) AS n "
                  "FROM cases c JOIN case_matters cm ON cm.case_id = c.id WHERE "
                  f"{concluded(0)} GROUP BY cm.matter_type_id) x JOIN matter_types m ON "
                  "m.id = x.id ORDER BY m.sort_order, m.id",
        "notary": "SELECT coalesce(u.full_name, x.handler, '—') AS name, sum(x.n) FROM (SELECT "
                  "c.handling_notary_id AS notary_id, l.handler_name AS handler, count(*) AS n "
                  "FROM cases c LEFT JOIN ledger_cases l ON l.case_id = c.id AND "
                  f"c.handling_notary_id IS NULL WHERE {concluded(0)} GROUP BY "
                  "c.handling_notary_id, l.handler_name) x LEFT JOIN users u ON "
                  "u.id = x.notary_id GROUP BY 1 ORDER BY 2 DESC, 1",
        "aid_reductions": union([q for i in n for q in (
            f"SELECT {i}, count(*), 0 FROM cases c WHERE {concluded(i)} AND c.closing_type = "
            "'issued' AND c.id IN (SELECT case_id FROM legal_aid_records)",
            f"SELECT {i}, count(CASE WHEN l.is_legal_aid AND c.closing_type = 'issued' AND NOT "
            "EXISTS (SELECT 1 FROM legal_aid_records a WHERE a.case_id = c.id) THEN 1 END), "
            "coalesce(sum(l.reduction_amount), 0) FROM ledger_cases l JOIN cases c ON "
            f"c.id = l.case_id WHERE {concluded(i)}",
            f"SELECT {i}, 0, coalesce(sum(r.amount), 0) FROM fee_reductions r WHERE "
            "r.status = 'approved' AND r.kind IN ('reduce', 'waive') AND r.case_id IN "
            f"(SELECT c.id FROM cases c WHERE {concluded(i)})")]),
        "certificates": union([
            f"SELECT {i}, count(*), 0 FROM certificates WHERE issued_on >= :first{i} AND "
            f"issued_on <= :last{i}" for i in n] + [
            "SELECT 0, 0, count(*) FROM certificates t JOIN cases c ON c.id = t.case_id WHERE "
            "t.issued_on >= :first0 AND t.issued_on <= :last0 AND c.category IN ('hong_kong', "
            "'macao', 'taiwan')"]),
        "complaints": union([
            f"SELECT {i}, coalesce(sum(CASE WHEN received_on >= :first{i} AND received_on <= "
            f":last{i} THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN answered_on >= "
            f":first{i} AND answered_on <= :last{i} THEN 1 ELSE 0 END), 0) FROM complaints "
            f"WHERE (received_on >= :first{i} AND received_on <= :last{i}) OR (answered_on >= "
            f":first{i} AND answered_on <= :last{i})" for i in n]),
        "fees": union([q for i in n for q in (
            f"SELECT {i}, coalesce(sum(amount), 0), 0 FROM fee_payments WHERE paid_at >= :lo{i} "
            f"AND paid_at < :hi{i}",
            f"SELECT {i}, 0, coalesce(sum(amount), 0) FROM fee_refunds WHERE refunded_at >= "
            f":lo{i} AND refunded_at < :hi{i}",
            f"SELECT {i}, coalesce(sum(fee_amount), 0), 0 FROM ledger_cases WHERE fee_at >= "
            f":lo{i} AND fee_at < :hi{i}")]),
        "consultations": union([
            f"SELECT 0, {day}, channel, count(*), coalesce(sum(persons), 0) FROM consultations "
            f"WHERE {day} >= :first0 AND {day} <= :last0 AND voided_at IS NULL GROUP BY "
            f"{day}, channel"] + [
            f"SELECT {i}, NULL, channel, sum(n), sum(p) FROM (SELECT {day} AS d, channel, "
            f"count(*) AS n, sum(persons) AS p FROM consultations WHERE {day} >= :first{i} AND "
            f"{day} <= :last{i} AND voided_at IS NULL GROUP BY {day}, channel) x GROUP BY "
            "channel" for i in n if i]) + " ORDER BY 1, 2, 3",
        "investigations": union([
            f"SELECT {i}, method, count(*) FROM investigations WHERE status = 'done' AND "
            f"closed_at >= :lo{i} AND closed_at < :hi{i} GROUP BY method" for i in n]),
    }
    return {key: db.session.execute(sa.text(q), p).all() for key, q in sql.items()}


def stats(app: Any, client: Any, counter: QueryCounter) -> dict[str, Any]:
    """The statistics page for a half-year with everything it shows (the previous half and
    the same half a year before beside it, by month, matter, notary and day, the charts):
    its figures as the page computes them (queries.report) against hand-written grouped SQL
    for the same figures, and the page itself through the test client."""
    from notary.cases.queries import local_day_start
    from notary.core.models import UTCDateTime
    from notary.statistics import queries
    from notary.statistics.rules import make_period

    period = make_period(year=2026, half=1)
    periods = [period, period.previous(), period.year_before()]
    bind = UTCDateTime().process_bind_param
    dialect = db.engine.dialect.name

    def instants(p: Any) -> tuple[Any, Any]:
        lo = bind(local_day_start(p.start), None)
        hi = bind(local_day_start(p.end + timedelta(days=1)), None)
        if dialect == "sqlite":
            return lo.isoformat(" ", "microseconds"), hi.isoformat(" ", "microseconds")
        return lo, hi

    bounds: list[dict[str, Any]] = []
    for p in periods:
        lo, hi = instants(p)
        first: Any = p.start
        last: Any = p.end
        if dialect == "sqlite":
            first, last = first.isoformat(), last.isoformat()
        bounds.append({"lo": lo, "hi": hi, "first": first, "last": last})
    bounds[0]["months"] = [dict(zip(("lo", "hi"), instants(part), strict=True), key=key)
                           for key, part in period.month_parts()]
    figures = queries.report(period)
    floor = floor_statistics(bounds, dialect)
    _agree(app, figures, floor)
    app_time = timed(lambda: queries.report(period), reps=7, warmup=1)
    floor_time = timed(lambda: floor_statistics(bounds, dialect), reps=7, warmup=1)
    ratio = app_time["p50_ms"] / floor_time["p50_ms"] if floor_time["p50_ms"] else 0
    url = "/statistics/"  # the page as opened: the first half of this year (2026)
    statements = counter.around(get_ok(client, url))
    page = timed(get_ok(client, url), reps=7, warmup=1)
    return {"period": "2026 H1", "concluded": figures["concluded"]["total"],
            "compared": ["2025 H2", "2025 H1"], "app": app_time, "floor_sql": floor_time,
            "ratio": round(ratio, 2), "page": page, "statements": statements,
            "target": "ratio <= 1.5, page < 1 s",
            "ok": ratio <= 1.5 and page["p50_ms"] < 1000}


def _agree(app: Any, figs: dict[str, Any], floor: dict[str, list[Any]]) -> None:
    """The floor computes the same numbers: every period's concluded cases, certificates,
    person-times and fee income, and the shown period's breakdowns."""
    compared = figs["comparison"]["figures"]
    for i, when in enumerate(("current", "previous", "year_before")):
        def value(key: str, when: str = when) -> Any:
            return compared[key][when]
        closed = sum(r[4] for r in floor["grid"] if r[0] == i)
        assert closed == value("concluded.total") + value("not_accepted"), ("grid", i)
        assert sum(r[1] for r in floor["certificates"] if r[0] == i) == value(
            "certificates_issued"), ("certificates", i)
        persons = {r[2]: 0 for r in floor["consultations"]}
        for r in floor["consultations"]:
            if r[0] == i:
                persons[r[2]] += int(r[4])
        assert persons.get("visit", 0) == value("visit_persons"), ("consultations", i)
        received = sum(Decimal(str(r[1])) for r in floor["fees"] if r[0] == i)
        refunded = sum(Decimal(str(r[2])) for r in floor["fees"] if r[0] == i)
        assert f"{received - refunded:.2f}" == value("fee_income"), ("fees", i)
    assert sum(r[2] for r in floor["certificates"]) == figs["certificates_hk_macao_taiwan"]
    months: dict[str, int] = {}
    for r in floor["grid"]:
        if r[0] == 0 and app.config["STATS_CLOSING_COUNTS"].get(r[1]) is not None:
            months[r[3]] = months.get(r[3], 0) + r[4]
    assert {k: v for k, v in figs["monthly_concluded"].items() if v} == months, "months"
    assert {r[0]: int(r[1]) for r in floor["matter"]} == figs["by_matter"], "matter"
    assert {r[0]: int(r[1]) for r in floor["notary"]} == figs["by_notary"], "notary"
    days = {str(r[1]) for r in floor["consultations"] if r[0] == 0}
    assert days == set(figs["consultations_by_date"]), "days"


# --- certificate PDFs -------------------------------------------------------------------------

def pdfs(app: Any) -> dict[str, Any]:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from notary.certificates.models import Certificate
    from notary.certificates.pdf import build_certificate_pdf
    from notary.certificates.services import document_for
    from notary.core.pdf import FONT, register_fonts

    register_fonts()
    # Distinct certificates (each its own QR code), as an office issues them.
    certs = list(db.session.scalars(sa.select(Certificate).where(Certificate.number.is_not(None))
                                    .order_by(Certificate.id.desc()).limit(60)))
    documents = [document_for(c) for c in certs]
    cert = certs[0]
    text = [cert.applicant_block, cert.matter_text, cert.body, cert.number or ""]

    def floor() -> bytes:
        import io

        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4)
        page.setFont(FONT, 14)
        for i, line in enumerate(text):
            page.drawString(72, 760 - 24 * i, line)
        page.showPage()
        page.save()
        return buffer.getvalue()

    n = len(documents)
    began = time.perf_counter()
    for document in documents:
        size = len(build_certificate_pdf(document))
    app_rate = n / (time.perf_counter() - began)
    began = time.perf_counter()
    for _ in range(n):
        floor()
    floor_rate = n / (time.perf_counter() - began)
    return {"app_per_s": round(app_rate, 1), "floor_per_s": round(floor_rate, 1),
            "bytes": size, "with_translation": cert.with_translation,
            "target": ">= 50 per second, one core", "ok": app_rate >= 50}


def main() -> None:
    what = sys.argv[1:] or ["pages", "detail", "stats", "pdf", "counts"]
    # The measuring client signs in without a CSRF round trip, and every page is built (the
    # page store would answer the repeated requests without building them); nothing else changes.
    app = create_app({"WTF_CSRF_ENABLED": False, "PAGE_CACHE_SECONDS": 0})
    out: dict[str, Any] = {}
    if "walk" in what:
        with app.app_context():
            counter = QueryCounter()
        out["walk"] = walk(app, counter)
    with app.app_context():
        client = login(app)
        counter = QueryCounter()
        if "stats" in what:
            out["statistics"] = stats(app, client, counter)
        if "pages" in what:
            out["pages"] = pages(app, client)
        if "detail" in what:
            out["case_detail"] = detail(client, counter)
        if "counts" in what:
            out["query_counts"] = query_counts(client, counter)
        if "pdf" in what:
            out["certificate_pdf"] = pdfs(app)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
