"""Consultations and visits (咨询 / 来访接待): the front desk's log, and the public case lookup."""

from flask import Blueprint

bp = Blueprint("consultations", __name__, url_prefix="/desk")
lookup_bp = Blueprint("lookup", __name__, url_prefix="/lookup")

from notary.consultations import views  # noqa: E402,F401  (routes and the case panel register)
