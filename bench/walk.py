"""The pages each role opens: every GET page without parameters, and the main pages with them.

One list, used by the benchmark (`measure.py walk`: p50/p95 of each page per role, built
fresh) and by `tests/test_query_counts.py` (each page's statement count fixed as rows grow).
A page is what a person opens in the browser: an HTML answer. Files (CSV, XLSX, PDF) are
measured on their own in the benchmark's export and PDF rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask

from notary.core.permissions import Role
from notary.extensions import db

# The routes without parameters that answer a file, a redirect or a form post target.
FILES = (".csv", ".xlsx", ".pdf")
NOT_PAGES = frozenset({"static", "auth.logout"})
PUBLIC = frozenset({"auth.login", "lookup.lookup", "verify.lookup"})


@dataclass(frozen=True)
class Page:
    label: str
    url: str


def plain_pages(app: Flask) -> list[Page]:
    """Every GET route without parameters that is a page (not a file)."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if ("GET" not in (rule.methods or ()) or rule.arguments or rule.endpoint in NOT_PAGES
                or rule.rule.startswith("/api") or rule.rule.endswith(FILES)):
            continue
        out.append(Page(rule.endpoint, rule.rule))
    return out


def _one(sql: str, **params: Any) -> Any:
    return db.session.scalar(sa.text(sql), params)


def sample_pages(role: Role, user_id: int) -> list[Page]:
    """The main pages with parameters, on records from the middle of the data that the role
    may open: a case, a party, an investigation, a certificate, a complaint."""
    top = _one("SELECT max(id) FROM cases") or 1
    mine = ""
    if role in (Role.NOTARY, Role.ASSISTANT):
        column = "handling_notary_id" if role is Role.NOTARY else "assistant_id"
        mine = f" AND c.{column} = {int(user_id)}"
    out: list[Page] = []
    case_id = _one(f"SELECT c.id FROM cases c WHERE c.id >= :mid{mine} ORDER BY c.id LIMIT 1",
                   mid=top // 2) if role is not Role.ADMIN else None
    if case_id:
        out.append(Page("cases.detail", f"/cases/{case_id}"))
        party_id = _one("SELECT party_id FROM case_participants WHERE case_id = :c "
                        "ORDER BY id LIMIT 1", c=case_id)
        if party_id:
            out.append(Page("parties.detail", f"/parties/{party_id}"))
    if role is Role.ADMIN:
        out.append(Page("users.edit", f"/admin/users/{user_id}"))
        schedule = _one("SELECT max(id) FROM fee_schedules")
        if schedule:
            out.append(Page("tariffs.schedule", f"/admin/tariffs/{schedule}"))
        return out
    heir_case = _one(f"SELECT c.id FROM cases c JOIN inheritance_cases d ON d.case_id = c.id "
                     f"WHERE c.id >= :mid{mine} ORDER BY c.id LIMIT 1", mid=top // 2)
    if heir_case:
        out.append(Page("inheritance.division", f"/inheritance/cases/{heir_case}/division"))
    if role is not Role.FRONT_DESK:
        visit = _one(f"SELECT i.id FROM investigations i JOIN cases c ON c.id = i.case_id "
                     f"WHERE i.id >= (SELECT max(id) / 2 FROM investigations){mine} "
                     f"ORDER BY i.id LIMIT 1")
        if visit:
            out.append(Page("investigations.detail", f"/investigations/{visit}"))
        certificate = _one(f"SELECT cc.id FROM certificates cc JOIN cases c ON c.id = cc.case_id"
                           f" WHERE cc.status = 'draft'{mine} ORDER BY cc.id DESC LIMIT 1")
        if certificate:
            out.append(Page("certificates.edit", f"/certificates/{certificate}/edit"))
    complaint = _one("SELECT max(id) FROM complaints")
    if complaint:
        out.append(Page("complaints.detail", f"/complaints/{complaint}"))
    return out


def public_pages() -> list[Page]:
    """What anyone opens without an account: sign-in, lookup, a certificate's check."""
    code = _one("SELECT verification_code FROM certificates WHERE status = 'issued' "
                "ORDER BY id DESC LIMIT 1")
    out = [Page("auth.login", "/login"), Page("lookup.lookup", "/lookup/"),
           Page("verify.lookup", "/verify")]
    if code:
        out.append(Page("verify.by_code", f"/verify/{code}"))
    return out


def staff() -> dict[Role, tuple[int, str]]:
    """One enabled account per role: (id, username), the lowest id first."""
    rows = db.session.execute(sa.text(
        "SELECT role, id, username FROM users WHERE is_enabled ORDER BY id")).all()
    out: dict[Role, tuple[int, str]] = {}
    for role, user_id, username in rows:
        out.setdefault(Role(role), (user_id, username))
    return out


def walk(app: Flask, client_for: Any) -> Iterator[tuple[str, Any, Page]]:
    """(role, client, page) for every page each role opens that answers it with a page.

    `client_for(username)` gives a signed-in test client (None: anonymous). The requests are
    made outside any application context, as a server makes them (Flask-Login keeps the
    signed-in user in `g`, which an outer context would share between clients)."""
    with app.app_context():
        plan = [("public", None, public_pages())]
        plain = plain_pages(app)
        for role, (user_id, username) in staff().items():
            plan.append((role.value, username,
                         [p for p in plain if p.label not in PUBLIC]
                         + sample_pages(role, user_id)))
        db.session.remove()
    for role_name, username, pages in plan:
        client = client_for(username)
        for page in pages:
            response = client.get(page.url)
            if response.status_code == 200 and response.mimetype == "text/html":
                yield role_name, client, page
