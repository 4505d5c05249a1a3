"""The JSON API under /api/v1/: every capability of the office for scripts and other systems.

Endpoints call the same services as the pages (same permissions, rules and audit entries);
they authenticate with personal API tokens only, never with a browser session.
"""

from flask import Blueprint, current_app, g

from notary.extensions import limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _limit() -> str:
    """API_RATE_LIMIT per verified token; API_ANONYMOUS_RATE_LIMIT per client address for
    requests without one (a wrong or made-up token included)."""
    name = "API_RATE_LIMIT" if g.get("api_token") is not None else "API_ANONYMOUS_RATE_LIMIT"
    return str(current_app.config[name])


# Every API request counts against its limit (read per request).
limiter.limit(_limit)(bp)
# The browser pages that create and revoke tokens (signed-in, CSRF-protected like any form).
tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/api-tokens")

from notary.api import (  # noqa: E402,F401  (routes register on import)
    cases,
    certificates,
    consultations,
    docs,
    fees,
    inheritance,
    investigations,
    legal_aid,
    parties,
    reference,
    statistics,
    views,
)
