"""Forms of the inheritance pages."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange
from wtforms.validators import Optional as OptionalValidator

from notary.core.forms import (
    BaseForm,
    SelectField,
    input_required,
    max_length,
    optional,
    required,
    strip,
)
from notary.inheritance.models import (
    KINSHIP_LABELS,
    RELATION_LABELS,
    AssetKind,
    ChecklistState,
    DeathProof,
    DispositionKind,
    FamilyMember,
    LossGround,
)
from notary.inheritance.rules import Kinship, Relation, parse_fraction
from notary.inheritance.services import AssetData, DecedentData, MemberData

DATE = {"type": "date"}


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value)) if value not in (None, "", "None") else None
    except ValueError:
        return None


def _str_or_none(value: object) -> str | None:
    return None if value in (None, "", "None") else str(value)


class DecedentForm(BaseForm):
    name = StringField(_l("Name of the decedent"), validators=[required(), max_length(100)],
                       filters=[strip])
    document = StringField(_l("Identity document number"),
                           validators=[optional(), max_length(64)], filters=[strip])
    death_date = DateField(_l("Date of death"), validators=[input_required()], render_kw=DATE)
    death_place = StringField(_l("Place of death"), validators=[optional(), max_length(200)],
                              filters=[strip])
    last_residence = StringField(_l("Last residence"),
                                 validators=[optional(), max_length(200)], filters=[strip])
    death_proof = SelectField(_l("Proof of death"), choices=[])
    death_proof_note = StringField(_l("Issued by, number"),
                                   validators=[optional(), max_length(200)], filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.death_proof.choices = DeathProof.choices()

    def to_data(self) -> DecedentData:
        assert self.death_date.data is not None
        return DecedentData(name=self.name.data or "", death_date=self.death_date.data,
                            death_proof=DeathProof(self.death_proof.data),
                            document=self.document.data, death_place=self.death_place.data,
                            last_residence=self.last_residence.data,
                            death_proof_note=self.death_proof_note.data)


class MemberForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(100)], filters=[strip])
    document_number = StringField(_l("Identity document number"),
                                  validators=[optional(), max_length(64)], filters=[strip])
    relation = SelectField(_l("Relation to the decedent"), choices=[])
    kind = SelectField(_l("Kind"), choices=[])
    via_id = SelectField(_l("Related through"), choices=[], coerce=_int_or_none)
    successor_of_id = SelectField(_l("Heir of (an heir who died after the decedent)"),
                                  choices=[], coerce=_int_or_none)
    birth_date = DateField(_l("Date of birth"), validators=[OptionalValidator()],
                           render_kw=DATE)
    death_date = DateField(_l("Date of death (if dead)"), validators=[OptionalValidator()],
                           render_kw=DATE)
    died_in_same_event = BooleanField(_l("Died in the same event as the decedent, order "
                                         "unknown"))
    has_other_heirs = BooleanField(_l("Had heirs of their own besides the decedent"),
                                   default=True)
    main_support = BooleanField(_l("Gave the main support to the decedent (art. 1129)"))
    renounced = BooleanField(_l("Renounced in writing"))
    renounced_on = DateField(_l("Date of the renunciation"), validators=[OptionalValidator()],
                             render_kw=DATE)
    lost_right_ground = SelectField(_l("Lost the right to inherit (art. 1125)"), choices=[],
                                    coerce=_str_or_none)
    forgiven = BooleanField(_l("Forgiven by the decedent"))
    note = StringField(_l("Note"), validators=[optional(), max_length(300)], filters=[strip])

    def setup(self, members: list[FamilyMember]) -> None:
        self.relation.choices = [(r.value, RELATION_LABELS[r]) for r in Relation]
        self.kind.choices = [(k.value, KINSHIP_LABELS[k]) for k in Kinship]
        people = [(m.id, f"{m.name}（{m.relation_label}）") for m in members]
        self.via_id.choices = [(None, "—"), *people]
        self.successor_of_id.choices = [(None, "—"), *people]
        self.lost_right_ground.choices = [(None, "—"), *LossGround.choices()]

    def fill_from_party(self, party: Any) -> None:
        """Start from a person already on the case: name, ID number and birth date."""
        self.name.data = party.name
        self.document_number.data = party.document_number
        self.birth_date.data = party.birth_date

    def to_data(self) -> MemberData:
        ground = self.lost_right_ground.data
        return MemberData(
            name=self.name.data or "", relation=Relation(self.relation.data),
            kind=Kinship(self.kind.data), document_number=self.document_number.data,
            via_id=self.via_id.data, successor_of_id=self.successor_of_id.data,
            birth_date=self.birth_date.data, death_date=self.death_date.data,
            died_in_same_event=bool(self.died_in_same_event.data),
            has_other_heirs=bool(self.has_other_heirs.data),
            main_support=bool(self.main_support.data), renounced=bool(self.renounced.data),
            renounced_on=self.renounced_on.data,
            lost_right_ground=LossGround(ground) if ground else None,
            forgiven=bool(self.forgiven.data), note=self.note.data)


class AssetForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=[])
    description = StringField(_l("Description"), validators=[required(), max_length(300)],
                              filters=[strip])
    value = DecimalField(_l("Value (yuan)"), places=2, validators=[
        input_required(), NumberRange(min=Decimal(0), max=Decimal("999999999999"),
                                      message=_l("Enter an amount of at least 0."))])
    is_marital = BooleanField(_l("Marital property (夫妻共同财产)"))
    disposed_by_will = BooleanField(_l("Governed by a will or legacy-support agreement"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = AssetKind.choices()

    def to_data(self) -> AssetData:
        return AssetData(kind=AssetKind(self.kind.data), description=self.description.data or "",
                         value=self.value.data or Decimal(0),
                         is_marital=bool(self.is_marital.data),
                         disposed_by_will=bool(self.disposed_by_will.data))


class DispositionForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=[])
    made_on = DateField(_l("Made on"), validators=[OptionalValidator()], render_kw=DATE)
    form = StringField(_l("Form (notarized, handwritten, ...)"),
                       validators=[optional(), max_length(100)], filters=[strip])
    summary = TextAreaField(_l("Content"), validators=[required(), max_length(4000)],
                            filters=[strip])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = DispositionKind.choices()


class NoticeForm(BaseForm):
    start = DateField(_l("Notice starts on"), validators=[input_required()], render_kw=DATE)
    days = IntegerField(_l("Days"), validators=[input_required(), NumberRange(
        min=1, max=365, message=_l("Enter a number of days from 1 to 365."))])


class OverrideForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(2000)],
                           filters=[strip])


class ChecklistForm(BaseForm):
    """Filled from the request by item number: state_<n>, note_<n>."""

    @staticmethod
    def states(values: dict[str, str]) -> dict[int, tuple[ChecklistState, str | None]]:
        out: dict[int, tuple[ChecklistState, str | None]] = {}
        for n in range(1, 11):
            raw = values.get(f"state_{n}")
            if raw in {s.value for s in ChecklistState}:
                out[n] = (ChecklistState(raw), (values.get(f"note_{n}") or "")[:300])
        return out


class DivisionForm(BaseForm):
    """Shares typed per heir (share_<member id>) as 1/3, 0.25 or 25%."""

    note = TextAreaField(_l("The agreement (who agreed, when, in what form)"),
                         validators=[required(), max_length(2000)], filters=[strip])

    @staticmethod
    def shares(values: dict[str, str], heir_ids: list[int]) -> dict[int, Fraction] | None:
        out: dict[int, Fraction] = {}
        for heir in heir_ids:
            try:
                out[heir] = parse_fraction(values.get(f"share_{heir}") or "")
            except (ValueError, ZeroDivisionError, ArithmeticError):
                return None
        return out
