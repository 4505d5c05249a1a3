"""Front-desk log: corrected and voided entries (a mistaken entry is voided with its reason,
never deleted, and left out of every figure).

Revision ID: deskfix13
Revises: casefile01
"""
from alembic import op
import sqlalchemy as sa

import notary.core.models

# revision identifiers, used by Alembic.
revision = 'deskfix13'
down_revision = 'casefile01'
branch_labels = None
depends_on = None


def upgrade():
    # A batch copy of consultations is safe: no other table points at it.
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', notary.core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', notary.core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.String(length=500), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consultations_voided_by_id_users'), 'users',
                                    ['voided_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultations_voided_by_id_users'), type_='foreignkey')
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('corrected_at')
