"""Statistics (统计): period figures computed by the database, reports frozen on submission."""

from flask import Blueprint

bp = Blueprint("statistics", __name__, url_prefix="/statistics")

from notary.statistics import views  # noqa: E402,F401
