"""Indexes for a province's register: party-name search and closed investigations.

A million cases and their parties: a substring search of the party name (LIKE '%name%')
cannot use a B-tree, so PostgreSQL gets a trigram GIN index (pg_trgm) that answers it from
the matching names only. On SQLite the same declaration is a plain index (the dialect
options do not apply there); its search stays a scan of the name index.
The statistics count completed investigations by closing date: (status, closed_at).
A case's consultations come from (case_id, received_at), which replaces the index on case_id
alone: with it, SQLite read all three million consultations in date order for one case page.

Revision ID: scale0009
Revises: desk70006
Create Date: 2026-11-30 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'scale0009'
down_revision = 'desk70006'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
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
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_case')
        batch_op.create_index('ix_consultations_case_id', ['case_id'], unique=False)
    with op.batch_alter_table('investigations', schema=None) as batch_op:
        batch_op.drop_index('ix_investigations_status_closed')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_index('ix_parties_name_trgm')
    # pg_trgm stays installed: other database objects may have come to use it.
