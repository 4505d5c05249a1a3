"""The office's ledger (台账): importing years of spreadsheets, all or nothing, idempotent."""

from flask import Blueprint

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

from notary.ledger import views  # noqa: E402,F401
