"""The case file as the rules stand: 告知 records (公证法 art. 27), the second volume (副卷)
and a will's file (recording, the testator's death); the review's reviewer, clock, pauses,
conclusion and announcement (复查, 公证程序规则 arts. 61-64); the complaint register (投诉); a
notary's practice certificate number, suspension and approver designation.

Revision ID: casefile01
Revises: fees0012
Create Date: 2026-12-06 00:00:47.967334

"""
from alembic import op
import sqlalchemy as sa

import notary.core.models


# revision identifiers, used by Alembic.
revision = 'casefile01'
down_revision = 'fees0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_file_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('discussion', 'approval', 'request', 'reply', name='filenotekind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_case_file_notes_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_file_notes_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file_notes'))
    )
    with op.batch_alter_table('case_file_notes', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_notes_case', ['case_id', 'id'], unique=False)

    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('letter', 'phone', 'visit', 'online', 'forwarded', name='complaintchannel', native_enum=False, length=32), nullable=False),
    sa.Column('complainant_name', sa.String(length=100), nullable=False),
    sa.Column('complainant_phone', sa.String(length=32), nullable=True),
    sa.Column('complainant_address', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('staff_involved', sa.String(length=100), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_by', sa.String(length=100), nullable=True),
    sa.Column('forwarded_reference', sa.String(length=64), nullable=True),
    sa.Column('answer_due_on', sa.Date(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('upheld', 'partly_upheld', 'not_upheld', 'to_review', 'withdrawn', name='complaintoutcome', native_enum=False, length=32), nullable=True),
    sa.Column('created_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_complaints_answered_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_complaints_case_id_cases')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_complaints_registered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_complaints_open_due', ['answered_on', 'answer_due_on'], unique=False)
        batch_op.create_index('ix_complaints_received_on', ['received_on'], unique=False)

    op.create_table('will_files',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('testator_infirm', sa.Boolean(), nullable=False),
    sa.Column('infirm_note', sa.String(length=200), nullable=True),
    sa.Column('recording_path', sa.String(length=255), nullable=True),
    sa.Column('recording_filename', sa.String(length=255), nullable=True),
    sa.Column('recording_content_type', sa.String(length=64), nullable=True),
    sa.Column('recording_size', sa.BigInteger(), nullable=True),
    sa.Column('recording_sha256', sa.String(length=64), nullable=True),
    sa.Column('recording_at', notary.core.models.UTCDateTime(), nullable=True),
    sa.Column('recording_by_id', sa.Integer(), nullable=True),
    sa.Column('death_on', sa.Date(), nullable=True),
    sa.Column('death_evidence', sa.String(length=200), nullable=True),
    sa.Column('death_recorded_at', notary.core.models.UTCDateTime(), nullable=True),
    sa.Column('death_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_will_files_case_id_cases')),
    sa.ForeignKeyConstraint(['death_recorded_by_id'], ['users.id'], name=op.f('fk_will_files_death_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['recording_by_id'], ['users.id'], name=op.f('fk_will_files_recording_by_id_users')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_will_files')),
    sa.UniqueConstraint('recording_path', name=op.f('uq_will_files_recording_path'))
    )
    op.create_table('case_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('told_on', sa.Date(), nullable=False),
    sa.Column('told_by_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('written', 'oral', 'video', name='noticemethod', native_enum=False, length=32), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('party_signed', sa.Boolean(), nullable=False),
    sa.Column('created_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', notary.core.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notices_case_id_cases')),
    sa.ForeignKeyConstraint(['participant_id'], ['case_participants.id'], name=op.f('fk_case_notices_participant_id_case_participants')),
    sa.ForeignKeyConstraint(['told_by_id'], ['users.id'], name=op.f('fk_case_notices_told_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notices')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_case_notices_participant_id'))
    )
    with op.batch_alter_table('case_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notices_case_id'), ['case_id'], unique=False)

    op.create_table('review_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('materials', 'verification', 'force_majeure', name='reviewpausekind', native_enum=False, length=32), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['certificate_reviews.id'], name=op.f('fk_review_pauses_review_id_certificate_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_pauses'))
    )
    with op.batch_alter_table('review_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_pauses_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('proposed_outcome', sa.Enum('uphold', 'reissue', 'supplement', 'revoke', name='reviewoutcome', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('proposed_decision', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposed_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('proposed_at', notary.core.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('execution_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('carried_out_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('announced_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('announcement_channel', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('announcement_reference', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_certificate_reviews_decision_due_on'), ['decision_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_reviews_execution_due_on'), ['execution_due_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_certificate_reviews_reviewer_id_users'), 'users', ['reviewer_id'], ['id'])

    # Plain ALTER TABLE ... ADD COLUMN: in a batch, the boolean's expression default would make
    # SQLite copy `users`, which the foreign keys of a database holding cases refuse.
    op.add_column('users', sa.Column('practice_certificate_number', sa.String(length=64),
                                     nullable=True))
    op.add_column('users', sa.Column('suspended_from', sa.Date(), nullable=True))
    op.add_column('users', sa.Column('suspended_until', sa.Date(), nullable=True))
    op.add_column('users', sa.Column('suspension_reason', sa.String(length=200), nullable=True))
    op.add_column('users', sa.Column('may_approve', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate
    # `users`, which the foreign keys of a database holding cases refuse.
    for column in ('may_approve', 'suspension_reason', 'suspended_until', 'suspended_from',
                   'practice_certificate_number'):
        op.drop_column('users', column)

    # The pauses go first: the batch copy of certificate_reviews drops the table they point at.
    with op.batch_alter_table('review_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_pauses_review_id'))

    op.drop_table('review_pauses')
    with op.batch_alter_table('certificate_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificate_reviews_reviewer_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_certificate_reviews_execution_due_on'))
        batch_op.drop_index(batch_op.f('ix_certificate_reviews_decision_due_on'))
        batch_op.drop_column('announcement_reference')
        batch_op.drop_column('announcement_channel')
        batch_op.drop_column('announced_on')
        batch_op.drop_column('carried_out_on')
        batch_op.drop_column('execution_due_on')
        batch_op.drop_column('proposed_at')
        batch_op.drop_column('proposed_body')
        batch_op.drop_column('proposed_decision')
        batch_op.drop_column('proposed_outcome')
        batch_op.drop_column('paused_since')
        batch_op.drop_column('decision_due_on')
        batch_op.drop_column('reviewer_id')

    with op.batch_alter_table('case_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notices_case_id'))

    op.drop_table('case_notices')
    op.drop_table('will_files')
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_received_on')
        batch_op.drop_index('ix_complaints_open_due')
        batch_op.drop_index(batch_op.f('ix_complaints_case_id'))

    op.drop_table('complaints')
    with op.batch_alter_table('case_file_notes', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_notes_case')

    op.drop_table('case_file_notes')
