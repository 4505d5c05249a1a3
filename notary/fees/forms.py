"""Fee forms: money typed as text and read into Decimal (never float), Chinese messages."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
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

from notary.core.forms import (
    BaseForm,
    MoneyField,
    QueryDateField,
    SelectField,
    input_required,
    int_or_none,
    max_length,
    optional,
    required,
)
from notary.core.forms import strip as strip_filter
from notary.fees.bills import BillData
from notary.fees.models import (
    BillKind,
    FeeBasis,
    FeeCategory,
    ItemKind,
    NoChargeGround,
    PaymentMethod,
    PricingRegime,
    ReductionGround,
    RefundFault,
    ReliefKind,
)
from notary.fees.services import (
    AdjustData,
    ChargeData,
    DecisionData,
    NoChargeData,
    PaymentData,
    ReductionData,
    RefundData,
    Upload,
)
from notary.fees.tariff import ItemData, ScheduleData, TierData


class ChargeForm(BaseForm):
    item_id = SelectField(_l("Fee item"), choices=[], coerce=int_or_none,
                          validators=[required()])
    quantity = IntegerField(_l("Quantity"), default=1, validators=[
        input_required(), NumberRange(min=1, max=999,
                                      message=_l("Enter a number from 1 to 999."))])
    value = MoneyField(_l("Amount charged on (yuan)"), validators=[optional()])
    amount = MoneyField(_l("Agreed price (yuan)"), validators=[optional()])
    reason = TextAreaField(_l("Reason"), validators=[optional(), max_length(1000)])

    def to_data(self) -> ChargeData:
        return ChargeData(item_id=self.item_id.data, quantity=self.quantity.data or 1,
                          value=self.value.amount, amount=self.amount.amount,
                          reason=self.reason.data)


class BillFields:
    """The official bill's four fields, shared by the payment form and the bill form."""

    bill_kind = SelectField(_l("Kind of bill"), choices=[], coerce=lambda v: v or None,
                            validators=[OptionalValidator()])
    bill_number = StringField(_l("Bill number"), validators=[optional(), max_length(64)],
                              filters=[strip_filter])
    bill_date = DateField(_l("Date on the bill"), validators=[OptionalValidator()])
    bill_system = StringField(_l("Issued by (system)"), validators=[optional(),
                                                                    max_length(100)],
                              filters=[strip_filter])

    def setup_bill(self) -> None:
        self.bill_kind.choices = [(None, "—"), *BillKind.choices()]

    def bill_data(self, reason: str | None = None) -> BillData:
        kind = self.bill_kind.data
        return BillData(kind=BillKind(kind) if kind else None,
                        number=self.bill_number.data,
                        bill_date=self.bill_date.data,
                        system=self.bill_system.data,
                        reason=reason)


