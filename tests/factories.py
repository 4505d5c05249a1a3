"""Factories that build valid records through the services (so audit and rules apply)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import sqlalchemy as sa

from notary.auth.models import User
from notary.auth.services import UserData, create_user
from notary.cases import services as case_services
from notary.cases.models import Case, Category, MatterType, ParticipantRole
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import PartyKind
from notary.parties.rules import DocumentType, Sex, resident_id_check_char
from notary.parties.services import PartyData

PASSWORD = "Correct-Horse-42"
_counter = itertools.count(1)


def create_staff(role: Role, **overrides: Any) -> User:
    """A new active staff member of the role."""
    n = next(_counter)
    data = UserData(username=overrides.pop("username", f"{role.value}{n}"),
                    full_name=overrides.pop("full_name", f"{role.label}{n}"), role=role,
                    password=PASSWORD, **overrides)
    return create_user(data, actor=None)


def resident_id(birth: date = date(1980, 5, 17), sex: Sex = Sex.MALE, serial: int | None = None,
                region: str = "430481") -> str:
    """A valid 18-character resident ID number (correct GB 11643 check character)."""
    n = next(_counter) if serial is None else serial
    seq = (n % 50) * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"{region}{birth:%Y%m%d}{(n // 50) % 10}{seq:02d}"
    return first17 + resident_id_check_char(first17)


def person(name: str = "张三", **overrides: Any) -> PartyData:
    """PartyData of a natural person with a valid, unique resident ID."""
    sex = overrides.pop("sex", Sex.MALE)
    birth = overrides.pop("birth_date", date(1980, 5, 17))
    number = overrides.pop("document_number", None) or resident_id(birth, sex)
    # The birth record a 出生 certificate states (a test about a missing one overrides it).
    overrides = {"birth_province": "湖南省", "birth_county": "耒阳市", "father_name": "张大山",
                 "mother_name": "李秀英", **overrides}
    return PartyData(kind=PartyKind.PERSON, name=name, document_type=DocumentType.RESIDENT_ID,
                     document_number=number, sex=sex, birth_date=birth, **overrides)


def matter(code: str) -> MatterType:
    """A seeded matter type by code."""
    return db.session.scalars(sa.select(MatterType).where(MatterType.code == code)).one()


def application(*, matters: tuple[str, ...] = ("property_division",),
                applicants: tuple[PartyData, ...] | None = None,
                agents: tuple[PartyData, ...] = (), category: Category = Category.DOMESTIC_CIVIL,
                place_of_use: str | None = None, **details: Any
                ) -> case_services.ApplicationData:
    """ApplicationData for a valid application."""
    applicants = applicants if applicants is not None else (person("张三"),)
    participants = [case_services.ParticipantData(ParticipantRole.APPLICANT, party=p)
                    for p in applicants]
    participants += [case_services.ParticipantData(ParticipantRole.AGENT, party=p)
                     for p in agents]
    return case_services.ApplicationData(
        details=case_services.CaseDetails(
            matter_ids=[matter(c).id for c in matters], category=category,
            place_of_use=place_of_use, **details),
        participants=participants)


def register_case(actor: User, **kwargs: Any) -> Case:
    """Register an application through the service."""
    return case_services.register_application(application(**kwargs), actor=actor)


def tell_applicants(case: Case, actor: User) -> None:
    """Record the 告知 to every applicant not yet told (approval waits for it), dated today."""
    from notary.casefile.models import NoticeMethod
    from notary.casefile.services import NoticeData, notice_for, notice_text, record_notice
    from notary.core.models import office_today

    for participant in case.applicants:
        if notice_for(participant.id) is None:
            record_notice(case, NoticeData(participant.id, office_today(), NoticeMethod.WRITTEN,
                                           notice_text(case), True), actor=actor)
