"""Fixtures of the real-browser tests: staff in the migrated database of the current backend,
a gunicorn server on a free local port, and Debian's Chromium driven by Playwright.

`playwright install` cannot download browsers here, so Chromium is /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from notary.core.permissions import Role
from notary.extensions import db

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# The server verifies hashes made with this cheap method (werkzeug reads it from the hash);
# the server's own config uses it too, so anything it hashes stays cheap.
CHEAP_HASH = "pbkdf2:sha256:1000"
STARTUP_SECONDS = 20


@pytest.fixture
def staff(app: Flask) -> dict[str, dict[str, Any]]:
    """A front-desk clerk, a notary and the director, committed before the server starts."""
    from tests.factories import PASSWORD, create_staff

    people = {
        "desk": create_staff(Role.FRONT_DESK, full_name="刘晓燕"),
        "notary": create_staff(Role.NOTARY, full_name="谢文慧"),
        "director": create_staff(Role.DIRECTOR, full_name="王建国"),
    }
    out = {key: {"id": u.id, "username": u.username, "full_name": u.full_name,
                 "password": PASSWORD} for key, u in people.items()}
    db.session.commit()
    # Give the connection back: on SQLite the server opens the same file, and nothing of
    # this process may hold a transaction (and its lock) while the server writes.
    db.session.remove()
    return out


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its own PID: SIGTERM, then SIGKILL after 5 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def artifacts(backend: dict[str, Any]) -> Path:
    """test-artifacts/e2e/<backend>/, emptied for this run (the folder is git-ignored)."""
    folder = ARTIFACTS / backend["name"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def live_server(backend: dict[str, Any], staff: dict[str, dict[str, Any]], tmp_path: Path,
                artifacts: Path) -> Iterator[str]:
    """gunicorn serving the app on the current backend's database; yields the base URL."""
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f'PASSWORD_HASH_METHOD = "{CHEAP_HASH}"\n')
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": backend["url"], "SECRET_KEY": "test",
           "UPLOAD_FOLDER": str(tmp_path / "uploads"), "NOTARY_INSTANCE_PATH": str(instance)}
    env.pop("NOTARY_ALLOW_DEV_SECRET", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_path = artifacts / "gunicorn.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "--no-control-socket", "--access-logfile", "-", "notary:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base_url}/login"):
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                pytest.fail(f"gunicorn did not answer on {base_url} (exit {proc.returncode}):\n"
                            + log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        yield base_url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, shared by the tests of the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium "
                    "fonts-wqy-zenhei")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
