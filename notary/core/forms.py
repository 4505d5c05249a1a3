"""Form base: CSRF on by Flask-WTF, Chinese messages, and a bridge from ValidationFailed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, TypeVar

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, FieldList, FormField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from notary.core.errors import (
    ConcurrentEdit,
    DomainError,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from notary.core.money import parse_money
from notary.core.params import (
    BadParameter,
    note_bad,
    parse_date,
    parse_id,
    parse_page,
    parse_text,
    parse_year,
)


class BaseForm(FlaskForm):
    """Every form derives from this; `apply_errors` shows a service's errors next to fields."""

    conflict = False  # set by run_service when the record changed since the form was loaded

    def started_from(self) -> int | None:
        """The record version the user loaded (hidden `version` field), for stale-edit checks."""
        field = self._fields.get("version")
        try:
            return int(field.data) if field is not None and field.data else None
        except ValueError:
            return None

    def apply_errors(self, exc: ValidationFailed) -> None:
        """Attach each service error to its field; errors without a field go to form_errors."""
        fields = {f.name: f for f in _walk(self)}
        for name, messages in exc.errors.items():
            field = fields.get(name) if name else None
            if field is not None:
                field.errors = [*list(field.errors or []), *messages]
            else:
                self.form_errors.extend(messages)


T = TypeVar("T")


def run_service(form: BaseForm, call: Callable[[], T]) -> T | None:
    """Run a service for a submitted form: its result, or None with the problems on the form.

    ValidationFailed goes next to the fields; another DomainError (a stale edit, a rule of
    the procedure) above the form. NotPermitted and NotFound propagate to the 403/404 pages.
    """
    try:
        return call()
    except ValidationFailed as exc:
        form.apply_errors(exc)
    except (NotPermitted, NotFound):
        raise
    except ConcurrentEdit as exc:
        form.conflict = True  # the view shows the saved values beside the typed ones
        form.form_errors.append(exc.message)
    except DomainError as exc:
        form.form_errors.append(exc.message)
    return None


def _shown(field: Field) -> str:
    """A field's value as the user reads it (choice labels, not codes)."""
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(value): str(label) for value, label, *_rest in (
            (c if isinstance(c, tuple) else (c, c)) for c in choices)}
        values = field.data if isinstance(field.data, list) else [field.data]
        return "、".join(labels.get(str(v), str(v)) for v in values if v not in (None, ""))
    return str(field._value()) if hasattr(field, "_value") else str(field.data or "")


def merge_rows(typed: BaseForm, saved: BaseForm) -> list[tuple[str, str, str]]:
    """(label, saved value, typed value) of every field where the two forms differ.

    For a stale edit: the other person's saved values beside what this user typed, so they
    can merge by hand and save again, never silently overwriting either.
    """
    rows = []
    for name, field in typed._fields.items():
        if name in {"version", "csrf_token"} or name not in saved._fields:
            continue
        theirs, mine = _shown(saved._fields[name]), _shown(field)
        if theirs != mine:
            rows.append((str(field.label.text), theirs, mine))
    return rows


def _walk(form: Any) -> Iterator[Field]:
    """Every field of a form, descending into FieldList and FormField (full prefixed names)."""
    for field in form:
        if isinstance(field, FormField):
            yield from _walk(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _walk(entry.form)
                else:
                    yield entry
        else:
            yield field


def required() -> DataRequired:
    """A required-field validator with an explicit Chinese-translatable message."""
    return DataRequired(message=_l("This field is required."))


def input_required() -> InputRequired:
    """Required, but accepts falsy values such as 0."""
    return InputRequired(message=_l("This field is required."))


def max_length(n: int) -> Length:
    """At most n characters."""
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def optional() -> Optional:
    """Empty is allowed."""
    return Optional()


def strip(value: Any) -> Any:
    """Field filter: trim surrounding white space (including the full-width space)."""
    return value.strip().strip("\u3000").strip() if isinstance(value, str) else value


def _as_select_choices(value: Any) -> Any:
    """(value, label) pairs, or (value, label, attributes), become SelectChoice; None stands
    for the empty choice ("")."""
    if value is None or callable(value) or isinstance(value, dict):
        return value
    return [c if isinstance(c, SelectChoice) else
            SelectChoice("" if c[0] is None else c[0], c[1],
                         render_kw=c[2] if len(c) > 2 else None) for c in value]


def _choices_property(base: type[wtforms.SelectField]) -> property:
    prop = base.choices
    return property(prop.fget, lambda self, value: prop.fset(self, _as_select_choices(value)))


class _Select(wtforms.widgets.Select):
    """WTForms' select, with the plain option (no extra attributes) written directly.

    Byte for byte what `Select.render_option` writes (tested), without its sorted keyword
    attribute builder per option: a list page's filter selects hold a hundred options.
    """

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(value)}">{label}</option>')


