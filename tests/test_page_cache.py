"""The rendered-page store: a stored list page is served only while everything it shows holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from notary.auth.models import User
from notary.core import page_cache
from notary.core.models import frozen_time
from notary.extensions import db
from tests.factories import person, register_case
from tests.query_counting import counted_queries


@pytest.fixture
def cached(app: Flask) -> page_cache.PageStore:
    app.config.update(PAGE_CACHE_SECONDS=30, USER_SNAPSHOT_SECONDS=30)
    return page_cache.store()


def get(client: FlaskClient, url: str = "/cases/") -> str:
    db.session.remove()  # each request starts from an empty session, as in production
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True)


def test_second_view_comes_from_the_store_with_one_query(
        cached: page_cache.PageStore, desk: Any, director: Any,
        login_as: Callable[..., FlaskClient]) -> None:
    register_case(desk, applicants=(person("王存储"),))
    client = login_as(director)
    first = get(client)
    assert "王存储" in first and cached.misses == 1
    db.session.remove()
    with counted_queries() as seen:
        again = client.get("/cases/").get_data(as_text=True)
    assert again == first and cached.hits == 1
    assert len(seen) == 1, seen  # the signed-in user, with the data version


def _disabled_user_is_signed_out(client: FlaskClient, user_id: int, admin_id: int) -> None:
    """The administrator disables the user: the next page sends them to sign in."""
    from notary.auth import services as auth_services

    db.session.remove()
    auth_services.set_user_enabled(db.session.get(User, user_id), False,
                                   actor=db.session.get(User, admin_id))
    db.session.remove()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_change_to_the_signed_in_user_counts_at_once(
        cached: page_cache.PageStore, notary: Any,
        login_as: Callable[..., FlaskClient]) -> None:
    """The user is taken from the worker's snapshot only while the data version stands."""
    from notary.core.permissions import Role
    from tests.factories import create_staff

    client = login_as(notary)
    notary_id, admin_id = notary.id, create_staff(Role.ADMIN).id
    get(client)
    get(client)
    assert cached.hits == 1 and notary_id in page_cache.user_snapshots().user_ids()
    _disabled_user_is_signed_out(client, notary_id, admin_id)


def test_no_user_snapshots_when_they_are_off(
        app: Flask, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    app.config.update(PAGE_CACHE_SECONDS=30, USER_SNAPSHOT_SECONDS=0)
    client = login_as(director)
    get(client)
    get(client)
    assert director.id not in page_cache.user_snapshots().user_ids()


def test_user_snapshots_with_the_page_store_off(
        app: Flask, notary: Any, login_as: Callable[..., FlaskClient]) -> None:
    """Every page is built, and the user still comes from the snapshot while the data
    version stands; a change to the user counts at once."""
    from notary.core.permissions import Role
    from tests.factories import create_staff

    app.config.update(PAGE_CACHE_SECONDS=0, USER_SNAPSHOT_SECONDS=30)
    client = login_as(notary)
    notary_id, admin_id = notary.id, create_staff(Role.ADMIN).id
    get(client)
    with counted_queries() as seen:
        get(client)
    assert notary_id in page_cache.user_snapshots().user_ids()
    assert not any("FROM users" in q and "user_sessions" in q for q in seen), seen
    assert "page_cache" not in app.extensions
    _disabled_user_is_signed_out(client, notary_id, admin_id)


def test_a_stored_page_opens_no_transaction(
        cached: page_cache.PageStore, desk: Any, director: Any,
        login_as: Callable[..., FlaskClient]) -> None:
    """The user is read in autocommit (PostgreSQL sends no BEGIN/ROLLBACK around it)."""
    register_case(desk, applicants=(person("王事务"),))
    client = login_as(director)
    get(client)
    begun: list[Any] = []

    def on_begin(conn: Any) -> None:
        begun.append(conn.get_execution_options().get("isolation_level"))

    db.session.remove()
    sa.event.listen(db.engine, "begin", on_begin)
    try:
        with counted_queries() as seen:
            page = client.get("/cases/").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "begin", on_begin)
    assert "王事务" in page and cached.hits == 1 and len(seen) == 1
    assert all(level == "AUTOCOMMIT" for level in begun), begun
    # The signed-in user still belongs to the request's session: a change made through it
    # (the interface language) is saved and audited.
    director_id = director.id
    db.session.remove()
    assert client.post("/profile/language", data={"locale": "en"}).status_code == 302
    db.session.remove()
    assert db.session.get(User, director_id).locale == "en"


def test_a_change_anywhere_shows_on_the_next_view(
        cached: page_cache.PageStore, desk: Any, director: Any,
        login_as: Callable[..., FlaskClient]) -> None:
    register_case(desk, applicants=(person("李第一"),))
    desk_id = desk.id
    client = login_as(director)
    assert "李第一" in get(client)
    desk = db.session.get(User, desk_id)
    register_case(desk, applicants=(person("赵第二"),))  # another user's write, audited
    page = get(client)
    assert "李第一" in page and "赵第二" in page
    assert cached.hits == 0


def test_each_user_and_each_query_has_its_own_page(
        cached: page_cache.PageStore, desk: Any, director: Any, notary: Any,
        login_as: Callable[..., FlaskClient]) -> None:
    register_case(desk, applicants=(person("孙用户"),))
    director_name, notary_name = director.full_name, notary.full_name
    director_client, notary_client = login_as(director), login_as(notary)
    director_page = get(director_client)
    notary_page = get(notary_client)
    signed_in = 'class="navbar-text me-1"><span data-content>{}</span> ·'.format
    assert signed_in(director_name) in director_page
    assert signed_in(notary_name) in notary_page and signed_in(director_name) not in notary_page
    filtered = get(director_client, "/cases/?q=不存在的名字")
    assert "孙用户" not in filtered and "孙用户" in get(director_client)
    assert cached.hits == 1 and cached.misses == 3


