"""Fees, reductions and legal aid: the tariff, charges, payments, refunds, 减收/免收, 法律援助.

Adds the fee schedules with their items, cumulative tiers and per-ground reduction minimums,
each case's charges, payments (with receipt numbers), refunds, reduction/waiver/deferral
requests and their attachments, and the legal-aid record of a case. Money is NUMERIC(12,2);
enums are VARCHAR(32) strings.

Seeds ONE schedule as an example to be replaced: the 2010 Hunan standard (in force from
2010-06-01, domain.md §5.2), which shows the tiered calculation but is not the current price
list (湘发改价费规〔2025〕737号 amounts are not confirmed). The extras' amounts are
placeholders. The reduction minimums follow the provincial implementations of
发改价格〔2021〕1081号 (domain.md §5.1); those marked [U] are not confirmed.

Revision ID: fee50003
Revises: c10c0002
Create Date: 2026-11-30 09:00:32.242922

"""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "fee50003"
down_revision = "c10c0002"
branch_labels = None
depends_on = None

D = Decimal
# 继承、赠与、遗赠 by the amount received (受益额), cumulative: (upper bound, rate %, flat).
BENEFIT_TIERS = [
    (D(5_000_000), D("2"), None),
    (D(10_000_000), D("1.5"), None),
    (D(50_000_000), D("1"), None),
    (None, D("0.5"), None),
]
CONTRACT_TIERS = [
    (D(50_000), None, D(400)),
    (D(100_000), D("0.6"), None),
    (D(500_000), D("0.5"), None),
    (D(1_000_000), D("0.4"), None),
    (D(5_000_000), D("0.2"), None),
    (D(10_000_000), D("0.1"), None),
    (D(50_000_000), D("0.05"), None),
    (D(100_000_000), D("0.02"), None),
    (None, D("0.01"), None),
]
ENFORCEABILITY_TIERS = [
    (D(400_000), None, D(400)),
    (D(10_000_000), D("0.1"), None),
    (D(100_000_000), D("0.03"), None),
    (None, D("0.01"), None),
]
PLACEHOLDER = "示例金额，未经核实[U]：请按本处现行标准修改。"
# (code, name, kind, basis, unit amount, minimum, cap, matter code, note, tiers)
ITEMS = [
    (
        "inheritance",
        "继承（按受益额）",
        "matter",
        "tiered",
        None,
        D(200),
        None,
        "inheritance",
        "分段累进：500万元以下2%（最低200元），500万至1000万元1.5%，1000万至5000万元1%，"
        "5000万元以上0.5%。",
        BENEFIT_TIERS,
    ),
    (
        "gift",
        "赠与（按受益额）",
        "matter",
        "tiered",
        None,
        D(200),
        None,
        "gift",
        "同继承。",
        BENEFIT_TIERS,
    ),
    (
        "legacy",
        "遗赠（按受益额）",
        "matter",
        "tiered",
        None,
        D(200),
        None,
        None,
        "同继承。",
        BENEFIT_TIERS,
    ),
    (
        "one_dwelling",
        "继承、赠与、遗赠（仅一套住房，封顶）",
        "matter",
        "tiered",
        None,
        D(200),
        D(10_000),
        None,
        "每案封顶1万元：发改价格〔2021〕1081号的省级实施口径（云南、青海），湖南现行规定未核实[U]。",
        BENEFIT_TIERS,
    ),
    ("will", "遗嘱", "matter", "fixed", D(800), None, None, "will", "每件800元。", None),
    ("adoption", "收养", "matter", "fixed", D(1000), None, None, "adoption", "每件1000元。", None),
    (
        "contract",
        "合同（不涉及财产）",
        "matter",
        "fixed",
        D(300),
        None,
        None,
        "contract",
        "每件300元。",
        None,
    ),
    (
        "contract_property",
        "合同（涉及财产，按标的额）",
        "matter",
        "tiered",
        None,
        None,
        None,
        None,
        "5万元以下400元；以上部分分段累进。",
        CONTRACT_TIERS,
    ),
    (
        "enforceability",
        "赋予强制执行效力（加收，按债务额）",
        "matter",
        "tiered",
        None,
        None,
        None,
        None,
        "40万元以下400元；以上部分分段累进。",
        ENFORCEABILITY_TIERS,
    ),
    (
        "enforcement_certificate",
        "执行证书",
        "matter",
        "fixed",
        D(1000),
        None,
        None,
        None,
        "每件1000元。",
        None,
    ),
    (
        "extra_copy",
        "副本（第二份起，每份）",
        "extra",
        "fixed",
        D(20),
        None,
        None,
        None,
        PLACEHOLDER,
        None,
    ),
    ("translation", "翻译（每页）", "extra", "fixed", D(100), None, None, None, PLACEHOLDER, None),
    ("mailing", "邮寄送达（每件）", "extra", "fixed", D(20), None, None, None, PLACEHOLDER, None),
    (
        "home_visit",
        "上门服务（每次）",
        "extra",
        "fixed",
        D(200),
        None,
        None,
        None,
        PLACEHOLDER,
        None,
    ),
]
# The least reduction per ground, in per cent (domain.md §5.1).
MINIMUMS = [
    ("legal_aid", D(100), "法律援助法第53条：对受援人减收或者免收公证费；默认免收。"),
    ("elderly_first_will", D(100), "80周岁以上老年人首次办理遗嘱公证免费（1081号省级实施口径）。"),
    ("minimum_living", D(50), "低保对象：基本公证服务至少减收50%。"),
    ("severe_disability", D(50), "重度残疾人：基本公证服务至少减收50%。"),
    ("extreme_poverty", D(50), "特困供养人员：参照低保[U]，未经核实。"),
    ("preferential_care", D(50), "优抚对象[U]：未经核实。"),
    (
        "pension_relief",
        D(40),
        "抚恤金、劳工赔偿金、救济金、劳动保险金等公证：至少减收40%（云南）。",
    ),
    ("public_interest", D(20), "公益事项：至少减收20%（青海2023）。"),
    ("support_agreement", D(20), "赡养、抚养、扶养协议：至少减收20%（青海2023）。"),
]


