"""Access: revocable sessions (one row per signed-in browser session, found by its token's
hash; the per-user session_version it replaces is dropped) and the API's rate-limit counters
shared by every worker and server.

Sessions signed in before this revision carry no session token and are refused: everybody
signs in again once.

Revision ID: access0012
Revises: dup0011
Create Date: 2026-12-01 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'access0012'
down_revision = 'dup0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    # SQLite (3.35+) drops the column in place: a batch copy of `users` would have to drop the
    # table that every other table points at.
    op.execute('ALTER TABLE users DROP COLUMN session_version')


def downgrade():
    # Every user's sessions start again at version 1 (the default the column had).
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False,
                                     server_default='1'))
    op.drop_table('rate_limit_counters')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
