"""The migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from notary.extensions import db
from notary.parties.models import SKIPPED_REFLECTION, include_in_schema_compare


def _diff() -> list[object]:
    with db.engine.connect() as conn, warnings.catch_warnings():
        # SQLite's expression indexes are compared on PostgreSQL only (EXPRESSION_INDEXES).
        warnings.filterwarnings("ignore", message=SKIPPED_REFLECTION)
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": include_in_schema_compare})
        return list(compare_metadata(context, db.metadata))


def test_head_matches_models(app: Flask) -> None:
    # The `backend` fixture upgraded an empty database to head: same as `flask db check`.
    assert _diff() == []


def test_seeded_matter_catalogue(app: Flask) -> None:
    rows = dict(db.session.execute(sa.text("SELECT code, in_person_only FROM matter_types")).all())
    assert {"inheritance", "will", "power_of_attorney", "declaration", "birth",
            "no_criminal_record", "education", "marital_status", "kinship", "contract",
            "evidence_preservation", "copy_conformity", "translation_conformity"} <= set(rows)
    # 公证法 art. 26 / 公证程序规则 art. 11: these cannot go through an agent.
    assert all(rows[c] for c in ("will", "power_of_attorney", "declaration", "gift"))
    assert not rows["inheritance"]


def test_downgrade_to_base_and_back(app: Flask) -> None:
    db.session.remove()
    downgrade(revision="base")
    with db.engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _diff() == []


def test_expression_indexes_built(app: Flask) -> None:
    # Left out of the comparison above: present after upgrade, on the expression the
    # statistics query names (notary.core.models.office_day), and used by that query.
    from notary.consultations.models import Consultation
    from notary.core.models import office_day
    from notary.parties.models import EXPRESSION_INDEXES

    with db.engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=SKIPPED_REFLECTION)
        if db.engine.dialect.name == "sqlite":
            names = set(conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
        else:
            names = {ix["name"] for ix in sa.inspect(conn).get_indexes("consultations")}
    assert names >= EXPRESSION_INDEXES
    if db.engine.dialect.name == "sqlite":
        day = office_day(Consultation.received_at)
        query = (sa.select(day, Consultation.channel, sa.func.sum(Consultation.persons))
                 .where(day >= sa.func.date("2026-01-01"), Consultation.voided_at.is_(None))
                 .group_by(day, Consultation.channel))
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(r) for r in db.session.execute(
            sa.text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_consultations_office_day" in plan and "TEMP B-TREE" not in plan, plan
