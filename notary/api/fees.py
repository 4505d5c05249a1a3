"""Fees over JSON: the case's account, charges from the tariff, payments, reductions."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema, fields, post_load, validate

from notary.api.core import actor, respond, route
from notary.api.schemas import FileSchema, Id, Money, Percent, Text
from notary.cases.services import get_case
from notary.core.permissions import Permission
from notary.fees import bills, queries, services
from notary.fees.models import (
    BillKind,
    DecisionStatus,
    FeeBasis,
    FeeCategory,
    ItemKind,
    NoChargeGround,
    PaymentMethod,
    PricingRegime,
    ReductionGround,
    ReliefKind,
)
from notary.fees.services import (
    AdjustData,
    ChargeData,
    DecisionData,
    PaymentData,
    ReductionData,
)

TAG = "Fees"


class FeeItemSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(ItemKind, by_value=True, required=True)
    basis = fields.Enum(FeeBasis, by_value=True, required=True)
    unit_amount = Money(allow_none=True)
    matter_code = fields.String(allow_none=True, required=True)
    pricing = fields.Enum(PricingRegime, by_value=True, required=True, metadata={
        "description": "政府指导价 (a ceiling) or 市场调节价, as the province's document says."})
    category = fields.Enum(FeeCategory, by_value=True, allow_none=True, required=True)
    article = fields.String(allow_none=True, required=True)
    is_confirmed = fields.Boolean(required=True, metadata={
        "description": "False while the office has not checked the line against the "
                       "document (待核实)."})


class ChargeInSchema(Schema):
    """A tariff item charged on the case. `value`: the amount a tiered item is computed on
    (a reason is needed when it differs from the value the case gives); `amount` and
    `reason`: the agreed price of a market-priced item and how it was reached."""

    item_id = Id(required=True)
    quantity = fields.Integer(load_default=1, validate=validate.Range(1, 999))
    value = Money(allow_none=True)
    amount = Money(allow_none=True)
    reason = Text(1000, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ChargeData:
        return ChargeData(**data)


class AdjustInSchema(Schema):
    """A new amount for a computed charge, or its cancellation; the reason goes on file."""

    amount = Money(allow_none=True)
    reason = Text(2000, required=True)
    void = fields.Boolean(load_default=False)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> AdjustData:
        return AdjustData(amount=data.get("amount"), reason=data["reason"], void=data["void"])


class ChargeSchema(Schema):
    id = fields.Integer(required=True)
    item_id = fields.Integer(required=True)
    description = fields.String(required=True)
    kind = fields.Enum(ItemKind, by_value=True, required=True)
    quantity = fields.Integer(required=True)
    base_value = Money(allow_none=True)
    suggested_value = Money(allow_none=True)
    basis_reason = fields.String(allow_none=True)
    computed_amount = Money(required=True)
    amount = Money(required=True)
    is_void = fields.Boolean(required=True)


class BillInSchema(Schema):
    """The official bill the finance system issued (电子票据 / 发票)."""

    kind = fields.Enum(BillKind, by_value=True, required=True)
    number = Text(64, required=True)
    bill_date = fields.Date(required=True)
    system = Text(100, required=True)
    reason = Text(1000, allow_none=True, metadata={
        "description": "Required to correct a bill already entered."})

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> bills.BillData:
        return bills.BillData(**data)


class PaymentInSchema(Schema):
    amount = Money(required=True)
    method = fields.Enum(PaymentMethod, by_value=True, required=True)
    payer = Text(200, required=True)
    note = Text(300, allow_none=True)
    bill = fields.Nested(BillInSchema, allow_none=True, metadata={
        "description": "The official bill, when it is issued with the payment."})

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> PaymentData:
        return PaymentData(**data)


class PaymentSchema(Schema):
    id = fields.Integer(required=True)
    amount = Money(required=True)
    method = fields.Enum(PaymentMethod, by_value=True, required=True)
    paid_at = fields.DateTime(required=True)
    receipt_number = fields.String(required=True)
    payer = fields.String(required=True)
    note = fields.String(allow_none=True, required=True)
    bill_kind = fields.Enum(BillKind, by_value=True, allow_none=True, required=True)
    bill_number = fields.String(allow_none=True, required=True, metadata={
        "description": "Null until the official bill is entered: the payment is flagged."})
    bill_date = fields.Date(allow_none=True, required=True)
    bill_system = fields.String(allow_none=True, required=True)


class ReductionInSchema(Schema):
    """A request to reduce (减收), waive (免收) or defer (缓收) the fee, decided by a director."""

    kind = fields.Enum(ReliefKind, by_value=True, required=True)
    ground = fields.Enum(ReductionGround, by_value=True, required=True)
    percent = Percent(allow_none=True, load_default=None)
    reason = Text(2000, required=True)
    evidence = fields.Nested(FileSchema, allow_none=True, metadata={
        "description": "The certificate or proof of the ground (PDF, JPEG or PNG)."})

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> ReductionData:
        return ReductionData(**data)


class DecisionInSchema(Schema):
    approve = fields.Boolean(required=True)
    note = Text(2000, allow_none=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> DecisionData:
        return DecisionData(**data)


class ReductionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(ReliefKind, by_value=True, required=True)
    ground = fields.Enum(ReductionGround, by_value=True, required=True)
    percent = Percent(allow_none=True, required=True)
    amount = Money(required=True)
    reason = fields.String(required=True)
    status = fields.Enum(DecisionStatus, by_value=True, required=True)
    requested_by_id = fields.Integer(required=True)
    decided_by_id = fields.Integer(allow_none=True, required=True)


class BalanceSchema(Schema):
    charged = Money(required=True)
    reduced = Money(required=True)
    paid = Money(required=True)
    refunded = Money(required=True)
    due = Money(required=True)


class FeesSchema(Schema):
    balance = fields.Nested(BalanceSchema, required=True)
    charges = fields.List(fields.Nested(ChargeSchema), required=True)
    payments = fields.List(fields.Nested(PaymentSchema), required=True)
    reductions = fields.List(fields.Nested(ReductionSchema), required=True)


@route("/cases/<int:case_id>/fees", "GET", summary="Read a case's fee account", tag=TAG,
       response=FeesSchema, permissions=[Permission.FEE_VIEW], errors=[404])
def get_fees(case_id: int) -> Response:
    """The balance (charged, reduced, paid, refunded, due) and every fee record of the case."""
    case = get_case(case_id)
    return respond(FeesSchema, {"balance": queries.case_balance(case.id),
                                "charges": queries.charges_of(case.id),
                                "payments": queries.payments_of(case.id),
                                "reductions": queries.reductions_of(case.id)})


@route("/cases/<int:case_id>/fee-items", "GET", summary="List the tariff items for a case",
       tag=TAG, response=FeeItemSchema, many=True, permissions=[Permission.FEE_VIEW],
       errors=[404, 409])
def list_fee_items(case_id: int) -> Response:
    """The active items of the fee schedule in force on the case's acceptance date."""
    schedule = services.schedule_for(get_case(case_id))
    items = [i for i in schedule.items if i.is_active]
    return respond(FeeItemSchema, items, many=True)


