"""The case file (卷宗): the 告知 records, the second volume (副卷), a will's confidential file
and its recording, the file catalogue of every volume.

Importing the package registers its step checks (no approval before the notice and, for an
elderly or sick testator, the recording), the confidential-file rule and its case panel.
"""

from flask import Blueprint

bp = Blueprint("casefile", __name__, url_prefix="/casefile")

from notary.casefile import services, views  # noqa: E402,F401
