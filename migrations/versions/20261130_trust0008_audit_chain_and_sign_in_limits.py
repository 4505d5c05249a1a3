"""Trust: a tamper-evident audit trail (each entry's hash chained to the previous one, the
chain head in a one-row table; existing entries are hashed in id order), and failed sign-ins
per client address for the sign-in rate limit.

Revision ID: trust0008
Revises: api80007
Create Date: 2026-11-30 11:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'trust0008'
down_revision = 'api80007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))

    op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    _backfill()

    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=False),
    sa.Column('username_typed', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_failures_ip_at', ['client_ip', 'failed_at'], unique=False)


def _backfill():
    # The hash function is the one the application verifies with; it is frozen by design
    # (changing it would break every existing chain), so importing it here is safe.
    from notary.core.audit import GENESIS_HASH, HASHED_FIELDS, entry_hash

    conn = op.get_bind()
    entries = sa.table('audit_entries', *(sa.column(n) for n in HASHED_FIELDS if n not in (
        'created_at', 'before', 'after')), sa.column('created_at', sa.DateTime()),
        sa.column('before', sa.JSON()), sa.column('after', sa.JSON()),
        sa.column('prev_hash'), sa.column('entry_hash'))
    prev, last_id, batch = GENESIS_HASH, 0, []
    rows = conn.execute(sa.select(*(entries.c[n] for n in HASHED_FIELDS))
                        .order_by(entries.c.id)).mappings().all()
    for row in rows:
        digest = entry_hash(prev, row)
        batch.append({'b_id': row['id'], 'b_prev': prev, 'b_hash': digest})
        prev, last_id = digest, row['id']
    if batch:
        conn.execute(sa.update(entries).where(entries.c.id == sa.bindparam('b_id'))
                     .values(prev_hash=sa.bindparam('b_prev'),
                             entry_hash=sa.bindparam('b_hash')), batch)
        conn.execute(sa.text("INSERT INTO audit_chain_head (id, last_entry_id, last_hash) "
                             "VALUES (1, :id, :hash)"), {'id': last_id, 'hash': prev})


def downgrade():
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_failures_ip_at')
    op.drop_table('sign_in_failures')
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
