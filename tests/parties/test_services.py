"""Party services: identity documents checked and normalised, one record per document, audit."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from notary.core.audit import AuditEntry
from notary.core.errors import ConcurrentEdit, NotPermitted, ValidationFailed
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party, PartyKind
from notary.parties.queries import party_search_statement
from notary.parties.rules import DocumentType, Sex, resident_id_check_char, uscc_check_char
from notary.parties.services import PartyData, create_party, update_party
from tests.factories import create_staff, person, resident_id

CHECK_MSGID = ("The check digit is wrong: the last character should be %(expected)s, not "
               "%(found)s. Please check the number.")


def is_message(text: str, msgid: str, **params: object) -> bool:
    """Whether text is the message, in English or in its Chinese translation."""
    english = msgid % params if params else msgid
    with force_locale("zh_Hans_CN"):
        chinese = gettext(msgid, **params)
    return text in {english, chinese}


def with_wrong_check_char(number: str) -> tuple[str, str]:
    """The number with a wrong last character, and the character that would be right."""
    right = number[-1]
    wrong = "0" if right != "0" else "1"
    return number[:-1] + wrong, right


def resident_id_ending_in_x() -> str:
    """A valid resident ID whose check character is X."""
    for serial in itertools.count(1):
        first17 = f"43048119800517{serial:03d}"
        if resident_id_check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("unreachable")


def uscc(body: str = "91430481MA4L12345") -> str:
    """A valid unified social credit code (GB 32100-2015) built on a 17-character body."""
    return body + uscc_check_char(body)


def organisation(**overrides: object) -> PartyData:
    values: dict[str, object] = {"kind": PartyKind.ORGANISATION, "name": "耒阳市湘江贸易有限公司",
                                 "document_type": DocumentType.USCC, "document_number": uscc(),
                                 "legal_representative": "周建国"}
    values.update(overrides)
    return PartyData(**values)  # type: ignore[arg-type]


def party_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Party.id))) or 0


@pytest.fixture
def clerk(app):
    return create_staff(Role.FRONT_DESK)


# --- resident ID checks ---------------------------------------------------------------------


def test_wrong_check_digit_is_refused_naming_the_expected_character(clerk):
    number, expected = with_wrong_check_char(resident_id())
    with pytest.raises(ValidationFailed) as exc:
        create_party(person(document_number=number), actor=clerk)
    assert set(exc.value.errors) == {"document_number"}
    [message] = exc.value.errors["document_number"]
    assert is_message(message, CHECK_MSGID, expected=expected, found=number[-1])
    assert party_count() == 0


@pytest.mark.parametrize(
    ("entered", "code"),
    [
        ({"birth_date": date(1980, 5, 18)}, "birth"),
        ({"sex": Sex.FEMALE}, "sex"),
    ],
)
def test_birth_date_or_sex_contradicting_the_id_is_refused(clerk, entered, code):
    number = resident_id(date(1980, 5, 17), Sex.MALE)
    data = replace(person(document_number=number), **entered)
    with pytest.raises(ValidationFailed) as exc:
        create_party(data, actor=clerk)
    [message] = exc.value.errors["document_number"]
    if code == "birth":
        assert is_message(message, "The ID number shows the birth date as %(in_document)s, which "
                                   "differs from the birth date entered.",
                          in_document="1980-05-17")
    else:
        with force_locale("zh_Hans_CN"):
            male_zh = gettext("male")
        assert any(is_message(message, "The ID number shows the sex as %(in_document)s, which "
                                       "differs from the sex entered.", in_document=sex)
                   for sex in ("male", male_zh))
    assert party_count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n[:-1] + "x",  # lower-case check character
        lambda n: f" {n[:6]} {n[6:14]} {n[14:-1]}x ",  # grouped with spaces
        lambda n: "".join(chr(ord(c) + 0xFEE0) for c in n[:-1]) + "ｘ",  # full-width IME input
    ],
    ids=["lower-x", "spaces", "full-width"],
)
def test_id_number_is_normalised_and_fills_birth_date_and_sex(clerk, typed):
    number = resident_id_ending_in_x()
    data = PartyData(kind=PartyKind.PERSON, name="刘芳", document_type=DocumentType.RESIDENT_ID,
                     document_number=typed(number))
    party = create_party(data, actor=clerk)
    db.session.expire_all()
    stored = db.session.get(Party, party.id)
    assert stored.document_number == number
    assert stored.birth_date == date(1980, 5, 17)
    assert stored.sex is (Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)


def test_one_record_per_document(clerk):
    number = resident_id()
    create_party(person("张三", document_number=number), actor=clerk)
    with pytest.raises(ValidationFailed) as exc:
        # Same number typed differently, other name: still the same document.
        create_party(person("张叁", document_number=f"{number[:6]} {number[6:]}".lower()),
                     actor=clerk)
    [message] = exc.value.errors["document_number"]
    assert "张三" in message and number in message
    assert party_count() == 1


def test_the_same_number_under_another_document_type_is_a_different_record(clerk):
    create_party(PartyData(kind=PartyKind.PERSON, name="John Smith",
                           document_type=DocumentType.PASSPORT, document_number="E12345678",
                           nationality="英国"), actor=clerk)
    create_party(PartyData(kind=PartyKind.PERSON, name="王五",
                           document_type=DocumentType.HK_MACAO_PERMIT,
                           document_number="e12345678".replace("e", "H")), actor=clerk)
    assert party_count() == 2


# --- organisations and passports ------------------------------------------------------------


def test_organisation_with_a_valid_uscc_is_registered(clerk):
    party = create_party(organisation(document_number=uscc().lower()), actor=clerk)
    assert party.document_number == uscc()
    assert party.kind is PartyKind.ORGANISATION
    assert party.sex is None and party.birth_date is None


def test_organisation_needs_a_uscc(clerk):
    with pytest.raises(ValidationFailed) as exc:
        create_party(organisation(document_type=DocumentType.RESIDENT_ID,
                                  document_number=resident_id()), actor=clerk)
    assert set(exc.value.errors) == {"document_type"}
    assert party_count() == 0


def test_person_cannot_use_a_uscc(clerk):
    with pytest.raises(ValidationFailed) as exc:
        create_party(organisation(kind=PartyKind.PERSON), actor=clerk)
    assert set(exc.value.errors) == {"document_type"}


def test_uscc_with_a_wrong_check_character_is_refused(clerk):
    number, expected = with_wrong_check_char(uscc())
    with pytest.raises(ValidationFailed) as exc:
        create_party(organisation(document_number=number), actor=clerk)
    [message] = exc.value.errors["document_number"]
    assert is_message(message, CHECK_MSGID, expected=expected, found=number[-1])
    assert party_count() == 0


@pytest.mark.parametrize("nationality", [None, "", "   "])
def test_passport_needs_nationality(clerk, nationality):
    data = PartyData(kind=PartyKind.PERSON, name="John Smith",
                     document_type=DocumentType.PASSPORT, document_number="E12345678",
                     nationality=nationality)
    with pytest.raises(ValidationFailed) as exc:
        create_party(data, actor=clerk)
    assert set(exc.value.errors) == {"nationality"}
    assert is_message(exc.value.errors["nationality"][0], "Enter the nationality for a passport.")
    party = create_party(replace(data, nationality="英国"), actor=clerk)
    assert party.nationality == "英国"


# --- names outside the Basic Multilingual Plane ---------------------------------------------


@pytest.mark.parametrize("name", ["𠮷春华", "𡈼𠀾", "王𪚥"])
def test_names_outside_the_bmp_are_stored_and_found(clerk, name):
    party = create_party(person(name), actor=clerk)
    create_party(person("李春华"), actor=clerk)
    db.session.expire_all()
    assert db.session.get(Party, party.id).name == name
    found = db.session.scalars(party_search_statement(name[:1])).all()
    assert [p.id for p in found] == [party.id]
    found = db.session.scalars(party_search_statement(name)).all()
    assert [p.id for p in found] == [party.id]


def test_search_treats_like_wildcards_literally(clerk):
    create_party(person("张三"), actor=clerk)
    assert db.session.scalars(party_search_statement("%")).all() == []
    assert db.session.scalars(party_search_statement("_")).all() == []


# --- editing --------------------------------------------------------------------------------


def test_create_and_update_write_audit_entries_with_before_and_after(clerk):
    party = create_party(person("张三", phone="13812345678"), actor=clerk)
    created = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.target_type == "parties", AuditEntry.target_id == party.id)).one()
    assert (created.action, created.actor_id, created.before) == ("party.create", clerk.id, None)
    assert created.after["name"] == "张三"
    assert created.after["document_number"] == party.document_number
    assert created.after["phone"] == "13812345678"

    editor = create_staff(Role.NOTARY)
    update_party(party, replace(person("张三", document_number=party.document_number),
                                phone="13900001111", address="耒阳市五一路1号"),
                 actor=editor, version=party.version)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "party.update", AuditEntry.target_id == party.id)).one()
    assert entry.actor_id == editor.id
    assert entry.before == {"phone": "13812345678", "address": None}
    assert entry.after == {"phone": "13900001111", "address": "耒阳市五一路1号"}


def test_update_without_changes_writes_no_audit_entry(clerk):
    data = person("张三")
    party = create_party(data, actor=clerk)
    update_party(party, data, actor=clerk, version=party.version)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "parties", AuditEntry.target_id == party.id)).all()
    assert actions == ["party.create"]


def test_update_to_another_partys_document_is_refused(clerk):
    first = create_party(person("张三"), actor=clerk)
    second = create_party(person("李四"), actor=clerk)
    with pytest.raises(ValidationFailed) as exc:
        update_party(second, person("李四", document_number=first.document_number),
                     actor=clerk, version=second.version)
    assert "张三" in exc.value.errors["document_number"][0]


def test_stale_version_is_refused_and_nothing_is_overwritten(clerk):
    party = create_party(person("张三"), actor=clerk)
    loaded_version = party.version
    update_party(party, replace(person("张三", document_number=party.document_number),
                                address="第一次修改"), actor=clerk, version=loaded_version)
    assert party.version == loaded_version + 1

    with pytest.raises(ConcurrentEdit):
        update_party(party, replace(person("张三", document_number=party.document_number),
                                    address="过期的修改"), actor=clerk, version=loaded_version)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Party, party.id).address == "第一次修改"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "party.update")) == 1


def test_concurrent_write_between_load_and_save_is_refused(clerk):
    party = create_party(person("张三"), actor=clerk)
    loaded_version = party.version  # this request has loaded the row
    # Another request saves the row in its own transaction; this one's copy keeps the old version.
    table = Party.__table__
    with db.engine.begin() as other:
        other.execute(sa.update(table).where(table.c.id == party.id)
                      .values(address="别人的修改", version=loaded_version + 1))
    with pytest.raises(ConcurrentEdit):
        update_party(party, replace(person("张三", document_number=party.document_number),
                                    address="我的修改"), actor=clerk, version=None)
    db.session.expire_all()
    assert db.session.get(Party, party.id).address == "别人的修改"
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "party.update")) == 0


@pytest.mark.parametrize("role", [Role.ADMIN])
def test_roles_without_party_edit_cannot_register_or_edit(clerk, role):
    party = create_party(person("张三"), actor=clerk)
    actor = create_staff(role)
    with pytest.raises(NotPermitted):
        create_party(person("李四"), actor=actor)
    with pytest.raises(NotPermitted):
        update_party(party, person("张四", document_number=party.document_number), actor=actor,
                     version=party.version)
    assert party_count() == 1
