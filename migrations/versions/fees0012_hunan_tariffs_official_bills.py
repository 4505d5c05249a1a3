"""Hunan's tariffs in force since 2020, the pricing regime of each line, official bills.

Schema:
- fee_schedules: the province's document (文号, issuer, date issued, source) and the office's
  confirmation of it (待核实 until an administrator confirms);
- fee_items: category (证明法律行为 / 法律事实 / 文书 / 公证事务), pricing regime (政府指导价 /
  市场调节价), the article of the document the line stands under, its source, and the
  office's confirmation; the new basis "agreed" (市场调节价, price agreed on the case);
- fee_charges: the value the case suggested for a tiered item and the reason for a different
  one (or for an agreed price);
- fee_payments: the official bill of the finance system (kind, number, date, system);
- fee_no_charge_records: why a case is issued with nothing charged.

Data:
- the 2010 schedule the first fee migration seeded loses its "example" label: it stays as the
  superseded standard for cases accepted under it (every case is charged by the schedule in
  force on its acceptance date);
- two schedules are added, 湘发改价费规〔2020〕818号 (issued 2020-11-04) and 〔2025〕737号
  (issued 2025-11-13), each pricing every matter of the seeded catalogue. Their dates in force
  are the dates of issue, and none of their amounts was seen (legal-texts.md §1.2): every line
  is unconfirmed (待核实) with its source saying what its provisional figure rests on, for the
  office to check against the document and confirm.

Revision ID: fees0012
Revises: documents0012
Create Date: 2026-12-05 23:00:00

"""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "fees0012"
down_revision = "documents0012"
branch_labels = None
depends_on = None

D = Decimal
OLD_NAME = "湖南省公证服务收费标准（2010年版）——示例，请替换为现行标准"
NAME_2010 = "湖南省公证服务收费标准（2010年6月1日起施行，已废止）"
NOTE_2010 = (
    "已被湘发改价服〔2016〕432号、湘发改价费规〔2020〕818号和〔2025〕737号取代；只用于"
    "受理日期在其施行期间的案件。金额见南县政府网站转载（nanxian.gov.cn）[R]；副本、翻译、"
    "邮寄、上门的金额为占位数[U]。2016年432号的标准未录入[U]。"
)
SOURCE_2010 = "湖南省2010年公证服务收费标准，南县政府网站转载（nanxian.gov.cn）[R]"
PLACEHOLDER_2010 = "占位金额，无出处[U]"
# Category of each code of the 2010 schedule (the first fee migration's items).
CATEGORY_2010 = {
    "inheritance": "legal_act", "gift": "legal_act", "legacy": "legal_act",
    "one_dwelling": "legal_act", "will": "legal_act", "adoption": "legal_act",
    "contract": "legal_act", "contract_property": "legal_act", "enforceability": "legal_act",
    "enforcement_certificate": "legal_act", "extra_copy": "other", "translation": "other",
    "mailing": "other", "home_visit": "other",
}

# Where the provisional figures come from (none is a Hunan figure of 2020 or 2025).
YUNNAN = "云南省执行发改价格〔2021〕1081号的收费标准（blinnpr.com）[S]"
HUNAN_2010 = "湖南省2010年标准（nanxian.gov.cn）[R]"
NO_SOURCE = "无出处[U]"

# 1081号 as Yunnan applies it to 继承、赠与、受遗赠 (by 受益额, cumulative, minimum 300).
BENEFIT_TIERS = [(D(500_000), D("0.5"), None), (D(5_000_000), D("0.3"), None),
                 (None, D("0.2"), None)]
# The 2010 Hunan bands for contracts with property and for enforceability.
CONTRACT_TIERS = [
    (D(50_000), None, D(400)), (D(100_000), D("0.6"), None), (D(500_000), D("0.5"), None),
    (D(1_000_000), D("0.4"), None), (D(5_000_000), D("0.2"), None),
    (D(10_000_000), D("0.1"), None), (D(50_000_000), D("0.05"), None),
    (D(100_000_000), D("0.02"), None), (None, D("0.01"), None),
]
ENFORCEABILITY_TIERS = [(D(400_000), None, D(400)), (D(10_000_000), D("0.1"), None),
                        (D(100_000_000), D("0.03"), None), (None, D("0.01"), None)]

