"""Investigations and inheritance: field tasks, records, attachments; decedent, family, estate.

Adds investigation tasks with their staff, records (笔录) with the persons questioned and the
questions and answers, and attachments; and for inheritance cases the decedent with the notice
period and the stored heir determination, the family, the estate items, wills and
legacy-support agreements, and the ten-item materials checklist. Nothing existing changes.

Revision ID: inh40004
Revises: fee50003
Create Date: 2026-11-30 09:15:22.346044

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "inh40004"
down_revision = "fee50003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "estate_dispositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("form", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("is_removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_estate_dispositions_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estate_dispositions")),
    )
    with op.batch_alter_table("estate_dispositions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_estate_dispositions_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "estate_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("is_marital", sa.Boolean(), nullable=False),
        sa.Column("disposed_by_will", sa.Boolean(), nullable=False),
        sa.Column("is_removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_estate_items_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estate_items")),
    )
    with op.batch_alter_table("estate_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_estate_items_case_id"), ["case_id"], unique=False)

    op.create_table(
        "family_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("via_id", sa.Integer(), nullable=True),
        sa.Column("successor_of_id", sa.Integer(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=True),
        sa.Column("died_in_same_event", sa.Boolean(), nullable=False),
        sa.Column("has_other_heirs", sa.Boolean(), nullable=False),
        sa.Column("main_support", sa.Boolean(), nullable=False),
        sa.Column("renounced", sa.Boolean(), nullable=False),
        sa.Column("renounced_on", sa.Date(), nullable=True),
        sa.Column("lost_right_ground", sa.String(length=32), nullable=True),
        sa.Column("forgiven", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("is_removed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_family_members_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["successor_of_id"],
            ["family_members.id"],
            name=op.f("fk_family_members_successor_of_id_family_members"),
        ),
        sa.ForeignKeyConstraint(
            ["via_id"], ["family_members.id"], name=op.f("fk_family_members_via_id_family_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_members")),
    )
    with op.batch_alter_table("family_members", schema=None) as batch_op:
        batch_op.create_index("ix_family_members_case", ["case_id", "id"], unique=False)

    op.create_table(
        "inheritance_cases",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decedent_name", sa.String(length=100), nullable=False),
        sa.Column("decedent_document", sa.String(length=64), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("death_place", sa.String(length=200), nullable=True),
        sa.Column("last_residence", sa.String(length=200), nullable=True),
        sa.Column("death_proof", sa.String(length=32), nullable=False),
        sa.Column("death_proof_note", sa.String(length=200), nullable=True),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("notice_start", sa.Date(), nullable=True),
        sa.Column("notice_end", sa.Date(), nullable=True),
        sa.Column("checklist_override_by_id", sa.Integer(), nullable=True),
        sa.Column("checklist_override_at", sa.DateTime(), nullable=True),
        sa.Column("checklist_override_reason", sa.Text(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("result_at", sa.DateTime(), nullable=True),
        sa.Column("agreed_shares", sa.JSON(), nullable=True),
        sa.Column("agreed_note", sa.Text(), nullable=True),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"], ["users.id"], name=op.f("fk_inheritance_cases_agreed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_inheritance_cases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["checklist_override_by_id"],
            ["users.id"],
            name=op.f("fk_inheritance_cases_checklist_override_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_inheritance_cases")),
    )
    op.create_table(
        "inheritance_checklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_inheritance_checklist_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["users.id"],
            name=op.f("fk_inheritance_checklist_checked_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inheritance_checklist")),
        sa.UniqueConstraint("case_id", "item", name=op.f("uq_inheritance_checklist_case_id_item")),
    )
    op.create_table(
        "investigations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("other_office", sa.String(length=200), nullable=True),
        sa.Column("witness_name", sa.String(length=100), nullable=True),
        sa.Column("witness_contact", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("paused_case", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_investigations_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_investigations_closed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_investigations_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigations")),
    )
    with op.batch_alter_table("investigations", schema=None) as batch_op:
        batch_op.create_index("ix_investigations_case", ["case_id", "id"], unique=False)
        batch_op.create_index(
            "ix_investigations_status_scheduled", ["status", "scheduled_at"], unique=False
        )

    op.create_table(
        "investigation_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_investigation_attachments_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_investigation_attachments_uploaded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_attachments")),
        sa.UniqueConstraint("stored_path", name=op.f("uq_investigation_attachments_stored_path")),
    )
    with op.batch_alter_table("investigation_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investigation_attachments_investigation_id"),
            ["investigation_id"],
            unique=False,
        )

    op.create_table(
        "investigation_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("recorder_id", sa.Integer(), nullable=False),
        sa.Column("observations", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_investigation_records_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorder_id"], ["users.id"], name=op.f("fk_investigation_records_recorder_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_investigation_records")),
    )
    with op.batch_alter_table("investigation_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investigation_records_investigation_id"),
            ["investigation_id"],
            unique=False,
        )

    op.create_table(
        "investigation_staff",
        sa.Column("investigation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["investigation_id"],
            ["investigations.id"],
            name=op.f("fk_investigation_staff_investigation_id_investigations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_investigation_staff_user_id_users")
        ),
        sa.PrimaryKeyConstraint("investigation_id", "user_id", name=op.f("pk_investigation_staff")),
    )
    with op.batch_alter_table("investigation_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_investigation_staff_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "record_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=True),
        sa.Column("relation", sa.String(length=100), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("fingerprinted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["investigation_records.id"],
            name=op.f("fk_record_persons_record_id_investigation_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_persons")),
    )
    with op.batch_alter_table("record_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_persons_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["investigation_records.id"],
            name=op.f("fk_record_questions_record_id_investigation_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_questions")),
    )
    with op.batch_alter_table("record_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_questions_record_id"), ["record_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("record_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_questions_record_id"))

    op.drop_table("record_questions")
    with op.batch_alter_table("record_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_persons_record_id"))

    op.drop_table("record_persons")
    with op.batch_alter_table("investigation_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_staff_user_id"))

    op.drop_table("investigation_staff")
    with op.batch_alter_table("investigation_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_records_investigation_id"))

    op.drop_table("investigation_records")
    with op.batch_alter_table("investigation_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investigation_attachments_investigation_id"))

    op.drop_table("investigation_attachments")
    with op.batch_alter_table("investigations", schema=None) as batch_op:
        batch_op.drop_index("ix_investigations_status_scheduled")
        batch_op.drop_index("ix_investigations_case")

    op.drop_table("investigations")
    op.drop_table("inheritance_checklist")
    op.drop_table("inheritance_cases")
    with op.batch_alter_table("family_members", schema=None) as batch_op:
        batch_op.drop_index("ix_family_members_case")

    op.drop_table("family_members")
    with op.batch_alter_table("estate_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estate_items_case_id"))

    op.drop_table("estate_items")
    with op.batch_alter_table("estate_dispositions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_estate_dispositions_case_id"))

    op.drop_table("estate_dispositions")
