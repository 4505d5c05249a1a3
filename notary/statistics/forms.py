"""The period chooser and the submission form."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import NumberRange
from wtforms.validators import Optional as OptionalValidator

from notary.core.forms import (
    BaseForm,
    QueryDateField,
    QueryYearField,
    SelectField,
    max_length,
    optional,
)
from notary.statistics import rules
from notary.statistics.rules import Period


class PeriodForm(BaseForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Period"), choices=[], default="half")
    year = QueryYearField(_l("Year"), validators=[OptionalValidator(), NumberRange(
        min=1990, max=2100, message=_l("Enter a year between 1990 and 2100."))])
    # No default: an unchosen half, quarter or month is the current one (see `period`).
    half = SelectField(_l("Half"), choices=[], coerce=int, validators=[optional()])
    quarter = SelectField(_l("Quarter"), choices=[], coerce=int,
                          validators=[optional()])
    month = SelectField(_l("Month"), choices=[], coerce=int, validators=[optional()])
    start = QueryDateField(_l("From"), validators=[OptionalValidator()])
    end = QueryDateField(_l("To"), validators=[OptionalValidator()])

    def setup(self) -> None:
        self.kind.choices = [("half", _l("Half-year")), ("month", _l("Month")),
                             ("quarter", _l("Quarter")), ("year", _l("Year")),
                             ("range", _l("Date range"))]
        self.half.choices = [(1, _l("First half")), (2, _l("Second half"))]
        self.quarter.choices = [(q, str(q)) for q in range(1, 5)]
        self.month.choices = [(m, str(m)) for m in range(1, 13)]

    def period(self, today: date) -> Period:
        """The chosen period; what is missing or mistyped falls back to today's (noted on
        the field)."""
        year = self.year.data if self.year.data and not self.year.errors else today.year
        self.year.data = year
        kind = self.kind.data if self.kind.data in rules.KINDS and not self.kind.errors \
            else "half"
        self.kind.data = kind
        if kind == "range":
            start, end = self.start.data, self.end.data
            if start and end and start <= end and not self.start.errors and not self.end.errors:
                return rules.date_range(start, end)
            self.end.errors = [*self.end.errors, str(_l("Give a first and a last day, the "
                                                           "last not before the first."))]
            kind = self.kind.data = "half"
        if kind == "month":
            return rules.month(year, self.month.data if not self.month.errors and self.month.data
                               else today.month)
        if kind == "quarter":
            return rules.quarter(year, self.quarter.data if not self.quarter.errors
                                 and self.quarter.data else (today.month - 1) // 3 + 1)
        if kind == "year":
            return rules.whole_year(year)
        half = self.half.data if not self.half.errors and self.half.data else (
            1 if today.month <= 6 else 2)
        self.half.data = half
        return rules.half_year(year, half)


class SubmitForm(BaseForm):
    note = TextAreaField(_l("Note (optional)"), validators=[optional(), max_length(2000)])