GUIDED, MARKET = "government_guided", "market_regulated"
ACT, FACT, DOC, AFFAIR, OTHER = "legal_act", "legal_fact", "document", "affair", "other"
# 818号 art. 4 [R]: 证明文件文书类 and 证明法律事实类 are 政府指导价; other services are not
# listed there, so presumably 市场调节价 [U].
PRICING_818 = {ACT: MARKET, FACT: GUIDED, DOC: GUIDED, AFFAIR: MARKET, OTHER: MARKET}
# 737号: its art. 5 (the division) was not seen [U]. Seeded as 818号's division, except the
# basic services that the provinces implementing 1081号 put under government guidance
# (Yunnan, Qinghai, Shanxi [S]): inheritance, gift, legacy, wills, powers of attorney,
# declarations.
GUIDED_737 = {"inheritance", "gift", "legacy", "one_dwelling", "will", "power_of_attorney",
              "power_of_attorney_property", "declaration", "declaration_property"}

# (code, name, category, basis, unit amount, minimum, cap, matter code, tiers, origin)
ITEMS = [
    ("inheritance", "继承（按受益额）", ACT, "tiered", None, D(300), None, "inheritance",
     BENEFIT_TIERS, YUNNAN),
    ("gift", "赠与（按受益额）", ACT, "tiered", None, D(300), None, "gift", BENEFIT_TIERS,
     YUNNAN),
    ("legacy", "受遗赠（按受益额）", ACT, "tiered", None, D(300), None, None, BENEFIT_TIERS,
     YUNNAN),
    ("one_dwelling", "继承、赠与、受遗赠（仅一套住房，每案封顶）", ACT, "tiered", None, D(300),
     D(10_000), None, BENEFIT_TIERS,
     YUNNAN + "；每案封顶1万元为云南、青海口径[S]，湖南[U]"),
    ("will", "遗嘱", ACT, "fixed", D(800), None, None, "will", None, HUNAN_2010),
    ("power_of_attorney", "委托", ACT, "fixed", D(300), None, None, "power_of_attorney", None,
     YUNNAN),
    ("power_of_attorney_property", "委托（处分财产）", ACT, "fixed", D(600), None, None,
     "power_of_attorney", None, YUNNAN),
    ("declaration", "声明", ACT, "fixed", D(300), None, None, "declaration", None, YUNNAN),
    ("declaration_property", "声明（处分财产）", ACT, "fixed", D(600), None, None,
     "declaration", None, YUNNAN),
    ("legacy_support", "遗赠扶养协议", ACT, "fixed", D(300), None, None, "legacy_support", None,
     "参照" + HUNAN_2010 + "合同（不涉及财产）；" + NO_SOURCE),
    ("guarantee", "保证", ACT, "fixed", D(300), None, None, "guarantee", None,
     "参照" + HUNAN_2010 + "合同（不涉及财产）；" + NO_SOURCE),
    ("adoption", "收养", ACT, "fixed", D(1000), None, None, "adoption", None, HUNAN_2010),
    ("acknowledge_child", "认领亲子", ACT, "fixed", D(300), None, None, "acknowledge_child", None,
     "参照声明：" + YUNNAN + "；" + NO_SOURCE),
    ("contract", "合同（不涉及财产）", ACT, "fixed", D(300), None, None, "contract", None,
     HUNAN_2010),
    ("contract_property", "合同（涉及财产，按标的额）", ACT, "tiered", None, None, None,
     "contract", CONTRACT_TIERS, HUNAN_2010),
    ("property_division", "财产分割（按标的额）", ACT, "tiered", None, None, None,
     "property_division", CONTRACT_TIERS,
     "参照" + HUNAN_2010 + "合同（涉及财产）；" + NO_SOURCE),
    ("onsite_supervision", "现场监督（按件协商）", ACT, "agreed", None, None, None,
     "onsite_supervision", None, "市场调节价，按件与当事人协商定价[U]"),
    ("enforceability", "赋予强制执行效力（加收，按债务额）", ACT, "tiered", None, None, None,
     None, ENFORCEABILITY_TIERS, HUNAN_2010),
    ("enforcement_certificate", "执行证书", ACT, "fixed", D(1000), None, None, None, None,
     HUNAN_2010),
    ("birth", "出生", FACT, "fixed", D(150), None, None, "birth", None, YUNNAN),
    ("death", "死亡", FACT, "fixed", D(150), None, None, "death", None, YUNNAN),
    ("identity", "身份", FACT, "fixed", D(150), None, None, "identity", None, YUNNAN),
    ("marital_status", "婚姻状况", FACT, "fixed", D(150), None, None, "marital_status", None,
     YUNNAN),
    ("unmarried", "未婚", FACT, "fixed", D(150), None, None, "unmarried", None,
     "参照婚姻状况：" + YUNNAN),
    ("no_marriage_record", "无婚姻登记记录", FACT, "fixed", D(150), None, None,
     "no_marriage_record", None, "参照婚姻状况：" + YUNNAN),
    ("survival", "生存", FACT, "fixed", D(150), None, None, "survival", None,
     "参照出生、死亡：" + YUNNAN),
    ("kinship", "亲属关系", FACT, "fixed", D(150), None, None, "kinship", None,
     "参照出生、死亡、身份、婚姻状况等：" + YUNNAN),
    ("experience", "经历", FACT, "fixed", D(150), None, None, "experience", None,
     "参照出生、死亡、身份、婚姻状况等：" + YUNNAN),
    ("education", "学历", FACT, "fixed", D(150), None, None, "education", None,
     "参照出生、死亡、身份、婚姻状况等：" + YUNNAN),
    ("degree", "学位", FACT, "fixed", D(150), None, None, "degree", None,
     "参照出生、死亡、身份、婚姻状况等：" + YUNNAN),
    ("no_criminal_record", "无犯罪记录", FACT, "fixed", D(150), None, None,
     "no_criminal_record", None, "参照出生、死亡、身份、婚姻状况等：" + YUNNAN),
    ("driving_licence", "驾驶证（证书、执照）", DOC, "fixed", D(200), None, None,
     "driving_licence", None, YUNNAN + "（证书、执照）"),
    ("company_articles", "公司章程", DOC, "fixed", D(200), None, None, "company_articles", None,
     "参照证书、执照：" + YUNNAN + "；" + NO_SOURCE),
    ("signature_seal", "签名（印鉴）属实", DOC, "fixed", D(200), None, None, "signature_seal",
     None, "参照证书、执照：" + YUNNAN + "；" + NO_SOURCE),
    ("copy_conformity", "复印件与原件相符", DOC, "fixed", D(200), None, None, "copy_conformity",
     None, "参照证书、执照：" + YUNNAN + "；" + NO_SOURCE),
    ("translation_conformity", "译文与原文相符", DOC, "fixed", D(200), None, None,
     "translation_conformity", None, "参照证书、执照：" + YUNNAN + "；" + NO_SOURCE),
    ("evidence_preservation", "保全证据（按件协商）", AFFAIR, "agreed", None, None, None,
     "evidence_preservation", None, "市场调节价，按件与当事人协商定价[U]"),
    ("escrow", "提存（按件协商）", AFFAIR, "agreed", None, None, None, "escrow", None,
     "市场调节价，按件与当事人协商定价[U]"),
    ("extra_copy", "副本（第二份起，每份）", OTHER, "fixed", D(20), None, None, None, None,
     "占位金额，" + NO_SOURCE),
    ("translation", "翻译（每页）", OTHER, "fixed", D(100), None, None, None, None,
     "占位金额，" + NO_SOURCE),
    ("mailing", "邮寄送达（每件）", OTHER, "fixed", D(20), None, None, None, None,
     "占位金额，" + NO_SOURCE),
    ("home_visit", "上门服务（每次）", OTHER, "fixed", D(200), None, None, None, None,
     "占位金额，" + NO_SOURCE),
]
CATEGORY_CN = {ACT: "证明法律行为类", FACT: "证明法律事实类", DOC: "证明文件文书类",
               AFFAIR: "公证事务类", OTHER: "其他服务"}

