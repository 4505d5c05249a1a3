"""Documents that hold up: the birth record on a party, the translation language and the
verification address on each certificate, and the office's recorded verification address.

- parties: birth_province, birth_county, father_name, mother_name (what a 出生 certificate
  states; 1981 notice [81]司公字第139号).
- certificates: language (the translation page's language), verify_base_url (the address in
  the QR code, fixed at issue), drafted_at / edited_at (whether a draft still follows the
  case or was changed by hand).
- verification_addresses: the public address this office's certificates carry; issuing is
  refused while the configured PUBLIC_BASE_URL differs from the latest row.

Certificates issued before this revision keep verify_base_url empty and print the configured
address, as they did.

Revision ID: documents0012
Revises: access0012
Create Date: 2026-12-06 00:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'documents0012'
down_revision = 'access0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'verification_addresses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                                name=op.f('fk_verification_addresses_recorded_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_addresses')),
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('verify_base_url', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('drafted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_province', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('birth_county', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('father_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('mother_name', sa.String(length=100), nullable=True))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate
    # `parties`, which the foreign keys of a database holding cases refuse.
    for table, column in (('parties', 'mother_name'), ('parties', 'father_name'),
                          ('parties', 'birth_county'), ('parties', 'birth_province'),
                          ('certificates', 'edited_at'), ('certificates', 'drafted_at'),
                          ('certificates', 'verify_base_url'), ('certificates', 'language')):
        op.drop_column(table, column)
    op.drop_table('verification_addresses')
