"""`make bench`: generate a register, measure it on SQLite and PostgreSQL, write the report.

    BENCH_CASES=20000 (default) BENCH_CONSULTATIONS=3*cases python bench/run.py

For each backend: a throw-away database (SQLite in a temporary folder; PostgreSQL when it
answers on 127.0.0.1:5432), `flask db upgrade`, `flask demo generate`, then every
measurement next to its floor taken in the same run. Writes bench/report.md and
bench/report.json (BENCH_OUT to write elsewhere).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def env_for(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DATABASE_URL=url, SECRET_KEY="bench-only-not-secret", FLASK_APP="notary",
               PYTHONPATH=str(ROOT))
    return env


def run(args: list[str], env: dict[str, str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True,
                          capture_output=True, **kw)


# --- the machine ------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
                     .group(1))  # type: ignore[union-attr]
    except (OSError, AttributeError):
        mem_kb = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "os": platform.platform(), "load_average_at_start": os.getloadavg()}


def postgres_answers() -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((PG_HOST, 5432)) == 0


def pg_admin(sql: str) -> str:
    import psycopg

    with psycopg.connect(f"host={PG_HOST} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        cursor = conn.execute(sql)  # type: ignore[arg-type]
        row = cursor.fetchone() if cursor.description else None
        return str(row[0]) if row else ""


# --- one backend ------------------------------------------------------------------------------

def generate(env: dict[str, str], cases: int, consultations: int) -> dict[str, Any]:
    run([str(BIN / "flask"), "db", "upgrade"], env)
    began = time.perf_counter()
    out = run([str(BIN / "flask"), "demo", "generate", "--cases", str(cases),
               "--consultations", str(consultations), "--seed", "2026"], env).stdout
    seconds = time.perf_counter() - began
    match = re.search(r"([\d,]+) rows in ([\d.]+) s \(([\d,]+) cases/s\)", out)
    rows = int(match.group(1).replace(",", "")) if match else 0
    inner = float(match.group(2)) if match else seconds
    rate = cases / inner if inner else 0
    return {"cases": cases, "consultations": consultations, "rows": rows,
            "seconds": round(inner, 1), "cases_per_s": round(rate),
            "target": "reported against its floor", "ok": None}


def generate_floor(env: dict[str, str], folder: Path, cases: int) -> dict[str, Any]:
    """The database writing the generated rows itself (bench/copy_floor.py)."""
    args = [PYTHON, str(BENCH / "copy_floor.py")]
    target = folder / "copy-floor.sqlite3"
    if env["DATABASE_URL"].startswith("sqlite"):
        url = f"sqlite:///{target}"
        run([str(BIN / "flask"), "db", "upgrade"], {**env, "DATABASE_URL": url})
        args.append(url)
    try:
        out = run(args, env, timeout=7200).stdout
    finally:
        for path in folder.glob(f"{target.name}*"):
            path.unlink()
    result = json.loads(out.strip().splitlines()[-1])
    result["cases_per_s"] = round(cases / result["seconds"]) if result["seconds"] else 0
    return result


def measure(env: dict[str, str], *what: str) -> dict[str, Any]:
    out = run([PYTHON, str(BENCH / "measure.py"), *what], env, timeout=3600).stdout
    return json.loads(out.strip().splitlines()[-1])


def export_memory(env: dict[str, str]) -> dict[str, Any]:
    results = {}
    for fmt in ("csv", "xlsx"):
        out = run([PYTHON, str(BENCH / "export_memory.py"), fmt], env, timeout=7200).stdout
        results[fmt] = json.loads(out.strip().splitlines()[-1])
    return results


def ledger_import(env: dict[str, str], rows: int, folder: Path) -> dict[str, Any]:
    path = folder / "ledger.csv"
    run([PYTHON, str(BENCH / "ledger_file.py"), str(path), str(rows)], env)
    began = time.perf_counter()
    run([str(BIN / "flask"), "ledger", "import", str(path), "--user", "director"], env,
        timeout=3600)
    seconds = time.perf_counter() - began
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_s": round(rows / seconds),
            "target": "100,000 rows under 60 s", "ok": seconds < 60 * rows / 100_000}


# --- gunicorn and the load generator ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing answers on port {port}")


def serve(app: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "--log-level", "warning", app],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port)
    return proc, port


# The one browser the load comes from: it signs in and then asks every page with the same
# User-Agent, as a browser does. (The sign-in binds the session to its client's address and
# User-Agent; a request from another one is taken for a copied cookie, marked not fresh and
# answered with a new cookie: wrk sending none would time that, on every request.)
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) notary-bench"


def session_cookie(port: int) -> str:
    """Sign in as the demo director through the login form (CSRF token and all)."""
    from notary.demo import DEMO_PASSWORD

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": "director", "password": DEMO_PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    opener.open(f"http://127.0.0.1:{port}/login", urllib.parse.urlencode(data).encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def load(port: int, path: str, cookie: str | None, seconds: int) -> dict[str, Any]:
    """Requests per second and latency percentiles from wrk (2 threads, 16 connections)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return load_python(port, path, cookie, seconds)
    args = [wrk, "-t2", "-c16", f"-d{seconds}s", "--latency", "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], text=True,
                         capture_output=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not m:
            return 0.0
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"tool": "wrk -t2 -c16", "rps": rps, "p50_ms": pct("50"), "p99_ms": pct("99"),
            "errors": int(non2xx.group(1)) if non2xx else 0}


