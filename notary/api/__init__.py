"""The JSON API under /api/v1/: every capability of the office for scripts and other systems.

Endpoints call the same services as the pages (same permissions, rules and audit entries);
they authenticate with personal API tokens only, never with a browser session.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from notary.api import (  # noqa: E402,F401  (routes register on import)
    cases,
    certificates,
    docs,
    fees,
    parties,
    reference,
    statistics,
)
