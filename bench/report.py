"""The benchmark report as markdown: every figure next to its floor and its target."""

from __future__ import annotations

from typing import Any


def _rounds(w: dict[str, Any]) -> str:
    """The ratio of each alternating pair of runs, when there were several (the median one is
    reported)."""
    pairs = w.get("rounds") or []
    if len(pairs) < 2:
        return ""
    return "; the median of " + ", ".join(f"{pair['ratio']:.3f}" for pair in pairs)


def _ok(flag: Any) -> str:
    if flag is None:
        return "—"
    return "yes" if flag else "**NO**"


def _rows(run: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    g = run["generate"]
    f = g.get("floor")
    floor = (f"{f['cases_per_s']:,} cases/s: the database copying the same rows, no Python "
             f"({f['copy_s']} s INSERT ... SELECT into an empty schema, "
             f"{f['seconds']} s with the statistics)" if f else "—")
    rows.append(("generate (cases/s)", f"{g['cases_per_s']:,} ({g['rows']:,} rows, "
                 f"{g['seconds']} s)", floor, g["target"], _ok(g["ok"])))
    s = run["statistics"]
    compared = f", beside {' and '.join(s['compared'])}" if s.get("compared") else ""
    page = (f"; the page p50 {s['page']['p50_ms']:.0f} ms, {s['statements']} statements"
            if s.get("page") else "")
    what = "everything the page shows" if compared else "all figures"
    rows.append((f"half-year statistics, {what} ({s['period']}, "
                 f"{s['concluded']:,} concluded{compared})",
                 f"figures {s['app']['p50_ms']:.0f} ms{page}",
                 f"{s['floor_sql']['p50_ms']:.0f} ms hand-written SQL (ratio {s['ratio']})",
                 s["target"], _ok(s["ok"])))
    for label, page in run["pages"].items():
        rows.append((label, f"p95 {page['page']['p95_ms']:.1f} ms (p50 "
                     f"{page['page']['p50_ms']:.1f})",
                     f"p95 {page['floor_sql']['p95_ms']:.1f} ms bare SQL", page["target"],
                     _ok(page["ok"])))
    d = run["case_detail"]
    rows.append(("case detail: SQL queries, 5 vs 500 history entries",
                 f"{d['queries_5_entries']} vs {d['queries_500_entries']}",
                 f"p95 {d['page_5']['p95_ms']:.0f} / {d['page_500']['p95_ms']:.0f} ms",
                 "equal and bounded", _ok(d["ok"])))
    p = run["certificate_pdf"]
    rows.append(("certificate PDF, embedded font (one core)", f"{p['app_per_s']}/s",
                 f"{p['floor_per_s']}/s minimal ReportLab page, same font", p["target"],
                 _ok(p["ok"])))
    w = run["gunicorn"]
    case, floor = w["case list"], w["minimal Flask app"]
    if off := w.get("case list, page store off"):
        rows.append(("gunicorn 2 workers, case list built fresh (page store off: every view "
                     "built, as right after a change anywhere in the office)",
                     f"{off['rps']:.0f} req/s, p50 {off['p50_ms']:.1f} ms, p99 "
                     f"{off['p99_ms']:.1f} ms",
                     f"{floor['rps']:.0f} req/s minimal Flask app (ratio "
                     f"{w['ratio_store_off']:.3f}{_rounds(w)})", w["target"], _ok(w["ok"])))
    rows.append(("gunicorn 2 workers, case list from the page store (repeated views while "
                 "nothing changes)", f"{case['rps']:.0f} req/s, p50 "
                 f"{case['p50_ms']:.1f} ms, p99 {case['p99_ms']:.1f} ms",
                 f"ratio {w['ratio']:.2f} of the minimal app, p50 "
                 f"{floor['p50_ms']:.1f} / p99 {floor['p99_ms']:.1f} ms",
                 w.get("target_store", w["target"]), _ok(w.get("ok_store", w["ok"]))))
    for fmt, e in run["export"].items():
        rows.append((f"export of every case, {fmt.upper()}",
                     f"peak {e['peak_mb']:.0f} MB, {e['bytes'] / 1e6:.0f} MB in "
                     f"{e['seconds']} s, {e['chunks']} chunks",
                     f"{e['floor_peak_mb_before_request']:.0f} MB process before the request",
                     e["target"], _ok(e["ok"])))
    li = run["ledger_import"]
    rows.append((f"ledger import, {li['rows']:,} rows", f"{li['seconds']} s",
                 f"{li['rows_per_s']:,} rows/s", li["target"], _ok(li["ok"])))
    return rows


def _walk(pages: list[dict[str, Any]]) -> list[str]:
    """Every page each role opens, built fresh: p50 and p95 beside the target."""
    if not pages:
        return []
    over = [p for p in pages if not p["ok"]]
    lines = ["", f"### Every page each role opens, built fresh ({len(pages)} pages, "
             f"{len({p['role'] for p in pages})} roles)", "",
             f"Over the target: {len(over)}" + (": " + "; ".join(
                 f"{p['role']} {p['url']} (p95 {p['p95_ms']:.0f} ms, target "
                 f"{p.get('target', 'p95 < 50 ms')})" for p in over) if over else "."), "",
             "| role | page | p50 ms | p95 ms | statements | KB | target | met |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {p['role']} | `{p['url']}` | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} | "
              f"{p['statements']} | {p['kb']} | {p.get('target', 'p95 < 50 ms')} | "
              f"{_ok(p['ok'])} |" for p in pages]
    return lines


def markdown(report: dict[str, Any]) -> str:
    m, scale = report["machine"], report["scale"]
    lines = [
        f"# notary benchmark: {scale['cases']:,} cases, {scale['consultations']:,} "
        "consultations", "",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL "
        f"{m.get('postgresql', 'not run')}",
        f"- load average at start {tuple(round(x, 2) for x in m['load_average_at_start'])}, "
        f"at end {tuple(round(x, 2) for x in m.get('load_average_at_end', ()))} "
        "(other work on the machine slows every figure, floors included)",
        f"- run {report['started']} to {report.get('finished', '?')}", "",
    ]
    for run in report["runs"]:
        lines += [f"## {run['backend']}", "",
                  "| what | measured | floor (same run) | target | met |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {' | '.join(r)} |" for r in _rows(run)]
        counts = run.get("query_counts", {})
        if counts:
            lines += ["", "SQL queries per page: " + ", ".join(f"{k} {v}"
                                                              for k, v in counts.items())]
        lines += _walk(run.get("walk", []))
        lines.append("")
    return "\n".join(lines) + "\n"
