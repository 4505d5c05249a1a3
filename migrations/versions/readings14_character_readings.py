"""Readings of rare characters: how the office reads a character the Pinyin dictionary does
not know (a name's 生僻字), for the names on translation pages.

Revision ID: readings14
Revises: deskfix13
"""
from alembic import op
import sqlalchemy as sa

import notary.core.models

# revision identifiers, used by Alembic.
revision = 'readings14'
down_revision = 'deskfix13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'character_readings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('char', sa.String(length=4), nullable=False),
        sa.Column('reading', sa.String(length=16), nullable=False),
        sa.Column('recorded_at', notary.core.models.UTCDateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_character_readings_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_character_readings')),
    )
    with op.batch_alter_table('character_readings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_character_readings_char'), ['char'], unique=False)


def downgrade():
    with op.batch_alter_table('character_readings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_character_readings_char'))
    op.drop_table('character_readings')
