"""Deadlines: the working-day calendar, the statutory clock of each case, work queues, recusal.

Importing the package registers its hooks on the procedure (clock effects, recusal check)
and its panel on the case page.
"""

from flask import Blueprint

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")
calendar_bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar")

# Imported for their side effects: procedure hooks, routes and the case panel register.
from notary.deadlines import services, views  # noqa: E402,F401
