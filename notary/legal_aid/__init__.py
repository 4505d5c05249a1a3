"""Legal aid (公证法律援助): the record on a case, the emergency route, the quarterly filing.

Importing the package registers its panel on the case page.
"""

from flask import Blueprint

bp = Blueprint("legal_aid", __name__, url_prefix="/legal-aid")

from notary.legal_aid import views  # noqa: E402,F401  (routes and the case panel register)
