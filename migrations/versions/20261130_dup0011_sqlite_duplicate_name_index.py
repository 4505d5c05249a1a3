"""SQLite: drop the second plain index on the party name.

ix_parties_name_trgm is a trigram GIN index on PostgreSQL (migration scale0009); elsewhere it
was created as a plain B-tree on the name, the same as ix_parties_name, and so cost every
party insert a second index for nothing. SQLite searches names through ix_parties_name (one
or two characters) and the FTS5 trigram table (three or more).

Revision ID: dup0011
Revises: name0010
Create Date: 2026-11-30 18:40:00
"""
from alembic import op

revision = 'dup0011'
down_revision = 'name0010'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        op.drop_index('ix_parties_name_trgm', table_name='parties')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        op.create_index('ix_parties_name_trgm', 'parties', ['name'], unique=False)
