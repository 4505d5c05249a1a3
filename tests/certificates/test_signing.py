"""PAdES signature: a self-signed office certificate made in the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from notary.cases.rules import CaseStatus
from notary.certificates import services, verification
from notary.certificates.signing import signature_intact
from tests.cases.samples import advance
from tests.factories import register_case


def make_pkcs12(path: Path, password: bytes) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "耒阳市公证处 (test)")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"office", key, cert, None, serialization.BestAvailableEncryption(password)))


def test_a_signed_certificate_verifies_as_intact_and_a_changed_one_does_not(
        app, desk, notary, director, tmp_path: Path) -> None:
    key = tmp_path / "office.p12"
    make_pkcs12(key, b"secret-42")
    app.config.update(CERTIFICATE_SIGNING_PKCS12=str(key),
                      CERTIFICATE_SIGNING_PASSWORD="secret-42")
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    data = services.stored_pdf(cert)
    assert cert.is_signed and b"/ETSI.CAdES.detached" in data
    assert signature_intact(data) is True
    assert verification.verify(None, cert.verification_code, "192.0.2.1").signature is True
    assert services.stored_pdf(cert) == data
    # One changed byte inside the signed range breaks the signature.
    at = data.index(b"/Title")
    changed = data[:at] + b"/Titlf" + data[at + 6:]
    assert signature_intact(changed) is False
    stored = Path(app.config["CERTIFICATE_FOLDER"]) / (cert.pdf_path or "")
    stored.write_bytes(changed)
    assert verification.verify(None, cert.verification_code, "192.0.2.1").signature is False
