"""Pure rules of the case file: who has been told (告知), when a will's interview must be
recorded, when a file is confidential. No Flask, no database."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

WILL_MATTERS = frozenset({"will"})


def uncovered_applicants(applicant_ids: Iterable[int], representative_ids: Collection[int],
                         noticed_ids: Collection[int]) -> list[int]:
    """The applicants nobody has been told for yet (公证法 art. 27 ¶2).

    An applicant is covered when told in person, or when the case goes through an agent or
    representative who was told and signed (公证程序规则 2020 art. 21: "申请人或其代理人").
    """
    told_for_others = any(r in noticed_ids for r in representative_ids)
    return [a for a in applicant_ids if a not in noticed_ids and not told_for_others]


def age_on(birth: date, day: date) -> int:
    """Full years of age on the day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def recording_required(*, births: Iterable[date | None], on: date, infirm: bool,
                       age_threshold: int | None) -> bool:
    """遗嘱公证细则 art. 16: the interview with an elderly and frail (年老体弱) or sick testator
    is recorded on audio or video. The article gives no age; the office's threshold stands in
    for "elderly" (an office setting), the notary's flag for the rest of the list."""
    if infirm:
        return True
    if age_threshold is None:
        return False
    return any(b is not None and age_on(b, on) >= age_threshold for b in births)


def is_will(codes: Iterable[str]) -> bool:
    """Whether the case has a will among its matters."""
    return any(code in WILL_MATTERS for code in codes)


def is_confidential(codes: Iterable[str], death_on: date | None) -> bool:
    """公证程序规则 2020 art. 60: a will's file is a 密卷 until the testator's death is recorded,
    then it is kept as an ordinary file (转为普通卷)."""
    return is_will(codes) and death_on is None

