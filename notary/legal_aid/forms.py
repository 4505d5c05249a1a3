"""Legal-aid forms: the record on a case, the agency's confirmation, the filing quarter."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import NumberRange
from wtforms.validators import Optional as OptionalValidator

from notary.core.forms import (
    BaseForm,
    MoneyField,
    QueryYearField,
    SelectField,
    int_or_none,
    max_length,
    optional,
    required,
    strip,
)
from notary.fees.services import Upload
from notary.legal_aid.models import AidRelief, AidRoute, Eligibility
from notary.legal_aid.services import DEFAULT_AGENCY, ConfirmData, LegalAidData


def upload_of(field: Any) -> Upload | None:
    """The uploaded file of a FileField, or None when nothing was chosen."""
    data = field.data
    if data is None or not getattr(data, "filename", ""):
        return None
    return Upload(data.stream, data.filename or "")


class LegalAidForm(BaseForm):
    recipient_id = SelectField(_l("Recipient"), choices=[], coerce=int_or_none,
                               validators=[required()])
    eligibility = SelectField(_l("Eligibility"), choices=[])
    eligibility_detail = TextAreaField(_l("Details of eligibility"),
                                       validators=[optional(), max_length(2000)])
    evidence = FileField(_l("Evidence of hardship (PDF, JPEG or PNG)"))
    route = SelectField(_l("Route"), choices=[])
    agency_name = StringField(_l("Legal-aid agency"), default=DEFAULT_AGENCY,
                              validators=[required(), max_length(100)], filters=[strip])
    decision_number = StringField(_l("Decision letter no."),
                                  validators=[optional(), max_length(64)], filters=[strip])
    decision_date = DateField(_l("Decision letter date"), validators=[OptionalValidator()])
    decision_scan = FileField(_l("Scan of the decision letter"))
    emergency_reason = TextAreaField(_l("Why the office acts first"),
                                     validators=[optional(), max_length(2000)])
    relief = SelectField(_l("Fee"), choices=[], default=AidRelief.WAIVE.value)
    percent = MoneyField(_l("Percentage off (reduction only)"), validators=[optional()])

    def setup(self, recipients: list[tuple[int, str]]) -> None:
        self.recipient_id.choices = [(None, "—"), *recipients]
        self.eligibility.choices = Eligibility.choices()
        self.route.choices = AidRoute.choices()
        self.relief.choices = AidRelief.choices()

    def to_data(self) -> LegalAidData:
        return LegalAidData(
            recipient_id=self.recipient_id.data, eligibility=Eligibility(self.eligibility.data),
            route=AidRoute(self.route.data), relief=AidRelief(self.relief.data),
            percent=self.percent.amount, agency_name=self.agency_name.data or "",
            eligibility_detail=self.eligibility_detail.data, evidence=upload_of(self.evidence),
            decision_number=self.decision_number.data, decision_date=self.decision_date.data,
            decision_scan=upload_of(self.decision_scan),
            emergency_reason=self.emergency_reason.data)


class ConfirmForm(BaseForm):
    decision_number = StringField(_l("Decision letter no."),
                                  validators=[required(), max_length(64)], filters=[strip])
    decision_date = DateField(_l("Decision letter date"), validators=[OptionalValidator()])
    decision_scan = FileField(_l("Scan of the decision letter"))

    def to_data(self) -> ConfirmData:
        return ConfirmData(decision_number=self.decision_number.data,
                           decision_date=self.decision_date.data,
                           decision_scan=upload_of(self.decision_scan))


class FilingForm(BaseForm):
    class Meta:
        csrf = False

    year = QueryYearField(_l("Year"), validators=[OptionalValidator(), NumberRange(
        min=2000, max=2100, message=_l("Enter a year from 2000 to 2100."))])
    quarter = SelectField(_l("Quarter"), choices=[], coerce=int_or_none,
                          validators=[OptionalValidator()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarter.choices = [(q, str(q)) for q in (1, 2, 3, 4)]