class BillForm(BillFields, BaseForm):
    reason = TextAreaField(_l("Reason for the correction"),
                           validators=[optional(), max_length(1000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_bill()

    def to_data(self) -> BillData:
        return self.bill_data(self.reason.data)


class NoChargeForm(BaseForm):
    ground = SelectField(_l("Why nothing is charged"), choices=[])
    basis = TextAreaField(_l("Rule or decision"), validators=[required(), max_length(2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ground.choices = NoChargeGround.choices()

    def to_data(self) -> NoChargeData:
        return NoChargeData(ground=NoChargeGround(self.ground.data), basis=self.basis.data or "")


class AdjustForm(BaseForm):
    amount = MoneyField(_l("New amount (yuan)"), validators=[optional()])
    void = BooleanField(_l("Cancel this charge"))
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(1000)])

    def to_data(self) -> AdjustData:
        return AdjustData(amount=self.amount.amount, reason=self.reason.data or "",
                          void=bool(self.void.data))


class PaymentForm(BillFields, BaseForm):
    amount = MoneyField(_l("Amount (yuan)"), validators=[required()])
    method = SelectField(_l("Method"), choices=[], default=PaymentMethod.CASH.value)
    payer = StringField(_l("Paid by"), validators=[required(), max_length(200)],
                        filters=[strip_filter])
    note = StringField(_l("Note"), validators=[optional(), max_length(300)],
                       filters=[strip_filter])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method.choices = PaymentMethod.choices()
        self.setup_bill()

    def to_data(self) -> PaymentData:
        return PaymentData(amount=self.amount.amount, method=PaymentMethod(self.method.data),
                           payer=self.payer.data or "", note=self.note.data,
                           bill=self.bill_data())


class RefundForm(BaseForm):
    fault = SelectField(_l("Who caused it"), choices=[])
    amount = MoneyField(_l("Amount refunded (yuan)"), validators=[optional()],
                        description=_l("Only for a partial refund; full and none are "
                                       "computed."))
    method = SelectField(_l("Paid back by"), choices=[], coerce=lambda v: v or None,
                         validators=[OptionalValidator()])
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fault.choices = RefundFault.choices()
        self.method.choices = [(None, "—"), *PaymentMethod.choices()]

    def to_data(self) -> RefundData:
        return RefundData(fault=RefundFault(self.fault.data), amount=self.amount.amount,
                          reason=self.reason.data or "",
                          method=PaymentMethod(self.method.data) if self.method.data else None)


class ReductionForm(BaseForm):
    kind = SelectField(_l("Request"), choices=[])
    ground = SelectField(_l("Ground"), choices=[])
    percent = MoneyField(_l("Percentage off"), validators=[optional()])
    reason = TextAreaField(_l("Explanation"), validators=[required(), max_length(2000)])
    evidence = FileField(_l("Evidence (PDF, JPEG or PNG)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = ReliefKind.choices()
        self.ground.choices = [(g.value, g.label) for g in ReductionGround
                               if g is not ReductionGround.LEGAL_AID]

    def to_data(self) -> ReductionData:
        upload = self.evidence.data
        evidence = (Upload(upload.stream, upload.filename or "")
                    if upload is not None and upload.filename else None)
        return ReductionData(kind=ReliefKind(self.kind.data),
                             ground=ReductionGround(self.ground.data),
                             percent=self.percent.amount, reason=self.reason.data or "",
                             evidence=evidence)


class DecisionForm(BaseForm):
    decision = SelectField(_l("Decision"), choices=[], default="approve")
    note = TextAreaField(_l("Note"), validators=[optional(), max_length(2000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [("approve", _l("Approve")), ("reject", _l("Reject"))]

    def to_data(self) -> DecisionData:
        return DecisionData(approve=self.decision.data == "approve", note=self.note.data)


class TotalsForm(BaseForm):
    class Meta:
        csrf = False

    date_from = QueryDateField(_l("From"), validators=[OptionalValidator()])
    date_to = QueryDateField(_l("To"), validators=[OptionalValidator()])


# --- the tariff ---------------------------------------------------------------------------------


class ScheduleForm(BaseForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)],
                       filters=[strip_filter])
    effective_from = DateField(_l("In force from"), validators=[
        input_required()])
    document_number = StringField(_l("Document number (文号)"),
                                  validators=[optional(), max_length(100)],
                                  filters=[strip_filter])
    issuer = StringField(_l("Issued by"), validators=[optional(), max_length(200)],
                         filters=[strip_filter])
    issued_on = DateField(_l("Issued on"), validators=[OptionalValidator()])
    source = TextAreaField(_l("Source"), validators=[optional(), max_length(4000)])
    confirmed = BooleanField(_l("Checked against the document: the dates are confirmed"))
    note = TextAreaField(_l("Note"), validators=[optional(), max_length(4000)])

    def to_data(self) -> ScheduleData:
        return ScheduleData(name=self.name.data or "", effective_from=self.effective_from.data,
                            note=self.note.data, document_number=self.document_number.data,
                            issuer=self.issuer.data, issued_on=self.issued_on.data,
                            source=self.source.data, confirmed=bool(self.confirmed.data))


class TierRow(Form):
    upper = MoneyField(_l("Up to (yuan)"), validators=[optional()])
    rate = MoneyField(_l("Rate (%)"), validators=[optional()], places=4)
    flat = MoneyField(_l("Or a flat amount (yuan)"), validators=[optional()])


TIER_ROWS = 10


class ItemForm(BaseForm):
    code = StringField(_l("Code"), validators=[required(), max_length(32)],
                       filters=[strip_filter])
    name = StringField(_l("Item name"), validators=[required(), max_length(100)],
                       filters=[strip_filter])
    kind = SelectField(_l("Kind"), choices=[])
    basis = SelectField(_l("Basis"), choices=[])
    unit_amount = MoneyField(_l("Amount per unit (yuan)"), validators=[optional()])
    minimum = MoneyField(_l("Minimum (yuan)"), validators=[optional()])
    cap = MoneyField(_l("Cap per case (yuan)"), validators=[optional()])
    matter_code = SelectField(_l("Usual matter"), choices=[], coerce=lambda v: v or None,
                              validators=[OptionalValidator()])
    category = SelectField(_l("Class in the provincial table"), choices=[],
                           coerce=lambda v: v or None,
                           validators=[OptionalValidator()])
    pricing = SelectField(_l("Pricing"), choices=[])
    article = StringField(_l("Article of the document"), validators=[optional(),
                                                                     max_length(200)],
                          filters=[strip_filter])
    source = TextAreaField(_l("Source"), validators=[optional(), max_length(4000)])
    confirmed = BooleanField(_l("Checked against the document: the figures are confirmed"))
    note = TextAreaField(_l("Note"), validators=[optional(), max_length(4000)])
    sort_order = IntegerField(_l("Order"), default=100, validators=[
        input_required(), NumberRange(min=0, max=9999,
                                      message=_l("Enter a number from 0 to 9999."))])
    is_active = BooleanField(_l("In use"), default=True)
    tiers = FieldList(FormField(TierRow), min_entries=TIER_ROWS, max_entries=TIER_ROWS)

    def setup(self, matter_choices: list[tuple[str, str]]) -> None:
        self.kind.choices = ItemKind.choices()
        self.basis.choices = FeeBasis.choices()
        self.matter_code.choices = [(None, "—"), *matter_choices]
        self.category.choices = [(None, "—"), *FeeCategory.choices()]
        self.pricing.choices = PricingRegime.choices()

    def to_data(self) -> ItemData:
        tiers = [TierData(upper=row.form.upper.amount, rate_percent=row.form.rate.amount,
                          flat=row.form.flat.amount) for row in self.tiers]
        return ItemData(code=self.code.data or "", name=self.name.data or "",
                        kind=ItemKind(self.kind.data), basis=FeeBasis(self.basis.data),
                        unit_amount=self.unit_amount.amount, minimum=self.minimum.amount,
                        cap=self.cap.amount, matter_code=self.matter_code.data,
                        note=self.note.data, sort_order=self.sort_order.data or 0,
                        is_active=bool(self.is_active.data), tiers=tiers,
                        category=FeeCategory(self.category.data) if self.category.data
                        else None, pricing=PricingRegime(self.pricing.data),
                        article=self.article.data, source=self.source.data,
                        confirmed=bool(self.confirmed.data))


class MinimumRow(Form):
    ground = HiddenField()
    percent = MoneyField(_l("At least (%)"), validators=[optional()])
    note = StringField(_l("Source"), validators=[optional(), max_length(500)],
                       filters=[strip_filter])


class MinimumsForm(BaseForm):
    rows = FieldList(FormField(MinimumRow), min_entries=0)
