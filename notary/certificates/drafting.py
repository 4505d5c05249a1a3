"""What a certificate's wording is drafted from: the case's parties, dates and facts, in Chinese
and in the case's translation language (names in Hanyu Pinyin there).

Reads the case (and, for 继承, the stored family, estate and heir determination); changes
nothing. `services` fills the wording templates with `draft_context` and freezes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from flask import current_app

from notary.cases.models import Case, Category, MatterType, ParticipantRole
from notary.certificates import rules
from notary.certificates.languages import (
    LANGUAGES,
    Language,
    language_for,
    name_pinyin,
    place_pinyin,
)
from notary.certificates.wording import (
    INHERITANCE_LANGUAGES,
    EstateAsset,
    Member,
    Share,
    Succession,
    inheritance_text,
)
from notary.core.models import office_today
from notary.core.templating import chinese_date
from notary.parties.models import Party, PartyKind
from notary.parties.rules import DocumentType

ZH = "zh"
FOREIGN = {Category.FOREIGN_CIVIL, Category.FOREIGN_ECONOMIC, Category.HONG_KONG,
           Category.MACAO, Category.TAIWAN}
_DOC_ZH = {DocumentType.RESIDENT_ID: "公民身份号码", DocumentType.PASSPORT: "护照号码",
           DocumentType.HK_MACAO_PERMIT: "港澳居民来往内地通行证号码",
           DocumentType.TAIWAN_PERMIT: "台湾居民来往大陆通行证号码",
           DocumentType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证号码",
           DocumentType.USCC: "统一社会信用代码"}
_ROLE_ZH = {"applicant": "申请人", "agent": "委托代理人", "representative": "法定代表人"}


def translation_language(case: Case) -> Language | None:
    """The language of the case's translation page, or None when it has none.

    Only a case for use abroad (or in Hong Kong, Macao, Taiwan) with a translation language
    gets one; a language the office names that has no labels here falls back to None and
    the case page says so."""
    if case.category not in FOREIGN or not case.translation_language:
        return None
    return language_for(case.translation_language)


@dataclass(frozen=True)
class Writer:
    """How names, places and dates are written in one language of the certificate."""

    code: str
    language: Language | None  # None: Chinese

    def name(self, text: str | None) -> str:
        return (text or "") if self.language is None else name_pinyin(text or "")

    def place(self, *parts: str | None) -> str:
        if self.language is None:
            return "".join(p for p in parts if p)
        return place_pinyin(*parts)

    def date(self, value: date | None) -> str:
        if self.language is None:
            return chinese_date(value)
        return self.language.date(value)


def writer(code: str) -> Writer:
    """The writer of Chinese ("zh") or of a translation language code."""
    return Writer(code, None if code == ZH else LANGUAGES[code])


def _sex(party: Party, w: Writer) -> str:
    if party.sex is None:
        return ""
    if w.language is None:
        return "男" if party.sex.value == "male" else "女"
    return w.language.male if party.sex.value == "male" else w.language.female


def person_line(party: Party, role: str, foreign: bool, w: Writer) -> str:
    """One party's line in the 申请人 block (note 2 to the 2011 formats) in one language."""
    lang = w.language
    label = _ROLE_ZH[role] if lang is None else {
        "applicant": lang.applicant, "agent": lang.agent,
        "representative": lang.representative}[role]
    doc_type = DocumentType(party.document_type)
    if lang is None:
        doc = _DOC_ZH.get(doc_type, "证件号码")
    else:
        doc = lang.id_number if doc_type is DocumentType.RESIDENT_ID else lang.document_number
    sep, colon, stop = ("，", "：", "。") if lang is None else (", ", ": ", ".")
    if party.kind is PartyKind.ORGANISATION:
        text = f"{label}{colon}{w.name(party.name) if lang else party.name}{sep}{doc}{colon}" \
               f"{party.document_number}"
        if party.legal_representative:
            rep = _ROLE_ZH["representative"] if lang is None else lang.representative
            text += f"{stop}\n{rep}{colon}{w.name(party.legal_representative)}"
        return text + stop
    parts = [w.name(party.name)]
    if sex := _sex(party, w):
        parts.append(sex)
    # The birth date goes on certificates for use abroad; no age is ever written (1981 notice).
    if party.birth_date and foreign:
        parts.append(f"{chinese_date(party.birth_date)}出生" if lang is None else
                     lang.born.format(date=lang.date(party.birth_date)))
    if party.nationality and party.nationality not in {"中国", "中华人民共和国"} and lang is None:
        parts.append(f"国籍：{party.nationality}")
    parts.append(f"{doc}{colon}{party.document_number}")
    return f"{label}{colon}{sep.join(parts)}{stop}"