# The least reduction per ground, in per cent, and its source (legal-texts.md §1.3).
S1081 = "发改价格〔2021〕1081号，据云南、青海、山西的执行文件[S]；湖南[U]"
MINIMUMS = [
    ("legal_aid", D(100), "法律援助法第53条第2款：对受援人减收或者免收[P]；默认免收。"),
    ("elderly_first_will", D(100), "80周岁以上老人首次办理遗嘱公证免收：" + S1081),
    ("minimum_living", D(50), "低保对象基本公证服务至少减收50%：" + S1081),
    ("severe_disability", D(50), "重度残疾人基本公证服务至少减收50%：" + S1081),
    ("extreme_poverty", D(50), "特困供养人员：参照低保，无出处[U]"),
    ("preferential_care", D(50), "优抚对象：无出处[U]"),
    ("pension_relief", D(40), "抚恤金、劳工赔偿金、救济金、劳动保险金等公证至少减收40%（云南、"
     "山西）[S]；湖南[U]"),
    ("public_interest", D(20), "公益事项至少减收20%（青海；山西为40%）[S]；湖南[U]"),
    ("support_agreement", D(20), "赡养、抚养、扶养协议至少减收20%（青海；山西为40%）[S]；湖南[U]"),
]

SCHEDULES = [
    {
        "key": "818",
        "name": "湖南省公证服务收费管理办法（湘发改价费规〔2020〕818号）",
        "effective_from": date(2020, 11, 4),
        "document_number": "湘发改价费规〔2020〕818号",
        "issuer": "湖南省发展和改革委员会、湖南省司法厅",
        "issued_on": date(2020, 11, 4),
        "source": (
            "正文第一至四条见衡东县不动产登记中心转载（hipisoho.com）与yzzsnet.com[R]；第四条："
            "证明文件文书类和证明法律事实类公证服务收费实行政府指导价。施行日期与附件收费标准表"
            "未见[U]：生效日期暂按印发日期。"
        ),
        "note": (
            "附件金额未见[U]。各项暂定金额的出处见每一项的“来源”；请对照818号附件逐项核实后"
            "确认。"
        ),
    },
    {
        "key": "737",
        "name": "湖南省公证服务收费管理办法（湘发改价费规〔2025〕737号）",
        "effective_from": date(2025, 11, 13),
        "document_number": "湘发改价费规〔2025〕737号",
        "issuer": "湖南省发展和改革委员会、湖南省司法厅",
        "issued_on": date(2025, 11, 13),
        "source": (
            "HNPR-2025-02025。通知与办法第一至四条见湖南省发改委网站转载（yzbocai.net）[R]，"
            "依据发改价格〔2021〕1081号。第五条（政府指导价与市场调节价的划分）起、施行日期与"
            "附件未见[U]：生效日期暂按印发日期。"
        ),
        "note": (
            "附件金额、价格管理形式与施行日期均未见[U]。各项暂定金额的出处见每一项的“来源”；"
            "请取得737号附件（省发改委、省司法厅网站或本处存档纸质文件）逐项核实后确认。"
        ),
    },
]


