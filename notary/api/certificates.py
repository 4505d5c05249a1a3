"""Certificates (公证书) over JSON: drafts, metadata, the stored PDF, and public verification.

A certificate is issued by the case's ISSUE step (POST /cases/{id}/steps/issue), which numbers
it; the PDF is rendered and stored on first download and always returned byte for byte.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema, fields

from notary.api.core import actor, respond, route
from notary.api.schemas import Text
from notary.cases.services import get_case
from notary.certificates import services
from notary.certificates.models import CertificateStatus
from notary.certificates.verification import verify
from notary.core.permissions import Permission

TAG = "Certificates"


class CertificateSchema(Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    matter_code = fields.String(required=True)
    matter_text = fields.String(required=True)
    status = fields.Enum(CertificateStatus, by_value=True, required=True)
    number = fields.String(allow_none=True, required=True)
    verification_code = fields.String(required=True)
    issued_at = fields.DateTime(allow_none=True, required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    notary_name = fields.String(allow_none=True, required=True)
    office_name = fields.String(allow_none=True, required=True)
    corrects_id = fields.Integer(allow_none=True, required=True)
    pdf_sha256 = fields.String(allow_none=True, required=True)
    pdf_size = fields.Integer(allow_none=True, required=True)
    is_signed = fields.Boolean(required=True)
    revoked_at = fields.DateTime(allow_none=True, required=True)
    body = fields.String(required=True, metadata={"description": "The wording (证词)."})


class VerifyQuerySchema(Schema):
    code = Text(64, required=True, metadata={"description": "The verification code printed "
                                                            "on the certificate."})
    number = Text(200, metadata={"description": "The certificate number, if known."})


class VerificationSchema(Schema):
    outcome = fields.String(required=True, metadata={
        "enum": ["valid", "revoked", "corrected", "unknown", "incomplete", "rate_limited"]})
    number = fields.String(allow_none=True, required=True)
    office = fields.String(allow_none=True, required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    matter = fields.String(allow_none=True, required=True)
    applicant = fields.String(allow_none=True, required=True,
                              metadata={"description": "Masked (张*)."})
    signature = fields.Boolean(allow_none=True, required=True)
    corrections = fields.List(fields.String(), required=True)


@route("/cases/<int:case_id>/certificates", "GET", summary="List a case's certificates",
       tag=TAG, response=CertificateSchema, many=True, permissions=[Permission.CASE_VIEW],
       errors=[404])
def list_certificates(case_id: int) -> Response:
    """The case's certificates: originals in issue order, corrections after them."""
    case = get_case(case_id)
    return respond(CertificateSchema, services.certificates_of(case.id), many=True)


@route("/cases/<int:case_id>/certificates/drafts", "POST", summary="Draft the certificates",
       tag=TAG, response=CertificateSchema, many=True, status=201,
       permissions=[Permission.CERTIFICATE_DRAFT], errors=[404, 409, 422], idempotent=True)
def prepare_drafts(case_id: int) -> Response:
    """Fill the wording templates with the case's data (again, until approval freezes them)."""
    drafts = services.prepare_drafts(get_case(case_id), actor=actor())
    return respond(CertificateSchema, drafts, 201, many=True)


@route("/certificates/<int:certificate_id>", "GET", summary="Read a certificate", tag=TAG,
       response=CertificateSchema, permissions=[Permission.CASE_VIEW], errors=[404])
def get_certificate(certificate_id: int) -> Response:
    """A certificate's metadata: number, status, verification code, PDF checksum."""
    return respond(CertificateSchema, services.get_certificate(certificate_id))


@route("/certificates/<int:certificate_id>/pdf", "GET", summary="Download the issued PDF",
       tag=TAG, content_type="application/pdf", permissions=[Permission.CASE_VIEW],
       errors=[404, 409])
def certificate_pdf(certificate_id: int) -> Response:
    """The stored PDF of an issued certificate, the same bytes on every download."""
    cert = services.get_certificate(certificate_id)
    response = Response(services.stored_pdf(cert), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=certificate-{cert.id}.pdf"
    return response


@route("/verification", "GET", summary="Verify a certificate (public)", tag=TAG, public=True,
       query=VerifyQuerySchema, response=VerificationSchema, errors=[422])
def verify_certificate(args: dict[str, Any]) -> Response:
    """What the public verification page says, for anyone: outcome and five facts.

    No token needed; lookups are limited per client address and logged, as on the page.
    """
    result = verify(args.get("number"), args["code"], request.remote_addr or "")
    return respond(VerificationSchema, result)
