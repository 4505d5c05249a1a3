"""Forms of the investigation pages: plan a task, write the record, attach, close."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional as OptionalValidator
from wtforms.validators import ValidationError

from notary.core.forms import (
    BaseForm,
    RadioField,
    SelectField,
    SelectMultipleField,
    input_required,
    max_length,
    optional,
    required,
    strip,
)
from notary.core.models import OFFICE_TZ
from notary.investigations.models import Method, PersonRole
from notary.investigations.services import PersonData, RecordData, TaskData

TZ = OFFICE_TZ
DATETIME_FORMAT = ["%Y-%m-%dT%H:%M"]


def aware(value: datetime | None) -> datetime | None:
    """A time typed in the office's zone, made aware."""
    return value.replace(tzinfo=TZ) if value is not None else None


class TaskForm(BaseForm):
    method = SelectField(_l("Method"), choices=[])
    purpose = TextAreaField(_l("Purpose"), validators=[required(), max_length(2000)],
                            filters=[strip])
    # People's names: content (data-content), not interface text to translate.
    staff_ids = SelectMultipleField(_l("Assigned staff"), coerce=int, choices=[],
                                    render_kw={"data-content": ""})
    place = StringField(_l("Place"), validators=[optional(), max_length(200)], filters=[strip])
    scheduled_at = DateTimeLocalField(_l("Date and time"), format=DATETIME_FORMAT,
                                      validators=[OptionalValidator()])
    other_office = StringField(_l("Office asked to verify (委托异地核实)"),
                               validators=[optional(), max_length(200)], filters=[strip])
    witness_name = StringField(_l("Witness"), validators=[optional(), max_length(100)],
                               filters=[strip])
    witness_contact = StringField(_l("Witness's contact"),
                                  validators=[optional(), max_length(200)], filters=[strip])

    def setup(self, staff: list[tuple[int, str]]) -> None:
        self.method.choices = Method.choices()
        self.staff_ids.choices = staff

    def to_data(self) -> TaskData:
        return TaskData(method=Method(self.method.data), purpose=self.purpose.data or "",
                        staff_ids=list(self.staff_ids.data or []), place=self.place.data,
                        scheduled_at=aware(self.scheduled_at.data),
                        other_office=self.other_office.data,
                        witness_name=self.witness_name.data,
                        witness_contact=self.witness_contact.data)


class CloseForm(BaseForm):
    result = RadioField(_l("Result"), choices=[], default="done")
    outcome = TextAreaField(_l("Outcome"), validators=[required(), max_length(4000)],
                            filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.result.choices = [("done", _l("Done: record the outcome")),
                               ("cancelled", _l("Cancelled: give the reason"))]


class PersonForm(Form):
    role = SelectField(_l("Role"), choices=[], default=PersonRole.QUESTIONED.value)
    name = StringField(_l("Name"), validators=[optional(), max_length(100)], filters=[strip])
    document_number = StringField(_l("Document number"),
                                  validators=[optional(), max_length(64)], filters=[strip])
    relation = StringField(_l("Relation to the matter"),
                           validators=[optional(), max_length(100)], filters=[strip])
    signed = BooleanField(_l("Signed"))
    fingerprinted = BooleanField(_l("Fingerprinted"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = PersonRole.choices()


def parse_questions(text: str) -> list[tuple[str, str]]:
    """Read the record's 问：/答： lines into (question, answer) pairs, keeping line breaks."""
    pairs: list[list[str]] = []
    part = -1
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        head = line[:2].replace(":", "：")
        if head == "问：":
            pairs.append([line[2:].strip(), ""])
            part = 0
        elif head == "答：" and pairs:
            pairs[-1][1] = (pairs[-1][1] + "\n" + line[2:].strip()).strip()
            part = 1
        elif pairs and part >= 0:
            pairs[-1][part] += "\n" + line
        else:
            raise ValueError(line)
    return [(q, a) for q, a in pairs]


class RecordForm(BaseForm):
    place = StringField(_l("Place"), validators=[required(), max_length(200)], filters=[strip])
    started_at = DateTimeLocalField(_l("Started"), format=DATETIME_FORMAT,
                                    validators=[input_required()])
    ended_at = DateTimeLocalField(_l("Ended"), format=DATETIME_FORMAT,
                                  validators=[OptionalValidator()])
    recorder_id = SelectField(_l("Recorder"), coerce=int, choices=[],
                              render_kw={"data-content": ""})
    persons = FieldList(FormField(PersonForm), min_entries=3, max_entries=10)
    questions = TextAreaField(_l("Questions and answers (one line 问：…, then 答：…)"),
                              validators=[optional(), max_length(20000)])
    observations = TextAreaField(_l("What was seen"), validators=[optional(),
                                                                  max_length(10000)])

    def validate_questions(self, field: TextAreaField) -> None:
        try:
            parse_questions(field.data or "")
        except ValueError as exc:
            raise ValidationError(_l("Begin each question with 问： and each answer with 答：."),
                                  ) from exc

    def to_data(self) -> RecordData:
        started = aware(self.started_at.data)
        assert started is not None
        return RecordData(
            place=self.place.data or "", started_at=started,
            ended_at=aware(self.ended_at.data), recorder_id=self.recorder_id.data or 0,
            observations=self.observations.data,
            persons=[PersonData(role=PersonRole(p.form.role.data), name=p.form.name.data or "",
                                document_number=p.form.document_number.data,
                                relation=p.form.relation.data, signed=bool(p.form.signed.data),
                                fingerprinted=bool(p.form.fingerprinted.data))
                     for p in self.persons if (p.form.name.data or "").strip()],
            questions=parse_questions(self.questions.data or ""))


class AttachmentForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), max_length(200)], filters=[strip])
    file = FileField(_l("File (PDF, JPEG or PNG)"),
                     validators=[FileRequired(message=_l("Choose a file."))])