def _article(key, category, pricing):
    if key == "818":
        if pricing == GUIDED:
            return f"第四条（政府指导价）·{CATEGORY_CN[category]}"
        return f"第四条未列（市场调节价，本处公示）·{CATEGORY_CN[category]}"
    return f"附件·{CATEGORY_CN[category]}"


def _pricing(key, code, category):
    if key == "737" and code in GUIDED_737:
        return GUIDED
    return PRICING_818[category]


def _source(schedule, code, category, pricing, origin):
    if schedule["key"] == "818":
        regime = ("第四条[R]" if category in (FACT, DOC)
                  else "第四条未列入政府指导价，推定市场调节价[U]")
    else:
        regime = ("价格管理形式未见，按1081号省级实施口径列为政府指导价[U]"
                  if code in GUIDED_737 else "价格管理形式未见，沿用818号划分[U]")
    return (f"{schedule['document_number']}：{regime}；附件金额未见[U]。"
            f"暂定金额：{origin}。")


def _tables():
    money, value, pct = sa.Numeric(12, 2), sa.Numeric(14, 2), sa.Numeric(7, 4)
    schedules = sa.table(
        "fee_schedules", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("effective_from", sa.Date), sa.column("note", sa.Text),
        sa.column("document_number", sa.String), sa.column("issuer", sa.String),
        sa.column("issued_on", sa.Date), sa.column("source", sa.Text),
        sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime))
    items = sa.table(
        "fee_items", sa.column("id", sa.Integer), sa.column("schedule_id", sa.Integer),
        sa.column("code", sa.String), sa.column("name", sa.String), sa.column("kind", sa.String),
        sa.column("basis", sa.String), sa.column("unit_amount", money),
        sa.column("minimum", money), sa.column("cap", money),
        sa.column("matter_code", sa.String), sa.column("note", sa.Text),
        sa.column("sort_order", sa.Integer), sa.column("is_active", sa.Boolean),
        sa.column("category", sa.String), sa.column("pricing", sa.String),
        sa.column("article", sa.String), sa.column("source", sa.Text))
    tiers = sa.table(
        "fee_tiers", sa.column("item_id", sa.Integer), sa.column("position", sa.Integer),
        sa.column("upper_bound", value), sa.column("rate_percent", pct),
        sa.column("flat_amount", money))
    rules = sa.table(
        "fee_reduction_rules", sa.column("schedule_id", sa.Integer),
        sa.column("ground", sa.String), sa.column("min_percent", sa.Numeric(5, 2)),
        sa.column("note", sa.Text))
    return schedules, items, tiers, rules


