"""Staff accounts, roles and sign-in."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("users", __name__, url_prefix="/admin/users")

from notary.auth import views  # noqa: E402,F401  (routes register on import)
