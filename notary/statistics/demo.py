"""The Leiyang half-year (耒阳市公证处, first half of 2025): a ledger whose report shows exactly
the office report's figures, loaded in bulk through the ledger import (idempotent).

831 concluded (719 domestic including HK/Macao/Taiwan-related, 112 foreign-related), 9
legal-aid cases, 8,700.00 yuan reduced, 750 phone person-times and 2,000 visit person-times;
plus 36 cases still open at the end of June, and letters and online questions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from notary.cases.models import Category
from notary.ledger.services import ImportResult, Ledger, import_ledger

YEAR = 2025
# (category, count): 719 domestic including 39 HK/Macao/Taiwan, and 112 foreign.
CATEGORY_MIX = ((Category.DOMESTIC_CIVIL, 566), (Category.DOMESTIC_ECONOMIC, 114),
                (Category.HONG_KONG, 21), (Category.MACAO, 7), (Category.TAIWAN, 11),
                (Category.FOREIGN_CIVIL, 97), (Category.FOREIGN_ECONOMIC, 15))
CLOSING_MIX = (("出证", 806), ("不予办理", 6), ("终止", 11), ("撤回", 8))
CATEGORY_WORD = {Category.DOMESTIC_CIVIL: "国内民事", Category.DOMESTIC_ECONOMIC: "国内经济",
                 Category.FOREIGN_CIVIL: "涉外民事", Category.FOREIGN_ECONOMIC: "涉外经济",
                 Category.HONG_KONG: "涉港", Category.MACAO: "涉澳", Category.TAIWAN: "涉台"}
MATTERS = {
    Category.DOMESTIC_CIVIL: ("继承", "委托", "声明", "赠与", "遗嘱", "财产分割", "亲属关系"),
    Category.DOMESTIC_ECONOMIC: ("合同", "公司章程", "保全证据", "现场监督", "签名（印鉴）属实"),
    Category.FOREIGN_CIVIL: ("出生", "学历", "无犯罪记录", "亲属关系", "婚姻状况", "经历"),
    Category.FOREIGN_ECONOMIC: ("合同", "公司章程", "复印件与原件相符"),
    Category.HONG_KONG: ("委托", "继承", "亲属关系"),
    Category.MACAO: ("委托", "声明"),
    Category.TAIWAN: ("亲属关系", "继承", "委托"),
}
PLACES = {Category.FOREIGN_CIVIL: ("美国", "加拿大", "澳大利亚", "日本", "英国"),
          Category.FOREIGN_ECONOMIC: ("德国", "新加坡", "韩国"),
          Category.HONG_KONG: ("香港特别行政区",), Category.MACAO: ("澳门特别行政区",),
          Category.TAIWAN: ("台湾地区",)}
NOTARIES = ("谢文慧", "胡正启", "资春梅", "李国华")  # 李国华: retired, no account (historical)
DESK = ("刘晓燕", "段丽君")
FEES = (Decimal("200.00"), Decimal("300.00"), Decimal("400.00"), Decimal("600.00"))
SURNAMES = "李王张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗谢段曾廖邓资伍肖贺谭蒋"
GIVEN = "建华 国强 秀英 桂英 志明 海燕 春生 冬梅 文斌 德胜 美玲 立新 茂池 金凤 水生 玉兰".split()
TOPICS = ("继承公证需要哪些材料", "委托公证办理流程", "出国留学公证", "房产赠与公证费用",
          "遗嘱公证能否上门办理", "无犯罪记录公证", "亲属关系公证用途", "公证书领取时间")


@dataclass(frozen=True)
class ScenarioFigures:
    concluded: int = 831
    domestic: int = 719
    foreign: int = 112
    legal_aid: int = 9
    reduced: Decimal = Decimal("8700.00")
    phone_persons: int = 750
    visit_persons: int = 2000


EXPECTED = ScenarioFigures()


def _working_day(rng: random.Random, start: date, end: date) -> date:
    while True:
        day = start + timedelta(days=rng.randrange((end - start).days + 1))
        if day.weekday() < 5:
            return day


def _check_id(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def leiyang_ledger(seed: int = 2025) -> Ledger:
    """The half-year as ledger rows (deterministic: loading it twice adds nothing)."""
    rng = random.Random(seed)
    categories = [c for c, n in CATEGORY_MIX for _i in range(n)]
    closings = [w for w, n in CLOSING_MIX for _i in range(n)]
    rng.shuffle(categories)
    rng.shuffle(closings)
    rows: list[dict[str, Any]] = []
    # Reductions: the 9 legal-aid cases waived (500 yuan each, 4,500) and 21 reductions
    # of 200 yuan (低保, 80+, disability: 4,200): 8,700.00 on cases concluded in the half.
    relief = ([("法律援助", Decimal("500.00"), True)] * 9
              + [("低保户减收", Decimal("200.00"), False)] * 21)
    relief_at = set(rng.sample(range(831), len(relief)))
    relief_iter = iter(relief)
    pending: list[tuple[date, date | None, Category, str, bool]] = []
    for i, (category, closing) in enumerate(zip(categories, closings, strict=True)):
        closed = _working_day(rng, date(YEAR, 1, 6), date(YEAR, 6, 30))
        accepted = closed - timedelta(days=rng.randrange(0, 20))
        accepted = max(accepted, date(YEAR, 1, 2))
        pending.append((accepted, closed, category, closing, i in relief_at))
    # Cases still open at the end of June (accepted in the last fortnight).
    for _i in range(36):
        pending.append((_working_day(rng, date(YEAR, 6, 16), date(YEAR, 6, 30)), None,
                        rng.choice(categories), "", False))
    pending.sort(key=lambda p: (p[0], p[1] or date.max))
    certificate = 0
    for seq, (accepted, closed_on, category, closing, relieved) in enumerate(pending, start=1):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        first17 = f"430481{born:%Y%m%d}{rng.randrange(1000):03d}"
        fee = rng.choice(FEES)
        reduction, reason, aid = Decimal("0"), "", False
        if relieved:
            reason, reduction, aid = next(relief_iter)
            fee = max(fee - reduction, Decimal("0")) if not aid else Decimal("0")
        cert = ""
        if closing == "出证":
            certificate += 1
            cert = f"（{YEAR}）湘耒证字第{certificate}号"
        elif closing:
            fee = Decimal("0")
        time_of_day = f"{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}"
        rows.append({
            "受理号": f"（{YEAR}）耒证受字第{seq:05d}号", "受理日期": accepted.isoformat(),
            "公证事项": rng.choice(MATTERS[category]), "类别": CATEGORY_WORD[category],
            "使用地": rng.choice(PLACES[category]) if category in PLACES else "",
            "申请人": rng.choice(SURNAMES) + rng.choice(GIVEN), "证件类型": "居民身份证",
            "证件号码": first17 + _check_id(first17), "承办公证员": rng.choice(NOTARIES),
            "结案方式": closing,
            "办结日期": f"{closed_on.isoformat()} {time_of_day}" if closed_on else "",
            "公证书编号": cert, "收费金额": f"{fee:.2f}" if closing else "",
            "减免金额": f"{reduction:.2f}" if reduction else "", "减免原因": reason,
            "法律援助": "是" if aid else "否"})
    ledger = Ledger(source="leiyang-half-year")
    ledger.cases = [(n, r) for n, r in enumerate(rows, start=2)]
    ledger.consultations = [(n, r) for n, r in enumerate(_consultations(rng), start=2)]
    return ledger


def _consultations(rng: random.Random) -> list[dict[str, Any]]:
    """750 phone person-times (700 calls), 2,000 visit person-times (1,400 visits), and
    letters and online questions besides."""
    plan = ([("电话", 1)] * 650 + [("电话", 2)] * 50 + [("来访", 1)] * 800
            + [("来访", 2)] * 600 + [("信函", 1)] * 18 + [("网络", 1)] * 42)
    out = []
    for channel, persons in plan:
        day = _working_day(rng, date(YEAR, 1, 2), date(YEAR, 6, 30))
        out.append({"日期": f"{day.isoformat()} {rng.randrange(8, 18):02d}:{rng.randrange(60):02d}",
                    "方式": channel, "人数": str(persons), "事项": rng.choice(TOPICS),
                    "接待人": rng.choice(DESK), "处理结果": rng.choice(("解答", "解答", "预约"))})
    return out


def load_leiyang(*, progress: Any = None) -> ImportResult:
    """Load the Leiyang half-year (idempotent): demo staff, then the ledger in bulk."""
    from notary.demo import ensure_staff

    staff = ensure_staff()
    return import_ledger(leiyang_ledger(), actor=staff["director"], progress=progress)