@route("/cases/<int:case_id>/charges", "POST", summary="Charge a tariff item", tag=TAG,
       body=ChargeInSchema, response=ChargeSchema, status=201,
       permissions=[Permission.FEE_RECORD], errors=[404, 409, 422], idempotent=True)
def add_charge(case_id: int, data: ChargeData) -> Response:
    """Charge an item, computed from the schedule in force on the acceptance date."""
    return respond(ChargeSchema, services.add_charge(get_case(case_id), data, actor=actor()),
                   201)


@route("/cases/<int:case_id>/charges/<int:charge_id>/adjustment", "POST",
       summary="Change or cancel a charge", tag=TAG, body=AdjustInSchema,
       response=ChargeSchema, permissions=[Permission.FEE_ADJUST], errors=[409, 422],
       idempotent=True)
def adjust_charge(case_id: int, charge_id: int, data: AdjustData) -> Response:
    """Change a computed charge by hand, or cancel it, giving the reason."""
    case = get_case(case_id)
    charge = services.get_charge(case, charge_id)
    return respond(ChargeSchema, services.adjust_charge(case, charge, data, actor=actor()))


@route("/cases/<int:case_id>/payments", "POST", summary="Record a payment", tag=TAG,
       body=PaymentInSchema, response=PaymentSchema, status=201,
       permissions=[Permission.FEE_RECORD], errors=[404, 409, 422], idempotent=True)
