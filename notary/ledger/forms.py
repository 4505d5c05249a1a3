"""The ledger upload form: a file to check, or the token of a checked file to import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField

from notary.core.forms import BaseForm


class LedgerForm(BaseForm):
    file = FileField(_l("Ledger file (XLSX with sheets 案件 and 咨询接待, or CSV)"))
    token = HiddenField()
    name = HiddenField()
