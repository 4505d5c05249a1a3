"""Fees (公证费): the tariff, each case's charges, payments, refunds, reductions and waivers.

Importing the package registers its step check (no certificate while the fee is unsettled),
its panel on the case page and the day book kept in every flush (`daybook`).
"""

from flask import Blueprint

bp = Blueprint("fees", __name__, url_prefix="/fees")
tariff_bp = Blueprint("tariffs", __name__, url_prefix="/admin/tariffs")

# The step check, the routes, the case panel and the day book register on import.
from notary.fees import daybook, services, views  # noqa: E402,F401
