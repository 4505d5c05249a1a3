"""The lists of one member of staff's cases read in index order: (handling notary, status,
date of application) and (assistant, status, date of application), replacing the shorter
indexes on (handling notary, status) and on the assistant alone.

Revision ID: speed15
Revises: statsix15
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'speed15'
down_revision = 'statsix15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_notary_status_applied', 'cases',
                    ['handling_notary_id', 'status', 'applied_at'], unique=False)
    op.create_index('ix_cases_assistant_status_applied', 'cases',
                    ['assistant_id', 'status', 'applied_at'], unique=False)
    op.drop_index('ix_cases_notary_status', table_name='cases')
    op.drop_index('ix_cases_assistant_id', table_name='cases')
    # The planner chooses among the indexes by their statistics: without them a new index
    # looks like any other, and the lists read every case of a status.
    op.execute('ANALYZE cases')


def downgrade():
    op.create_index('ix_cases_assistant_id', 'cases', ['assistant_id'], unique=False)
    op.create_index('ix_cases_notary_status', 'cases', ['handling_notary_id', 'status'],
                    unique=False)
    op.drop_index('ix_cases_assistant_status_applied', table_name='cases')
    op.drop_index('ix_cases_notary_status_applied', table_name='cases')
