"""Complaints (投诉) about the office or its notaries: the register, the answer, its deadline."""

from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

from notary.complaints import views  # noqa: E402,F401
