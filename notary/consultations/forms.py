"""The quick consultation form (three required fields), the log filter, the public lookup."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Regexp
from wtforms.validators import Optional as OptionalValidator

from notary.cases.queries import OFFICE_TZ
from notary.consultations.models import Channel, Consultation, Outcome
from notary.consultations.services import ConsultationData
from notary.core.forms import (
    BaseForm,
    QueryDateField,
    QueryTextField,
    SelectField,
    input_required,
    int_or_none,
    max_length,
    optional,
    required,
    strip,
)


class ConsultationForm(BaseForm):
    topic = StringField(_l("Topic"), validators=[required(), max_length(200)], filters=[strip])
    channel = SelectField(_l("Channel"), choices=[], default=Channel.PHONE.value,
                          validators=[required()])
    persons = IntegerField(_l("People"), default=1, validators=[
        input_required(), NumberRange(min=1, max=500,
                                      message=_l("Enter the number of people, from 1 to 500."))])
    matter_type_id = SelectField(_l("Matter"), choices=[], coerce=int_or_none,
                                 validators=[optional()])
    summary = TextAreaField(_l("Summary"), validators=[optional(), max_length(2000)],
                            filters=[strip])
    outcome = SelectField(_l("Outcome"), choices=[], default=Outcome.ANSWERED.value)
    name = StringField(_l("Name (optional)"), validators=[optional(), max_length(100)],
                       filters=[strip])
    phone = StringField(_l("Phone (optional)"), validators=[optional(), max_length(32)],
                        filters=[strip])
    received_at = DateTimeLocalField(_l("Time"), format="%Y-%m-%dT%H:%M",
                                     validators=[OptionalValidator()])
    taken_by_id = SelectField(_l("Taken by"), choices=[], coerce=int_or_none,
                              validators=[optional()])

    def setup(self, matters: list[tuple[int, str]], staff: list[tuple[int | None, str]]) -> None:
        self.channel.choices = Channel.choices()
        self.outcome.choices = [c for c in Outcome.choices()
                                if c[0] != Outcome.APPLICATION.value]
        self.matter_type_id.choices = [(None, "—"), *matters]
        self.taken_by_id.choices = staff

    def to_data(self) -> ConsultationData:
        at = self.received_at.data
        return ConsultationData(
            channel=Channel(self.channel.data), persons=int(self.persons.data or 0),
            topic=self.topic.data or "", matter_type_id=self.matter_type_id.data,
            received_at=at.replace(tzinfo=OFFICE_TZ) if isinstance(at, datetime) else None,
            summary=self.summary.data, outcome=Outcome(self.outcome.data),
            name=self.name.data, phone=self.phone.data, taken_by_id=self.taken_by_id.data)


class LogFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = QueryTextField(_l("Topic, summary, name or phone"))
    channel = SelectField(_l("Channel"), choices=[], validators=[optional()])
    date_from = QueryDateField(_l("From"), validators=[OptionalValidator()])
    date_to = QueryDateField(_l("To"), validators=[OptionalValidator()])

    def setup(self) -> None:
        self.channel.choices = [("", _l("All")), *Channel.choices()]


class LookupForm(BaseForm):
    number = StringField(_l("Acceptance number"), validators=[required(), max_length(64)],
                         filters=[strip])
    phone_tail = StringField(_l("Last four digits of the applicant's phone"), filters=[strip],
                             validators=[required(), Regexp(r"^\d{4}$", message=_l(
                                 "Enter exactly four digits."))])


class CorrectionForm(ConsultationForm):
    """The entry's fields as logged, and why they change (kept in the audit trail)."""

    reason = TextAreaField(_l("Reason for the correction"),
                           validators=[required(), max_length(500)], filters=[strip])

    def setup_for(self, consultation: Consultation, matters: list[tuple[int, str]],
                  staff: list[tuple[int | None, str]]) -> None:
        self.setup(matters, staff)
        if consultation.outcome is Outcome.APPLICATION:
            self.outcome.choices = Outcome.choices()

    def fill_from(self, c: Consultation) -> None:
        """The values as logged (a GET of the correction page)."""
        self.topic.data, self.channel.data, self.persons.data = c.topic, c.channel.value, c.persons
        self.matter_type_id.data, self.summary.data = c.matter_type_id, c.summary
        self.outcome.data, self.name.data, self.phone.data = c.outcome.value, c.name, c.phone
        self.received_at.data = c.received_at.astimezone(OFFICE_TZ).replace(tzinfo=None)
        self.taken_by_id.data = c.taken_by_id


class VoidForm(BaseForm):
    reason = TextAreaField(_l("Why is this entry void?"),
                           validators=[required(), max_length(500)], filters=[strip])
