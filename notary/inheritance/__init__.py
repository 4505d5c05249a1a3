"""Inheritance cases (继承公证): the decedent, the family, the estate and the heirs.

Importing the package registers its step check (the materials checklist), routes and panel.
"""

from flask import Blueprint

bp = Blueprint("inheritance", __name__, url_prefix="/inheritance")

from notary.inheritance import services, views  # noqa: E402,F401
