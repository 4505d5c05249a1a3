"""Deadlines: the office's calendar corrections, case clocks, pauses, recusal.

Adds the working-day overrides (calendar_days) and completed years (calendar_years), the
statutory clock of each accepted case with its pauses (公证法 art. 30), staff relations and
recusal requests (公证法 art. 23). Cases accepted before this revision get no clock; the
clock starts with the next acceptance.

Revision ID: c10c0002
Revises: 3c8e018001ce
Create Date: 2026-11-30 08:58:56.115273

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "c10c0002"
down_revision = "3c8e018001ce"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_days")),
        sa.UniqueConstraint("day", name=op.f("uq_calendar_days_day")),
    )
    op.create_table(
        "calendar_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("completed_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["completed_by_id"], ["users.id"], name=op.f("fk_calendar_years_completed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_years")),
        sa.UniqueConstraint("year", name=op.f("uq_calendar_years_year")),
    )
    op.create_table(
        "staff_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_relations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_relations")),
        sa.UniqueConstraint(
            "user_id",
            "document_type",
            "document_number",
            name=op.f("uq_staff_relations_user_id_document_type_document_number"),
        ),
    )
    with op.batch_alter_table("staff_relations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_staff_relations_document", ["document_type", "document_number"], unique=False
        )

    op.create_table(
        "case_clocks",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("expedite_days", sa.Integer(), nullable=True),
        sa.Column("expedite_due_date", sa.Date(), nullable=True),
        sa.Column("expedite_approved_by_id", sa.Integer(), nullable=True),
        sa.Column("expedite_approved_at", sa.DateTime(), nullable=True),
        sa.Column("effective_due", sa.Date(), nullable=True),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("working_days_to_issue", sa.Integer(), nullable=True),
        sa.Column("issued_on_time", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_clocks_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["expedite_approved_by_id"],
            ["users.id"],
            name=op.f("fk_case_clocks_expedite_approved_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_clocks")),
    )
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_clocks_paused_since"), ["paused_since"], unique=False
        )
        batch_op.create_index(
            "ix_case_clocks_running_due",
            ["stopped_on", "paused_since", "effective_due"],
            unique=False,
        )

    op.create_table(
        "recusal_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("notary_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("new_notary_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_recusal_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_recusal_requests_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["new_notary_id"], ["users.id"], name=op.f("fk_recusal_requests_new_notary_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["notary_id"], ["users.id"], name=op.f("fk_recusal_requests_notary_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_recusal_requests_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recusal_requests")),
    )
    with op.batch_alter_table("recusal_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recusal_requests_case_id"), ["case_id"], unique=False)

    op.create_table(
        "clock_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_clocks.case_id"], name=op.f("fk_clock_pauses_case_id_case_clocks")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name=op.f("fk_clock_pauses_ended_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"], ["users.id"], name=op.f("fk_clock_pauses_started_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pauses")),
    )
    with op.batch_alter_table("clock_pauses", schema=None) as batch_op:
        batch_op.create_index("ix_clock_pauses_case", ["case_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("clock_pauses", schema=None) as batch_op:
        batch_op.drop_index("ix_clock_pauses_case")

    op.drop_table("clock_pauses")
    with op.batch_alter_table("recusal_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recusal_requests_case_id"))

    op.drop_table("recusal_requests")
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_case_clocks_running_due")
        batch_op.drop_index(batch_op.f("ix_case_clocks_paused_since"))

    op.drop_table("case_clocks")
    with op.batch_alter_table("staff_relations", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_relations_document")

    op.drop_table("staff_relations")
    op.drop_table("calendar_years")
    op.drop_table("calendar_days")
