"""The OpenAPI document and its readable page (Swagger UI, vendored in static/vendor/)."""

from __future__ import annotations

from flask import Response, current_app, jsonify, render_template

from notary.api import bp
from notary.core.permissions import public


@bp.route("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI 3.1 document, generated from the endpoints (built once per process)."""
    from notary.api.spec import build_spec

    cached = current_app.extensions.get("notary_openapi")
    if cached is None:
        cached = current_app.extensions["notary_openapi"] = build_spec(current_app)
    return jsonify(cached)


@bp.route("/docs")
@public
def docs() -> str:
    """The API documentation page."""
    return render_template("api/docs.html")
