"""Case forms: intake with its applicants, details, procedure steps, materials, filters."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange
from wtforms.validators import Optional as OptionalValidator

from notary.cases.models import Category, ParticipantRole, Urgency
from notary.cases.rules import (
    CaseStatus,
    ClosingType,
    NotAcceptedGround,
    RefusalGround,
    TerminationGround,
)
from notary.cases.services import ApplicationData, CaseDetails, ParticipantData
from notary.cases.workflow import StepData
from notary.core.forms import (
    BaseForm,
    QueryDateField,
    QueryIdField,
    QueryTextField,
    QueryYearField,
    SelectField,
    SelectMultipleField,
    input_required,
    int_or_none,
    max_length,
    optional,
    required,
    strip,
)
from notary.parties.forms import PartyFields

# A select whose options are people's names: content, not interface text (the pages mark it
# so, and the browser checks leave names in Chinese on an English page alone).
PEOPLE: dict[str, str] = {"data-content": ""}

class ParticipantFields(PartyFields):
    """A party's fields plus its role in the case."""

    role = SelectField(_l("Role"), choices=[], default=ParticipantRole.APPLICANT.value)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = ParticipantRole.choices()
        self.set_party_choices()

    def to_data(self) -> ParticipantData:
        return ParticipantData(role=ParticipantRole(self.role.data), party=self.party_data())


class ParticipantForm(ParticipantFields, Form):
    """One applicant or agent row of the intake form."""


def use_party(form: Any, party: Any) -> None:
    """Put a registered party into the first empty participant row (or a new row) of an
    intake form: it is then reused by its document number, not registered again."""
    entry = next((e for e in form.participants
                  if not (e.form.name.data or "").strip()
                  and not (e.form.document_number.data or "").strip()), None)
    if entry is None:
        entry = form.participants.append_entry()
    f = entry.form
    f.kind.data = party.kind.value
    f.name.data = party.name
    f.document_type.data = party.document_type.value if party.document_type else None
    f.document_number.data = party.document_number or ""
    f.sex.data = party.sex.value if party.sex else ""
    f.birth_date.data = party.birth_date
    f.nationality.data = party.nationality or ""
    f.phone.data = party.phone or ""
    f.address.data = party.address or ""


class DetailsFields:
    matter_ids = SelectMultipleField(_l("Matters"), coerce=int, choices=[],
                                     validators=[required()])
    category = SelectField(_l("Category"), choices=[], default=Category.DOMESTIC_CIVIL.value)
    place_of_use = StringField(_l("Country or region of use"),
                               validators=[optional(), max_length(100)], filters=[strip])
    purpose = StringField(_l("Purpose"), validators=[optional(), max_length(200)],
                          filters=[strip])
    document_name = StringField(_l("Document to be notarized"),
                                validators=[optional(), max_length(200)], filters=[strip])
    translation_language = StringField(_l("Translation language"),
                                       validators=[optional(), max_length(50)], filters=[strip])
    copies = IntegerField(_l("Copies"), default=1, validators=[
        input_required(), NumberRange(min=1, max=99, message=_l("Enter a number from 1 to 99."))])
    urgency = SelectField(_l("Urgency"), choices=[], default=Urgency.NORMAL.value)
    urgency_reason = StringField(_l("Reason for urgency"),
                                 validators=[optional(), max_length(300)], filters=[strip])
    notes = TextAreaField(_l("Notes"), validators=[optional(), max_length(4000)])

    def set_detail_choices(self, matter_choices: list[tuple[int, str]]) -> None:
        self.matter_ids.choices = matter_choices
        self.category.choices = Category.choices()
        self.urgency.choices = Urgency.choices()

    def details(self) -> CaseDetails:
        f = self
        return CaseDetails(
            matter_ids=list(f.matter_ids.data or []),
            category=Category(f.category.data),
            place_of_use=f.place_of_use.data,
            purpose=f.purpose.data,
            document_name=f.document_name.data,
            translation_language=f.translation_language.data,
            copies=f.copies.data or 1,
            urgency=Urgency(f.urgency.data),
            urgency_reason=f.urgency_reason.data,
            notes=f.notes.data,
        )


class ApplicationForm(DetailsFields, BaseForm):
    participants = FieldList(FormField(ParticipantForm), min_entries=1, max_entries=20)
    handling_notary_id = SelectField(_l("Handling notary"), choices=[], coerce=int_or_none,
                                     validators=[OptionalValidator()], render_kw=PEOPLE)

    def setup(self, matter_choices: list[tuple[int, str]],
              notary_choices: list[tuple[int | None, str]]) -> None:
        self.set_detail_choices(matter_choices)
        self.handling_notary_id.choices = [(None, "—"), *notary_choices]

    def to_data(self) -> ApplicationData:
        return ApplicationData(
            details=self.details(),
            participants=[entry.form.to_data() for entry in self.participants],
            handling_notary_id=self.handling_notary_id.data,
        )


class CaseDetailsForm(DetailsFields, BaseForm):
    version = HiddenField()


class ParticipantAddForm(ParticipantFields, BaseForm):
    """Add one participant to an existing case."""


class RemoveParticipantForm(BaseForm):
    reason = StringField(_l("Reason"), validators=[required(), max_length(300)],
                         filters=[strip])


