"""Party forms; the field names match PartyData so service errors land next to the field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import Optional as OptionalValidator

from notary.core.forms import (
    BaseForm,
    QueryPageField,
    QueryTextField,
    SelectField,
    max_length,
    optional,
    required,
    strip,
)
from notary.parties.models import DOCUMENT_TYPE_LABELS, SEX_LABELS, PartyKind
from notary.parties.rules import DocumentType, Sex
from notary.parties.services import PartyData


def document_type_choices() -> list[tuple[str, str]]:
    return [(t.value, str(label)) for t, label in DOCUMENT_TYPE_LABELS.items()]


def sex_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(s.value, str(label)) for s, label in SEX_LABELS.items()]]


class PartyFields:
    """The party's fields, shared by the party form and each applicant row of the intake form."""

    kind = SelectField(_l("Party type"), choices=[], default=PartyKind.PERSON.value)
    name = StringField(_l("Name"), validators=[required(), max_length(200)], filters=[strip])
    document_type = SelectField(_l("Document type"), choices=[],
                                default=DocumentType.RESIDENT_ID.value)
    document_number = StringField(_l("Document number"), validators=[required(), max_length(64)],
                                  filters=[strip])
    sex = SelectField(_l("Sex"), choices=[], validators=[optional()])
    birth_date = DateField(_l("Date of birth"), validators=[OptionalValidator()],
                           render_kw={"type": "date"})
    nationality = StringField(_l("Nationality"), validators=[optional(), max_length(64)],
                              filters=[strip])
    phone = StringField(_l("Phone"), validators=[optional(), max_length(32)], filters=[strip])
    address = StringField(_l("Address"), validators=[optional(), max_length(300)],
                          filters=[strip])
    legal_representative = StringField(_l("Legal representative"),
                                       validators=[optional(), max_length(200)], filters=[strip])

    def set_party_choices(self) -> None:
        self.kind.choices = PartyKind.choices()
        self.document_type.choices = document_type_choices()
        self.sex.choices = sex_choices()

    def party_data(self) -> PartyData:
        f = self  # the WTForms fields, bound
        return PartyData(
            kind=PartyKind(f.kind.data or PartyKind.PERSON.value),
            name=f.name.data or "",
            document_type=DocumentType(f.document_type.data),
            document_number=f.document_number.data or "",
            sex=Sex(f.sex.data) if f.sex.data else None,
            birth_date=f.birth_date.data,
            nationality=f.nationality.data or None,
            phone=f.phone.data or None,
            address=f.address.data or None,
            legal_representative=f.legal_representative.data or None,
            notes=getattr(getattr(f, "notes", None), "data", None) or None,
            **{name: getattr(getattr(f, name, None), "data", None) or None
               for name in BIRTH_RECORD_FIELDS},
        )


# On the party's own form only (the intake rows stay short): what a 出生 certificate states.
BIRTH_RECORD_FIELDS = ("birth_province", "birth_county", "father_name", "mother_name")


class PartyForm(PartyFields, BaseForm):
    notes = TextAreaField(_l("Notes"), validators=[optional(), max_length(2000)])
    birth_province = StringField(_l("Province of birth"), validators=[optional(), max_length(50)],
                                 filters=[strip])
    birth_county = StringField(_l("County or city of birth"),
                               validators=[optional(), max_length(50)], filters=[strip])
    father_name = StringField(_l("Father"), validators=[optional(), max_length(100)],
                              filters=[strip])
    mother_name = StringField(_l("Mother"), validators=[optional(), max_length(100)],
                              filters=[strip])
    version = HiddenField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.set_party_choices()

    def to_data(self) -> PartyData:
        return self.party_data()


class PartySearchForm(BaseForm):
    class Meta:
        csrf = False

    q = QueryTextField(_l("Name or document number"))
    page = QueryPageField(default=1, validators=[OptionalValidator()])
