"""The settings each database connection starts with."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from notary.extensions import db


def test_postgresql_pages_start_no_parallel_workers(app: Flask, backend: dict[str, Any]
                                                    ) -> None:
    """PostgreSQL: no parallel workers for the pages' short statements (config
    PG_PARALLEL_WORKERS_PER_QUERY); SQLite has no such setting and gets no option."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if backend["name"] == "postgresql":
        assert db.session.execute(sa.text("SHOW max_parallel_workers_per_gather")
                                  ).scalar() == "0"
        assert "max_parallel_workers_per_gather=0" in options["connect_args"]["options"]
    else:
        assert "connect_args" not in options