def _seed_schedule(bind, tables, schedule):
    schedules, items, tiers, rules = tables
    if bind.execute(sa.select(schedules.c.id).where(
            schedules.c.effective_from == schedule["effective_from"])).first():
        return  # the office already entered a schedule for that date: leave it
    now = datetime.now(UTC).replace(tzinfo=None)
    bind.execute(schedules.insert().values(
        **{k: v for k, v in schedule.items() if k != "key"}, created_at=now, updated_at=now))
    schedule_id = bind.execute(sa.select(schedules.c.id).where(
        schedules.c.effective_from == schedule["effective_from"])).scalar_one()
    for i, (code, name, category, basis, unit, minimum, cap, matter, bands,
            origin) in enumerate(ITEMS):
        pricing = _pricing(schedule["key"], code, category)
        bind.execute(items.insert().values(
            schedule_id=schedule_id, code=code, name=name,
            kind="extra" if category == OTHER else "matter", basis=basis, unit_amount=unit,
            minimum=minimum, cap=cap, matter_code=matter, note=None, sort_order=(i + 1) * 10,
            is_active=True, category=category, pricing=pricing,
            article=_article(schedule["key"], category, pricing),
            source=_source(schedule, code, category, pricing, origin)))
        item_id = bind.execute(sa.select(items.c.id).where(
            items.c.schedule_id == schedule_id, items.c.code == code)).scalar_one()
        for pos, (upper, rate, flat) in enumerate(bands or []):
            bind.execute(tiers.insert().values(item_id=item_id, position=pos, upper_bound=upper,
                                               rate_percent=rate, flat_amount=flat))
    for ground, percent, note in MINIMUMS:
        bind.execute(rules.insert().values(schedule_id=schedule_id, ground=ground,
                                           min_percent=percent, note=note))


def _add_user_column(table, column):
    name = f"fk_{table}_{column}_users"
    if op.get_bind().dialect.name == "sqlite":
        # With its foreign key in one ALTER TABLE: SQLite adds a constraint to a table only by
        # copying it, and these tables are referenced by others (the copy would break them).
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER "
                   f"CONSTRAINT {name} REFERENCES users (id)")
        return
    op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
    op.create_foreign_key(op.f(name), table, "users", [column], ["id"])


def _drop_user_column(table, column):
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(f"fk_{table}_{column}_users"), table, type_="foreignkey")
    op.drop_column(table, column)


