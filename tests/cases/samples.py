"""Small real files for upload tests, and a helper that walks a case through the procedure."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

from notary.cases.models import Case
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from tests.factories import tell_applicants


def pdf_bytes() -> bytes:
    """A valid one-page PDF 1.4 with a correct cross-reference table."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                         xref)
    return bytes(out)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG (red pixels)."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


# A 16x16 baseline JFIF image (CPython's test suite, Lib/test/test_email/data/python.jpg).
_JPEG = (
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsO"
    "CwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAA"
    "BwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/E"
    "ACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPk"
    "JWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kq"
    "cWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9"
    "XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KO"
    "p1KM6iCNvngZHwetf//Z"
)


def jpeg_bytes() -> bytes:
    """A valid 16x16 JPEG."""
    return base64.b64decode(_JPEG)


# The main path of the procedure, step by step, and the data each step needs.
MAIN_PATH: list[tuple[Action, CaseStatus]] = [
    (Action.ACCEPT, CaseStatus.ACCEPTED),
    (Action.START_REVIEW, CaseStatus.UNDER_REVIEW),
    (Action.SUBMIT_FOR_APPROVAL, CaseStatus.AWAITING_APPROVAL),
    (Action.APPROVE, CaseStatus.APPROVED),
    (Action.ISSUE, CaseStatus.ISSUED),
    (Action.DELIVER, CaseStatus.DELIVERED),
    (Action.ARCHIVE, CaseStatus.ARCHIVED),
]


def step_data(action: Action, case: Case) -> StepData:
    """Minimal valid input for a step."""
    if action is Action.DELIVER:
        return StepData(delivery_method="pickup", delivered_to="张三")
    if action is Action.ARCHIVE:
        return StepData(archive_number=f"A-{case.id}")
    if action is Action.ACCEPT:
        return StepData(conditions_confirmed=True)
    return StepData()


def settle_nothing_charged(case: Case, notary: Any) -> None:
    """A case the walk takes to issue with nothing charged says why in its file (the issue
    check asks for it when a fee schedule was in force on the acceptance date)."""
    from notary.fees import services as fees

    if fees.charge_problem(case) is not None:
        fees.record_no_charge(case, fees.NoChargeData(fees.NoChargeGround.FREE_BY_RULE,
                                                      "测试用例：本案不收费"), actor=notary)


def advance(case: Case, to: CaseStatus, *, notary: Any, director: Any) -> Case:
    """Walk the case along the main path until it reaches `to` (notary works, director approves)."""
    for action, reached in MAIN_PATH:
        if case.status is to:
            break
        actor = director if action is Action.APPROVE else notary
        if action is Action.APPROVE:
            tell_applicants(case, notary)
        if action is Action.ISSUE:
            settle_nothing_charged(case, notary)
        perform(case, action, step_data(action, case), actor=actor)
        assert case.status is reached
    assert case.status is to
    return case
