"""The fee day book: each local day's payments, refunds and approved reductions by the
cases' handling notary (`fee_day_totals`), kept by `notary.fees.daybook` as the money moves,
so the totals page sums a few hundred cells instead of a half year's payments. Filled here
from the rows already stored, with the same grouping as `daybook.rebuild`.

Revision ID: fees17
Revises: fees16
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'fees17'
down_revision = 'fees16'
branch_labels = None
depends_on = None

# The local (Asia/Shanghai, UTC+8 all year) day of a stored UTC timestamp, as
# notary.core.models.office_day writes it.
LOCAL_DAY = {"sqlite": "strftime('%Y-%m-%d', {}, '+8 hours')",
             "postgresql": "CAST(({} + interval '8 hours') AS DATE)"}


def upgrade():
    op.create_table(
        'fee_day_totals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('notary_id', sa.Integer(), nullable=True),
        sa.Column('received', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('refunded', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('reduced', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('payments', sa.Integer(), nullable=False),
        sa.Column('reductions', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['notary_id'], ['users.id'],
                                name=op.f('fk_fee_day_totals_notary_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_day_totals')),
    )
    op.create_index('ix_fee_day_totals_day_notary', 'fee_day_totals', ['day', 'notary_id'],
                    unique=False)
    day = LOCAL_DAY[op.get_bind().dialect.name].format
    op.execute(f"""
        INSERT INTO fee_day_totals (day, notary_id, received, refunded, reduced, payments,
                                    reductions)
        SELECT m.day, c.handling_notary_id, sum(m.received), sum(m.refunded), sum(m.reduced),
               sum(m.payments), sum(m.reductions)
        FROM (SELECT {day('paid_at')} AS day, case_id, amount AS received, 0 AS refunded,
                     0 AS reduced, 1 AS payments, 0 AS reductions FROM fee_payments
              UNION ALL
              SELECT {day('refunded_at')}, case_id, 0, amount, 0, 0, 0 FROM fee_refunds
              UNION ALL
              SELECT {day('decided_at')}, case_id, 0, 0, amount, 0, 1 FROM fee_reductions
              WHERE status = 'approved') AS m
        JOIN cases c ON c.id = m.case_id
        GROUP BY m.day, c.handling_notary_id""")
    op.execute('ANALYZE fee_day_totals')


def downgrade():
    op.drop_index('ix_fee_day_totals_day_notary', table_name='fee_day_totals')
    op.drop_table('fee_day_totals')
