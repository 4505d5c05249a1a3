"""Indexes for the deadlines' archive queue: the concluded cases not yet archived.

The queue counts (up to 2,001) and lists, oldest conclusion first, the cases of a status
among the concluded ones, not archived, concluded before a date: the whole office's, a
notary's or an assistant's. With most concluded cases of a large register archived, the
count scanned the register (12 ms for a notary's at a million cases on PostgreSQL). Each
index holds only the cases concluded and not archived, with the status, so the count and
the first page are read from the index alone.

Revision ID: queues18
Revises: fees17
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'queues18'
down_revision = 'fees17'
branch_labels = None
depends_on = None

NOT_ARCHIVED = sa.text("archived_at IS NULL AND closed_at IS NOT NULL")
INDEXES = (
    ('ix_cases_to_archive', []),
    ('ix_cases_to_archive_notary', ['handling_notary_id']),
    ('ix_cases_to_archive_assistant', ['assistant_id']),
)


def upgrade():
    for name, columns in INDEXES:
        op.create_index(name, 'cases', [*columns, 'closed_at', 'id', 'status'],
                        sqlite_where=NOT_ARCHIVED, postgresql_where=NOT_ARCHIVED)


def downgrade():
    for name, _columns in INDEXES:
        op.drop_index(name, table_name='cases')
