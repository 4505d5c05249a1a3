"""PAdES signatures on issued certificates (pyhanko), and checking that one is intact."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from cryptography.utils import CryptographyDeprecationWarning

# cryptography 51 deprecates DSA: reading any public name of its `dsa` module warns
# (https://github.com/pyca/cryptography/pull/15597), and pyHanko 0.38 imports `DSAPrivateKey`
# at import time (pyhanko/sign/signers/pdf_cms.py) only to recognise such keys; the office
# signs with RSA or EC keys. Ignore exactly that warning, from pyHanko, while it is imported,
# until a pyHanko release stops importing the name (its tracker:
# https://github.com/MatthiasValvekens/pyHanko/issues); every other warning, and DSA read
# anywhere else, still fails the tests (tests/test_install.py).
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated",
                            category=CryptographyDeprecationWarning, module=r"pyhanko\.")
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")


def _own_loop(call: Callable[[], T]) -> T:
    # pyhanko's synchronous API calls asyncio.run(), which fails inside a thread that already
    # runs an event loop (an async worker, Playwright's sync API in tests): give it a thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf(data: bytes, pkcs12_path: str, passphrase: str | None, *, reason: str) -> bytes:
    """Sign the PDF with the office's PKCS#12 key (PAdES baseline, invisible signature)."""
    signer = signers.SimpleSigner.load_pkcs12(
        pkcs12_path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise ValueError("the signing key could not be loaded")
    meta = signers.PdfSignatureMetadata(field_name="NotarySignature", reason=reason,
                                        subfilter=SigSeedSubFilter.PADES)
    out = io.BytesIO()
    _own_loop(lambda: signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)), meta,
                                       signer=signer, output=out))
    return out.getvalue()


def signature_intact(data: bytes) -> bool | None:
    """None when unsigned; otherwise whether every signature covers the file unchanged.

    Only integrity is judged here (the bytes are what was signed); trust in the office's
    certificate is a matter for its published certificate, not for this page.
    """
    reader = PdfFileReader(io.BytesIO(data))
    embedded = reader.embedded_signatures
    if not embedded:
        return None
    for sig in embedded:
        # Trust is anchored on the signer's own certificate: what this answers is whether the
        # bytes are those that were signed (intact), not who vouches for the office's key.
        context = ValidationContext(trust_roots=[sig.signer_cert])
        status = _own_loop(lambda: validate_pdf_signature(
            sig, signer_validation_context=context))  # noqa: B023 - called at once
        if not (status.intact and status.valid and status.coverage is not None
                and status.docmdp_ok is not False):
            return False
    return True
