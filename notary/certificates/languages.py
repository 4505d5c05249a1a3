"""The translation page of a certificate for use abroad: its language, its printed labels, and
Chinese names written in Hanyu Pinyin. Pure: no Flask, no database.

A case names its translation language in free text (英语, 法文, French ...); `language_for`
reads it as one of LANGUAGES. Names go into Latin-script pages in Hanyu Pinyin as the
passport writes them (GB/T 28039—2011: surname first, surname and given name each one word,
capitalised), and a page for abroad keeps no Chinese character (`leftover_chinese`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
              "September", "Oktober", "November", "Dezember")
_ES_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")


@dataclass(frozen=True)
class Language:
    """One language a translation page can be printed in."""

    code: str
    chinese: str  # as the 译文与原文相符 certificate names it: 英文, 法文
    native: str  # as its speakers name it
    title: str  # the page's title
    applicant: str
    agent: str
    representative: str
    matter: str
    notary: str
    id_number: str
    document_number: str
    male: str
    female: str
    born: str  # "born on {date}"
    office: str  # the office's name in the language
    months: tuple[str, ...]
    date_format: Callable[[date, tuple[str, ...]], str]
    aliases: tuple[str, ...]
    code_label: str = "Verification code"
    verify_note: str = "Scan the QR code or enter the number and code on the verification page"
    page: str = "Page {n}"

    def date(self, value: date | None) -> str:
        """A date as the language writes it."""
        return self.date_format(value, self.months) if value else ""


def _day_month_year(value: date, months: tuple[str, ...]) -> str:
    return f"{value.day} {months[value.month - 1]} {value.year}"


def _de_date(value: date, months: tuple[str, ...]) -> str:
    return f"{value.day}. {months[value.month - 1]} {value.year}"


def _es_date(value: date, months: tuple[str, ...]) -> str:
    return f"{value.day} de {months[value.month - 1]} de {value.year}"


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "英文", "English", "NOTARIAL CERTIFICATE", "Applicant", "Agent",
             "Legal representative", "Matter", "Notary Public", "ID No.", "Document No.",
             "male", "female", "born on {date}",
             "Leiyang Notary Public Office, Hunan Province, the People's Republic of China",
             _EN_MONTHS, _day_month_year, ("英语", "英文", "english", "en")),
    Language("fr", "法文", "français", "ACTE NOTARIÉ", "Requérant", "Mandataire",
             "Représentant légal", "Objet", "Notaire", "No de carte d'identité",
             "No de document", "masculin", "féminin", "né(e) le {date}",
             "Office notarial de Leiyang, province du Hunan, République populaire de Chine",
             _FR_MONTHS, _day_month_year, ("法语", "法文", "french", "français", "francais",
                                           "fr"), "Code de vérification",
             "Scannez le code QR ou saisissez le numéro et le code sur la page de vérification",
             "Page {n}"),
    Language("de", "德文", "Deutsch", "NOTARIELLE URKUNDE", "Antragsteller", "Bevollmächtigter",
             "Gesetzlicher Vertreter", "Gegenstand", "Notar", "Personalausweis-Nr.",
             "Dokument-Nr.", "männlich", "weiblich", "geboren am {date}",
             "Notariat Leiyang, Provinz Hunan, Volksrepublik China",
             _DE_MONTHS, _de_date, ("德语", "德文", "german", "deutsch", "de"),
             "Prüfcode", "QR-Code scannen oder Nummer und Prüfcode auf der Prüfseite eingeben",
             "Seite {n}"),
    Language("es", "西班牙文", "español", "CERTIFICADO NOTARIAL", "Solicitante", "Apoderado",
             "Representante legal", "Asunto", "Notario", "N.º de documento de identidad",
             "N.º de documento", "masculino", "femenino", "nacido/a el {date}",
             "Notaría de Leiyang, provincia de Hunan, República Popular China",
             _ES_MONTHS, _es_date, ("西班牙语", "西班牙文", "spanish", "español", "espanol",
                                    "es"), "Código de verificación",
             "Escanee el QR o introduzca número y código en la página de verificación",
             "Página {n}"),
)}
DEFAULT_LANGUAGE = "en"


def language_for(text: str | None) -> Language | None:
    """The language a case's free-text translation language names, or None if unknown."""
    key = (text or "").strip().lower()
    if not key:
        return None
    return next((lang for lang in LANGUAGES.values() if key in lang.aliases), None)


