"""Forms of the deadlines pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange
from wtforms.validators import Optional as OptionalValidator

from notary.core.forms import (
    BaseForm,
    QueryYearField,
    RadioField,
    SelectField,
    input_required,
    max_length,
    optional,
    required,
    strip,
)
from notary.deadlines.models import Relation
from notary.parties.forms import document_type_choices


class PauseForm(BaseForm):
    kind = SelectField(_l("Reason for the pause"), choices=[])
    reason = TextAreaField(_l("Details"), validators=[required(), max_length(2000)])


class ExpediteForm(BaseForm):
    days = IntegerField(_l("Target in working days (0 = the same day)"), validators=[
        input_required(), NumberRange(min=0, max=14, message=_l("Enter a number from 0 to 14."))])
    note = StringField(_l("Reason"), validators=[required(), max_length(300)], filters=[strip])


class CalendarDayForm(BaseForm):
    day = DateField(_l("Date"), validators=[input_required()], render_kw={"type": "date"})
    is_working = SelectField(_l("Kind of day"), choices=[])
    note = StringField(_l("Note"), validators=[optional(), max_length(200)], filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.is_working.choices = [("0", _l("Public holiday (no work)")),
                                   ("1", _l("Working day (e.g. a make-up Saturday)"))]


class CalendarYearForm(BaseForm):
    class Meta:
        csrf = False

    year = QueryYearField(_l("Year"), validators=[OptionalValidator()])


class StaffRelationForm(BaseForm):
    relation = SelectField(_l("Relation"), choices=[])
    name = StringField(_l("Name"), validators=[required(), max_length(200)], filters=[strip])
    document_type = SelectField(_l("Document type"), choices=[])
    document_number = StringField(_l("Document number"), validators=[required(), max_length(64)],
                                  filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.relation.choices = Relation.choices()
        self.document_type.choices = document_type_choices()


class RecusalRequestForm(BaseForm):
    requested_by = StringField(_l("Requested by (party)"), validators=[required(),
                                                                      max_length(200)],
                               filters=[strip])
    reason = TextAreaField(_l("Reason given"), validators=[required(), max_length(2000)])


class RecusalDecisionForm(BaseForm):
    decision = RadioField(_l("Decision"), choices=[], validators=[required()])
    new_notary_id = SelectField(_l("Notary who takes over"), choices=[],
                                validators=[optional()])
    decision_note = TextAreaField(_l("Reason for the decision"),
                                  validators=[required(), max_length(2000)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [("grant", _l("Grant: the notary steps aside")),
                                 ("reject", _l("Reject"))]
