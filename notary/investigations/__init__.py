"""Field investigations (核实 / 调查) and home visits (上门服务).

Importing the package registers its procedure hooks, its routes and its case panel.
"""

from flask import Blueprint

bp = Blueprint("investigations", __name__, url_prefix="/investigations")

from notary.investigations import services, views  # noqa: E402,F401