def applicant_block(case: Case, code: str = ZH) -> str:
    """The 申请人 block: applicants, then representatives and agents."""
    order = {ParticipantRole.APPLICANT: 0, ParticipantRole.REPRESENTATIVE: 1,
             ParticipantRole.AGENT: 2}
    foreign = case.category in FOREIGN
    w = writer(code)
    return "\n".join(person_line(p.party, p.role.value, foreign, w)
                     for p in sorted(case.active_participants,
                                     key=lambda p: (order[p.role], p.position)))


def _person_facts(party: Party, w: Writer) -> dict[str, Any]:
    return {"name": w.name(party.name), "sex": _sex(party, w),
            "birth_date": w.date(party.birth_date),
            "birth_place": w.place(party.birth_province, party.birth_county),
            "document_number": party.document_number}


# --- 继承 ---------------------------------------------------------------------------------


def succession(case: Case) -> tuple[Any, Succession] | None:
    """The stored inheritance file and the succession the wording is written from."""
    from notary.inheritance import services as inheritance

    file = inheritance.get_file(case)
    result = inheritance.determination(case) if file is not None else None
    if file is None or result is None:
        return None
    members = inheritance.members_of(case.id)
    agreed = {int(k): _fraction(v) for k, v in (file.agreed_shares or {}).items()}
    return file, Succession(
        decedent=file.decedent_name, death_date=file.death_date,
        members=[Member(m.id, m.name, m.relation.value, m.death_date, m.renounced,
                        m.renounced_on, m.lost_right_ground.value if m.lost_right_ground
                        else None, m.forgiven, m.via_id, m.successor_of_id) for m in members],
        shares={r.person_id: Share(r.outcome.value, r.share, r.is_final) for r in result.people},
        spouse_half_to=result.spouse_half_to,
        assets=[EstateAsset(a.description, a.is_marital, a.disposed_by_will)
                for a in inheritance.assets_of(case.id)],
        agreed=agreed)


def _fraction(text: str) -> Fraction:
    from notary.inheritance.rules import parse_fraction

    return parse_fraction(text)


def _inheritance(case: Case, w: Writer) -> dict[str, Any]:
    from notary.inheritance import services as inheritance
    from notary.inheritance.models import DispositionKind

    found = succession(case)
    if found is None:
        return {"decedent": {"name": "×××", "death_date": "×年×月×日", "death_place": "×××"},
                "has_will": False, "inheritance": _no_inheritance()}
    file, facts = found
    text = inheritance_text(facts, w.code) if w.code in INHERITANCE_LANGUAGES else None
    place = file.death_place or file.last_residence or "×××"
    return {
        "decedent": {"name": w.name(file.decedent_name), "death_date": w.date(file.death_date),
                     "death_place": place if w.language is None else w.place(place)},
        "has_will": any(d.kind is DispositionKind.WILL
                        for d in inheritance.dispositions_of(case.id)),
        "inheritance": ({"facts": text.facts, "spouse_half": text.spouse_half,
                         "heirs": text.heirs, "assets": text.assets, "articles": text.articles}
                        if text else _no_inheritance()),
    }


def _no_inheritance() -> dict[str, Any]:
    return {"facts": [], "spouse_half": "", "heirs": "", "assets": [], "articles": []}


