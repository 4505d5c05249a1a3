"""Indexes for the statistics page: a half-year beside the previous one and the year before.

- cases (closed_at, closing_type, category, handling_notary_id) replaces the index on
  closed_at alone (its prefix): a period's concluded cases are counted, and joined by id,
  from the index without reading a row (PostgreSQL carries the id as an included column;
  SQLite has the rowid in every index).
- consultations by the office's calendar day of received_at, then channel and persons, for
  the entries not voided: the person-times per day and channel are read in index order,
  where each row's timestamp was converted and every row sorted. The expression is the one
  `notary.core.models.office_day` writes for each database (the query must name it alike).
- certificates (issued_on, case_id): the certificates issued in a period were a full scan.
- fee_payments (paid_at, amount) replaces the index on paid_at alone: a period's income is
  summed from the index.

Revision ID: statsix15
Revises: readings14
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'statsix15'
down_revision = 'readings14'
branch_labels = None
depends_on = None

OFFICE_DAY = {
    'sqlite': "strftime('%Y-%m-%d', received_at, '+8 hours')",
    'postgresql': "CAST((received_at + interval '8 hours') AS DATE)",
}


def upgrade():
    dialect = op.get_bind().dialect.name
    op.create_index('ix_cases_concluded', 'cases',
                    ['closed_at', 'closing_type', 'category', 'handling_notary_id'],
                    postgresql_include=['id'])
    op.drop_index('ix_cases_closed_at', table_name='cases')
    include = ' INCLUDE (received_at)' if dialect == 'postgresql' else ''
    op.execute(f"CREATE INDEX ix_consultations_office_day ON consultations "
               f"({OFFICE_DAY[dialect]}, channel, persons){include} WHERE voided_at IS NULL")
    op.create_index('ix_certificates_issued_on', 'certificates', ['issued_on', 'case_id'])
    op.create_index('ix_fee_payments_paid_amount', 'fee_payments', ['paid_at', 'amount'])
    op.drop_index('ix_fee_payments_paid_at', table_name='fee_payments')


def downgrade():
    op.create_index('ix_fee_payments_paid_at', 'fee_payments', ['paid_at'])
    op.drop_index('ix_fee_payments_paid_amount', table_name='fee_payments')
    op.drop_index('ix_certificates_issued_on', table_name='certificates')
    op.drop_index('ix_consultations_office_day', table_name='consultations')
    op.create_index('ix_cases_closed_at', 'cases', ['closed_at'])
    op.drop_index('ix_cases_concluded', table_name='cases')