def load_python(port: int, path: str, cookie: str | None, seconds: int) -> dict[str, Any]:
    """A small threaded load generator, used only where wrk cannot be installed."""
    import http.client
    import threading

    samples: list[float] = []
    errors = [0]
    stop = time.time() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while time.time() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers={"User-Agent": USER_AGENT,
                                               **({"Cookie": cookie} if cookie else {})})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors[0] += 1
            samples.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples.sort()
    return {"tool": "python threads x8", "rps": round(len(samples) / seconds, 1),
            "p50_ms": round(samples[len(samples) // 2], 2),
            "p99_ms": round(samples[int(len(samples) * 0.99)], 2), "errors": errors[0]}


def _served_load(app: str, path: str, signed_in: bool, app_env: dict[str, str],
                 seconds: int) -> dict[str, Any]:
    """Serve an app under gunicorn, warm it up and load one page with wrk."""
    proc, port = serve(app, app_env)
    try:
        cookie = session_cookie(port) if signed_in else None
        load(port, path, cookie, 2)  # warm-up
        return load(port, path, cookie, seconds)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


FLOOR, BUILT = "minimal Flask app", "case list, page store off"


def throughput(env: dict[str, str], seconds: int, rounds: int = 5) -> dict[str, Any]:
    """The built case list against the minimal app, in `rounds` pairs of runs.

    A shared machine's speed moves by a tenth or more from minute to minute, and the built
    list, which reads far more memory, moves more than the minimal app. So both are served
    at once, warmed up once, and loaded in turn, run after run (each pair's order swapped
    from the one before): a pair's two runs are seconds apart, on the same workers and the
    same database connections. The pair with the median ratio is reported, every pair is
    kept. The case list from the page store is measured once, on its own server."""
    # The case list as deployed (a page is stored until the data changes), and with the store
    # off, which is what every view costs right after a change anywhere in the office.
    uncached = {**env, "NOTARY_PAGE_CACHE_SECONDS": "0"}
    floor_proc, floor_port = serve("bench.minimal_app:app", env)
    try:
        built_proc, built_port = serve("notary:create_app()", uncached)
        try:
            cookie = session_cookie(built_port)
            runs = {FLOOR: lambda: load(floor_port, "/", None, seconds),
                    BUILT: lambda: load(built_port, "/cases/", cookie, seconds)}
            load(floor_port, "/", None, 2)  # warm-up
            load(built_port, "/cases/", cookie, 2)
            pairs = []
            for turn in range(max(1, rounds)):
                order = (FLOOR, BUILT) if turn % 2 == 0 else (BUILT, FLOOR)
                pair: dict[str, Any] = {name: runs[name]() for name in order}
                pair["ratio"] = (round(pair[BUILT]["rps"] / pair[FLOOR]["rps"], 3)
                                 if pair[FLOOR]["rps"] else 0)
                pairs.append({FLOOR: pair[FLOOR], BUILT: pair[BUILT], "ratio": pair["ratio"]})
        finally:
            stop(built_proc)
    finally:
        stop(floor_proc)
    median = sorted(pairs, key=lambda pair: pair["ratio"])[len(pairs) // 2]
    results: dict[str, Any] = {
        FLOOR: median[FLOOR],
        "case list": _served_load("notary:create_app()", "/cases/", True, env, seconds),
        BUILT: median[BUILT],
        "rounds": pairs}
    floor_rps = results[FLOOR]["rps"]
    ratio = results["case list"]["rps"] / floor_rps if floor_rps else 0
    results["ratio"] = round(ratio, 3)
    results["ratio_store_off"] = median["ratio"]
    # The headline: every view built (the store answers only while nothing changes, which a
    # busy office's writes keep emptying); the stored page beside it.
    results["target"] = "case list built fresh >= 10% of the minimal app"
    results["ok"] = (results["ratio_store_off"] >= 0.10
                     and all(pair[BUILT]["errors"] == 0 for pair in pairs))
    results["target_store"] = "case list from the page store >= 25% of the minimal app"
    results["ok_store"] = ratio >= 0.25 and results["case list"]["errors"] == 0
    return results


def backend_run(name: str, url: str, cases: int, consultations: int, folder: Path,
                seconds: int) -> dict[str, Any]:
    env = env_for(url)
    result: dict[str, Any] = {"backend": name}
    log(f"{name}: generating {cases:,} cases and {consultations:,} consultations")
    result["generate"] = generate(env, cases, consultations)
    log(f"{name}: {result['generate']['cases_per_s']:,} cases/s; the same rows copied by the "
        "database")
    result["generate"]["floor"] = generate_floor(env, folder, cases)
    log(f"{name}: copied at {result['generate']['floor']['cases_per_s']:,} cases/s; measuring "
        "pages and statistics")
    result.update(measure(env, "stats", "pages", "detail", "walk", "pdf"))
    log(f"{name}: gunicorn throughput")
    result["gunicorn"] = throughput(env, seconds, int(os.environ.get("BENCH_ROUNDS", "5")))
    log(f"{name}: exports (peak memory)")
    result["export"] = export_memory(env)
    log(f"{name}: ledger import")
    result["ledger_import"] = ledger_import(env, int(os.environ.get("BENCH_LEDGER_ROWS",
                                                                    "100000")), folder)
    return result


def main() -> None:
    cases = int(os.environ.get("BENCH_CASES", "20000"))
    consultations = int(os.environ.get("BENCH_CONSULTATIONS", str(3 * cases)))
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    backends = os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",")
    out_dir = Path(os.environ.get("BENCH_OUT", BENCH))
    report: dict[str, Any] = {"scale": {"cases": cases, "consultations": consultations},
                              "machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                              "runs": []}
    folder = Path(tempfile.mkdtemp(prefix="notary-bench-"))
    try:
        if "sqlite" in backends:
            url = f"sqlite:///{folder / 'bench.sqlite3'}"
            report["runs"].append(backend_run("SQLite", url, cases, consultations, folder,
                                              seconds))
            (folder / "bench.sqlite3").unlink(missing_ok=True)
            write(report, out_dir)  # a long run keeps what it has measured so far
        if "postgresql" in backends:
            if postgres_answers():
                name = f"notary_bench_{os.getpid()}"
                report["machine"]["postgresql"] = pg_admin("SHOW server_version")
                try:
                    pg_admin(f"CREATE DATABASE {name}")
                    url = f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"
                    report["runs"].append(backend_run("PostgreSQL", url, cases, consultations,
                                                      folder, seconds))
                finally:
                    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            else:
                log("PostgreSQL does not answer on 5432: skipped")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    print(write(report, out_dir))


def write(report: dict[str, Any], out_dir: Path) -> str:
    """Write report.json and report.md; return the markdown."""
    from bench.report import markdown

    report["machine"]["load_average_at_end"] = os.getloadavg()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    text = markdown(report)
    (out_dir / "report.md").write_text(text)
    return text


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
