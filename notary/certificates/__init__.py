"""Notarial certificates (公证书): wording, numbering, the PDF, public verification, and what
follows issue (review, delivery, foreign use, archive).

Importing the package registers its step checks and effects (freeze at approval, number at
issue), its routes and its panel on the case page.
"""

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
verify_bp = Blueprint("verify", __name__, url_prefix="/verify")
wording_bp = Blueprint("wording", __name__, url_prefix="/admin/wording")
documents_bp = Blueprint("documents", __name__, url_prefix="/admin/documents")

from notary.certificates import (  # noqa: E402,F401
    followup,
    review_views,
    services,
    verification,
    views,
)