# --- Hanyu Pinyin --------------------------------------------------------------------------

# Two-character surnames (复姓) written as one word: 欧阳 → Ouyang (GB/T 28039—2011 §5.1).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "司空", "闻人", "呼延",
})
# Surnames whose reading differs from the character's commonest one.
SURNAME_READINGS = {"单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao",
                    "区": "ou", "查": "zha", "覃": "qin", "尉": "yu", "乐": "yue", "召": "shao",
                    "缪": "miao", "种": "chong", "盖": "ge", "员": "yun", "翟": "zhai"}


def is_han(char: str) -> bool:
    """Whether a character is a Chinese ideograph (any CJK block, Extension B and later too)."""
    return unicodedata.category(char) == "Lo" and "CJK" in unicodedata.name(char, "")


# Where the readings an office recorded for characters the dictionary does not know come from
# (certificates.services registers the database's): called only when such a character occurs.
def _no_readings(chars: frozenset[str]) -> dict[str, str]:
    return {}


_office_readings: Callable[[frozenset[str]], dict[str, str]] = _no_readings


def read_office_readings_with(source: Callable[[frozenset[str]], dict[str, str]]) -> None:
    """Register the lookup of the office's own readings (character -> Pinyin syllable)."""
    global _office_readings
    _office_readings = source


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    # errors="default" keeps a character pypinyin does not know as itself, so the caller sees
    # it (leftover_chinese) instead of losing it, unless the office recorded how it is read.
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="default")
    unknown = frozenset(c for s in syllables for c in s if is_han(c))
    if not unknown:
        return syllables
    readings = _office_readings(unknown)
    return ["".join(readings.get(c, c) for c in s) if any(map(is_han, s)) else s
            for s in syllables]


def unknown_characters(text: str) -> list[str]:
    """The Chinese characters of `text` that the Pinyin dictionary does not know."""
    from pypinyin import Style, lazy_pinyin

    return list(dict.fromkeys(c for c in text if is_han(c)
                              and is_han(lazy_pinyin(c, style=Style.NORMAL,
                                                     errors="default")[0][:1] or "a")))


def pinyin(text: str) -> str:
    """A run of Chinese characters as one capitalised Pinyin word: 耒阳 → Leiyang."""
    return "".join(_syllables(text)).capitalize()


# Administrative suffixes left out of a place name in Pinyin (耒阳市 → Leiyang).
_PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "州",
                   "盟", "旗")


def place_pinyin(*parts: str | None) -> str:
    """A place from the smallest unit up, in Pinyin: ("湖南省", "耒阳市") → Leiyang, Hunan."""
    names = []
    for part in reversed([p.strip() for p in parts if p and p.strip()]):
        for suffix in _PLACE_SUFFIXES:
            if part.endswith(suffix) and len(part) > len(suffix) + 1:
                part = part[: -len(suffix)]
                break
        names.append(romanise(part))
    return ", ".join(names)


def name_pinyin(name: str) -> str:
    """A person's name as the passport writes it: 李𠮷 → Li Ji, 欧阳小明 → Ouyang Xiaoming."""
    name = name.strip()
    if not name or not any(is_han(c) for c in name):
        return name
    size = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:size], name[size:]
    family = SURNAME_READINGS.get(surname) or "".join(_syllables(surname))
    parts = [family.capitalize()]
    if given:
        parts.append("".join(_syllables(given)).capitalize())
    return " ".join(parts)


def romanise(text: str) -> str:
    """Every run of Chinese characters in a Latin-script text written in Pinyin."""
    return "".join(pinyin(run) if han else run
                   for han, run in ((h, "".join(g)) for h, g in groupby(text, key=is_han)))


def romanise_number(number: str) -> str:
    """A certificate number on a foreign-language page: （2026）湘衡耒证字第1号 → (2026) Xiang
    Heng Lei Zheng Zi No. 1 (each character one syllable, as number prefixes are read)."""
    import re

    text = number.replace("（", " (").replace("）", ") ")
    text = re.sub(r"第\s*(\d+)\s*号", r" No. \1", text)
    out = []
    for han, run in ((h, "".join(g)) for h, g in groupby(text, key=is_han)):
        out.append(" ".join(s.capitalize() for s in _syllables(run)) if han else run)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def leftover_chinese(text: str) -> list[str]:
    """The Chinese characters left in a foreign-language text (none may be printed there)."""
    return list(dict.fromkeys(c for c in text if is_han(c)))
