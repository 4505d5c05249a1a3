"""Consultations and statistics: the front-desk log (咨询/来访), public case lookups, the
ledger's imported-case details (台账), and submitted (frozen) statistical reports.

Revision ID: desk70006
Revises: cert60005
Create Date: 2026-11-30 09:51:36.910379

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'desk70006'
down_revision = 'cert60005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('looked_up_at', sa.DateTime(), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=False),
    sa.Column('acceptance_number', sa.String(length=64), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_lookups'))
    )
    with op.batch_alter_table('case_lookups', schema=None) as batch_op:
        batch_op.create_index('ix_case_lookups_ip_at', ['client_ip', 'looked_up_at'], unique=False)

    op.create_table('submitted_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_submitted_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submitted_reports'))
    )
    with op.batch_alter_table('submitted_reports', schema=None) as batch_op:
        batch_op.create_index('ix_submitted_reports_period', ['period_start', 'period_end'], unique=False)

    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('persons', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('matter_type_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_by_name', sa.String(length=64), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('import_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_consultations_case_id_cases')),
    sa.ForeignKeyConstraint(['matter_type_id'], ['matter_types.id'], name=op.f('fk_consultations_matter_type_id_matter_types')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_consultations_taken_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations')),
    sa.UniqueConstraint('import_key', name=op.f('uq_consultations_import_key'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_consultations_received_channel', ['received_at', 'channel'], unique=False)
        batch_op.create_index('ix_consultations_taken_by', ['taken_by_id', 'received_at'], unique=False)

    op.create_table('ledger_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('handler_name', sa.String(length=64), nullable=True),
    sa.Column('fee_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reduction_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reduction_reason', sa.String(length=200), nullable=True),
    sa.Column('is_legal_aid', sa.Boolean(), nullable=False),
    sa.Column('fee_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_ledger_cases_case_id_cases')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_ledger_cases_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_cases')),
    sa.UniqueConstraint('case_id', name=op.f('uq_ledger_cases_case_id'))
    )
    with op.batch_alter_table('ledger_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_cases_fee_at'), ['fee_at'], unique=False)



def downgrade():
    with op.batch_alter_table('ledger_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_cases_fee_at'))

    op.drop_table('ledger_cases')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_taken_by')
        batch_op.drop_index('ix_consultations_received_channel')
        batch_op.drop_index(batch_op.f('ix_consultations_case_id'))

    op.drop_table('consultations')
    with op.batch_alter_table('submitted_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_submitted_reports_period')

    op.drop_table('submitted_reports')
    with op.batch_alter_table('case_lookups', schema=None) as batch_op:
        batch_op.drop_index('ix_case_lookups_ip_at')

    op.drop_table('case_lookups')
