"""Pure rules for party identity documents: normalization, validation and masking.

Standard library only (no Flask, no database) so that forms, imports and reports can share one
definition of "a valid document number", and so that every rule can be tested in isolation.
Validation never raises on user input: it returns machine-readable problem codes that the caller
maps to translated messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from notary.core.clock import office_today

__all__ = [
    "DocumentProblem",
    "DocumentType",
    "Sex",
    "birth_date_from_document",
    "check_document",
    "mask_document_number",
    "mask_name",
    "mask_phone",
    "normalize_document_number",
    "resident_id_check_char",
    "sex_from_document",
    "uscc_check_char",
]


class DocumentType(StrEnum):
    """Identity documents a party can present (the values are stored in the database)."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
    PASSPORT = "passport"  # 护照
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"  # 外国人永久居留身份证
    USCC = "uscc"  # 统一社会信用代码 (organisations)


class Sex(StrEnum):
    """Sex as encoded in a PRC identity number."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class DocumentProblem:
    """One thing wrong with a document number; `code` is stable, `detail` fills the message."""

    code: str
    # Excluded from the hash so problems stay hashable (a dict is not); equality still compares it.
    detail: dict[str, str] = field(default_factory=dict, hash=False)


# --- Character sets ----------------------------------------------------------------------------

# Explicit ASCII sets: str.isdigit() would also accept "²" or Arabic-Indic digits.
_DIGITS = frozenset("0123456789")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _DIGITS | _LETTERS
_MOD11_CHECK_CHARS = _DIGITS | {"X"}

# Characters that survive str.isspace() but are routinely pasted from web pages and Word files.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _build_normalize_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord(ch): None for ch in _INVISIBLE}
    # Full-width forms (U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A) are what Chinese IMEs type in
    # full-width mode; they sit exactly 0xFEE0 above their ASCII counterparts.
    for ascii_char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        table[ord(ascii_char) + 0xFEE0] = ord(ascii_char)
    # Upper-case ASCII only: str.upper() would turn "ß" into "SS" or "ı" into "I" and let a
    # non-ASCII character slip through the character checks.
    for lower in "abcdefghijklmnopqrstuvwxyz":
        table[ord(lower)] = ord(lower.upper())
        table[ord(lower) + 0xFEE0] = ord(lower.upper())
    return table


_NORMALIZE_TABLE = _build_normalize_table()

# --- GB 11643-1999 (citizen identification number) ------------------------------------------

# GB 11643-1999 §6.2 / ISO 7064 MOD 11-2: weight of position i (1-based) is 2^(18-i) mod 11.
_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Index = weighted sum mod 11; value = the check character that makes the full sum ≡ 1 (mod 11),
# with "X" standing for the value 10.
_RESIDENT_CHECK_CHARS = "10X98765432"

# GB 11643-1999 §5.1 takes the address code from GB/T 2260; its first two digits are the
# province-level division. 71 is Taiwan, 81/82 Hong Kong/Macao (810000/820000 residence
# permits) and 83 the 830000 code of Taiwan residents' residence permits. 91 is only used by
# the 2023 foreign permanent resident ID, so it is rejected for resident IDs.
_PROVINCE_CODES = frozenset(
    [f"{code}" for code in range(11, 16)]
    + [f"{code}" for code in range(21, 24)]
    + [f"{code}" for code in range(31, 38)]
    + [f"{code}" for code in range(41, 47)]
    + [f"{code}" for code in range(50, 55)]
    + [f"{code}" for code in range(61, 66)]
    + ["71", "81", "82", "83"]
)

# Earliest embedded birth date accepted: no living party was born before 1900, so an earlier
# date is far more likely a typing error than a real person.
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)

# --- GB 32100-2015 (unified social credit code) ---------------------------------------------

# GB 32100-2015 §4.2: the code alphabet is the digits plus the capital letters without I, O, S,
# V and Z (too easily confused with 1, 0, 5, U and 2); a character's value is its index here.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_CHARS = frozenset(_USCC_ALPHABET)
# GB 32100-2015 Annex B: weight of position i (1-based) is 3^(i-1) mod 31.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 §4.1 registration management authority codes (1 机构编制, 5 民政, 9 工商, ...,
# A 中央军委改革和编制办公室, N 农业, Y 其他).
_USCC_AUTHORITIES = frozenset("123456789ANY")

# (slice, allowed characters, description) for each segment of GB 32100-2015 §4.1; the first
# segment that fails is the one reported.
_USCC_SEGMENTS: tuple[tuple[slice, frozenset[str], str], ...] = (
    (slice(0, 1), _USCC_AUTHORITIES, "position 1: registration authority 1-9, A, N or Y"),
    (slice(1, 2), _USCC_CHARS, "position 2: a digit or a letter other than I, O, S, V, Z"),
    (slice(2, 8), _DIGITS, "positions 3-8: digits (administrative region code)"),
    (slice(8, 18), _USCC_CHARS, "positions 9-18: digits or letters other than I, O, S, V, Z"),
)

# --- Descriptions for "characters" problems (English; the caller translates the code) ---------

_ALLOWED_MOD11 = "digits, with X allowed only as the last character"
_ALLOWED_FPR_2023 = "9 followed by 16 digits and a digit or X"
_ALLOWED_FPR_OLD = "3 letters followed by 12 digits"
_ALLOWED_ALNUM = "letters A-Z and digits 0-9"
_ALLOWED_DIGITS = "digits 0-9"
_ALLOWED_HK_MACAO = "H or M followed by 8 or 10 digits"
_ALLOWED_USCC = "digits or letters other than I, O, S, V, Z"


# --- Public helpers ---------------------------------------------------------------------------


def normalize_document_number(doc_type: DocumentType, number: str) -> str:
    """Return the number without whitespace, full-width chars made ASCII, letters upper-cased."""
    # The same clean-up suits every type today; doc_type is part of the signature so that a
    # type-specific rule can be added without touching callers.
    del doc_type
    translated = number.translate(_NORMALIZE_TABLE)
    # str.isspace() covers the ideographic space U+3000 and the no-break space U+00A0.
    return "".join(ch for ch in translated if not ch.isspace())


def resident_id_check_char(first17: str) -> str:
    """Compute the GB 11643-1999 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not set(first17) <= _DIGITS:
        raise ValueError("expected exactly 17 ASCII digits")
    total = sum(int(ch) * weight for ch, weight in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK_CHARS[total % 11]


def uscc_check_char(first17: str) -> str:
    """Compute the GB 32100-2015 check character for the first 17 characters of a USCC."""
    if len(first17) != 17 or not set(first17) <= _USCC_CHARS:
        raise ValueError("expected exactly 17 characters of the GB 32100 alphabet")
    total = sum(
        _USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    # GB 32100-2015 Annex B: C18 = 31 - MOD(sum, 31), where the result 31 is written as "0".
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def birth_date_from_document(doc_type: DocumentType, number: str) -> date | None:
    """Return the birth date embedded in a resident ID or 2023-format permanent resident ID."""
    normalized = normalize_document_number(doc_type, number)
    if not _has_embedded_person_data(doc_type, normalized):
        return None
    # Only calendar validity is checked here; check_document judges plausibility (1900..today).
    return _parse_yyyymmdd(normalized[6:14])


def sex_from_document(doc_type: DocumentType, number: str) -> Sex | None:
    """Return the sex encoded in a resident ID or 2023-format permanent resident ID."""
    normalized = normalize_document_number(doc_type, number)
    if not _has_embedded_person_data(doc_type, normalized):
        return None
    return _sex_from_sequence_digit(normalized[16])


def check_document(
    doc_type: DocumentType,
    number: str,
    *,
    birth_date: date | None = None,
    sex: Sex | None = None,
    nationality: str | None = None,
) -> list[DocumentProblem]:
    """Return every problem with the document number (an empty list means it is valid)."""
    doc_type = DocumentType(doc_type)
    normalized = normalize_document_number(doc_type, number)
    if isinstance(birth_date, datetime):
        # datetime is a date subclass but never compares equal to a date.
        birth_date = birth_date.date()
    problems: list[DocumentProblem] = []
    if not normalized:
        problems.append(DocumentProblem("empty"))
    else:
        problems.extend(_CHECKERS[doc_type](normalized, birth_date, sex))
    # The nationality is a separate field, so it is reported even when the number is wrong.
    if doc_type is DocumentType.PASSPORT and not (nationality and nationality.strip()):
        problems.append(DocumentProblem("nationality_required"))
    return problems


def mask_document_number(number: str) -> str:
    """Mask a document number, keeping the first 3 and last 4 characters (1 and 2 if short)."""
    length = len(number)
    if length == 0:
        return ""
    if length <= 3:
        # Keeping 1 + 2 characters would reveal the whole number; always hide at least one.
        return number[0] + "*" * (length - 1) if length > 1 else "*"
    if length <= 8:
        return number[0] + "*" * (length - 3) + number[-2:]
    return number[:3] + "*" * (length - 7) + number[-4:]


def mask_phone(phone: str) -> str:
    """Mask a phone number: 138****5678 for mobiles, otherwise all but the last 4 characters."""
    length = len(phone)
    if length == 11 and set(phone) <= _DIGITS:
        return phone[:3] + "****" + phone[-4:]
    if length <= 4:
        # Keeping the last 4 of a string this short would mask nothing.
        return "*" * length
    return "*" * (length - 4) + phone[-4:]


def mask_name(name: str) -> str:
    """Mask a personal name: 张*, 张*三, 欧**明, J*** S****."""
    stripped = name.strip()
    if not stripped:
        return ""
    if len(stripped) == 1:
        return "*"
    if _is_ideographic_name(stripped):
        # Chinese/Japanese/Korean names carry no spaces; indexing a str works per code point,
        # so characters outside the BMP (𠮷) count as one character.
        chars = "".join(stripped.split())
        if len(chars) <= 2:
            return chars[0] + "*" * (len(chars) - 1)
        return chars[0] + "*" * (len(chars) - 2) + chars[-1]
    return re.sub(r"\S+", lambda match: _mask_word(match.group()), stripped)


# --- Per-type checkers ------------------------------------------------------------------------

_Checker = Callable[[str, date | None, Sex | None], list[DocumentProblem]]


def _check_resident_id(
    number: str, birth_date: date | None, sex: Sex | None
) -> list[DocumentProblem]:
    problems: list[DocumentProblem] = []
    if len(number) != 18:
        problems.append(_length("18"))
    if not _is_mod11_shaped(number):
        problems.append(_characters(_ALLOWED_MOD11))
    if problems:
        return problems
    if number[:2] not in _PROVINCE_CODES:
        problems.append(DocumentProblem("region"))
    problems.extend(_check_mod11_body(number, birth_date, sex))
    return problems


def _check_foreign_permanent_resident(
    number: str, birth_date: date | None, sex: Sex | None
) -> list[DocumentProblem]:
    if len(number) == 18:
        # 2023 format (国家移民管理局公告 2023): leading "9", then the GB 11643 layout with the
        # birth date at positions 7-14, sex at 17 and the same MOD 11-2 check character.
        if number[0] != "9" or not _is_mod11_shaped(number):
            return [_characters(_ALLOWED_FPR_2023)]
        return _check_mod11_body(number, birth_date, sex)
    if len(number) == 15:
        # 2004 format: 3-letter nationality code + 12 digits, no check character to verify.
        if not (set(number[:3]) <= _LETTERS and set(number[3:]) <= _DIGITS):
            return [_characters(_ALLOWED_FPR_OLD)]
        return []
    problems = [_length("15/18")]
    if not set(number) <= _ALNUM:
        problems.append(_characters(_ALLOWED_ALNUM))
    return problems


def _check_hk_macao_permit(
    number: str, birth_date: date | None, sex: Sex | None
) -> list[DocumentProblem]:
    problems: list[DocumentProblem] = []
    # Current cards: H/M + 8 digits; older booklets: H/M + 10 digits.
    if len(number) not in (9, 11):
        problems.append(_length("9/11"))
    if number[0] not in ("H", "M"):
        problems.append(DocumentProblem("prefix"))
    if not set(number[1:]) <= _DIGITS:
        problems.append(_characters(_ALLOWED_HK_MACAO))
    return problems


def _check_taiwan_permit(
    number: str, birth_date: date | None, sex: Sex | None
) -> list[DocumentProblem]:
    problems: list[DocumentProblem] = []
    # Current cards: 8 digits; older booklets: 10 digits.
    if len(number) not in (8, 10):
        problems.append(_length("8/10"))
    if not set(number) <= _DIGITS:
        problems.append(_characters(_ALLOWED_DIGITS))
    return problems


def _check_passport(number: str, birth_date: date | None, sex: Sex | None) -> list[DocumentProblem]:
    problems: list[DocumentProblem] = []
    # Passport numbers follow no common standard; 5-20 letters/digits covers ICAO 9303's 9-char
    # document number field and the longer national formats seen in practice.
    if not 5 <= len(number) <= 20:
        problems.append(_length("5-20"))
    if not set(number) <= _ALNUM:
        problems.append(_characters(_ALLOWED_ALNUM))
    return problems


def _check_uscc(number: str, birth_date: date | None, sex: Sex | None) -> list[DocumentProblem]:
    if len(number) != 18:
        problems = [_length("18")]
        if not set(number) <= _USCC_CHARS:
            problems.append(_characters(_ALLOWED_USCC))
        return problems
    for segment, allowed, description in _USCC_SEGMENTS:
        if not set(number[segment]) <= allowed:
            return [_characters(description)]
    expected = uscc_check_char(number[:17])
    if number[17] != expected:
        return [DocumentProblem("check_char", {"expected": expected, "found": number[17]})]
    return []


_CHECKERS: dict[DocumentType, _Checker] = {
    DocumentType.RESIDENT_ID: _check_resident_id,
    DocumentType.HK_MACAO_PERMIT: _check_hk_macao_permit,
    DocumentType.TAIWAN_PERMIT: _check_taiwan_permit,
    DocumentType.PASSPORT: _check_passport,
    DocumentType.FOREIGN_PERMANENT_RESIDENT: _check_foreign_permanent_resident,
    DocumentType.USCC: _check_uscc,
}


# --- Internals ----------------------------------------------------------------------------------


def _length(expected: str) -> DocumentProblem:
    return DocumentProblem("length", {"expected": expected})


def _characters(allowed: str) -> DocumentProblem:
    return DocumentProblem("characters", {"allowed": allowed})


def _is_mod11_shaped(number: str) -> bool:
    # GB 11643-1999 §4: 17 digits of body; only the check character may be "X" (value 10).
    return bool(number) and set(number[:-1]) <= _DIGITS and number[-1] in _MOD11_CHECK_CHARS


def _has_embedded_person_data(doc_type: DocumentType, normalized: str) -> bool:
    if len(normalized) != 18 or not _is_mod11_shaped(normalized):
        return False
    if doc_type == DocumentType.RESIDENT_ID:
        return True
    return doc_type == DocumentType.FOREIGN_PERMANENT_RESIDENT and normalized[0] == "9"


def _check_mod11_body(
    number: str, birth_date: date | None, sex: Sex | None
) -> list[DocumentProblem]:
    """Check birth date, check character and the given birth date/sex of an 18-char ID."""
    problems: list[DocumentProblem] = []
    embedded = _parse_yyyymmdd(number[6:14])
    if embedded is None or not _EARLIEST_BIRTH_DATE <= embedded <= office_today():
        problems.append(DocumentProblem("birth_date_invalid"))
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        problems.append(DocumentProblem("check_char", {"expected": expected, "found": number[17]}))
    # A date that is not a calendar date cannot be compared; birth_date_invalid covers it.
    if birth_date is not None and embedded is not None and embedded != birth_date:
        problems.append(
            DocumentProblem("birth_date_mismatch", {"in_document": embedded.isoformat()})
        )
    in_document = _sex_from_sequence_digit(number[16])
    if sex is not None and Sex(sex) is not in_document:
        problems.append(DocumentProblem("sex_mismatch", {"in_document": in_document.value}))
    return problems


def _parse_yyyymmdd(text: str) -> date | None:
    if len(text) != 8 or not set(text) <= _DIGITS:
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _sex_from_sequence_digit(digit: str) -> Sex:
    # GB 11643-1999 §5.3: the last digit of the sequence code (position 17) is odd for men and
    # even for women.
    return Sex.MALE if int(digit) % 2 == 1 else Sex.FEMALE


# Scripts whose personal names are written without spaces and masked character by character.
_IDEOGRAPHIC_PREFIXES = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")


def _is_ideographic_name(name: str) -> bool:
    return any(unicodedata.name(ch, "").startswith(_IDEOGRAPHIC_PREFIXES) for ch in name)


def _mask_word(word: str) -> str:
    # Keep separators such as "-" and "'" so "Jean-Pierre" still reads as one masked word.
    return word[0] + "".join("*" if ch.isalnum() else ch for ch in word[1:])