def add_payment(case_id: int, data: PaymentData) -> Response:
    """Record money received; it gets the next receipt number of the year."""
    return respond(PaymentSchema, services.record_payment(get_case(case_id), data,
                                                          actor=actor()), 201)


@route("/cases/<int:case_id>/reductions", "POST", summary="Request a fee reduction", tag=TAG,
       body=ReductionInSchema, response=ReductionSchema, status=201,
       permissions=[Permission.REDUCTION_REQUEST], errors=[404, 409, 422], idempotent=True)
def request_reduction(case_id: int, data: ReductionData) -> Response:
    """Ask a director to reduce, waive or defer the fee, with the evidence of the ground."""
    return respond(ReductionSchema, services.request_reduction(get_case(case_id), data,
                                                               actor=actor()), 201)


@route("/cases/<int:case_id>/reductions/<int:reduction_id>/decision", "POST",
       summary="Decide a fee reduction", tag=TAG, body=DecisionInSchema,
       response=ReductionSchema, permissions=[Permission.REDUCTION_APPROVE],
       errors=[404, 409, 422], idempotent=True)
def decide_reduction(case_id: int, reduction_id: int, data: DecisionData) -> Response:
    """Approve or reject a request; whoever asked for it can never decide it."""
    case = get_case(case_id)
    reduction = services.get_reduction(case, reduction_id)
    return respond(ReductionSchema, services.decide_reduction(case, reduction, data,
                                                              actor=actor()))


@route("/cases/<int:case_id>/payments/<int:payment_id>/bill", "PUT",
       summary="Enter a payment's official bill", tag=TAG, body=BillInSchema,
       response=PaymentSchema, permissions=[Permission.FEE_RECORD], errors=[404, 409, 422],
       idempotent=True)
def put_bill(case_id: int, payment_id: int, data: bills.BillData) -> Response:
    """Enter the 电子票据 or 发票 the finance system issued for the payment (a correction needs
    a reason)."""
    case = get_case(case_id)
    payment = services.get_payment(case, payment_id)
    return respond(PaymentSchema, bills.record_bill(case, payment, data, actor=actor()))


class NoChargeInSchema(Schema):
    """Why a case is issued with nothing charged: free by rule (cite it), legal aid recorded
    on the case, or the whole fee waived by the director."""

    ground = fields.Enum(NoChargeGround, by_value=True, required=True)
    basis = Text(2000, required=True)

    @post_load
    def to_data(self, data: dict[str, Any], **kwargs: Any) -> services.NoChargeData:
        return services.NoChargeData(**data)


class NoChargeSchema(Schema):
    id = fields.Integer(required=True)
    ground = fields.Enum(NoChargeGround, by_value=True, required=True)
    basis = fields.String(required=True)
    recorded_by_id = fields.Integer(required=True)
    recorded_at = fields.DateTime(required=True)


@route("/cases/<int:case_id>/no-charge", "POST", summary="Record why nothing is charged",
       tag=TAG, body=NoChargeInSchema, response=NoChargeSchema, status=201,
       permissions=[Permission.FEE_ADJUST], errors=[403, 404, 409, 422], idempotent=True)
def record_no_charge(case_id: int, data: services.NoChargeData) -> Response:
    """Say in the file why the case is issued free; the certificate is held without it."""
    return respond(NoChargeSchema, services.record_no_charge(get_case(case_id), data,
                                                             actor=actor()), 201)
