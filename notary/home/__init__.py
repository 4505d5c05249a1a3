"""Each role's home page (工作台)."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from notary.home import views  # noqa: E402,F401