class SelectField(wtforms.SelectField):
    """A select whose choices may be given as (value, label) pairs (stored as SelectChoice:
    WTForms 3.3 deprecates tuples and 3.4 removes them)."""

    widget = _Select()
    choices = _choices_property(wtforms.SelectField)


class SelectMultipleField(wtforms.SelectMultipleField):
    """A choice of several, shown as a list of checkboxes to tick (the form macro renders each
    option through `option_widget`: WTForms' default writes bare <option> tags there, which a
    browser draws as empty overlapping boxes), with the same (value, label) convenience."""

    widget = wtforms.widgets.ListWidget(prefix_label=False)
    option_widget = wtforms.widgets.CheckboxInput()
    choices = _choices_property(wtforms.SelectMultipleField)


class RadioField(wtforms.RadioField):
    """Radio buttons with the same (value, label) convenience."""

    choices = _choices_property(wtforms.RadioField)


def int_or_none(value: object) -> int | None:
    """Select-field coercion: an id, or None for the empty choice (or a number no record
    could have)."""
    if value in (None, "", "None"):
        return None
    try:
        return parse_id("id", str(value))
    except BadParameter:
        return None


# --- query-string forms: each field's raw value parses through notary.core.params ------------


class QueryField(Field):
    """A filter field read from the query string: the raw value goes through its parser in
    notary.core.params. A refused value leaves the field empty with the message beside it,
    and the page answers 400 (app_setup.answer_bad_parameters)."""

    parse: Callable[[str, str], Any]

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = None
        try:
            if len(valuelist) > 1:
                raise BadParameter(self.name, _l("Send this parameter once."))
            raw = str(valuelist[0])
            if raw.strip():
                self.data = type(self).parse(self.name, raw)
        except BadParameter as exc:
            note_bad(exc)
            raise ValueError(exc.message) from None


class QueryTextField(QueryField, wtforms.StringField):
    """Search text: stripped, storable, at most params.MAX_TEXT characters."""

    parse = staticmethod(parse_text)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if self.data is None:
            self.data = ""


class QueryYearField(QueryField, wtforms.IntegerField):
    """A year (params.FIRST_DAY to LAST_DAY)."""

    parse = staticmethod(parse_year)


class QueryPageField(QueryField, wtforms.IntegerField):
    """A page number from 1."""

    parse = staticmethod(parse_page)


class QueryDateField(QueryField, wtforms.DateField):
    """An ISO date inside params.FIRST_DAY..LAST_DAY."""

    parse = staticmethod(parse_date)


class QueryIdField(QueryField, SelectField):
    """A select of records by id: a number no record could have is refused (400); an id
    that is not among the choices is an ordinary field error."""

    parse = staticmethod(parse_id)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int_or_none)
        super().__init__(*args, **kwargs)


class MoneyField(wtforms.StringField):
    """An amount in yuan: '1,200,000' or '1200000.50' becomes Decimal; the text is kept."""

    def __init__(self, label: Any = None, validators: Any = None, *, places: int = 2,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, filters=[strip], **kwargs)
        self.places = places
        self.amount: Decimal | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.amount = None
        text = (self.data or "").strip()
        if text:
            try:
                self.amount = parse_money(text)
            except ValueError:
                self.amount = None

    def process_data(self, value: Any) -> None:
        self.amount = value if isinstance(value, Decimal) else None
        self.data = "" if value is None else (f"{value:f}" if isinstance(value, Decimal)
                                              else str(value))

    def pre_validate(self, form: Any) -> None:
        text = (self.data or "").strip()
        if text and self.amount is None:
            raise ValidationError(str(_l("Enter a number, e.g. 1200000 or 1,200,000.00.")))
        if self.amount is not None:
            if self.amount < 0:
                raise ValidationError(str(_l("Enter an amount of zero or more.")))
            if self.amount != self.amount.quantize(Decimal(1).scaleb(-self.places)):
                raise ValidationError(str(_l("At most %(n)d decimals.", n=self.places)))
