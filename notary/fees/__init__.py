"""Fees (公证费): the tariff, each case's charges, payments, refunds, reductions and waivers.

Importing the package registers its step check (no certificate while the fee is unsettled)
and its panel on the case page.
"""

from flask import Blueprint

bp = Blueprint("fees", __name__, url_prefix="/fees")
tariff_bp = Blueprint("tariffs", __name__, url_prefix="/admin/tariffs")

# The step check, the routes and the case panel register on import.
from notary.fees import services, views  # noqa: E402,F401
