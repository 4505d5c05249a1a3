"""In-process measurements on one generated database, each next to its floor.

Run by bench/run.py with DATABASE_URL set; prints one JSON object. Every figure is measured
against a floor taken in the same process on the same data:
- pages (list, searches, detail) through the WSGI test client vs the bare SQL they need;
- the half-year statistics vs hand-written grouped SQL computing the same numbers;
- certificate PDFs vs a minimal ReportLab page in the same embedded font.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
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


def walk(app: Any, counter: QueryCounter, reps: int = 15) -> list[dict[str, Any]]:
    """Every page each role opens (bench/walk.py), built fresh: p50/p95 and statements."""
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
        figures = timed(get_ok(client, page.url), reps=reps, warmup=2)
        # The statistics page has its own target: everything it shows for a half year under
        # a second, against hand-written SQL computing the same figures (the "statistics" row).
        limit = 1000 if page.label == "statistics.index" else 50
        out.append({"role": role, "page": page.label, "url": page.url, "statements": statements,
                    "kb": round(size / 1024, 1), **figures, "target": f"p95 < {limit} ms",
                    "ok": figures["p95_ms"] < limit})
        print(f"{role:12} {page.url:60} p50 {figures['p50_ms']:8.1f} p95 "
              f"{figures['p95_ms']:8.1f} ms {statements:3} q {size // 1024:4} KB",
              file=sys.stderr, flush=True)
    return out


# --- statistics -------------------------------------------------------------------------------

def _local(expr: str, fmt: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"strftime('{fmt}', {expr}, '+8 hours')"
    pg = fmt.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD")
    return f"to_char({expr} + interval '8 hours', '{pg}')"


def floor_statistics(lo: Any, hi: Any, dialect: str) -> list[Any]:
    """The same figures as statistics.queries.figures, in hand-written grouped SQL."""
    p = {"lo": lo, "hi": hi}
    month = _local("c.closed_at", "%Y-%m", dialect)
    day = _local("received_at", "%Y-%m-%d", dialect)
    pay_month = _local("paid_at", "%Y-%m", dialect)
    concluded = "c.closing_type IS NOT NULL AND c.closed_at >= :lo AND c.closed_at < :hi"
    sql = [
        f"SELECT c.closing_type, c.category, {month}, count(*) FROM cases c WHERE {concluded} "
        f"GROUP BY c.closing_type, c.category, {month}",
        f"SELECT m.name, count(*) FROM cases c JOIN case_matters cm ON cm.case_id = c.id "
        f"JOIN matter_types m ON m.id = cm.matter_type_id WHERE {concluded} "
        f"GROUP BY m.name, m.sort_order, m.id ORDER BY m.sort_order, m.id",
        f"SELECT coalesce(u.full_name, l.handler_name, '—'), count(*) FROM cases c "
        f"LEFT JOIN users u ON u.id = c.handling_notary_id "
        f"LEFT JOIN ledger_cases l ON l.case_id = c.id WHERE {concluded} GROUP BY 1",
        f"SELECT count(*) FROM cases c WHERE {concluded} AND (EXISTS (SELECT 1 FROM "
        f"legal_aid_records a WHERE a.case_id = c.id) OR EXISTS (SELECT 1 FROM ledger_cases l "
        f"WHERE l.case_id = c.id AND l.is_legal_aid))",
        f"SELECT coalesce(sum(r.amount), 0) FROM fee_reductions r JOIN cases c ON c.id = "
        f"r.case_id WHERE {concluded} AND r.status = 'approved' AND r.kind IN ('reduce', 'waive')",
        f"SELECT coalesce(sum(l.reduction_amount), 0) FROM ledger_cases l JOIN cases c ON "
        f"c.id = l.case_id WHERE {concluded}",
        f"SELECT {pay_month}, sum(amount), count(*) FROM fee_payments WHERE paid_at >= :lo "
        f"AND paid_at < :hi GROUP BY 1",
        "SELECT sum(amount) FROM fee_refunds WHERE refunded_at >= :lo AND refunded_at < :hi",
        "SELECT coalesce(sum(fee_amount), 0) FROM ledger_cases WHERE fee_at >= :lo "
        "AND fee_at < :hi",
        f"SELECT {day}, channel, count(*), sum(persons) FROM consultations WHERE "
        f"received_at >= :lo AND received_at < :hi GROUP BY 1, 2",
        "SELECT method, count(*) FROM investigations WHERE status = 'done' AND "
        "closed_at >= :lo AND closed_at < :hi GROUP BY method",
        f"SELECT avg(k.working_days_to_issue), count(k.issued_on_time), sum(CASE WHEN "
        f"k.issued_on_time THEN 1 ELSE 0 END) FROM case_clocks k JOIN cases c ON "
        f"c.id = k.case_id WHERE {concluded} AND c.closing_type = 'issued'",
    ]
    return [db.session.execute(sa.text(q), p).all() for q in sql]


def stats(app: Any) -> dict[str, Any]:
    from notary.cases.queries import local_day_start
    from notary.core.models import UTCDateTime
    from notary.statistics import queries
    from notary.statistics.rules import make_period

    period = make_period(year=2026, half=1)
    lo, hi = local_day_start(period.start), local_day_start(date(2026, 7, 1))
    bind = UTCDateTime().process_bind_param
    lo_v, hi_v = bind(lo, None), bind(hi, None)
    if db.engine.dialect.name == "sqlite":
        lo_v, hi_v = lo_v.isoformat(" ", "microseconds"), hi_v.isoformat(" ", "microseconds")
    figures = queries.figures(period)
    app_time = timed(lambda: queries.figures(period), reps=7, warmup=1)
    floor_time = timed(lambda: floor_statistics(lo_v, hi_v, db.engine.dialect.name),
                       reps=7, warmup=1)
    ratio = app_time["p50_ms"] / floor_time["p50_ms"] if floor_time["p50_ms"] else 0
    # The floor must compute the same numbers: check the headline figure.
    rows = floor_statistics(lo_v, hi_v, db.engine.dialect.name)[0]
    assert sum(r[3] for r in rows) == figures["concluded"]["total"], "floor disagrees"
    return {"period": "2026 H1", "concluded": figures["concluded"]["total"],
            "app": app_time, "floor_sql": floor_time, "ratio": round(ratio, 2),
            "target": "ratio <= 1.5", "ok": ratio <= 1.5}


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
            out["statistics"] = stats(app)
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
