"""A hand-built ledger: every figure of its reports is known in advance (see the tests)."""

from __future__ import annotations

import csv
import io
from typing import Any

from notary.ledger.services import CASE_COLUMNS, CONSULTATION_COLUMNS


def csv_bytes(columns: tuple[str, ...], rows: list[dict[str, Any]], *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def case(n: int, accepted: str, matter: str, category: str, closing: str = "",
         closed: str = "", **extra: Any) -> dict[str, Any]:
    """One ledger case line (a valid resident ID, the number unique by n)."""
    return {"受理号": f"（2025）耒证受字第{n:05d}号", "受理日期": accepted, "公证事项": matter,
            "类别": category, "申请人": f"申请人{n}", "证件类型": "护照",
            "证件号码": f"E{n:08d}", "结案方式": closing, "办结日期": closed, **extra}


# Acceptance numbers are 2025's for simplicity; only the dates matter to the statistics.
CASES = [
    case(1, "2025-03-01", "继承", "国内民事", "出证", "2025-03-10 10:00", 承办公证员="谢文慧",
         公证书编号="（2025）湘耒证字第1号", 收费金额="400"),
    case(2, "2025-03-20", "合同", "国内经济", "不予办理", "2025-04-02"),
    # 23:30 local on 30 June: the first half.
    case(3, "2025-06-20", "学历", "涉外民事", "出证", "2025-06-30 23:30", 使用地="美国",
         承办公证员="谢文慧", 公证书编号="（2025）湘耒证字第3号", 收费金额="300"),
    # 00:30 local on 1 July: the second half.
    case(4, "2025-06-25", "委托", "涉港", "出证", "2025-07-01 00:30", 使用地="香港",
         公证书编号="（2025）湘耒证字第4号", 收费金额="300"),
    case(5, "2025-04-01", "亲属关系", "涉台", "终止", "2025-05-05", 使用地="台湾",
         减免金额="50", 减免原因="低保"),
    case(6, "2025-01-20", "遗嘱", "国内民事", "撤回", "2025-02-02"),
    case(7, "2024-12-30", "继承", "国内民事", "出证", "2025-01-01 00:10", 法律援助="是",
         减免金额="500", 减免原因="法律援助", 公证书编号="（2025）湘耒证字第7号"),
    case(8, "2024-12-01", "公司章程", "涉外经济", "出证", "2024-12-31 23:50", 使用地="德国",
         收费金额="200"),
    case(9, "2025-06-20", "声明", "国内民事", 收费金额="50"),
    case(10, "2024-03-01", "声明", "国内民事", "出证", "2024-03-15", 收费金额="200"),
    case(11, "2025-06-01", "委托", "涉澳", "出证", "2025-06-15", 使用地="澳门",
         承办公证员="老王", 收费金额="100", 减免金额="200", 减免原因="低保"),
]
CONSULTATIONS = [
    {"日期": "2025-06-30 23:30", "方式": "电话", "人数": "2", "事项": "继承", "接待人": "刘晓燕"},
    {"日期": "2025-07-01 00:30", "方式": "电话", "人数": "1", "事项": "委托", "接待人": "刘晓燕"},
    {"日期": "2025-03-03", "方式": "来访", "人数": "3", "事项": "遗嘱", "接待人": "段丽君"},
    # The same line twice: two families who came the same day about the same thing.
    {"日期": "2025-03-03", "方式": "来访", "人数": "3", "事项": "遗嘱", "接待人": "段丽君"},
    {"日期": "2025-04-01", "方式": "信函", "人数": "1", "事项": "学历", "接待人": "",
     "处理结果": "转介"},
]


def ledger_files() -> list[tuple[str, bytes]]:
    return [("cases.csv", csv_bytes(CASE_COLUMNS, CASES)),
            ("consultations.csv", csv_bytes(CONSULTATION_COLUMNS, CONSULTATIONS, bom=False))]


def import_hand_built(actor: Any) -> Any:
    from notary.ledger.services import import_ledger, read_ledger

    result = import_ledger(read_ledger(ledger_files()), actor=actor)
    assert result.errors == [] and result.written
    return result
