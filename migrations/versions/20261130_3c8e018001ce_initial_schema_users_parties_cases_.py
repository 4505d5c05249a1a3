"""Initial schema: users, parties, cases with the register fields, audit trail.

Creates every table of the foundation and seeds the matter catalogue (公证事项) with the
common matters (domain.md §2.3, §4.1, §6). Matters marked in person follow 公证法 art. 26
and 公证程序规则 art. 11 (no agent). Enums are stored as VARCHAR(32) strings.

Revision ID: 3c8e018001ce
Revises:
Create Date: 2026-11-30 08:23:34.976733

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "3c8e018001ce"
down_revision = None
branch_labels = None
depends_on = None


# (code, name, English name, in person only, order)
MATTERS = [
    ("inheritance", "继承", "Inheritance", False, 10),
    ("will", "遗嘱", "Will", True, 20),
    ("power_of_attorney", "委托", "Power of attorney", True, 30),
    ("declaration", "声明", "Declaration", True, 40),
    ("gift", "赠与", "Gift", True, 50),
    ("legacy_support", "遗赠扶养协议", "Legacy-support agreement", True, 60),
    ("guarantee", "保证", "Guarantee", True, 70),
    ("adoption", "收养关系", "Adoption", True, 80),
    ("acknowledge_child", "认领亲子", "Acknowledging a child", True, 85),
    ("survival", "生存", "Being alive", True, 90),
    ("birth", "出生", "Birth", False, 100),
    ("death", "死亡", "Death", False, 110),
    ("no_criminal_record", "无犯罪记录", "No criminal record", False, 120),
    ("education", "学历", "Education", False, 130),
    ("degree", "学位", "Degree", False, 140),
    ("marital_status", "婚姻状况", "Marital status", False, 150),
    ("unmarried", "未婚", "Unmarried", False, 160),
    ("no_marriage_record", "无婚姻登记记录", "No marriage registration record", False, 165),
    ("kinship", "亲属关系", "Kinship", False, 170),
    ("experience", "经历", "Work experience", False, 180),
    ("identity", "身份", "Identity", False, 190),
    ("driving_licence", "驾驶证", "Driving licence", False, 200),
    ("contract", "合同", "Contract", False, 210),
    ("property_division", "财产分割", "Property division", False, 220),
    ("company_articles", "公司章程", "Articles of association", False, 230),
    ("evidence_preservation", "保全证据", "Preservation of evidence", False, 240),
    ("onsite_supervision", "现场监督", "On-site supervision", False, 250),
    ("signature_seal", "签名（印鉴）属实", "Signature (seal) is genuine", False, 260),
    ("copy_conformity", "复印件与原件相符", "Copy conforms to the original", False, 270),
    (
        "translation_conformity",
        "译文与原文相符",
        "Translation conforms to the original",
        False,
        280,
    ),
    ("escrow", "提存", "Escrow deposit", False, 290),
]


def upgrade():
    op.create_table(
        "matter_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("in_person_only", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matter_types")),
        sa.UniqueConstraint("code", name=op.f("uq_matter_types_code")),
        sa.UniqueConstraint("name", name=op.f("uq_matter_types_name")),
    )
    op.create_table(
        "number_sequences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_sequences")),
        sa.UniqueConstraint("name", "year", name=op.f("uq_number_sequences_name_year")),
    )
    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document_type", sa.String(length=32), nullable=False),
        sa.Column("document_number", sa.String(length=64), nullable=False),
        sa.Column("sex", sa.String(length=32), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=64), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("legal_representative", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
        sa.UniqueConstraint(
            "document_type",
            "document_number",
            name=op.f("uq_parties_document_type_document_number"),
        ),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parties_document_number"), ["document_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_parties_name"), ["name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_enabled", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_role"), ["role"], unique=False)

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_entries_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_target", ["target_type", "target_id", "id"], unique=False
        )

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("acceptance_number", sa.String(length=64), nullable=True),
        sa.Column("acceptance_year", sa.Integer(), nullable=True),
        sa.Column("acceptance_seq", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("place_of_use", sa.String(length=100), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("document_name", sa.String(length=200), nullable=True),
        sa.Column("translation_language", sa.String(length=50), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.String(length=32), nullable=False),
        sa.Column("urgency_reason", sa.String(length=300), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("intake_by_id", sa.Integer(), nullable=True),
        sa.Column("handling_notary_id", sa.Integer(), nullable=True),
        sa.Column("assistant_id", sa.Integer(), nullable=True),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closing_type", sa.String(length=32), nullable=True),
        sa.Column("closing_ground", sa.String(length=8), nullable=True),
        sa.Column("closing_reason", sa.Text(), nullable=True),
        sa.Column("certificate_number", sa.String(length=80), nullable=True),
        sa.Column("delivery_method", sa.String(length=32), nullable=True),
        sa.Column("delivered_to", sa.String(length=200), nullable=True),
        sa.Column("archive_number", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_cases_approver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["assistant_id"], ["users.id"], name=op.f("fk_cases_assistant_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["handling_notary_id"], ["users.id"], name=op.f("fk_cases_handling_notary_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["intake_by_id"], ["users.id"], name=op.f("fk_cases_intake_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("acceptance_number", name=op.f("uq_cases_acceptance_number")),
        sa.UniqueConstraint("certificate_number", name=op.f("uq_cases_certificate_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_acceptance_year", ["acceptance_year", "acceptance_seq"], unique=False
        )
        batch_op.create_index("ix_cases_acceptance_seq", ["acceptance_seq"], unique=False)
        batch_op.create_index("ix_cases_accepted_at", ["accepted_at"], unique=False)
        batch_op.create_index("ix_cases_applied_at", ["applied_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_assistant_id"), ["assistant_id"], unique=False)
        batch_op.create_index("ix_cases_category_closed", ["category", "closed_at"], unique=False)
        batch_op.create_index("ix_cases_closed_at", ["closed_at"], unique=False)
        batch_op.create_index(
            "ix_cases_notary_status", ["handling_notary_id", "status"], unique=False
        )
        batch_op.create_index("ix_cases_status_applied", ["status", "applied_at"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=False),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ground", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case", ["case_id", "id"], unique=False)

    op.create_table(
        "case_matters",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("matter_type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_matters_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["matter_type_id"],
            ["matter_types.id"],
            name=op.f("fk_case_matters_matter_type_id_matter_types"),
        ),
        sa.PrimaryKeyConstraint("case_id", "matter_type_id", name=op.f("pk_case_matters")),
    )
    with op.batch_alter_table("case_matters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_matters_matter_type_id"), ["matter_type_id"], unique=False
        )

    op.create_table(
        "case_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_removed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_participants_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_case_participants_party_id_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_participants")),
    )
    with op.batch_alter_table("case_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_participants_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_case_participants_party", ["party_id", "case_id"], unique=False)

    op.create_table(
        "materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_materials_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_materials_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_materials")),
        sa.UniqueConstraint("stored_path", name=op.f("uq_materials_stored_path")),
    )
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_materials_case_id"), ["case_id"], unique=False)

    now = datetime.now(UTC).replace(tzinfo=None)
    matter_types = sa.table(
        "matter_types",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_en", sa.String),
        sa.column("in_person_only", sa.Boolean),
        sa.column("is_active", sa.Boolean),
        sa.column("sort_order", sa.Integer),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    op.bulk_insert(
        matter_types,
        [
            {
                "code": c,
                "name": n,
                "name_en": e,
                "in_person_only": p,
                "is_active": True,
                "sort_order": o,
                "created_at": now,
                "updated_at": now,
            }
            for c, n, e, p, o in MATTERS
        ],
    )


def downgrade():
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_materials_case_id"))

    op.drop_table("materials")
    with op.batch_alter_table("case_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_case_participants_party")
        batch_op.drop_index(batch_op.f("ix_case_participants_case_id"))

    op.drop_table("case_participants")
    with op.batch_alter_table("case_matters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_matters_matter_type_id"))

    op.drop_table("case_matters")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_case")

    op.drop_table("case_events")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_applied")
        batch_op.drop_index("ix_cases_notary_status")
        batch_op.drop_index("ix_cases_closed_at")
        batch_op.drop_index("ix_cases_category_closed")
        batch_op.drop_index(batch_op.f("ix_cases_assistant_id"))
        batch_op.drop_index("ix_cases_applied_at")
        batch_op.drop_index("ix_cases_accepted_at")
        batch_op.drop_index("ix_cases_acceptance_seq")
        batch_op.drop_index("ix_cases_acceptance_year")

    op.drop_table("cases")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_target")
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_id"))

    op.drop_table("audit_entries")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_role"))

    op.drop_table("users")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parties_name"))
        batch_op.drop_index(batch_op.f("ix_parties_document_number"))

    op.drop_table("parties")
    op.drop_table("number_sequences")
    op.drop_table("matter_types")
