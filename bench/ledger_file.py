"""Write a ledger CSV of N historical cases (2009, before any generated case) to import."""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta

from notary.ledger.services import CASE_COLUMNS
from notary.parties.rules import resident_id_check_char

MATTERS = ("继承", "委托", "声明", "出生", "学历", "亲属关系", "合同")
CATEGORIES = ("国内民事", "国内民事", "国内经济", "涉外民事", "涉港")
CLOSINGS = ("出证", "出证", "出证", "出证", "不予办理", "终止", "撤回")


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(2009)
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(CASE_COLUMNS)
        for i in range(1, n + 1):
            accepted = date(2009, 1, 1) + timedelta(days=i * 360 // n)
            birth = date(1940, 1, 1) + timedelta(days=i % 20000)
            first17 = f"430421{birth:%Y%m%d}{i // 20000 % 1000:03d}"
            closing = rng.choice(CLOSINGS)
            category = rng.choice(CATEGORIES)
            writer.writerow([
                f"（2009）耒证受字第{i:06d}号", accepted.isoformat(), rng.choice(MATTERS),
                category, "香港" if category == "涉港" else ("美国" if category == "涉外民事"
                                                           else ""),
                f"历史申请人{i}", "居民身份证", first17 + resident_id_check_char(first17),
                "谢文慧", closing, (accepted + timedelta(days=5)).isoformat(),
                f"（2009）湘耒证字第{i}号" if closing == "出证" else "", "200.00", "0", "",
                "否"])


if __name__ == "__main__":
    main()
