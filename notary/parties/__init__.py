"""Parties (当事人): natural persons and organisations, one record per identity document."""

from flask import Blueprint

bp = Blueprint("parties", __name__, url_prefix="/parties")

from notary.parties import views  # noqa: E402,F401
