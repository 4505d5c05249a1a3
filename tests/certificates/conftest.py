"""Staff fixtures and helpers shared by the certificate tests."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.core.permissions import Role
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case, tell_applicants


@pytest.fixture
def desk(app: Flask) -> Any:
    return create_staff(Role.FRONT_DESK)


@pytest.fixture
def notary(app: Flask) -> Any:
    return create_staff(Role.NOTARY, full_name="刘明远")


@pytest.fixture
def director(app: Flask) -> Any:
    return create_staff(Role.DIRECTOR)


def inheritance_case(desk: Any, notary: Any, director: Any, *,
                     matters: tuple[str, ...] = ("inheritance",), to: CaseStatus =
                     CaseStatus.ISSUED, applicant: str = "王秀英") -> Case:
    """An inheritance case with a spouse and a son as heirs, taken to `to` (issued)."""
    from notary.inheritance import services as inheritance
    from notary.inheritance.models import AssetKind, DeathProof
    from notary.inheritance.rules import Relation

    case = register_case(desk, matters=matters, applicants=(person(applicant),))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    inheritance.save_decedent(case, inheritance.DecedentData(
        "李德胜", date(2024, 3, 1), DeathProof.MEDICAL, death_place="湖南省耒阳市"),
        actor=notary)
    inheritance.save_member(case, None, inheritance.MemberData(applicant, Relation.SPOUSE),
                            actor=notary)
    inheritance.save_member(case, None, inheritance.MemberData("李明", Relation.CHILD),
                            actor=notary)
    inheritance.add_asset(case, inheritance.AssetData(
        AssetKind.DEPOSIT, "中国银行耒阳支行存款", Decimal("100000")), actor=notary)
    inheritance.override_checklist(case, "材料已当面核对", actor=director)
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=notary)
    if to is CaseStatus.AWAITING_APPROVAL:
        return case
    tell_applicants(case, notary)
    perform(case, Action.APPROVE, StepData(), actor=director)
    if to is CaseStatus.APPROVED:
        return case
    perform(case, Action.ISSUE, StepData(), actor=notary)
    return case


def run(args: list[str], data: bytes | None = None, tmp: Path | None = None) -> str:
    """Run a poppler / zbar tool on a PDF (written to a temporary file)."""
    return subprocess.run(args, check=True, capture_output=True, text=True,
                          timeout=60).stdout


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "cert.pdf"
    path.write_bytes(data)
    return run(["pdftotext", "-layout", str(path), "-"])


def pdf_fonts(data: bytes, tmp: Path) -> list[list[str]]:
    path = tmp / "fonts.pdf"
    path.write_bytes(data)
    lines = run(["pdffonts", str(path)]).splitlines()[2:]
    return [line.split() for line in lines]


def qr_codes(data: bytes, tmp: Path) -> list[str]:
    path = tmp / "qr.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path),
                    str(tmp / "page")], check=True, timeout=60)
    png = next(tmp.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True,
                         text=True, timeout=60).stdout
    return [line for line in out.splitlines() if line]


def conclude_by_second_notary(review: Any, outcome: Any, decision: str, body: str,
                              director: Any) -> Any:
    """A notary other than the issuing one takes the review and writes the conclusion that
    the director then decides on (公证程序规则 art. 62)."""
    from notary.certificates import reviewing

    reviewer = create_staff(Role.NOTARY)
    reviewing.assign_reviewer(review, reviewer.id, actor=director)
    reviewing.propose_conclusion(review, outcome, decision, body, actor=reviewer)
    return reviewer
