"""The audit trail is tamper-evident: every way of changing it behind the application's back
(edit, delete, insert, reorder) is found by `flask audit verify`, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.core.audit import (
    GENESIS_HASH,
    HASHED_FIELDS,
    AuditEntry,
    chain_rows,
    entry_hash,
    read_chain_head,
    verify_chain,
)
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import create_staff, register_case


def verify(app: Flask) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["audit", "verify", "--batch", "3"])
    return result.exit_code, result.output


def some_entries() -> list[int]:
    desk = create_staff(Role.FRONT_DESK)
    register_case(desk)
    register_case(desk)
    create_staff(Role.NOTARY)
    ids = list(db.session.scalars(sa.select(AuditEntry.id).order_by(AuditEntry.id)))
    assert len(ids) >= 5
    return ids


def raw(sql: str, **params: Any) -> None:
    # The ORM refuses to touch audit entries, so tampering goes round it, as an intruder would.
    with db.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def test_entries_are_chained_as_they_are_written(app):
    ids = some_entries()
    rows = db.session.execute(sa.select(AuditEntry.__table__).order_by(AuditEntry.id)
                              ).mappings().all()
    prev = GENESIS_HASH
    for row in rows:
        assert row["prev_hash"] == prev
        assert row["entry_hash"] == entry_hash(prev, row)
        prev = row["entry_hash"]
    with db.engine.connect() as conn:
        assert read_chain_head(conn) == (ids[-1], prev)
    assert verify(app) == (0, f"audit trail intact: {len(ids)} entries\n")


def test_an_empty_trail_verifies(app):
    assert verify(app)[0] == 0


def test_chain_rows_hashes_bulk_rows_exactly_as_the_live_path(app):
    ids = some_entries()
    table = AuditEntry.__table__
    rows = [dict(r) for r in db.session.execute(
        sa.select(*(table.c[n] for n in HASHED_FIELDS)).order_by(table.c.id)).mappings()]
    stored = list(db.session.scalars(sa.select(AuditEntry.entry_hash).order_by(AuditEntry.id)))
    last = chain_rows(GENESIS_HASH, list(reversed(rows)))  # taken in id order, whatever given
    assert [r["entry_hash"] for r in rows] == stored
    assert last == stored[-1] and len(ids) == len(rows)


def test_the_hash_covers_every_stored_field():
    base = {"id": 7, "created_at": "2026-11-30T01:02:03.000004", "actor_id": 1,
            "action": "case.update", "target_type": "cases", "target_id": 3,
            "before": {"copies": 2}, "after": {"copies": 3}, "reason": None}
    digest = entry_hash(GENESIS_HASH, base)
    for field, other in [("id", 8), ("created_at", "2026-11-30T01:02:03.000005"),
                         ("actor_id", 2), ("action", "case.create"), ("target_type", "parties"),
                         ("target_id", 4), ("before", {"copies": 1}), ("after", {"copies": 4}),
                         ("reason", "x")]:
        assert entry_hash(GENESIS_HASH, {**base, field: other}) != digest, field
    assert entry_hash("1" * 64, base) != digest
    # Key order of the JSON values does not matter; their content does.
    assert entry_hash(GENESIS_HASH, {**base, "after": {"copies": 3}}) == digest


def tamper_edit(ids: list[int]) -> int:
    raw("UPDATE audit_entries SET reason = 'covered up' WHERE id = :id", id=ids[2])
    return ids[2]


def tamper_edit_json(ids: list[int]) -> int:
    raw("UPDATE audit_entries SET actor_id = NULL WHERE id = :id", id=ids[1])
    return ids[1]


def tamper_delete(ids: list[int]) -> int:
    raw("DELETE FROM audit_entries WHERE id = :id", id=ids[2])
    return ids[3]


def tamper_delete_last(ids: list[int]) -> int:
    raw("DELETE FROM audit_entries WHERE id = :id", id=ids[-1])
    return ids[-1]


def tamper_insert(ids: list[int]) -> int:
    # A forged entry given a gap's id, copying a real previous hash to look chained.
    raw("DELETE FROM audit_entries WHERE id = :id", id=ids[3])  # make room in the middle
    with db.engine.begin() as conn:
        prev = conn.execute(sa.text("SELECT entry_hash FROM audit_entries WHERE id = :id"),
                            {"id": ids[2]}).scalar_one()
        row = {"id": ids[3], "created_at": "2026-11-30 00:00:00", "actor_id": None,
               "action": "case.approve", "target_type": "cases", "target_id": 1,
               "before": None, "after": None, "reason": None}
        conn.execute(sa.text(
            "INSERT INTO audit_entries (id, created_at, actor_id, action, target_type, "
            "target_id, prev_hash, entry_hash) VALUES (:id, :created_at, NULL, :action, "
            ":target_type, :target_id, :prev, :hash)"),
            {**row, "prev": prev, "hash": entry_hash(prev, row)})
    return ids[4]


def tamper_append(ids: list[int]) -> int:
    with db.engine.begin() as conn:
        last = conn.execute(sa.text("SELECT entry_hash FROM audit_entries WHERE id = :id"),
                            {"id": ids[-1]}).scalar_one()
        row = {"id": ids[-1] + 1, "created_at": "2026-11-30 00:00:00", "actor_id": None,
               "action": "user.create", "target_type": "users", "target_id": 1,
               "before": None, "after": None, "reason": None}
        conn.execute(sa.text(
            "INSERT INTO audit_entries (id, created_at, action, target_type, target_id, "
            "prev_hash, entry_hash) VALUES (:id, :created_at, :action, :target_type, "
            ":target_id, :prev, :hash)"), {**row, "prev": last, "hash": entry_hash(last, row)})
    return ids[-1]  # the head still names the real last entry


def tamper_reorder(ids: list[int]) -> int:
    # Swap two entries' actions (what happened first now appears second).
    raw("UPDATE audit_entries SET action = CASE id WHEN :a THEN (SELECT action FROM "
        "audit_entries WHERE id = :b) ELSE (SELECT action FROM audit_entries WHERE id = :a) "
        "END WHERE id IN (:a, :b)", a=ids[1], b=ids[2])
    return ids[1]


@pytest.mark.parametrize("tamper", [tamper_edit, tamper_edit_json, tamper_delete,
                                    tamper_delete_last, tamper_insert, tamper_append,
                                    tamper_reorder], ids=lambda f: f.__name__[7:])
def test_verify_names_the_first_broken_entry(app, tamper):
    ids = some_entries()
    assert verify(app)[0] == 0
    db.session.remove()
    first_broken = tamper(ids)
    code, output = verify(app)
    assert code == 1
    assert f"BROKEN at entry {first_broken}:" in output


def test_concurrent_writers_do_not_fork_the_chain(app):
    desk = create_staff(Role.FRONT_DESK)
    desk_id = db.session.get(type(desk), desk.id).id
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with app.app_context():
                from notary.auth.models import User

                actor = db.session.get(User, desk_id)
                for _ in range(4):
                    register_case(actor)
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.engine.connect() as conn:
        checked, broken = verify_chain(conn)
    assert broken is None
    assert checked == db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
    assert checked > 12


def test_the_migration_chains_the_entries_written_before_it(app):
    from flask_migrate import downgrade, upgrade

    ids = some_entries()
    db.session.remove()
    downgrade(revision="desk70006")
    upgrade()
    assert verify(app) == (0, f"audit trail intact: {len(ids)} entries\n")
    register_case(create_staff(Role.FRONT_DESK))  # and the live path carries on from it
    assert verify(app)[0] == 0
