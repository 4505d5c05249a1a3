"""Indexes for a province's register: party-name search and closed investigations.

A million cases and their parties: a substring search of the party name (LIKE '%name%')
cannot use a B-tree, so PostgreSQL gets a trigram GIN index (pg_trgm) that answers it from
the matching names only. On SQLite the same declaration is a plain index (the dialect
options do not apply there), and the names go into a full-text table with the trigram
tokenizer (FTS5, external content: no second copy), kept in step by triggers. A later
migration that rebuilds `parties` in batch mode on SQLite must recreate those triggers.
The statistics count completed investigations by closing date: (status, closed_at).
A case's consultations come from (case_id, received_at), which replaces the index on case_id
alone: with it, SQLite read all three million consultations in date order for one case page.

Revision ID: scale0009
Revises: trust0008
Create Date: 2026-11-30 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'scale0009'
down_revision = 'trust0008'
branch_labels = None
depends_on = None


SEARCH = 'parties_name_search'
SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE {SEARCH} USING fts5(name, content='parties', content_rowid='id', "
    "tokenize='trigram')",
    f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('rebuild')",
    f"CREATE TRIGGER {SEARCH}_insert AFTER INSERT ON parties BEGIN "
    f"INSERT INTO {SEARCH}(rowid, name) VALUES (new.id, new.name); END",
    f"CREATE TRIGGER {SEARCH}_delete AFTER DELETE ON parties BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, name) VALUES ('delete', old.id, old.name); END",
    f"CREATE TRIGGER {SEARCH}_update AFTER UPDATE OF name ON parties BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, name) VALUES ('delete', old.id, old.name); "
    f"INSERT INTO {SEARCH}(rowid, name) VALUES (new.id, new.name); END",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    elif dialect == 'sqlite':
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.create_index('ix_parties_name_trgm', ['name'], unique=False,
                              postgresql_using='gin',
                              postgresql_ops={'name': 'gin_trgm_ops'})
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.create_index('ix_investigations_status_closed', ['status', 'closed_at'],
                              unique=False)
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_case_id')
        batch_op.create_index('ix_consultations_case', ['case_id', 'received_at'], unique=False)


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for suffix in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS {SEARCH}_{suffix}')
        op.execute(f'DROP TABLE IF EXISTS {SEARCH}')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_case')
        batch_op.create_index('ix_consultations_case_id', ['case_id'], unique=False)
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.drop_index('ix_investigations_status_closed')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index('ix_parties_name_trgm')
    # pg_trgm stays installed: other database objects may have come to use it.
