"""Rendered read-only pages, kept for a short while under a key naming everything they show.

A list page such as the case register is a pure function of
- the data: every change in the office writes an audit entry, and the audit chain head (one
  row, updated in the same transaction as the change) names the last one, so its id is the
  version of everything stored;
- the user (name, role and scope in the page) and their session (the form token in the page);
- the request's path and query, the language, and the office day (deadline badges move with
  the date even when nothing is written).
With all of those in the key a stored page is immutable: it is served again only while none
of them has changed, and for at most PAGE_CACHE_SECONDS (a backstop for writes made outside
the application, which bypass the audit trail). The version is read before the page is built,
so a stored page is never older than its key. Pages with a flashed message are never stored.

Each worker process has its own store (a bounded LRU); nothing is shared between users.
Set PAGE_CACHE_SECONDS = 0 to turn it off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_login import current_user

from notary.core.audit import AuditChainHead
from notary.core.models import office_today
from notary.core.params import bad_parameters
from notary.extensions import db

F = TypeVar("F", bound=Callable[..., Any])


class PageStore:
    """A thread-safe LRU of rendered pages with an age limit."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._pages: OrderedDict[Hashable, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, max_age: float) -> str | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None or time.monotonic() - found[0] > max_age:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: Hashable, page: str) -> None:
        with self._lock:
            self._pages[key] = (time.monotonic(), page)
            self._pages.move_to_end(key)
            while len(self._pages) > self.entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


T = TypeVar("T")


def _per_app(name: str, make: Callable[[int], T]) -> T:
    """The application's `name` object, made on first use with PAGE_CACHE_ENTRIES."""
    found = current_app.extensions.get(name)
    if found is None:
        found = current_app.extensions[name] = make(int(current_app.config["PAGE_CACHE_ENTRIES"]))
    return cast(T, found)


class KeptFragments:
    """Rendered fragments of pages (a filter form, a menu) kept by everything they show.

    A fragment is a pure function of its key, which the caller builds from what it has just
    read (a form's query string, its choices as read from the database, the language): a
    kept fragment is what rendering would give, never older than its data. Bounded LRU,
    per worker, thread-safe."""

    def __init__(self, entries: int = 1024) -> None:
        self.entries = entries
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> Any:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)
        return value


def kept_fragments() -> KeptFragments:
    """The application's store of kept fragments."""
    store = current_app.extensions.get("notary.fragments")
    if store is None:
        store = current_app.extensions["notary.fragments"] = KeptFragments()
    return store


def kept_for_version(name: Hashable, load: Callable[[], T]) -> T:
    """What `load` reads, kept for the data version the request began at (g.data_version,
    read by the user loader): every change in the office moves the version, so a kept value
    is the stored one. For what every page of a kind reads and seldom changes (the
    choices of a filter, the navigation's badges); requests that may write, and requests
    without a version, read afresh."""
    version = g.get("data_version")
    if version is None or request.method not in ("GET", "HEAD"):
        return load()
    key = ("version", name, version)
    store = kept_fragments()
    found = store.get(key)
    if found is None:
        found = store.put(key, (load(),))
    return found[0]


def store() -> PageStore:
    """This application's store (created on first use)."""
    return _per_app("page_cache", PageStore)


VERSION = sa.select(AuditChainHead.last_entry_id).where(AuditChainHead.id == 1)
# The same read as plain SQL for the user loader's hot path (no statement compilation or
# ORM result: a third of the time of VERSION through a connection).
VERSION_SQL = f"SELECT last_entry_id FROM {AuditChainHead.__tablename__} WHERE id = 1"


