"""Case-file forms: the notice, a second-volume document, the testator, the recording, death."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, StringField, TextAreaField

from notary.casefile.models import FileNoteKind, NoticeMethod
from notary.casefile.services import NoticeData
from notary.core.forms import BaseForm, SelectField, max_length, optional, required, strip


class NoticeForm(BaseForm):
    told_on = DateField(_l("Told on"), validators=[optional()])
    method = SelectField(_l("How the party was told"), choices=[], validators=[required()])
    content = TextAreaField(_l("What the party was told"), validators=[optional()],
                            filters=[strip], render_kw={"rows": 10})
    party_signed = BooleanField(_l("The party signed the printed notice (告知书)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.method.choices = NoticeMethod.choices()

    def to_data(self, participant_id: int) -> NoticeData:
        return NoticeData(participant_id, self.told_on.data, NoticeMethod(self.method.data),
                          self.content.data or "", bool(self.party_signed.data))


class FileNoteForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=[], validators=[required()])
    title = StringField(_l("Title"), validators=[optional(), max_length(200)], filters=[strip])
    body = TextAreaField(_l("Text"), validators=[optional()], filters=[strip],
                         render_kw={"rows": 8})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = FileNoteKind.choices()


class TestatorForm(BaseForm):
    infirm = BooleanField(_l("The testator is frail, sick or disabled (遗嘱公证细则 art. 16)"))
    note = StringField(_l("Condition"), validators=[optional(), max_length(200)],
                       filters=[strip])


class RecordingForm(BaseForm):
    recording = FileField(_l("Recording of the interview (audio or video)"),
                          validators=[FileRequired(_l("Choose the recording file."))],
                          render_kw={"accept": "video/*,audio/*,.mp4,.mov,.webm,.mp3,.wav"})


class DeathForm(BaseForm):
    death_on = DateField(_l("Date of death"), validators=[optional()])
    evidence = StringField(_l("Proof of death"), validators=[optional(), max_length(200)],
                           filters=[strip])