def test_the_office_day_is_part_of_the_key(
        cached: page_cache.PageStore, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    eve = datetime(2026, 3, 1, 15, 50, tzinfo=UTC)  # 23:50 in Leiyang
    with frozen_time(eve):
        client = login_as(director)
        get(client)
    with frozen_time(eve + timedelta(minutes=20)):  # 00:10 the next day, the session still open
        get(client)
    assert cached.hits == 0 and cached.misses == 2


def test_a_page_with_a_message_is_never_stored(
        cached: page_cache.PageStore, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    client = login_as(director)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "一次性提示")]
    assert "一次性提示" in get(client)
    assert "一次性提示" not in get(client)
    assert cached.hits == 0


def test_switched_off_with_zero_seconds(
        app: Flask, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    app.config["PAGE_CACHE_SECONDS"] = 0
    client = login_as(director)
    get(client)
    get(client)
    assert "page_cache" not in app.extensions


def test_sign_out_works_with_the_token_of_a_stored_page(
        app: Flask, director: Any) -> None:
    app.config.update(PAGE_CACHE_SECONDS=30, WTF_CSRF_ENABLED=True)
    from tests.conftest import PASSWORD

    username = director.username
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = login.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": username, "password": PASSWORD,
                                "csrf_token": token})
    get(client)
    page = get(client)  # from the store
    assert page_cache.store().hits == 1
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/cases/").status_code == 302  # signed out: the store is not reached


def test_store_forgets_old_pages_and_keeps_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    pages = page_cache.PageStore(entries=2)
    pages.put("a", "A")
    pages.put("b", "B")
    assert pages.get("a", 30) == "A"
    pages.put("c", "C")  # "b" was used least recently
    assert pages.get("b", 30) is None and pages.get("c", 30) == "C"
    now[0] += 31
    assert pages.get("a", 30) is None and pages.get("c", 30) is None


# --- a read-only view reads in autocommit ------------------------------------------------------


def _isolation_of_each_transaction(call: Callable[[], Any]) -> list[Any]:
    begun: list[Any] = []

    def on_begin(conn: Any) -> None:
        begun.append(conn.get_execution_options().get("isolation_level"))

    sa.event.listen(db.engine, "begin", on_begin)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "begin", on_begin)
    return begun


def test_a_built_list_reads_in_autocommit_and_other_pages_do_not(
        app: Flask, desk: Any, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    """The case list (a read-only view) is built on a connection in autocommit: no BEGIN and
    ROLLBACK around its statements; a page that may write keeps its transaction."""
    app.config.update(PAGE_CACHE_SECONDS=0)
    register_case(desk, applicants=(person("王自动"),))
    client = login_as(director)
    get(client)
    pages: list[str] = []
    begun = _isolation_of_each_transaction(lambda: pages.append(get(client)))
    assert "王自动" in pages[0]
    assert begun == ["AUTOCOMMIT"], begun
    begun = _isolation_of_each_transaction(lambda: get(client, "/parties/"))
    assert begun and "AUTOCOMMIT" not in begun, begun
    # The list's connection went back with its request: the next write has a transaction.
    director_id = director.id
    db.session.remove()
    assert client.post("/profile/language", data={"locale": "en"}).status_code == 302
    db.session.remove()
    assert db.session.get(User, director_id).locale == "en"


def test_a_read_only_view_cannot_write(app: Flask, director: Any) -> None:
    from notary.core.audit import AuditEntry

    with app.test_request_context("/cases/"):
        assert page_cache.reads_only_view()
        db.session.remove()
        conn = page_cache.reading_connection()
        assert conn.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
        db.session.add(AuditEntry(action="x", target_type="cases", target_id=1))
        with pytest.raises(RuntimeError, match="read-only view wrote"):
            db.session.flush()
        db.session.expunge_all()
        page_cache.end_reads_only()
        assert db.session.connection().get_execution_options().get("isolation_level") \
            != "AUTOCOMMIT"
    with app.test_request_context("/parties/"):
        assert not page_cache.reads_only_view()


def test_an_idle_sign_out_on_the_list_is_written_and_audited(
        app: Flask, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    """Ending an idle session writes (its audit entry) before the read-only list would read:
    the autocommit connection is given back first, and the chain still verifies."""
    from notary.core.audit import AuditEntry, verify_chain

    app.config.update(PAGE_CACHE_SECONDS=0)
    client = login_as(director)
    get(client)
    with client.session_transaction() as s:
        s["last_seen"] = (datetime.now(UTC) - timedelta(minutes=31)).timestamp()
    db.session.remove()
    entries = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    db.session.remove()
    response = client.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == entries + 1
    assert verify_chain(db.session.connection())[1] is None
    assert client.get("/cases/").status_code == 302  # the session is gone


def test_the_whole_registers_count_follows_each_new_case(
        app: Flask, desk: Any, director: Any, login_as: Callable[..., FlaskClient]) -> None:
    """The unfiltered list's count is kept for the data version: a new case moves it."""
    app.config.update(PAGE_CACHE_SECONDS=0)
    register_case(desk, applicants=(person("王一"),))
    desk_id = desk.id
    client = login_as(director)
    assert "共1条" in get(client)
    assert "共1条" in get(client)  # kept
    db.session.remove()
    register_case(db.session.get(User, desk_id), applicants=(person("王二"),))
    page = get(client)
    assert "王二" in page and "共2条" in page
