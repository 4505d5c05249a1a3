"""The official bill of each payment: the 电子票据 or 发票 the finance system issues.

The office's own receipt (收费凭证) is internal; the party's proof of payment is the bill the
finance system issues (its number, date and system). It often comes later than the money, so a
payment is recorded without it and stays flagged (the register's queue, a badge on the case)
until someone enters it here. A bill number is never on two payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from notary.cases.models import Case
from notary.cases.services import ensure_may_act_on_case
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import office_today, utcnow
from notary.core.permissions import Permission, ensure_permitted
from notary.extensions import db
from notary.fees.models import BillKind, Payment

BILL_FIELDS = ("bill_kind", "bill_number", "bill_date", "bill_system")


@dataclass(frozen=True)
class BillData:
    kind: BillKind | None
    number: str | None
    bill_date: date | None
    system: str | None
    reason: str | None = None  # required to correct a bill already entered

    @property
    def is_empty(self) -> bool:
        """No number and no date: the bill is not issued yet (the kind and the system may be
        the form's defaults)."""
        return not ((self.number or "").strip() or self.bill_date)


def check_bill(data: BillData, payment: Payment | None, errors: ErrorCollector) -> None:
    """Collect what is wrong with an official bill (all four parts are needed)."""
    number = (data.number or "").strip()
    if data.kind is None:
        errors.add("bill_kind", _("Choose the kind of bill."))
    if not number:
        errors.add("bill_number", _("Enter the bill number."))
    elif len(number) > 64:
        errors.add("bill_number", _("At most 64 characters."))
    else:
        clash = db.session.scalar(sa.select(Payment.id).where(Payment.bill_number == number))
        if clash is not None and (payment is None or clash != payment.id):
            errors.add("bill_number", _("This bill number is already entered on another "
                                        "payment."))
    if data.bill_date is None:
        errors.add("bill_date", _("Enter the date on the bill."))
    elif data.bill_date > office_today():
        errors.add("bill_date", _("The bill's date cannot be in the future."))
    if not (data.system or "").strip():
        errors.add("bill_system", _("Name the system that issued the bill."))


def apply_bill(payment: Payment, data: BillData, *, actor: Any) -> None:
    """Write a checked bill onto the payment (the caller audits and commits)."""
    payment.bill_kind = data.kind
    payment.bill_number = (data.number or "").strip()
    payment.bill_date = data.bill_date
    payment.bill_system = (data.system or "").strip()[:100]
    payment.bill_recorded_at, payment.bill_recorded_by_id = utcnow(), actor.id


def record_bill(case: Case, payment: Payment, data: BillData, *, actor: Any) -> Payment:
    """Enter the official bill of a payment; correcting one already entered needs a reason."""
    ensure_permitted(actor, Permission.FEE_RECORD)
    ensure_may_act_on_case(actor, case)
    if payment.case_id != case.id:
        raise NotFound(_("No such payment."))
    errors = ErrorCollector()
    reason = (data.reason or "").strip() or None
    if payment.has_bill and not reason:
        errors.add("reason", _("A bill is already entered: give the reason for correcting it."))
    check_bill(data, payment, errors)
    errors.raise_if_any()
    before = audit.snapshot(payment, BILL_FIELDS)
    if payment.has_bill and (payment.bill_kind, payment.bill_number, payment.bill_date,
                             payment.bill_system) == (data.kind, (data.number or "").strip(),
                                                      data.bill_date, (data.system or "").strip()):
        raise DomainError(_("This bill is already entered on the payment."))
    apply_bill(payment, data, actor=actor)
    before, after = audit.changed_only(before, audit.snapshot(payment, BILL_FIELDS))
    after["receipt_number"] = payment.receipt_number
    audit.record(db.session, actor, "fee.bill_record", case, before=before, after=after,
                 reason=reason)
    db.session.commit()
    return payment
