"""The browser form that creates a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import NumberRange

from notary.core.forms import BaseForm, max_length, optional, required, strip


class TokenForm(BaseForm):
    name = StringField(_l("What the token is for"), validators=[required(), max_length(100)],
                       filters=[strip])
    expires_in_days = IntegerField(
        _l("Expires after (days)"),
        validators=[optional(), NumberRange(1, 3660, message=_l("Enter a number of days from "
                                                                 "1 to 3660."))])
