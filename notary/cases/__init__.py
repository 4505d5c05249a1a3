"""The case register (公证案件 / 登记簿) and the statutory procedure."""

from flask import Blueprint

bp = Blueprint("cases", __name__, url_prefix="/cases")
admin_bp = Blueprint("matters", __name__, url_prefix="/admin/matters")

from notary.cases import views  # noqa: E402,F401
