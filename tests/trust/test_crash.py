"""Kill the real server with SIGKILL in the middle of a stream of writes, on SQLite and on
PostgreSQL: after a restart every acknowledged write is there and no case is half-written."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from notary import create_app
from notary.core.permissions import Role
from notary.extensions import db
from tests.conftest import BACKENDS, PG_URL, _config
from tests.factories import PASSWORD, create_staff, resident_id

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
KILL_AFTER = 18  # acknowledged writes before the kill; the writers keep going meanwhile


@pytest.fixture(params=BACKENDS)
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A database of its own, migrated, with one front-desk account."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    else:
        assert PG_URL
        base = sa.make_url(PG_URL)
        name = f"{base.database}_crash"
        url = base.set(database=name).render_as_string(hide_password=False)
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    app = create_app(_config(url, tmp_path))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        desk = create_staff(Role.FRONT_DESK)
        matter_id = db.session.scalar(sa.text(
            "SELECT id FROM matter_types WHERE code = 'property_division'"))
        info = {"url": url, "tmp": tmp_path, "username": desk.username, "matter_id": matter_id,
                "app": app}
        db.session.remove()
        db.engine.dispose()
    yield info
    if request.param == "postgresql":
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(info: dict[str, Any], port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": info["url"],
           "SECRET_KEY": "crash-test-secret", "UPLOAD_FOLDER": str(info["tmp"] / "uploads")}
    log = open(info["tmp"] / f"server-{port}.log", "wb")  # noqa: SIM115  (closed with the process)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "2", "--bind",
         f"127.0.0.1:{port}", "--no-control-socket", "notary:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/login", timeout=10).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError((info["tmp"] / f"server-{port}.log").read_text())


def token(session: requests.Session, url: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', session.get(url).text)
    assert match, url
    return match.group(1)


def signed_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base}/login", allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrf_token": token(session, f"{base}/login")})
    assert response.status_code == 302, response.text[:300]
    return session


def intake(matter_id: int, number: str, name: str, csrf_token: str) -> dict[str, Any]:
    p = "participants-0-"
    return {"matter_ids": str(matter_id), "category": "domestic_civil", "copies": "1",
            "urgency": "normal", "handling_notary_id": "", "csrf_token": csrf_token,
            p + "role": "applicant", p + "kind": "person", p + "name": name,
            p + "document_type": "resident_id", p + "document_number": number,
            p + "sex": "male", p + "phone": "13800138000",
            p + "address": "湖南省耒阳市蔡子池街道"}


def test_a_killed_server_loses_no_acknowledged_write(server_db):
    info = server_db
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(info, port)
    acknowledged: list[tuple[int, str]] = []  # (case id, applicant's ID number)
    lock, stop = threading.Lock(), threading.Event()
    errors: list[str] = []
    ended: dict[int, str] = {}  # how each writer stopped: cut off by the kill, or told to

    def writer(n: int) -> None:
        session = signed_in(base, info["username"])
        csrf_token = token(session, f"{base}/cases/new")
        i = 0
        while not stop.is_set():
            i += 1
            birth = date(1950, 1, 1) + timedelta(days=n * 5000 + i)
            number = resident_id(birth, serial=i)
            try:
                response = session.post(f"{base}/cases/new", allow_redirects=False, timeout=10,
                                        data=intake(info["matter_id"], number, f"申请人{n}号{i}",
                                                    csrf_token))
            except requests.RequestException:
                with lock:
                    ended[n] = "cut off"  # the server died under this request: not acknowledged
                return
            if response.status_code != 302:
                errors.append(response.text[:2000])
                return
            case_id = int(response.headers["Location"].rsplit("/", 1)[1])
            with lock:
                acknowledged.append((case_id, number))
        with lock:
            ended[n] = "stopped"  # answered just before the kill, and told to stop after it

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, WRITERS + 1)]
    for t in threads:
        t.start()
    while len(acknowledged) < KILL_AFTER and all(t.is_alive() for t in threads):
        time.sleep(0.01)
    os.killpg(server.pid, signal.SIGKILL)  # kill -9: the master and its workers, mid-stream
    server.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=15)
    assert errors == []
    assert len(acknowledged) >= KILL_AFTER
    # Every writer was still writing when the server died (none gave up on an error), and
    # the kill came in the middle of the stream.
    assert sorted(ended) == list(range(1, WRITERS + 1))
    assert "cut off" in ended.values()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(info, port)
    try:
        session = signed_in(base, info["username"])
        for case_id, _number in acknowledged:
            page = session.get(f"{base}/cases/{case_id}")
            assert page.status_code == 200
        check_database(info, acknowledged)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def check_database(info: dict[str, Any], acknowledged: list[tuple[int, str]]) -> None:
    app = info["app"]
    with app.app_context():
        q = lambda sql: db.session.execute(sa.text(sql)).all()  # noqa: E731
        cases = {row[0] for row in q("SELECT id FROM cases")}
        # Every acknowledged case is there, with its applicant under the number typed.
        applicants = dict(q("SELECT cp.case_id, p.document_number FROM case_participants cp "
                            "JOIN parties p ON p.id = cp.party_id"))
        assert [(c, applicants.get(c)) for c, _n in acknowledged] == acknowledged
        # And no case that did reach the disk is half-written: each has its participant,
        # its matter and its audit entry; no participant or entry points to a missing case.
        with_participant = {row[0] for row in q("SELECT case_id FROM case_participants")}
        with_matter = {row[0] for row in q("SELECT case_id FROM case_matters")}
        registered = {row[0] for row in q(
            "SELECT target_id FROM audit_entries WHERE action = 'case.register'")}
        assert cases == with_participant == with_matter == registered
        assert len(cases) >= len(acknowledged)
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        db.engine.dispose()
