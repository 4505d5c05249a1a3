"""Read side of legal aid: a case's record, the reminders, and the quarterly filing rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from notary.auth.models import User
from notary.cases.models import Case
from notary.cases.queries import OFFICE_TZ, local_day_start
from notary.extensions import db
from notary.fees.models import MONEY, Charge, DecisionStatus, Payment, Reduction, Refund
from notary.legal_aid.models import LegalAidRecord
from notary.parties.models import Party


def record_of(case_id: int) -> LegalAidRecord | None:
    """The case's legal-aid record, if any."""
    return db.session.scalars(sa.select(LegalAidRecord)
                              .where(LegalAidRecord.case_id == case_id)).first()


def awaiting_confirmation(limit: int = 200) -> list[LegalAidRecord]:
    """Emergency legal aid the agency has not confirmed yet, oldest first (the reminders)."""
    return list(db.session.scalars(
        sa.select(LegalAidRecord).where(LegalAidRecord.route == "emergency",
                                        LegalAidRecord.confirmed_at.is_(None))
        .order_by(LegalAidRecord.created_at).limit(limit)))


def recent_records(limit: int = 100) -> list[LegalAidRecord]:
    """The latest legal-aid records, newest first."""
    return list(db.session.scalars(sa.select(LegalAidRecord)
                                   .order_by(LegalAidRecord.created_at.desc()).limit(limit)))


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


@dataclass(frozen=True)
class FilingRow:
    """One line of the 法律援助公证案件备案表."""

    acceptance_number: str
    accepted_on: date | None
    recipient: str
    eligibility: str
    route: str
    agency_name: str
    decision_number: str | None
    decision_date: date | None
    confirmed: bool
    matters: str
    notary: str | None
    charged: Decimal
    relieved: Decimal
    received: Decimal
    certificate_number: str | None


def _sum(column: Any, *where: Any) -> Any:
    return sa.select(sa.type_coerce(sa.func.coalesce(sa.func.sum(column), 0), MONEY)).where(
        *where).scalar_subquery()


def filing_rows(year: int, quarter: int) -> list[FilingRow]:
    """The legal-aid cases of a quarter (by acceptance date, else the record's), in one query."""
    from notary.cases.models import MatterType, case_matters
    from notary.legal_aid.models import AidRoute, Eligibility

    start, end = quarter_bounds(year, quarter)
    lo, hi = local_day_start(start), local_day_start(date.fromordinal(end.toordinal() + 1))
    when = sa.func.coalesce(Case.accepted_at, LegalAidRecord.created_at)
    notary = aliased(User)
    cid = LegalAidRecord.case_id
    matters = (sa.select(sa.func.aggregate_strings(MatterType.name, "、")).join(
        case_matters, case_matters.c.matter_type_id == MatterType.id)
        .where(case_matters.c.case_id == cid).scalar_subquery())
    stmt = (
        sa.select(LegalAidRecord, Case.acceptance_number, Case.id, Case.accepted_at,
                  Case.certificate_number, Party.name, notary.full_name, matters,
                  _sum(Charge.amount, Charge.case_id == cid, Charge.is_void.is_(False)),
                  _sum(Reduction.amount, Reduction.case_id == cid,
                       Reduction.status == DecisionStatus.APPROVED),
                  _sum(Payment.amount, Payment.case_id == cid),
                  _sum(Refund.amount, Refund.case_id == cid))
        .join(Case, Case.id == cid)
        .join(Party, Party.id == LegalAidRecord.recipient_id)
        .outerjoin(notary, notary.id == Case.handling_notary_id)
        # Driven from the legal-aid records (a few in a hundred cases), not from every case
        # accepted in the quarter: the date is a COALESCE no index answers.
        .where(Case.id.in_(sa.select(LegalAidRecord.case_id)), when >= lo, when < hi)
        .order_by(when, LegalAidRecord.id))
    rows = []
    for (record, number, case_id, accepted_at, certificate, recipient, notary_name, matter,
         charged, relieved, paid, refunded) in db.session.execute(stmt):
        rows.append(FilingRow(
            acceptance_number=number or f"#{case_id}",
            accepted_on=_local(accepted_at), recipient=recipient,
            eligibility=ELIGIBILITY_CN[Eligibility(record.eligibility).value],
            route=ROUTE_CN[AidRoute(record.route).value], agency_name=record.agency_name,
            decision_number=record.decision_number, decision_date=record.decision_date,
            confirmed=record.confirmed_at is not None, matters=matter or "",
            notary=notary_name, charged=Decimal(charged), relieved=Decimal(relieved),
            received=Decimal(paid) - Decimal(refunded), certificate_number=certificate))
    return rows


def _local(at: datetime | None) -> date | None:
    return at.astimezone(OFFICE_TZ).date() if at else None


# Words printed on the filing form (legal content, not UI strings).
ELIGIBILITY_CN = {
    "no_income": "法律援助法第42条第1项（无固定生活来源的未成年人、老年人、残疾人等）",
    "social_assistance": "法律援助法第42条第2项（社会救助、司法救助或者优抚对象）",
    "migrant_worker": "法律援助法第42条第3项（农民工请求支付劳动报酬或者工伤赔偿）",
    "special_group": "法律援助法第32条（不受经济困难条件限制）",
    "economic_hardship": "经济困难（按省定标准审查）",
}
ROUTE_CN = {"decision": "法律援助机构决定", "emergency": "先行办理"}
