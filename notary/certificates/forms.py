"""Forms of the certificate pages; `to_data()` hands the service a dataclass."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Optional as OptionalValidator

from notary.certificates.followup import ForeignUseData, ReviewData
from notary.certificates.models import Retention, ReviewOutcome
from notary.certificates.services import WordingData
from notary.core.forms import (
    BaseForm,
    QueryTextField,
    SelectField,
    int_or_none,
    max_length,
    optional,
    required,
    strip,
)

DATE = {"type": "date"}


class WordingForm(BaseForm):
    """The notary's edits to a draft certificate."""

    applicant_block = TextAreaField(_l("Applicant block"), validators=[required(),
                                                                        max_length(4000)],
                                    render_kw={"rows": 4})
    matter_text = StringField(_l("Matter"), validators=[required(), max_length(100)],
                              filters=[strip])
    body = TextAreaField(_l("Wording (证词)"), validators=[required(), max_length(20000)],
                         render_kw={"rows": 10})
    body_en = TextAreaField(_l("Translation (in the case's translation language)"),
                            validators=[optional(), max_length(20000)], render_kw={"rows": 6})

    def to_data(self) -> WordingData:
        return WordingData(self.matter_text.data or "", self.body.data or "",
                           self.body_en.data or "", self.applicant_block.data or "")


class TemplateForm(BaseForm):
    """An office wording template: Jinja text, checked in the sandbox before it is saved."""

    matter_text = StringField(_l("Matter as printed"), validators=[required(), max_length(100)],
                              filters=[strip])
    body = TextAreaField(_l("Wording template"), validators=[required(), max_length(20000)],
                         render_kw={"rows": 12, "class": "font-monospace"})
    body_en = TextAreaField(_l("English template"), validators=[optional(), max_length(20000)],
                            render_kw={"rows": 6, "class": "font-monospace"})


class VerifyForm(BaseForm):
    """The public lookup: number and code (GET, no session needed)."""

    class Meta:
        csrf = False

    n = QueryTextField(_l("Certificate number"), validators=[optional(), max_length(120)])
    c = QueryTextField(_l("Verification code"), validators=[optional(), max_length(32)])


class ReviewForm(BaseForm):
    applicant = StringField(_l("Applicant for review"), validators=[required(), max_length(200)],
                            filters=[strip])
    is_party = BooleanField(_l("The applicant is a party to the certificate"), default=True)
    applied_on = DateField(_l("Application received on"), validators=[OptionalValidator()],
                           render_kw=DATE)
    known_on = DateField(_l("Certificate received (party) or learned of (others) on"),
                         validators=[OptionalValidator()], render_kw=DATE)
    request = TextAreaField(_l("Alleged error, reasons and request"),
                            validators=[required(), max_length(4000)])
    reviewer_id = SelectField(_l("Reviewing notary (not the one who issued it)"), choices=[],
                              coerce=int_or_none, validators=[required()])

    def to_data(self) -> ReviewData:
        return ReviewData(self.applicant.data or "", bool(self.is_party.data),
                          self.applied_on.data, self.known_on.data, self.request.data or "",
                          self.reviewer_id.data)


class DecisionForm(BaseForm):
    outcome = SelectField(_l("Outcome"), choices=[], validators=[required()])
    decision = TextAreaField(_l("Reasons for the decision"),
                             validators=[required(), max_length(4000)])
    corrected_body = TextAreaField(_l("Corrected wording (reissue or 补正)"),
                                   validators=[optional(), max_length(20000)],
                                   render_kw={"rows": 6})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = ReviewOutcome.choices()


class ReceiptForm(BaseForm):
    mail_tracking = StringField(_l("Mail tracking number"), validators=[optional(),
                                                                        max_length(64)],
                                filters=[strip])
    receipt = FileField(_l("Signed receipt (PDF, JPEG or PNG)"))


class ForeignUseForm(BaseForm):
    country = StringField(_l("Country of use"), validators=[optional(), max_length(100)],
                          filters=[strip])
    submitted_on = DateField(_l("Sent for Apostille / legalization on"),
                             validators=[OptionalValidator()], render_kw=DATE)
    done_on = DateField(_l("Apostille issued / legalized by the foreign ministry on"),
                        validators=[OptionalValidator()], render_kw=DATE)
    embassy_on = DateField(_l("Legalized by the embassy on"), validators=[OptionalValidator()],
                           render_kw=DATE)
    returned_on = DateField(_l("Returned to the party on"), validators=[OptionalValidator()],
                            render_kw=DATE)
    duplicate_sent_on = DateField(_l("Duplicate (副本) sent to the provincial association on"),
                                  validators=[OptionalValidator()], render_kw=DATE)
    duplicate_reference = StringField(_l("Dispatch reference"),
                                      validators=[optional(), max_length(64)], filters=[strip])
    note = TextAreaField(_l("Note"), validators=[optional(), max_length(2000)])

    def to_data(self) -> ForeignUseData:
        return ForeignUseData(self.country.data or "", self.submitted_on.data, self.done_on.data,
                              self.embassy_on.data, self.returned_on.data,
                              self.duplicate_sent_on.data, self.duplicate_reference.data or "",
                              self.note.data or "")


class RetentionForm(BaseForm):
    retention = SelectField(_l("Retention"), choices=[], validators=[required()])
    confidential = BooleanField(_l("Confidential file (密卷)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.retention.choices = Retention.choices()


class FontCheckForm(BaseForm):
    """The administrator's check of a string against the fonts (GET, nothing is saved)."""

    class Meta:
        csrf = False

    text = StringField(_l("Text to check"), validators=[optional(), max_length(200)])


class ReadingForm(BaseForm):
    """How the office reads a character the Pinyin dictionary does not know."""

    char = StringField(_l("Character"), filters=[strip], validators=[required(), max_length(2)])
    reading = StringField(_l("Pinyin (without tone marks)"), filters=[strip],
                          validators=[required(), max_length(16)])