def _seed():
    now = datetime.now(UTC).replace(tzinfo=None)
    bind = op.get_bind()
    schedules = sa.table(
        "fee_schedules",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("effective_from", sa.Date),
        sa.column("note", sa.Text),
        sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    money, value, pct = sa.Numeric(12, 2), sa.Numeric(14, 2), sa.Numeric(7, 4)
    items = sa.table(
        "fee_items",
        sa.column("id", sa.Integer),
        sa.column("schedule_id", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("basis", sa.String),
        sa.column("unit_amount", money),
        sa.column("minimum", money),
        sa.column("cap", money),
        sa.column("matter_code", sa.String),
        sa.column("note", sa.Text),
        sa.column("sort_order", sa.Integer),
        sa.column("is_active", sa.Boolean),
    )
    tiers = sa.table(
        "fee_tiers",
        sa.column("item_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("upper_bound", value),
        sa.column("rate_percent", pct),
        sa.column("flat_amount", money),
    )
    rules = sa.table(
        "fee_reduction_rules",
        sa.column("schedule_id", sa.Integer),
        sa.column("ground", sa.String),
        sa.column("min_percent", sa.Numeric(5, 2)),
        sa.column("note", sa.Text),
    )
    op.bulk_insert(
        schedules,
        [
            {
                "name": "湖南省公证服务收费标准（2010年版）——示例，请替换为现行标准",
                "effective_from": date(2010, 6, 1),
                "note": (
                    "示例数据：2010年6月1日起施行的湖南省标准，仅用于演示分段累进、最低收费和封顶的"
                    "计算，不是现行价格。现行标准见湘发改价费规〔2025〕737号，其附件金额未经核实。"
                    "请复制本标准，按现行附件表修改后设定新的生效日期。"
                ),
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    schedule_id = bind.execute(sa.select(schedules.c.id)).scalar_one()
    op.bulk_insert(
        items,
        [
            {
                "schedule_id": schedule_id,
                "code": code,
                "name": name,
                "kind": kind,
                "basis": basis,
                "unit_amount": unit,
                "minimum": minimum,
                "cap": cap,
                "matter_code": matter,
                "note": note,
                "sort_order": (i + 1) * 10,
                "is_active": True,
            }
            for i, (code, name, kind, basis, unit, minimum, cap, matter, note, _t) in enumerate(
                ITEMS
            )
        ],
    )
    ids = dict(bind.execute(sa.select(items.c.code, items.c.id)).all())
    op.bulk_insert(
        tiers,
        [
            {
                "item_id": ids[code],
                "position": pos,
                "upper_bound": upper,
                "rate_percent": rate,
                "flat_amount": flat,
            }
            for code, *_rest, bands in ITEMS
            if bands
            for pos, (upper, rate, flat) in enumerate(bands)
        ],
    )
    op.bulk_insert(
        rules,
        [
            {"schedule_id": schedule_id, "ground": g, "min_percent": p, "note": n}
            for g, p, n in MINIMUMS
        ],
    )


def upgrade():
    op.create_table(
        "fee_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_schedules")),
        sa.UniqueConstraint("effective_from", name=op.f("uq_fee_schedules_effective_from")),
    )
    op.create_table(
        "fee_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("unit_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("minimum", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("cap", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("matter_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["fee_schedules.id"],
            name=op.f("fk_fee_items_schedule_id_fee_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_items")),
        sa.UniqueConstraint("schedule_id", "code", name=op.f("uq_fee_items_schedule_id_code")),
    )
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_items_schedule_id"), ["schedule_id"], unique=False)

    op.create_table(
        "fee_reduction_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("min_percent", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["fee_schedules.id"],
            name=op.f("fk_fee_reduction_rules_schedule_id_fee_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_reduction_rules")),
        sa.UniqueConstraint(
            "schedule_id", "ground", name=op.f("uq_fee_reduction_rules_schedule_id_ground")
        ),
    )
    op.create_table(
        "fee_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("original_filename", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fee_attachments_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_fee_attachments_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_attachments")),
        sa.UniqueConstraint("stored_path", name=op.f("uq_fee_attachments_stored_path")),
    )
    with op.batch_alter_table("fee_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_attachments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "fee_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("base_value", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("computed_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("adjustment_reason", sa.Text(), nullable=True),
        sa.Column("is_void", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fee_charges_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_fee_charges_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["fee_items.id"], name=op.f("fk_fee_charges_item_id_fee_items")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["fee_schedules.id"],
            name=op.f("fk_fee_charges_schedule_id_fee_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_charges")),
    )
    with op.batch_alter_table("fee_charges", schema=None) as batch_op:
        batch_op.create_index("ix_fee_charges_case", ["case_id", "is_void"], unique=False)
        batch_op.create_index(batch_op.f("ix_fee_charges_item_id"), ["item_id"], unique=False)

    op.create_table(
        "fee_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("paid_at", sa.DateTime(), nullable=False),
        sa.Column("receipt_number", sa.String(length=64), nullable=False),
        sa.Column("payer", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fee_payments_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"], ["users.id"], name=op.f("fk_fee_payments_received_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_payments")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_fee_payments_receipt_number")),
    )
    with op.batch_alter_table("fee_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_payments_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_fee_payments_paid_at", ["paid_at"], unique=False)

    op.create_table(
        "fee_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.String(length=32), nullable=False),
        sa.Column("fault", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refunded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fee_refunds_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_fee_refunds_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_refunds")),
    )
    with op.batch_alter_table("fee_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_refunds_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_fee_refunds_refunded_at", ["refunded_at"], unique=False)

    op.create_table(
        "fee_tiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("upper_bound", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("rate_percent", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("flat_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["fee_items.id"], name=op.f("fk_fee_tiers_item_id_fee_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_tiers")),
        sa.UniqueConstraint("item_id", "position", name=op.f("uq_fee_tiers_item_id_position")),
    )
    op.create_table(
        "fee_reductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("proposed_percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["fee_attachments.id"],
            name=op.f("fk_fee_reductions_attachment_id_fee_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_fee_reductions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_fee_reductions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_fee_reductions_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_reductions")),
    )
    with op.batch_alter_table("fee_reductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_reductions_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_fee_reductions_status", ["status", "decided_at"], unique=False)

    op.create_table(
        "legal_aid_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("eligibility", sa.String(length=32), nullable=False),
        sa.Column("eligibility_detail", sa.Text(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("route", sa.String(length=32), nullable=False),
        sa.Column("agency_name", sa.String(length=100), nullable=False),
        sa.Column("decision_number", sa.String(length=64), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decision_scan_id", sa.Integer(), nullable=True),
        sa.Column("emergency_reason", sa.Text(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("relief", sa.String(length=32), nullable=False),
        sa.Column("reduction_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_legal_aid_records_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_legal_aid_records_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decision_scan_id"],
            ["fee_attachments.id"],
            name=op.f("fk_legal_aid_records_decision_scan_id_fee_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["fee_attachments.id"],
            name=op.f("fk_legal_aid_records_evidence_id_fee_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["parties.id"], name=op.f("fk_legal_aid_records_recipient_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["reduction_id"],
            ["fee_reductions.id"],
            name=op.f("fk_legal_aid_records_reduction_id_fee_reductions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_records")),
        sa.UniqueConstraint("case_id", name=op.f("uq_legal_aid_records_case_id")),
    )
    with op.batch_alter_table("legal_aid_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_aid_records_confirmed_at"), ["confirmed_at"], unique=False
        )

    _seed()


def downgrade():
    with op.batch_alter_table("legal_aid_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_aid_records_confirmed_at"))

    op.drop_table("legal_aid_records")
    with op.batch_alter_table("fee_reductions", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_reductions_status")
        batch_op.drop_index(batch_op.f("ix_fee_reductions_case_id"))

    op.drop_table("fee_reductions")
    op.drop_table("fee_tiers")
    with op.batch_alter_table("fee_refunds", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_refunds_refunded_at")
        batch_op.drop_index(batch_op.f("ix_fee_refunds_case_id"))

    op.drop_table("fee_refunds")
    with op.batch_alter_table("fee_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_payments_paid_at")
        batch_op.drop_index(batch_op.f("ix_fee_payments_case_id"))

    op.drop_table("fee_payments")
    with op.batch_alter_table("fee_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_charges_item_id"))
        batch_op.drop_index("ix_fee_charges_case")

    op.drop_table("fee_charges")
    with op.batch_alter_table("fee_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_attachments_case_id"))

    op.drop_table("fee_attachments")
    op.drop_table("fee_reduction_rules")
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_items_schedule_id"))

    op.drop_table("fee_items")
    op.drop_table("fee_schedules")