# --- 婚姻状况 ----------------------------------------------------------------------------


def _marital(party: Party | None, today: date) -> dict[str, Any]:
    """Which form the marital-status wording takes (office settings, legal-texts.md §7.3)."""
    form = current_app.config["MARITAL_STATUS_FORM"]
    ages = current_app.config["MARRIAGE_AGE"]  # 民法典 art. 1047: 22 for men, 20 for women
    if party is not None and party.birth_date and party.sex is not None:
        years = today.year - party.birth_date.year - (
            (today.month, today.day) < (party.birth_date.month, party.birth_date.day))
        if years < int(ages.get(party.sex.value, 0)):
            form = "substantive"  # below the legal marriage age: the old wording stays
    return {"form": form, "registry": current_app.config["MARITAL_REGISTRY_NAME"] or ""}


# --- the context -------------------------------------------------------------------------


def draft_context(case: Case, matter: MatterType, code: str = ZH) -> dict[str, Any]:
    """What a wording template may use, written in Chinese or a translation language."""
    w = writer(code)
    applicants = [p.party for p in case.active_participants
                  if p.role is ParticipantRole.APPLICANT]
    first = applicants[0] if applicants else None
    today = office_today()
    lang = translation_language(case)
    context: dict[str, Any] = {
        "applicant": _person_facts(first, w) if first else {"name": "×××"},
        "applicants": [_person_facts(p, w) for p in applicants],
        "agents": [_person_facts(p.party, w) for p in case.active_participants
                   if p.role is not ParticipantRole.APPLICANT],
        "matter": matter.name, "matter_en": matter.name_en or matter.name,
        "document_name": case.document_name or "",
        "language": lang.chinese if lang else (case.translation_language or ""),
        "language_name": lang.native if lang else "",
        "sign_date": chinese_date(today), "sign_date_en": w.date(today) if w.language
        else rules.english_date(today), "today": chinese_date(today),
        "today_en": w.date(today) if w.language else rules.english_date(today),
        "father": w.name(first.father_name) if first else "",
        "mother": w.name(first.mother_name) if first else "",
        "relative": "", "relation": "",
        "marital": _marital(first, today),
    }
    if matter.code == "inheritance":
        context.update(_inheritance(case, w))
    else:
        context.update({"decedent": {"name": "×××", "death_date": "", "death_place": ""},
                        "has_will": False, "inheritance": _no_inheritance()})
    return context


SAMPLE_CONTEXT: dict[str, Any] = {
    "applicant": {"name": "张三", "sex": "男", "birth_date": "一九八〇年五月十七日",
                  "birth_place": "湖南省耒阳市", "document_number": "430481198005170011"},
    "applicants": [], "agents": [], "matter": "继承", "matter_en": "Inheritance",
    "document_name": "委托书", "language": "英文", "language_name": "English",
    "sign_date": "二〇二六年十一月三十日", "sign_date_en": "30 November 2026",
    "today": "二〇二六年十一月三十日", "today_en": "30 November 2026", "father": "张大山",
    "mother": "李秀英", "relative": "张大山", "relation": "父子",
    "marital": {"form": "declaration", "registry": "耒阳市民政局婚姻登记处"},
    "decedent": {"name": "李德胜", "death_date": "二〇二四年三月一日",
                 "death_place": "湖南省耒阳市"},
    "has_will": False,
    "inheritance": {
        "facts": ["被继承人的子女李建国于二〇一九年五月一日先于被继承人死亡。"],
        "spouse_half": "房屋一套为被继承人与其配偶王秀英的夫妻共同财产，其中一半为王秀英所有。",
        "heirs": "被继承人的遗产由王秀英、李明共同继承，各继承二分之一。",
        "assets": ["房屋一套：王秀英占四分之三（含其夫妻共同财产的一半）、李明占四分之一。"],
        "articles": ["第一千一百二十七条", "第一千一百三十条"]},
}
