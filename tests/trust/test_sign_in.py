"""Sign-in hardening beyond the per-account lockout (tests/auth): a limit per client address,
the common-password list, a session that is new at sign-in, and production cookie settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from notary import create_app
from notary.auth.models import SignInFailure, User
from notary.auth.services import common_passwords, create_user
from notary.core.errors import ValidationFailed
from notary.core.permissions import Role
from notary.extensions import db
from tests.auth.test_services import user_data
from tests.conftest import _config
from tests.factories import PASSWORD, create_staff


def attempt(client, username: str, password: str, ip: str):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_one_address_is_stopped_after_many_failures_on_many_accounts(app, client):
    limit = app.config["LOGIN_IP_MAX_FAILURES"]
    users = [create_staff(Role.FRONT_DESK) for _ in range(3)]
    # Password spraying: one guess per account, never enough to lock any account.
    for i in range(limit):
        response = attempt(client, users[i % 3].username if i % 2 else f"nobody{i}",
                           "Summer-2026-guess", "198.51.100.7")
        assert response.status_code == 200
    db.session.expire_all()
    assert all(db.session.get(User, u.id).locked_until is None for u in users)
    assert db.session.scalar(sa.select(sa.func.count(SignInFailure.id))) == limit

    refused = attempt(client, users[0].username, PASSWORD, "198.51.100.7")
    assert refused.status_code == 200
    assert "尝试登录失败的次数过多" in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in, even with the right password

    other = app.test_client()
    assert attempt(other, users[0].username, PASSWORD, "198.51.100.8").status_code == 302
    assert other.get("/").status_code == 200


def test_the_limit_counts_only_recent_failures(app, client):
    from datetime import timedelta

    from notary.core.models import utcnow

    user = create_staff(Role.FRONT_DESK)
    old = utcnow() - timedelta(minutes=app.config["LOGIN_IP_WINDOW_MINUTES"] + 1)
    db.session.add_all([SignInFailure(failed_at=old, client_ip="198.51.100.9",
                                      username_typed="x")
                        for _ in range(app.config["LOGIN_IP_MAX_FAILURES"])])
    db.session.commit()
    assert attempt(client, user.username, PASSWORD, "198.51.100.9").status_code == 302


@pytest.mark.parametrize("password", ["zxcasdqwe123", "QAZWSXEDC123", "123456789qwerty",
                                      "1qaz2wsx3edc"])
def test_passwords_from_the_common_list_are_refused(app, password):
    assert len(password) >= app.config["PASSWORD_MIN_LENGTH"]  # long enough, still refused
    with pytest.raises(ValidationFailed) as exc:
        create_user(user_data(username="wangfang", password=password), actor=None)
    assert set(exc.value.errors) == {"password"}


def test_the_common_list_is_large_and_a_good_password_passes(app):
    assert len(common_passwords()) > 30000
    # No composition rules (NIST SP 800-63B): a long passphrase of plain words is fine.
    create_user(user_data(username="wangfang", password="tea leaves by the river"), actor=None)


def test_the_session_cookie_from_before_sign_in_is_never_the_signed_in_one(app, client):
    user = create_staff(Role.FRONT_DESK)
    with client.session_transaction() as s:
        s["planted"] = "by-an-attacker"
    before = client.get_cookie("session").value
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}
                       ).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    # Whoever kept the old cookie is not signed in by the victim's sign-in.
    attacker = app.test_client()
    attacker.set_cookie("session", before)
    assert attacker.get("/").status_code == 302


def test_production_settings_make_every_cookie_secure(backend, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")  # what the README tells a deployment
    app = create_app({k: v for k, v in _config(backend["url"], tmp_path).items()
                      if k != "TESTING"} | {"TESTING": True})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        from tests.conftest import _empty_tables

        _empty_tables(backend)
        user = create_staff(Role.FRONT_DESK)
        client = app.test_client()
        response = client.post("/login", base_url="https://notary.example",
                               data={"username": user.username, "password": PASSWORD})
        cookie = next(c for c in response.headers.getlist("Set-Cookie")
                      if c.startswith("session="))
        attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= attributes
        page = client.get("/", base_url="https://notary.example")
        assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        db.session.remove()
        db.engine.dispose()


# --- the per-account lockout under load, and what a failure tells -----------------------------


@pytest.fixture
def slow_checks(monkeypatch: pytest.MonkeyPatch):
    """Count the checks against real accounts' hashes; each takes as long as a real scrypt
    check (tests hash cheaply), so parallel attempts really overlap."""
    import threading
    import time

    from notary.auth import services

    real = services.check_password_hash
    seen: dict[str, int] = {}
    lock = threading.Lock()

    def check(pwhash: str, password: str) -> bool:
        key = "same work" if pwhash == services._dummy_hash() else pwhash
        with lock:
            seen[key] = seen.get(key, 0) + 1
        time.sleep(0.05)
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", check)
    return seen


def test_parallel_wrong_passwords_get_exactly_the_allowed_checks_before_the_lock(
        app, slow_checks):
    import threading

    from notary.auth.services import LoginFailed, authenticate

    user = create_staff(Role.NOTARY)
    username, pwhash, limit = user.username, user.password_hash, app.config["LOGIN_MAX_FAILURES"]
    db.session.remove()
    start = threading.Barrier(30)
    outcomes: list[str] = []

    def guess(i: int) -> None:
        with app.app_context():
            start.wait()
            try:
                authenticate(username, f"Wrong-Horse-{i}")
                outcomes.append("signed in")
            except LoginFailed as exc:
                outcomes.append(exc.message)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert slow_checks[pwhash] == limit  # not one more, however many arrived at once
    assert len(outcomes) == 30 and len(set(outcomes)) == 1  # one answer to every attempt
    stored = db.session.get(User, user.id)
    assert stored.locked_until is not None and stored.failed_logins == 0


def test_a_locked_or_unknown_name_answers_like_a_wrong_password(app, client, slow_checks):
    user = create_staff(Role.FRONT_DESK)
    wrong = attempt(client, user.username, "Wrong-Horse-42", "203.0.113.5")
    unknown = attempt(client, "nobody-here", "Wrong-Horse-42", "203.0.113.5")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        attempt(client, user.username, "Wrong-Horse-42", "203.0.113.5")
    checks, same_work = slow_checks[user.password_hash], slow_checks["same work"]
    locked = attempt(client, user.username, PASSWORD, "203.0.113.5")  # even the right one
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None
    assert client.get("/").status_code == 302

    def message(response) -> str:
        html = response.get_data(as_text=True)
        return html[html.index('class="alert'):].split("</div>")[0]

    assert message(wrong) == message(unknown) == message(locked)
    # The locked account's answer cost the same hashing as a wrong password's, and its
    # password was not checked at all.
    assert slow_checks[user.password_hash] == checks
    assert slow_checks["same work"] == same_work + 1
