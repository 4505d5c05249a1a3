"""The fee totals by handling notary and the statistics by category read from indexes: each
payment's case from the payments' date index (paid_at, case_id, amount), replacing
(paid_at, amount); each case's handling notary and category from (id, handling_notary_id,
category).

Revision ID: fees16
Revises: speed15
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'fees16'
down_revision = 'speed15'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_fee_payments_paid_case_amount', 'fee_payments',
                    ['paid_at', 'case_id', 'amount'], unique=False)
    op.drop_index('ix_fee_payments_paid_amount', table_name='fee_payments')
    op.create_index('ix_cases_id_notary_category', 'cases',
                    ['id', 'handling_notary_id', 'category'], unique=False)
    # Statistics for the planner to weigh the new indexes (see speed15).
    op.execute('ANALYZE fee_payments')
    op.execute('ANALYZE cases')


def downgrade():
    op.drop_index('ix_cases_id_notary_category', table_name='cases')
    op.create_index('ix_fee_payments_paid_amount', 'fee_payments', ['paid_at', 'amount'],
                    unique=False)
    op.drop_index('ix_fee_payments_paid_case_amount', table_name='fee_payments')
