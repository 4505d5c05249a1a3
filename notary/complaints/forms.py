"""Complaint forms: the registration and the answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField

from notary.complaints.models import ComplaintChannel, ComplaintOutcome
from notary.complaints.services import AnswerData, ComplaintData
from notary.core.forms import BaseForm, SelectField, max_length, optional, required, strip


class ComplaintForm(BaseForm):
    received_on = DateField(_l("Received on"), validators=[optional()])
    channel = SelectField(_l("Channel"), choices=[], validators=[required()])
    complainant_name = StringField(_l("Complainant"), validators=[optional(), max_length(100)],
                                   filters=[strip])
    complainant_phone = StringField(_l("Phone"), validators=[optional(), max_length(32)],
                                    filters=[strip])
    complainant_address = StringField(_l("Address or unit"),
                                      validators=[optional(), max_length(200)], filters=[strip])
    subject = TextAreaField(_l("What the complaint is about"), validators=[optional()],
                            filters=[strip], render_kw={"rows": 4})
    staff_involved = StringField(_l("Staff concerned"), validators=[optional(), max_length(100)],
                                 filters=[strip])
    case_number = StringField(_l("Acceptance number of the case (if any)"),
                              validators=[optional(), max_length(64)], filters=[strip])
    forwarded_by = StringField(_l("Forwarded by"), validators=[optional(), max_length(100)],
                               filters=[strip])
    forwarded_reference = StringField(_l("Their reference"),
                                      validators=[optional(), max_length(64)], filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = ComplaintChannel.choices()

    def to_data(self) -> ComplaintData:
        return ComplaintData(
            self.received_on.data, ComplaintChannel(self.channel.data),
            self.complainant_name.data or "", self.complainant_phone.data,
            self.complainant_address.data, self.subject.data or "", self.staff_involved.data,
            self.case_number.data, self.forwarded_by.data, self.forwarded_reference.data)


class AnswerForm(BaseForm):
    answer = TextAreaField(_l("The office's answer"), validators=[optional()], filters=[strip],
                           render_kw={"rows": 5})
    answered_on = DateField(_l("Answered on"), validators=[optional()])
    outcome = SelectField(_l("Outcome"), choices=[], validators=[optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = [("", "—"), *ComplaintOutcome.choices()]

    def to_data(self) -> AnswerData:
        value = self.outcome.data
        return AnswerData(self.answer.data or "", self.answered_on.data,
                          ComplaintOutcome(value) if value else None)