class StepForm(BaseForm):
    """Inputs of a procedure step; the template shows the ones the action needs."""

    reason = TextAreaField(_l("Reason"), validators=[optional(), max_length(4000)])
    ground = SelectField(_l("Ground"), choices=[], validators=[optional()])
    notary_id = SelectField(_l("Handling notary"), choices=[], coerce=int_or_none,
                            validators=[OptionalValidator()], render_kw=PEOPLE)
    confirm = BooleanField(_l("The acceptance conditions (公证程序规则 art. 19) are met and "
                              "the applicant has been told their rights and obligations "
                              "(art. 21)."))
    # Approval: the approver's written opinion (审批意见), filed in the case file, and a
    # confirmation, so that nobody approves with a stray click.
    opinion = TextAreaField(_l("Approval opinion (审批意见)"),
                            validators=[optional(), max_length(4000)])
    approved = BooleanField(_l("I have examined the file: the matter is true and lawful and "
                               "the certificate may be issued."))
    delivery_method = SelectField(_l("Delivery"), choices=[], validators=[optional()])
    delivered_to = StringField(_l("Received by"), validators=[optional(), max_length(200)],
                               filters=[strip])
    archive_number = StringField(_l("Archive number"), validators=[optional(), max_length(64)],
                                 filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Set after binding: WTForms 3.3 deprecates tuple choices given to the constructor.
        self.delivery_method.choices = [("pickup", _l("Picked up at the office")),
                                        ("mail", _l("Sent by mail"))]

    def set_ground_choices(self, action: str) -> None:
        grounds: Any = {"refuse": RefusalGround, "reject": NotAcceptedGround}.get(
            action, TerminationGround)
        self.ground.choices = [("", "—"), *grounds.choices()]

    def approval_complete(self) -> bool:
        """The approval page needs the opinion and the confirmation (the errors beside each)."""
        if not (self.opinion.data or "").strip():
            self.opinion.errors = [*self.opinion.errors,
                                   _("Write the approval opinion; it is filed in the case file.")]
        if not self.approved.data:
            self.approved.errors = [*self.approved.errors, _("Tick to confirm the approval.")]
        return not (self.opinion.errors or self.approved.errors)

    def to_data(self) -> StepData:
        return StepData(
            reason=self.reason.data or self.opinion.data, ground=self.ground.data or None,
            notary_id=self.notary_id.data,
            conditions_confirmed=bool(self.confirm.data),
            delivery_method=self.delivery_method.data, delivered_to=self.delivered_to.data,
            archive_number=self.archive_number.data,
        )


class ArchiveFileForm(BaseForm):
    archive_number = StringField(_l("Archive number"), validators=[required(), max_length(64)],
                                 filters=[strip])


class AssignForm(BaseForm):
    notary_id = SelectField(_l("Handling notary"), choices=[], coerce=int_or_none,
                            validators=[OptionalValidator()], render_kw=PEOPLE)
    assistant_id = SelectField(_l("Assistant"), choices=[], coerce=int_or_none,
                               validators=[OptionalValidator()], render_kw=PEOPLE)
    reason = StringField(_l("Reason"), validators=[optional(), max_length(300)],
                         filters=[strip])


class MaterialForm(BaseForm):
    title = StringField(_l("Material title"), validators=[required(), max_length(200)],
                        filters=[strip])
    file = FileField(_l("File (PDF, JPEG or PNG)"),
                     validators=[FileRequired(message=_l("Choose a file."))])


class CaseFilterForm(BaseForm):
    class Meta:
        csrf = False

    q = QueryTextField(_l("Acceptance no., party name or document no."))
    status = SelectField(_l("Status"), choices=[], validators=[optional()])
    matter = QueryIdField(_l("Matter"), choices=[], validators=[OptionalValidator()])
    category = SelectField(_l("Category"), choices=[], validators=[optional()])
    notary = QueryIdField(_l("Notary"), choices=[], validators=[OptionalValidator()],
                          render_kw=PEOPLE)
    date_from = QueryDateField(_l("Applied from"), validators=[OptionalValidator()],
                               render_kw={"type": "date"})
    date_to = QueryDateField(_l("Applied until"), validators=[OptionalValidator()],
                             render_kw={"type": "date"})

    def setup(self, matter_choices: list[tuple[int, str]],
              notary_choices: list[tuple[int | None, str]]) -> None:
        self.status.choices = [("", _l("All")), *CaseStatus.choices()]
        self.matter.choices = [(None, _l("All")), *matter_choices]
        self.category.choices = [("", _l("All")), *Category.choices()]
        self.notary.choices = [(None, _l("All")), *notary_choices]


class RegisterFilterForm(BaseForm):
    class Meta:
        csrf = False

    year = QueryYearField(_l("Year"), validators=[OptionalValidator()])
    category = SelectField(_l("Category"), choices=[], validators=[optional()])
    closing = SelectField(_l("Closing"), choices=[], validators=[optional()])

    def setup(self) -> None:
        self.category.choices = [("", _l("All")), *Category.choices()]
        self.closing.choices = [("", _l("All")), ("open", _l("Not closed")), *ClosingType.choices()]


class MatterTypeForm(BaseForm):
    code = StringField(_l("Code"), validators=[required(), max_length(32)], filters=[strip])
    name = StringField(_l("Matter name"), validators=[required(), max_length(64)],
                       filters=[strip])
    name_en = StringField(_l("English name"), validators=[optional(), max_length(120)],
                          filters=[strip])
    in_person_only = BooleanField(_l("Must be applied for in person (no agent)"))
    is_active = BooleanField(_l("In use"), default=True)
    sort_order = IntegerField(_l("Order"), default=100, validators=[input_required()])
