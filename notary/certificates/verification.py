"""Public verification (查验): what anyone may learn about a certificate, rate-limited per
client address, every lookup logged. The only data this page gives away is listed in
`Verification`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from notary.cases.models import MatterType
from notary.certificates import rules
from notary.certificates.models import Certificate, CertificateStatus, VerificationLookup
from notary.certificates.services import _folder
from notary.core.models import utcnow
from notary.extensions import db
from notary.parties.rules import mask_name


@dataclass(frozen=True)
class Verification:
    """What the public page may say: outcome and, for a match, five facts. Nothing else."""

    outcome: str  # valid / revoked / corrected / unknown / incomplete / rate_limited
    number: str | None = None
    office: str | None = None
    issued_on: date | None = None
    matter: str | None = None
    applicant: str | None = None
    signature: bool | None = None  # None: unsigned; True/False: intact or not
    corrections: tuple[str, ...] = ()
    office_en: str | None = None  # the office and matter for a reader in English
    matter_en: str | None = None
    # A revocation's public announcement (公证法 art. 39): when and where.
    announced_on: date | None = None
    announced_in: str | None = None


def _outcome(cert: Certificate) -> str:
    if cert.status is CertificateStatus.REVOKED:
        return "revoked"
    if cert.status in {CertificateStatus.CORRECTED, CertificateStatus.REISSUED}:
        return "corrected"
    return "valid"


def verify(number: str | None, code: str | None, client_ip: str) -> Verification:
    """Look a certificate up for anyone: rate-limited per IP, every lookup logged."""
    number = rules.normalize_number(number or "")[:120] or None
    code_norm = rules.normalize_code(code or "")[:32] or None
    window = timedelta(seconds=int(current_app.config["VERIFY_RATE_WINDOW_SECONDS"]))
    recent = db.session.scalar(sa.select(sa.func.count(VerificationLookup.id)).where(
        VerificationLookup.client_ip == client_ip,
        VerificationLookup.created_at > utcnow() - window)) or 0
    cert: Certificate | None = None
    if recent >= int(current_app.config["VERIFY_RATE_LIMIT"]):
        result = Verification("rate_limited")
    elif not code_norm:
        result = Verification("incomplete")
    else:
        cert = db.session.scalar(sa.select(Certificate).where(
            Certificate.verification_code == code_norm, Certificate.issued_at.is_not(None)))
        if cert is None or (number is not None and rules.normalize_number(cert.number or "")
                            != number):
            cert, result = None, Verification("unknown")
        else:
            result = _public_facts(cert)
    db.session.add(VerificationLookup(client_ip=client_ip[:64], number_typed=number,
                                      code_typed=(code or "")[:32] or None,
                                      certificate_id=cert.id if cert else None,
                                      outcome=result.outcome))
    db.session.commit()
    return result


def _public_facts(cert: Certificate) -> Verification:
    signature = None
    if cert.is_signed and cert.pdf_path:
        from notary.certificates.signing import signature_intact

        try:
            signature = signature_intact((_folder() / cert.pdf_path).read_bytes())
        except (OSError, ValueError):
            signature = False
    corrections = tuple(c.number or "" for c in db.session.scalars(
        sa.select(Certificate).where(Certificate.corrects_id == cert.id,
                                     Certificate.issued_at.is_not(None))))
    matter = db.session.scalar(sa.select(MatterType.name_en).where(
        MatterType.code == cert.matter_code))
    announced_on = announced_in = None
    if cert.status is CertificateStatus.REVOKED:
        from notary.certificates.reviewing import revocation_of

        if (review := revocation_of(cert)) is not None:
            announced_on, announced_in = review.announced_on, review.announcement_channel
    return Verification(_outcome(cert), cert.number, cert.office_name, cert.issued_on,
                        cert.matter_text, "、".join(mask_name(name) for name in
                                                   (cert.applicant_name or "").split("、")),
                        signature, corrections, current_app.config["OFFICE_NAME_EN"],
                        matter or cert.matter_text, announced_on, announced_in)
