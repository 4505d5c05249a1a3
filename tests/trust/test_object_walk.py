"""The object rules, walked: every state-changing page and API operation on a case, tried by
someone who does not work on it, is refused and changes nothing.

The routes come from the application's own URL map, so a route added tomorrow is walked (or
fails `test_every_state_changing_route_is_walked_or_left_out_with_a_reason`) without anyone
remembering this file. The outsiders are a notary who does not handle the case and an
assistant who works for another notary; the case has its own notary, and every record a
route can point at (tests/test_permissions.py::make_records).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import Rule

from notary.cases import services as case_services
from notary.cases.rules import Action
from notary.cases.workflow import StepData, perform
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import create_staff, register_case
from tests.test_permissions import api_token, make_records, url_of

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# A URL argument naming a case or a record that belongs to one ("blueprint:argument" where
# the same name means another record elsewhere).
CASE_ARGUMENTS = frozenset({"case_id", "certificate_id", "review_id", "request_id",
                            "investigation_id", "legal_aid:record_id", "api:record_id"})

# Every state-changing route that acts on no existing case, and why it is not walked.
LEFT_OUT: dict[str, str] = {
    # One's own session and account.
    "auth.login": "signs in: no case",
    "auth.logout": "signs the caller out: no case",
    "auth.profile": "the caller's own password",
    "auth.set_language": "the caller's own language",
    "api_tokens.create": "the caller's own API token",
    "api_tokens.revoke": "an API token (owner or administrator; tests/api/test_api.py)",
    # The administrator's office settings: no case, and no case-work role gets in at all
    # (tests/test_permissions.py walks them per role).
    "users.create": "staff accounts",
    "users.edit": "staff accounts",
    "users.toggle_enabled": "staff accounts",
    "users.sign_out_everywhere": "staff accounts",
    "matters.matter_form": "the matter catalogue",
    "calendar.index": "the working-day calendar",
    "calendar.remove": "the working-day calendar",
    "calendar.year_complete": "the working-day calendar",
    "tariffs.schedule_form": "the fee schedule",
    "tariffs.item_form": "the fee schedule",
    "tariffs.minimums": "the fee schedule",
    "wording.template_form": "the wording templates",
    "documents.move_address": "the office's verification address",
    "users.practice": "staff accounts (a notary's practice record)",
    "deadlines.staff_relations": "staff members' relatives (recusal checks)",
    "deadlines.toggle_staff_relation": "staff members' relatives (recusal checks)",
    "ledger.index": "imports the historical ledger (director, administrator)",
    "statistics.submit": "the office's period report (director)",
    # A party is an office-wide record shared by every case it appears in: any case-work role
    # keeps it (edits are versioned and audited); reveal and export are logged reads.
    "parties.create": "a new party: no case",
    "parties.edit": "a party is shared by cases, not owned by one",
    "parties.reveal": "a logged read of a party, not a change",
    "parties.export_data": "a logged read of a party, not a change",
    "api.create_party": "a new party: no case",
    "api.update_party": "a party is shared by cases, not owned by one",
    "api.reveal_party": "a logged read of a party, not a change",
    # New cases and the front-desk log: nobody's case yet.
    "cases.create": "registers a new case",
    "api.create_case": "registers a new case",
    "consultations.index": "the front-desk log",
    "consultations.start_application": "turns a consultation into a new case",
    "consultations.correct": "the front-desk log: corrects an entry, no case",
    "consultations.void": "the front-desk log: voids an entry, no case",
    "api.create_consultation": "the front-desk log",
    # Complaints about the office: a register of their own, linked to a case at most for
    # reference; answered by the director only (tests/complaints).
    "complaints.create": "the complaints register",
    "complaints.detail": "the complaints register (the answer is the director's)",
    "api.start_application": "turns a consultation into a new case",
    "lookup.lookup": "the public case lookup (no account)",
}

# Tables a refused request may still touch: an API token notes when it was last used.
BOOKKEEPING = frozenset({"api_tokens", "rate_limit_counters"})


def unsafe_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.methods and r.methods & UNSAFE),
                  key=lambda r: (r.endpoint, r.rule))


def on_a_case(rule: Rule) -> bool:
    blueprint = rule.endpoint.split(".")[0]
    return any(name in CASE_ARGUMENTS or f"{blueprint}:{name}" in CASE_ARGUMENTS
               for name in rule.arguments)


def operations(app: Flask, params: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every state-changing request on a case; a step route once
    per step of the procedure."""
    out = []
    for rule in unsafe_rules(app):
        if not on_a_case(rule):
            continue
        actions = [a.value for a in Action] if "action" in rule.arguments else [None]
        for action in actions:
            url = url_of(rule, {**params, "action": action})
            out += [(rule.endpoint, method, url) for method in sorted(rule.methods & UNSAFE)]
    return out


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the bookkeeping ones, in primary-key order."""
    db.session.expire_all()
    return {t.name: [tuple(r) for r in db.session.execute(
        sa.select(t).order_by(*t.primary_key.columns))]
        for t in db.metadata.sorted_tables if t.name not in BOOKKEEPING}


def outsiders(case_id: int) -> dict[str, Any]:
    """A notary who does not handle the case, and an assistant of another notary's case."""
    other_notary, director = create_staff(Role.NOTARY), create_staff(Role.DIRECTOR)
    assistant = create_staff(Role.ASSISTANT)
    elsewhere = register_case(create_staff(Role.FRONT_DESK))
    perform(elsewhere, Action.ACCEPT, StepData(conditions_confirmed=True,
                                               notary_id=other_notary.id), actor=other_notary)
    case_services.assign_staff(elsewhere, notary_id=other_notary.id, assistant_id=assistant.id,
                               actor=director)
    assert elsewhere.id != case_id and elsewhere.assistant_id == assistant.id
    return {"notary": create_staff(Role.NOTARY), "assistant": assistant}


def test_every_state_changing_route_is_walked_or_left_out_with_a_reason(app):
    walked = {r.endpoint for r in unsafe_rules(app) if on_a_case(r)}
    everything = {r.endpoint for r in unsafe_rules(app)}
    assert everything - walked - set(LEFT_OUT) == set(), "walk it, or say why not in LEFT_OUT"
    assert walked & set(LEFT_OUT) == set()
    assert set(LEFT_OUT) <= everything, "a route left out that no longer exists"


def test_no_outsider_changes_anything_on_a_case(app, login_as):
    params = make_records()
    from notary.cases.models import Case

    case = db.session.get(Case, params["case_id"])
    assert case is not None and case.handling_notary_id is not None
    ops = operations(app, params)
    wrong, tried = [], 0
    for who, user in outsiders(case.id).items():
        client, bearer = login_as(user), api_token(user)
        before = database_state()
        for endpoint, method, url in ops:
            if endpoint.startswith("api."):
                response = client.open(url, method=method, json={}, headers=bearer)
            else:
                response = client.open(url, method=method, data={})
            response.close()
            tried += 1
            after = database_state()
            if response.status_code != 403 or after != before:
                changed = sorted(n for n in after if after[n] != before[n])
                wrong.append((who, method, url, response.status_code, changed))
                before = after
    assert wrong == []
    # Every step of the procedure on both route kinds, and every other route, twice over.
    assert tried == 2 * len(ops)
    assert len(ops) >= 80
    print(f"object-rule walk: {len(ops)} operations x 2 outsiders = {tried} requests refused")
