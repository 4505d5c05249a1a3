"""Alembic environment for Flask-Migrate with Flask-SQLAlchemy 3 (typed models)."""

import logging
import warnings
from logging.config import fileConfig

from alembic import context
from flask import current_app

from notary.parties.models import SKIPPED_REFLECTION, include_in_schema_compare

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def get_metadata():
    return db.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout without a database connection."""
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations against the app's engine."""

    def process_revision_directives(context, revision, directives):
        # Never write an empty revision from autogenerate.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    # SQLite's name-search tables (FTS5, migration scale0009) are not models.
    conf_args.setdefault("include_object", include_in_schema_compare)
    # SQLite's expression indexes are left out of the comparison (EXPRESSION_INDEXES).
    warnings.filterwarnings("ignore", message=SKIPPED_REFLECTION)
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
