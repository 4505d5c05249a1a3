"""Certificates: wording templates, certificates, public lookups, reviews, delivery, foreign use, archive.

Adds the office's wording (证词) templates; the certificates of each case with their frozen
wording, series number, verification code and stored PDF (SHA-256); the public verification log
(also the rate limiter's memory); review applications (复查) and their outcomes; delivery
receipts; foreign-use and Taiwan-duplicate tracking; and the archive retention class.
Nothing existing changes: the ISSUE step now fills cases.certificate_number itself.

Revision ID: cert60005
Revises: inh40004
Create Date: 2026-11-30 09:51:24.972085

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cert60005'
down_revision = 'inh40004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('wording_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_code', sa.String(length=32), nullable=False),
    sa.Column('matter_text', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_wording_templates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wording_templates')),
    sa.UniqueConstraint('matter_code', name=op.f('uq_wording_templates_matter_code'))
    )
    op.create_table('archive_files',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('retention', sa.String(length=32), nullable=False),
    sa.Column('is_confidential', sa.Boolean(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('archived_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_archive_files_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_archive_files'))
    )
    op.create_table('certificate_deliveries',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('mail_tracking', sa.String(length=64), nullable=True),
    sa.Column('receipt_path', sa.String(length=255), nullable=True),
    sa.Column('receipt_sha256', sa.String(length=64), nullable=True),
    sa.Column('receipt_filename', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_certificate_deliveries_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_certificate_deliveries'))
    )
    op.create_table('certificate_foreign_uses',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('route', sa.String(length=32), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('embassy_on', sa.Date(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('duplicate_sent_on', sa.Date(), nullable=True),
    sa.Column('duplicate_reference', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_certificate_foreign_uses_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_certificate_foreign_uses'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('matter_code', sa.String(length=32), nullable=False),
    sa.Column('matter_text', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('applicant_block', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('applicant_block_en', sa.Text(), nullable=False),
    sa.Column('with_translation', sa.Boolean(), nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=True),
    sa.Column('series', sa.String(length=32), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=80), nullable=True),
    sa.Column('verification_code', sa.String(length=16), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('notary_name', sa.String(length=100), nullable=True),
    sa.Column('office_name', sa.String(length=100), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('pdf_path', sa.String(length=255), nullable=True),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=True),
    sa.Column('pdf_size', sa.Integer(), nullable=True),
    sa.Column('is_signed', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_certificates_case_id_cases')),
    sa.ForeignKeyConstraint(['corrects_id'], ['certificates.id'], name=op.f('fk_certificates_corrects_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('number', name=op.f('uq_certificates_number')),
    sa.UniqueConstraint('series', 'year', 'seq', name=op.f('uq_certificates_series_year_seq')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_certificates_verification_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_case_id'), ['case_id'], unique=False)

    op.create_table('certificate_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('applicant', sa.String(length=200), nullable=False),
    sa.Column('is_party', sa.Boolean(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('known_on', sa.Date(), nullable=True),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('late', sa.String(length=32), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=True),
    sa.Column('decision', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('report_due_on', sa.Date(), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=True),
    sa.Column('new_certificate_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_reviews_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_certificate_reviews_decided_by_id_users')),
    sa.ForeignKeyConstraint(['new_certificate_id'], ['certificates.id'], name=op.f('fk_certificate_reviews_new_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_reviews'))
    )
    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_reviews_certificate_id'), ['certificate_id'], unique=False)

    op.create_table('verification_lookups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('client_ip', sa.String(length=64), nullable=False),
    sa.Column('number_typed', sa.String(length=120), nullable=True),
    sa.Column('code_typed', sa.String(length=32), nullable=True),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_verification_lookups_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_lookups'))
    )
    with op.batch_alter_table('verification_lookups', schema=None) as batch_op:
        batch_op.create_index('ix_verification_lookups_ip_at', ['client_ip', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('verification_lookups', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_lookups_ip_at')

    op.drop_table('verification_lookups')
    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_reviews_certificate_id'))

    op.drop_table('certificate_reviews')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_case_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_foreign_uses')
    op.drop_table('certificate_deliveries')
    op.drop_table('archive_files')
    op.drop_table('wording_templates')
