"""Table-driven and property tests for the pure party-document rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notary.core.clock import frozen_time, local_date, utcnow
from notary.parties.rules import (
    DocumentProblem,
    DocumentType,
    Sex,
    birth_date_from_document,
    check_document,
    mask_document_number,
    mask_name,
    mask_phone,
    normalize_document_number,
    resident_id_check_char,
    sex_from_document,
    uscc_check_char,
)

RID = DocumentType.RESIDENT_ID
HKM = DocumentType.HK_MACAO_PERMIT
TW = DocumentType.TAIWAN_PERMIT
PP = DocumentType.PASSPORT
FPR = DocumentType.FOREIGN_PERMANENT_RESIDENT
USCC = DocumentType.USCC

# Kept independent of the module's private tables, copied from the brief (GB/T 2260 provinces
# plus 81/82/83 for the Hong Kong, Macao and Taiwan residence permits).
PROVINCE_CODES = [
    *(str(code) for code in range(11, 16)),
    *(str(code) for code in range(21, 24)),
    *(str(code) for code in range(31, 38)),
    *(str(code) for code in range(41, 47)),
    *(str(code) for code in range(50, 55)),
    *(str(code) for code in range(61, 66)),
    "71",
    "81",
    "82",
    "83",
]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# "Today" is the office's date when the cases were built (collection), held for every test of
# the module: a run that crosses midnight in Asia/Shanghai still judges the same day.
COLLECTED_AT = utcnow()
TODAY = local_date(COLLECTED_AT)
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def _office_day_of_collection() -> Iterator[None]:
    with frozen_time(COLLECTED_AT):
        yield


def rid(first17: str) -> str:
    """Complete 17 digits into a resident ID with the correct check character."""
    return first17 + resident_id_check_char(first17)


def uscc(first17: str) -> str:
    """Complete 17 characters into a USCC with the correct check character."""
    return first17 + uscc_check_char(first17)


def wrong_last(number: str, alphabet: str) -> str:
    """Replace the last character by the first other character of the alphabet."""
    return number[:-1] + next(ch for ch in alphabet if ch != number[-1])


def length(expected: str) -> DocumentProblem:
    return DocumentProblem("length", {"expected": expected})


def characters(allowed: str) -> DocumentProblem:
    return DocumentProblem("characters", {"allowed": allowed})


def check_char(expected: str, found: str) -> DocumentProblem:
    return DocumentProblem("check_char", {"expected": expected, "found": found})


EMPTY = DocumentProblem("empty")
REGION = DocumentProblem("region")
BIRTH_INVALID = DocumentProblem("birth_date_invalid")
PREFIX = DocumentProblem("prefix")
NATIONALITY = DocumentProblem("nationality_required")
MOD11_CHARS = characters("digits, with X allowed only as the last character")

# Independently known-valid numbers (GB 11643-1999 and GB 32100-2015 worked examples and
# published registrations), verified against the algorithms below.
GB11643_EXAMPLE_FEMALE = "11010519491231002X"  # born 1949-12-31, female, check char X
GB11643_EXAMPLE_1880 = "440524188001010014"  # born 1880-01-01, male
KNOWN_USCCS = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91110108551385082Q",
    "91440300708461136T",
]

MALE_1990 = rid("11010519900101123")  # 17th digit 3: male
FEMALE_1990 = rid("11010519900101124")  # 17th digit 4: female
FPR_2023_MALE = rid("91184019850615123")  # "9" + province 11 + country 840 + 1985-06-15
FPR_2023_FEMALE = rid("91184019850615122")
FPR_2004 = "USA110085061512"
# Region 91, born in 2999 and a wrong check character, all reported together.
MANY_PROBLEMS = wrong_last(rid("91000029990101001"), "0123456789X")
USCC_CHECK_ZERO = "911101085602600000"  # sum ≡ 0 (mod 31): the "31 is written 0" rule


# --- check characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),
        ("44052418800101001", "4"),
        ("11010519900101102", "1"),
        ("11010519900101108", "0"),
        ("43048119900101123", "X"),
        ("00000000000000000", "1"),
    ],
)
def test_resident_id_check_char(first17: str, expected: str) -> None:
    assert resident_id_check_char(first17) == expected


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("91350100M000100Y4", "3"),
        ("91110000600037341", "L"),
        ("91110108551385082", "Q"),
        ("91440300708461136", "T"),
        ("91110108560260000", "0"),
        ("00000000000000000", "0"),
    ],
)
def test_uscc_check_char(first17: str, expected: str) -> None:
    assert uscc_check_char(first17) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1101051949123100",
        "110105194912310021",
        "1101051949123100X",
        "１１０１０５１９４９１２３１００２",
    ],
)
def test_resident_id_check_char_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        resident_id_check_char(bad)


@pytest.mark.parametrize("bad", ["", "91350100M000100Y", "91350100M000100Y43", "91350100I000100Y4"])
def test_uscc_check_char_rejects_malformed_input(bad: str) -> None:
    with pytest.raises(ValueError, match="GB 32100 alphabet"):
        uscc_check_char(bad)


# --- normalization ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "raw", "expected"),
    [
        (RID, "11010519491231002x", "11010519491231002X"),
        (RID, " 110105 19491231 002X\n", "11010519491231002X"),
        (RID, "110105\u300019491231\t002X", "11010519491231002X"),
        (RID, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (RID, "１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        (RID, "\ufeff11010519491231002X\u200b", "11010519491231002X"),
        (HKM, "h 1234 5678", "H12345678"),
        (PP, "ｅ１２３４５６７８", "E12345678"),
        (USCC, "91350100m000100y43", "91350100M000100Y43"),
        (PP, "\u00a0ab\u00a0", "AB"),
        (PP, "straße", "STRAßE"),  # non-ASCII is left for the character check to reject
        (PP, "", ""),
    ],
)
def test_normalize_document_number(doc_type: DocumentType, raw: str, expected: str) -> None:
    assert normalize_document_number(doc_type, raw) == expected


# --- check_document: resident ID ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        pytest.param(GB11643_EXAMPLE_FEMALE, [], id="gb11643-example-x"),
        pytest.param("11010519491231002x", [], id="lower-case-x"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", [], id="full-width"),
        pytest.param("110105 1949\u30001231 002X", [], id="spaces"),
        pytest.param(MALE_1990, [], id="male"),
        pytest.param(FEMALE_1990, [], id="female"),
        pytest.param(rid("11010520000229001"), [], id="leap-day-2000"),
        pytest.param(rid("11010519000101001"), [], id="born-1900-01-01"),
        pytest.param(rid("110105" + TODAY.strftime("%Y%m%d") + "001"), [], id="born-today"),
        pytest.param(rid("83000019900101001"), [], id="taiwan-residence-permit-83"),
        pytest.param(rid("81000019900101001"), [], id="hk-residence-permit-81"),
        pytest.param(rid("71000019900101001"), [], id="taiwan-71"),
        pytest.param(rid("65010219900101001"), [], id="xinjiang-65"),
        pytest.param("", [EMPTY], id="empty"),
        pytest.param(" \u3000\t", [EMPTY], id="only-whitespace"),
        pytest.param("11010519491231002", [length("18")], id="17-digits"),
        pytest.param("11010519491231002X1", [length("18"), MOD11_CHARS], id="19-chars-x-inside"),
        pytest.param("110105194912310021", [check_char("X", "1")], id="wrong-check-char"),
        pytest.param("1101051949123100211", [length("18")], id="19-digits"),
        pytest.param("110105491231002", [length("18")], id="old-15-digit"),
        pytest.param("11010519491231002Y", [MOD11_CHARS], id="check-char-y"),
        pytest.param("1101051949123100X2", [MOD11_CHARS], id="x-not-last"),
        pytest.param("11010519491231002-", [MOD11_CHARS], id="hyphen"),
        pytest.param("1101O519491231002X", [MOD11_CHARS], id="letter-o-for-zero"),
        pytest.param("1101051949123100A", [length("18"), MOD11_CHARS], id="short-and-letter"),
        pytest.param("11010519491231002²", [MOD11_CHARS], id="superscript-digit"),
        pytest.param(rid("91000019900101001"), [REGION], id="region-91"),
        pytest.param(rid("10000019900101001"), [REGION], id="region-10"),
        pytest.param(rid("16000019900101001"), [REGION], id="region-16"),
        pytest.param(rid("84000019900101001"), [REGION], id="region-84"),
        pytest.param(rid("11010519990229001"), [BIRTH_INVALID], id="non-leap-1999-02-29"),
        pytest.param(
            FEMALE_1990[:-1] + "X", [check_char(FEMALE_1990[-1], "X")], id="x-where-digit-due"
        ),
        pytest.param(rid("11010519901301001"), [BIRTH_INVALID], id="month-13"),
        pytest.param(rid("11010519900431001"), [BIRTH_INVALID], id="april-31"),
        pytest.param(rid("11010500000101001"), [BIRTH_INVALID], id="year-0000"),
        pytest.param(rid("11010518991231001"), [BIRTH_INVALID], id="born-1899-12-31"),
        pytest.param(
            rid("110105" + TOMORROW.strftime("%Y%m%d") + "001"), [BIRTH_INVALID], id="tomorrow"
        ),
        pytest.param(rid("11010529990101001"), [BIRTH_INVALID], id="far-future"),
        # The 1880 example is arithmetically valid, but no living party was born before 1900,
        # so the rule deliberately reports it (the check character itself is correct).
        pytest.param(GB11643_EXAMPLE_1880, [BIRTH_INVALID], id="gb11643-example-1880"),
        pytest.param(
            MANY_PROBLEMS,
            [REGION, BIRTH_INVALID, check_char(rid(MANY_PROBLEMS[:17])[-1], MANY_PROBLEMS[-1])],
            id="several-problems-at-once",
        ),
    ],
)
def test_check_resident_id(number: str, expected: list[DocumentProblem]) -> None:
    assert check_document(RID, number) == expected


@pytest.mark.parametrize(
    ("number", "birth_date", "sex", "expected"),
    [
        pytest.param(GB11643_EXAMPLE_FEMALE, date(1949, 12, 31), Sex.FEMALE, [], id="all-match"),
        pytest.param(
            GB11643_EXAMPLE_FEMALE,
            date(1950, 1, 1),
            None,
            [DocumentProblem("birth_date_mismatch", {"in_document": "1949-12-31"})],
            id="birth-date-mismatch",
        ),
        pytest.param(
            GB11643_EXAMPLE_FEMALE,
            None,
            Sex.MALE,
            [DocumentProblem("sex_mismatch", {"in_document": "female"})],
            id="sex-mismatch-female",
        ),
        pytest.param(
            MALE_1990,
            None,
            Sex.FEMALE,
            [DocumentProblem("sex_mismatch", {"in_document": "male"})],
            id="sex-mismatch-male",
        ),
        pytest.param(
            MALE_1990,
            date(1990, 1, 2),
            Sex.FEMALE,
            [
                DocumentProblem("birth_date_mismatch", {"in_document": "1990-01-01"}),
                DocumentProblem("sex_mismatch", {"in_document": "male"}),
            ],
            id="both-mismatch",
        ),
        pytest.param(
            GB11643_EXAMPLE_FEMALE, datetime(1949, 12, 31, 8, 30), None, [], id="datetime-given"
        ),
        pytest.param(MALE_1990, None, "male", [], id="sex-as-plain-string"),
        pytest.param(
            wrong_last(MALE_1990, "0123456789X"),
            date(1991, 1, 1),
            Sex.MALE,
            [
                check_char(MALE_1990[-1], wrong_last(MALE_1990, "0123456789X")[-1]),
                DocumentProblem("birth_date_mismatch", {"in_document": "1990-01-01"}),
            ],
            id="check-char-and-mismatch",
        ),
        pytest.param(
            rid("11010519990229001"),
            date(1999, 3, 1),
            None,
            [BIRTH_INVALID],
            id="invalid-date-is-not-compared",
        ),
        pytest.param(
            GB11643_EXAMPLE_1880,
            date(1880, 1, 1),
            Sex.MALE,
            [BIRTH_INVALID],
            id="1880-consistent-but-too-early",
        ),
        pytest.param("1101051949123100", date(1950, 1, 1), Sex.MALE, [length("18")], id="short"),
    ],
)
def test_check_resident_id_against_given_data(
    number: str, birth_date: date | None, sex: Sex | None, expected: list[DocumentProblem]
) -> None:
    assert check_document(RID, number, birth_date=birth_date, sex=sex) == expected


def test_check_document_accepts_plain_string_type() -> None:
    assert check_document("resident_id", GB11643_EXAMPLE_FEMALE) == []  # type: ignore[arg-type]


def test_check_document_rejects_unknown_type() -> None:
    with pytest.raises(ValueError, match="driving_licence"):
        check_document("driving_licence", "123")  # type: ignore[arg-type]


# --- check_document: other document types -------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "number", "nationality", "expected"),
    [
        # 港澳居民来往内地通行证
        pytest.param(HKM, "H12345678", None, [], id="hk-card"),
        pytest.param(HKM, "M12345678", None, [], id="macao-card"),
        pytest.param(HKM, "H1234567890", None, [], id="hk-booklet"),
        pytest.param(HKM, "ｍ１２３４５６７８", None, [], id="macao-full-width-lower"),
        pytest.param(HKM, "", None, [EMPTY], id="hk-empty"),
        pytest.param(HKM, "H1234567", None, [length("9/11")], id="hk-8-chars"),
        pytest.param(HKM, "H123456789", None, [length("9/11")], id="hk-10-chars"),
        pytest.param(HKM, "C12345678", None, [PREFIX], id="hk-prefix-c"),
        pytest.param(HKM, "812345678", None, [PREFIX], id="hk-prefix-digit"),
        pytest.param(
            HKM,
            "H1234567A",
            None,
            [characters("H or M followed by 8 or 10 digits")],
            id="hk-letter-inside",
        ),
        pytest.param(HKM, "12345678", None, [length("9/11"), PREFIX], id="hk-missing-prefix"),
        # 台湾居民来往大陆通行证
        pytest.param(TW, "12345678", None, [], id="tw-card"),
        pytest.param(TW, "1234567890", None, [], id="tw-booklet"),
        pytest.param(TW, "１２３４ ５６７８", None, [], id="tw-full-width"),
        pytest.param(TW, "", None, [EMPTY], id="tw-empty"),
        pytest.param(TW, "1234567", None, [length("8/10")], id="tw-7-digits"),
        pytest.param(TW, "123456789", None, [length("8/10")], id="tw-9-digits"),
        pytest.param(TW, "1234567A", None, [characters("digits 0-9")], id="tw-letter"),
        pytest.param(
            TW, "T12345678", None, [length("8/10"), characters("digits 0-9")], id="tw-both"
        ),
        # 护照
        pytest.param(PP, "E12345678", "CHN", [], id="passport-chn"),
        pytest.param(PP, "g1234", "United States", [], id="passport-5-chars-name"),
        pytest.param(PP, "A" * 20, "GBR", [], id="passport-20-chars"),
        pytest.param(PP, "E12345678", None, [NATIONALITY], id="passport-no-nationality"),
        pytest.param(PP, "E12345678", " \u3000", [NATIONALITY], id="passport-blank-nationality"),
        pytest.param(PP, "", None, [EMPTY, NATIONALITY], id="passport-nothing"),
        pytest.param(PP, "E123", "CHN", [length("5-20")], id="passport-4-chars"),
        pytest.param(PP, "A" * 21, "CHN", [length("5-20")], id="passport-21-chars"),
        pytest.param(
            PP, "E1234-567", "CHN", [characters("letters A-Z and digits 0-9")], id="passport-dash"
        ),
        pytest.param(
            PP,
            "É1234",
            None,
            [characters("letters A-Z and digits 0-9"), NATIONALITY],
            id="passport-accent-and-no-nationality",
        ),
        # 外国人永久居留身份证
        pytest.param(FPR, FPR_2023_MALE, None, [], id="fpr-2023"),
        pytest.param(FPR, FPR_2023_MALE.lower(), None, [], id="fpr-2023-lower"),
        pytest.param(FPR, FPR_2004, None, [], id="fpr-2004"),
        pytest.param(FPR, "usa110085061512", None, [], id="fpr-2004-lower"),
        pytest.param(FPR, "", None, [EMPTY], id="fpr-empty"),
        pytest.param(FPR, FPR_2023_MALE[:17], None, [length("15/18")], id="fpr-17-chars"),
        pytest.param(FPR, FPR_2023_MALE + "1", None, [length("15/18")], id="fpr-19-chars"),
        pytest.param(
            FPR,
            "USA11008506151#",
            None,
            [characters("3 letters followed by 12 digits")],
            id="fpr-2004-bad-char",
        ),
        pytest.param(
            FPR,
            "US1110085061512",
            None,
            [characters("3 letters followed by 12 digits")],
            id="fpr-2004-two-letters",
        ),
        pytest.param(
            FPR,
            rid("11010519900101123"),
            None,
            [characters("9 followed by 16 digits and a digit or X")],
            id="fpr-2023-not-starting-with-9",
        ),
        pytest.param(
            FPR,
            wrong_last(FPR_2023_MALE, "0123456789X"),
            None,
            [check_char(FPR_2023_MALE[-1], wrong_last(FPR_2023_MALE, "0123456789X")[-1])],
            id="fpr-2023-check-char",
        ),
        pytest.param(FPR, rid("91184019990229001"), None, [BIRTH_INVALID], id="fpr-2023-date"),
        pytest.param(
            FPR,
            "USA-1100850615",
            None,
            [length("15/18"), characters("letters A-Z and digits 0-9")],
            id="fpr-14-chars-with-dash",
        ),
        # 统一社会信用代码
        *(pytest.param(USCC, code, None, [], id=f"uscc-known-{code}") for code in KNOWN_USCCS),
        pytest.param(USCC, USCC_CHECK_ZERO, None, [], id="uscc-check-char-zero"),
        pytest.param(USCC, "91350100m000100y43", None, [], id="uscc-lower-case"),
        pytest.param(USCC, "９１３５０１００Ｍ０００１００Ｙ４３", None, [], id="uscc-full-width"),
        pytest.param(USCC, uscc("N2110000ABCDEFGHJ"), None, [], id="uscc-authority-n"),
        pytest.param(USCC, uscc("Y1110000000000000"), None, [], id="uscc-authority-y"),
        pytest.param(USCC, "", None, [EMPTY], id="uscc-empty"),
        pytest.param(USCC, "91350100M000100Y4", None, [length("18")], id="uscc-17-chars"),
        pytest.param(USCC, "91350100M000100Y433", None, [length("18")], id="uscc-19-chars"),
        pytest.param(
            USCC,
            "91350100O000100Y4",
            None,
            [length("18"), characters("digits or letters other than I, O, S, V, Z")],
            id="uscc-short-with-o",
        ),
        pytest.param(
            USCC,
            "91350100M000100Y44",
            None,
            [check_char("3", "4")],
            id="uscc-wrong-check-char",
        ),
        pytest.param(
            USCC,
            "91110000600037341I",
            None,
            [characters("positions 9-18: digits or letters other than I, O, S, V, Z")],
            id="uscc-check-char-i",
        ),
        pytest.param(
            USCC,
            uscc("01350100M000100Y4"),
            None,
            [characters("position 1: registration authority 1-9, A, N or Y")],
            id="uscc-authority-0",
        ),
        pytest.param(
            USCC,
            uscc("B1350100M000100Y4"),
            None,
            [characters("position 1: registration authority 1-9, A, N or Y")],
            id="uscc-authority-b",
        ),
        pytest.param(
            USCC,
            "9S350100M000100Y43",
            None,
            [characters("position 2: a digit or a letter other than I, O, S, V, Z")],
            id="uscc-category-s",
        ),
        pytest.param(
            USCC,
            uscc("913501A0M000100Y4"),
            None,
            [characters("positions 3-8: digits (administrative region code)")],
            id="uscc-region-letter",
        ),
        pytest.param(
            USCC,
            "91350100MZ00100Y43",
            None,
            [characters("positions 9-18: digits or letters other than I, O, S, V, Z")],
            id="uscc-body-z",
        ),
    ],
)
def test_check_other_documents(
    doc_type: DocumentType, number: str, nationality: str | None, expected: list[DocumentProblem]
) -> None:
    assert check_document(doc_type, number, nationality=nationality) == expected


@pytest.mark.parametrize("doc_type", [HKM, TW, PP, USCC])
def test_birth_date_and_sex_are_ignored_where_not_encoded(doc_type: DocumentType) -> None:
    valid = {HKM: "H12345678", TW: "12345678", PP: "E12345678", USCC: KNOWN_USCCS[0]}[doc_type]
    problems = check_document(
        doc_type, valid, birth_date=date(1990, 1, 1), sex=Sex.MALE, nationality="CHN"
    )
    assert problems == []


@pytest.mark.parametrize(
    ("number", "birth_date", "sex", "expected"),
    [
        pytest.param(FPR_2023_MALE, date(1985, 6, 15), Sex.MALE, [], id="fpr-match"),
        pytest.param(
            FPR_2023_FEMALE,
            date(1985, 6, 16),
            Sex.MALE,
            [
                DocumentProblem("birth_date_mismatch", {"in_document": "1985-06-15"}),
                DocumentProblem("sex_mismatch", {"in_document": "female"}),
            ],
            id="fpr-mismatch",
        ),
        pytest.param(FPR_2004, date(1985, 6, 16), Sex.FEMALE, [], id="fpr-2004-not-compared"),
    ],
)
def test_check_foreign_permanent_resident_against_given_data(
    number: str, birth_date: date, sex: Sex, expected: list[DocumentProblem]
) -> None:
    assert check_document(FPR, number, birth_date=birth_date, sex=sex) == expected


def test_problems_are_hashable_and_compare_detail() -> None:
    first = DocumentProblem("length", {"expected": "18"})
    assert first == length("18")
    assert first != length("9/11")
    assert len({first, length("18"), EMPTY}) == 2


# --- birth date and sex extraction --------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_type", "number", "birth_date", "sex"),
    [
        (RID, GB11643_EXAMPLE_FEMALE, date(1949, 12, 31), Sex.FEMALE),
        (RID, "１１０１０５１９４９１２３１００２ｘ", date(1949, 12, 31), Sex.FEMALE),
        (RID, GB11643_EXAMPLE_1880, date(1880, 1, 1), Sex.MALE),
        (RID, MALE_1990, date(1990, 1, 1), Sex.MALE),
        (RID, rid("11010520000229001"), date(2000, 2, 29), Sex.MALE),
        # Extraction does not need a correct check character, only a well-formed number.
        (RID, wrong_last(MALE_1990, "0123456789X"), date(1990, 1, 1), Sex.MALE),
        (RID, rid("11010519990229002"), None, Sex.FEMALE),
        (RID, rid("11010529990101001"), date(2999, 1, 1), Sex.MALE),
        (RID, "11010519491231002", None, None),
        (RID, "1101051949123100X2", None, None),
        (RID, "", None, None),
        (FPR, FPR_2023_MALE, date(1985, 6, 15), Sex.MALE),
        (FPR, FPR_2023_FEMALE, date(1985, 6, 15), Sex.FEMALE),
        (FPR, FPR_2004, None, None),
        (FPR, GB11643_EXAMPLE_FEMALE, None, None),
        (HKM, "H12345678", None, None),
        (TW, "12345678", None, None),
        (PP, GB11643_EXAMPLE_FEMALE, None, None),
        (USCC, KNOWN_USCCS[0], None, None),
    ],
)
def test_birth_date_and_sex_from_document(
    doc_type: DocumentType, number: str, birth_date: date | None, sex: Sex | None
) -> None:
    assert birth_date_from_document(doc_type, number) == birth_date
    assert sex_from_document(doc_type, number) == sex


# --- masks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("430481199001011234", "430***********1234"),
        ("91350100M000100Y43", "913***********0Y43"),
        ("USA110085061512", "USA********1512"),
        ("H1234567890", "H12****7890"),
        ("H12345678", "H12**5678"),
        ("12345678", "1*****78"),
        ("G1234", "G**34"),
        ("ABCD", "A*CD"),
        ("ABC", "A**"),
        ("AB", "A*"),
        ("A", "*"),
        ("", ""),
    ],
)
def test_mask_document_number(number: str, expected: str) -> None:
    assert mask_document_number(number) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("13812345678", "138****5678"),
        ("01012345678", "010****5678"),
        ("010-12345678", "********5678"),
        ("+8613812345678", "**********5678"),
        ("85212345", "****2345"),
        ("12345", "*2345"),
        ("1234", "****"),
        ("110", "***"),
        ("", ""),
    ],
)
def test_mask_phone(phone: str, expected: str) -> None:
    assert mask_phone(phone) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("𠮷野家", "𠮷*家"),
        ("𠮷野", "𠮷*"),
        ("张𠮷三", "张*三"),
        ("张", "*"),
        ("𠮷", "*"),
        (" 张三 ", "张*"),
        ("阿沛·阿旺晋美", "阿*****美"),
        ("김민수", "김*수"),
        ("John Smith", "J*** S****"),
        ("John", "J***"),
        ("J", "*"),
        ("Jean-Pierre Dupont", "J***-****** D*****"),
        ("Мария Иванова", "М**** И******"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_name(name: str, expected: str) -> None:
    assert mask_name(name) == expected


def test_mask_name_keeps_non_bmp_character_whole() -> None:
    masked = mask_name("𠮷野家")
    assert len(masked) == 3
    assert masked.encode("utf-8") == "𠮷*家".encode()


# --- properties -----------------------------------------------------------------------------------

DIGIT = "0123456789"


@st.composite
def resident_first17(draw: st.DrawFn) -> str:
    """Draw 17 digits with a valid province code and a plausible birth date."""
    province = draw(st.sampled_from(PROVINCE_CODES))
    area = draw(st.text(DIGIT, min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text(DIGIT, min_size=3, max_size=3))
    return province + area + born.strftime("%Y%m%d") + sequence


@st.composite
def uscc_first17(draw: st.DrawFn) -> str:
    """Draw 17 characters that satisfy the GB 32100 structure."""
    authority = draw(st.sampled_from("123456789ANY"))
    category = draw(st.sampled_from(USCC_ALPHABET))
    region = draw(st.text(DIGIT, min_size=6, max_size=6))
    body = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    return authority + category + region + body


PROPERTY_SETTINGS = settings(database=None, deadline=None, max_examples=200)


@PROPERTY_SETTINGS
@given(resident_first17())
def test_resident_id_check_char_property(first17: str) -> None:
    correct = resident_id_check_char(first17)
    assert check_document(RID, first17 + correct) == []
    for other in "0123456789X":
        if other != correct:
            assert check_document(RID, first17 + other) == [check_char(correct, other)]


@PROPERTY_SETTINGS
@given(uscc_first17())
def test_uscc_check_char_property(first17: str) -> None:
    correct = uscc_check_char(first17)
    assert check_document(USCC, first17 + correct) == []
    for other in USCC_ALPHABET:
        if other != correct:
            assert check_document(USCC, first17 + other) == [check_char(correct, other)]


@PROPERTY_SETTINGS
@given(st.text(DIGIT, min_size=17, max_size=17))
def test_resident_id_check_char_satisfies_iso_7064_mod_11_2(first17: str) -> None:
    # ISO 7064 MOD 11-2 as defined, independent of the weight table: with X = 10 and weights
    # 2^(18-i), the weighted sum of all 18 characters is ≡ 1 (mod 11).
    number = first17 + resident_id_check_char(first17)
    values = [10 if ch == "X" else int(ch) for ch in number]
    assert sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


@PROPERTY_SETTINGS
@given(st.text(USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_char_satisfies_gb_32100_mod_31(first17: str) -> None:
    # GB 32100-2015 Annex B as an identity: weights 3^(i-1) mod 31 on the first 17 characters
    # plus the check character's value is ≡ 0 (mod 31).
    values = [USCC_ALPHABET.index(ch) for ch in first17 + uscc_check_char(first17)]
    weighted = sum(v * pow(3, i, 31) for i, v in enumerate(values[:17]))
    assert (weighted + values[17]) % 31 == 0


@PROPERTY_SETTINGS
@given(resident_first17())
def test_birth_date_and_sex_round_trip(first17: str) -> None:
    number = rid(first17)
    assert birth_date_from_document(RID, number) == date(
        int(first17[6:10]), int(first17[10:12]), int(first17[12:14])
    )
    assert sex_from_document(RID, number) is (Sex.MALE if int(first17[16]) % 2 else Sex.FEMALE)


@PROPERTY_SETTINGS
@given(st.sampled_from(list(DocumentType)), st.text())
def test_normalize_is_idempotent_and_check_never_raises(doc_type: DocumentType, raw: str) -> None:
    once = normalize_document_number(doc_type, raw)
    assert normalize_document_number(doc_type, once) == once
    assert not any(ch.isspace() for ch in once)
    assert isinstance(check_document(doc_type, raw, nationality="CHN"), list)


@PROPERTY_SETTINGS
@given(st.text(min_size=1))
def test_masks_keep_length_and_hide_something(text: str) -> None:
    for masked in (mask_document_number(text), mask_phone(text)):
        assert len(masked) == len(text)
        assert "*" in masked


def test_a_child_born_this_morning_in_the_office_is_born_today_whatever_the_servers_zone() -> None:
    # 23:30 UTC on 1 March is 07:30 on 2 March in Leiyang.
    with frozen_time(datetime(2025, 3, 1, 23, 30, tzinfo=UTC)):
        assert check_document(RID, rid("11010520250302001")) == []
        assert check_document(RID, rid("11010520250303001")) == [BIRTH_INVALID]