class UserSnapshots:
    """The signed-in sessions of this worker as last read (keyed by the session token's hash:
    the user and the session's start), each under the data version it was read at (a
    thread-safe LRU with the page store's age limit).

    Every change of a user row (sign-in, failures, lock, language, password, role, disabling)
    and every end of a session (sign-out, sign-out everywhere, inactivity) writes an audit
    entry in the same transaction, so while the data version stands a session and its user
    stand too: the request reads one number instead of the user. The snapshots are detached
    objects never handed out themselves: each request gets its own copy, merged into its
    session without a query.
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._users: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._users

    def user_ids(self) -> set[int]:
        """The ids of the users held (for tests and diagnostics)."""
        with self._lock:
            return {entry[2][0].id for entry in self._users.values()}

    def get(self, key: Hashable, version: int, max_age: float) -> Any | None:
        with self._lock:
            found = self._users.get(key)
            if found is None or found[1] != version or time.monotonic() - found[0] > max_age:
                return None
            self._users.move_to_end(key)
            return found[2]

    def put(self, key: Hashable, version: int, user: Any) -> None:
        with self._lock:
            self._users[key] = (time.monotonic(), version, user)
            self._users.move_to_end(key)
            while len(self._users) > self.entries:
                self._users.popitem(last=False)


def user_snapshots() -> UserSnapshots:
    """This application's user snapshots (created on first use)."""
    return _per_app("user_snapshots", UserSnapshots)


def data_version() -> int:
    """The id of the newest audit entry: changes with every change of stored data.

    Taken from the signed-in user's loading when it read it (the first statement of the
    request), else read now.
    """
    version = g.pop("data_version", None)
    if version is None:
        version = db.session.execute(VERSION).scalar()
    return int(version or 0)


def _key(version: int) -> tuple[Hashable, ...]:
    return (request.endpoint, request.full_path, current_user.get_id(),
            session.get("csrf_token"), str(get_locale()), office_today(), version)


def cached_page(view: F) -> F:
    """Serve a read-only GET view's rendered page from the store while its key holds; a
    page that is built reads in autocommit (`reading_connection`)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        max_age = float(current_app.config["PAGE_CACHE_SECONDS"])
        if max_age <= 0 or request.method != "GET" or session.get("_flashes"):
            reading_connection()
            return view(*args, **kwargs)
        pages = store()
        version = data_version()  # before the page is built: never older than its key
        page = pages.get(_key(version), max_age)
        if page is not None:
            return page
        reading_connection()
        page = view(*args, **kwargs)
        shown = getattr(request_ctx, "flashes", None)
        if (isinstance(page, str) and not shown and not session.get("_flashes")
                and not bad_parameters()):  # a refused filter answers 400: never stored
            pages.put(_key(version), page)  # the key again: the page may have set the token
        return page

    setattr(wrapped, READS_ONLY, True)
    return cast(F, wrapped)


# --- read-only views in autocommit ------------------------------------------------------------
#
# A view that only reads (one served through the page store, which stores what it shows) has
# no use for a transaction: PostgreSQL's BEGIN and ROLLBACK around it were two of the five
# round trips of a built case list, and its statements see what is committed either way
# (READ COMMITTED takes a snapshot per statement). So the request's session reads on a
# connection in autocommit, and may not write: a flush raises. Anything that has to write
# first (the idle sign-out) ends the mode (`end_reads_only`), and the next statement runs on
# a connection with its own transaction again. The mode ends with the request.

READS_ONLY = "notary_reads_only"


def reads_only_view() -> bool:
    """Whether this request is a GET (or HEAD) of a view that only reads (`cached_page`)."""
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method in ("GET", "HEAD") and bool(getattr(view, READS_ONLY, False))


def reading_connection() -> sa.Connection:
    """The request session's connection: in autocommit for a read-only view when the session
    holds no transaction yet, else the session's own."""
    session_ = db.session()
    if not session_.in_transaction() and reads_only_view():
        session_.info[READS_ONLY] = True
        return session_.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return session_.connection()


def end_reads_only() -> None:
    """Give the autocommit connection back (the pool resets it); the session's objects stay
    (expired), and its next statement begins a transaction on a connection of its own."""
    if not db.session.registry.has():  # the request made no session (a static file)
        return
    session_ = db.session()
    if session_.info.pop(READS_ONLY, None):
        session_.rollback()


@sa.event.listens_for(sa.orm.Session, "before_flush")
def _no_writes_in_a_read(session_: sa.orm.Session, flush_context: Any, instances: Any) -> None:
    if session_.info.get(READS_ONLY) and (session_.new or session_.dirty or session_.deleted):
        raise RuntimeError("a read-only view wrote: end_reads_only() first")
