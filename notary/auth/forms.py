"""Sign-in and account forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, PasswordField, StringField
from wtforms.validators import Regexp

from notary.auth.services import PracticeData, UserData
from notary.core.forms import BaseForm, SelectField, max_length, optional, required, strip
from notary.core.permissions import Role

# Set after construction: WTForms 3.3 deprecates (value, label) tuples passed to the field's
# constructor (a DeprecationWarning, an error under the test settings); the setter accepts them.
# Each language is named in itself (lang marks it, so a page in the other language reads it
# as that language's own word, not as untranslated text).
LANGUAGE_CHOICES = [("zh_Hans_CN", "简体中文", {"lang": "zh-CN"}),
                    ("en", "English", {"lang": "en"})]


class LoginForm(BaseForm):
    username = StringField(_l("User name"), validators=[required(), max_length(64)],
                           filters=[strip])
    password = PasswordField(_l("Password"), validators=[required(), max_length(256)])


class UserForm(BaseForm):
    username = StringField(
        _l("User name"),
        validators=[
            required(),
            max_length(64),
            Regexp(r"^[A-Za-z0-9_.-]+$",
                   message=_l("Use letters, digits, dot, dash or underscore only.")),
        ],
        filters=[strip],
    )
    full_name = StringField(_l("Full name"), validators=[required(), max_length(64)],
                            filters=[strip])
    role = SelectField(_l("Role"), choices=[], validators=[required()])
    phone = StringField(_l("Phone"), validators=[optional(), max_length(32)], filters=[strip])
    locale = SelectField(_l("Language"), choices=[])
    password = PasswordField(_l("Password"), validators=[optional(), max_length(256)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = Role.choices()
        self.locale.choices = LANGUAGE_CHOICES

    def to_data(self) -> UserData:
        return UserData(
            username=self.username.data or "",
            full_name=self.full_name.data or "",
            role=Role(self.role.data),
            phone=self.phone.data or None,
            locale=self.locale.data or "zh_Hans_CN",
            password=self.password.data or None,
        )


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    new_password = PasswordField(_l("New password"), validators=[required(), max_length(256)])


class LanguageForm(BaseForm):
    locale = SelectField(_l("Language"), choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = LANGUAGE_CHOICES


class EmptyForm(BaseForm):
    """A form with only the CSRF token, for buttons that change state."""


class PracticeForm(BaseForm):
    certificate_number = StringField(_l("Practice certificate number (执业证号)"),
                                     validators=[optional(), max_length(64)], filters=[strip])
    suspended_from = DateField(_l("Suspended from"), validators=[optional()])
    suspended_until = DateField(_l("Suspended until (inclusive)"), validators=[optional()])
    suspension_reason = StringField(_l("Suspension decision"),
                                    validators=[optional(), max_length(200)], filters=[strip])
    may_approve = BooleanField(_l("Designated approver (审批)"))

    def to_data(self) -> PracticeData:
        return PracticeData(self.certificate_number.data, self.suspended_from.data,
                            self.suspended_until.data, self.suspension_reason.data,
                            bool(self.may_approve.data))
