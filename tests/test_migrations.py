"""The migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from notary.extensions import db
from notary.parties.models import include_in_schema_compare


def _diff() -> list[object]:
    with db.engine.connect() as conn:
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
