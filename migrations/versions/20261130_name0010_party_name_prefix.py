"""Party names searched by their first one or two characters: a prefix index on PostgreSQL.

A search of one or two characters makes no trigram, so it matches names that start with it
(notary/parties/queries.py: name_matches). LIKE 'x%' uses a B-tree only under the C
collation or with the pattern operator class; SQLite's plain index on the name serves it.

Revision ID: name0010
Revises: scale0009
Create Date: 2026-11-30 15:10:00
"""
from alembic import op

revision = 'name0010'
down_revision = 'scale0009'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.create_index('ix_parties_name_prefix', 'parties', ['name'], unique=False,
                        postgresql_ops={'name': 'varchar_pattern_ops'})


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_parties_name_prefix', table_name='parties')