def upgrade():
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_number", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("issuer", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
    _add_user_column("fee_schedules", "confirmed_by_id")
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=32), nullable=True))
        # Every line so far was the 2010 standard's (government-set in its day).
        batch_op.add_column(sa.Column("pricing", sa.String(length=32), nullable=False,
                                      server_default=GUIDED))
        batch_op.add_column(sa.Column("article", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
    _add_user_column("fee_items", "confirmed_by_id")
    with op.batch_alter_table("fee_charges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggested_value", sa.Numeric(precision=14, scale=2),
                                      nullable=True))
        batch_op.add_column(sa.Column("basis_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("fee_payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bill_kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("bill_number", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("bill_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("bill_system", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("bill_recorded_at", sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_fee_payments_bill_number"),
                                          ["bill_number"])
        batch_op.create_index("ix_fee_payments_bill_missing", ["bill_number", "paid_at"],
                              unique=False)
    _add_user_column("fee_payments", "bill_recorded_by_id")
    op.create_table(
        "fee_no_charge_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_fee_no_charge_records_case_id_cases")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_fee_no_charge_records_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_no_charge_records")),
        sa.UniqueConstraint("case_id", name=op.f("uq_fee_no_charge_records_case_id")),
    )

    bind = op.get_bind()
    tables = _tables()
    schedules, items, _tiers, _rules = tables
    old = bind.execute(sa.select(schedules.c.id).where(schedules.c.name == OLD_NAME)).scalar()
    if old is not None:
        bind.execute(schedules.update().where(schedules.c.id == old).values(
            name=NAME_2010, note=NOTE_2010, source=SOURCE_2010))
        for code, category in CATEGORY_2010.items():
            placeholder = category == OTHER
            bind.execute(items.update().where(items.c.schedule_id == old,
                                              items.c.code == code).values(
                category=category, source=PLACEHOLDER_2010 if placeholder else SOURCE_2010,
                pricing=MARKET if placeholder else GUIDED))
    for schedule in SCHEDULES:
        _seed_schedule(bind, tables, schedule)


def downgrade():
    bind = op.get_bind()
    schedules, items, tiers, rules = _tables()
    charges = sa.table("fee_charges", sa.column("schedule_id", sa.Integer))
    for schedule in SCHEDULES:
        found = bind.execute(sa.select(schedules.c.id).where(
            schedules.c.document_number == schedule["document_number"],
            schedules.c.effective_from == schedule["effective_from"])).scalar()
        if found is None or bind.execute(sa.select(charges.c.schedule_id).where(
                charges.c.schedule_id == found).limit(1)).first():
            continue  # charges were computed from it: it stays, as a plain schedule
        item_ids = sa.select(items.c.id).where(items.c.schedule_id == found)
        bind.execute(tiers.delete().where(tiers.c.item_id.in_(item_ids)))
        bind.execute(items.delete().where(items.c.schedule_id == found))
        bind.execute(rules.delete().where(rules.c.schedule_id == found))
        bind.execute(schedules.delete().where(schedules.c.id == found))
    bind.execute(schedules.update().where(schedules.c.name == NAME_2010).values(
        name=OLD_NAME))
    bind.execute(items.update().where(items.c.basis == "agreed").values(
        basis="fixed", unit_amount=D(0), is_active=False))

    op.drop_table("fee_no_charge_records")
    _drop_user_column("fee_payments", "bill_recorded_by_id")
    with op.batch_alter_table("fee_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_payments_bill_missing")
        batch_op.drop_constraint(batch_op.f("uq_fee_payments_bill_number"), type_="unique")
        for column in ("bill_recorded_at", "bill_system", "bill_date",
                       "bill_number", "bill_kind"):
            batch_op.drop_column(column)
    with op.batch_alter_table("fee_charges", schema=None) as batch_op:
        batch_op.drop_column("basis_reason")
        batch_op.drop_column("suggested_value")
    _drop_user_column("fee_items", "confirmed_by_id")
    with op.batch_alter_table("fee_items", schema=None) as batch_op:
        for column in ("confirmed_at", "source", "article", "pricing",
                       "category"):
            batch_op.drop_column(column)
    _drop_user_column("fee_schedules", "confirmed_by_id")
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        for column in ("confirmed_at", "source", "issued_on", "issuer",
                       "document_number"):
            batch_op.drop_column(column)
