"""Statistics over JSON: the same object as `flask stats report --format json`."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from notary.api.core import route
from notary.api.schemas import Day
from notary.core.permissions import Permission
from notary.statistics import queries
from notary.statistics.rules import make_period

TAG = "Statistics"


class PeriodQuerySchema(Schema):
    """One of: year and half, year and quarter, year and month, year alone, or from and to."""

    year = fields.Integer(validate=validate.Range(2000, 2100))
    half = fields.Integer(validate=validate.Range(1, 2))
    quarter = fields.Integer(validate=validate.Range(1, 4))
    month = fields.Integer(validate=validate.Range(1, 12))
    start = Day(data_key="from", metadata={"description": "First day (office date)."})
    end = Day(data_key="to", metadata={"description": "Last day, included."})

    @validates_schema
    def one_period(self, data: dict[str, Any], **kwargs: Any) -> None:
        try:
            period_of(data)
        except ValueError as exc:
            raise ValidationError(str(exc), "year") from exc


def period_of(args: dict[str, Any]) -> Any:
    """The period the query names (the command line's rules)."""
    start, end = args.get("start"), args.get("end")
    if start and end and (end < start or (end - start).days > 3660):
        raise ValueError("give a range of at most ten years, from before to")
    if start is not None and start < date(2000, 1, 1):
        raise ValueError("the statistics start in 2000")
    return make_period(year=args.get("year"), half=args.get("half"), month_=args.get("month"),
                       quarter_=args.get("quarter"), start=start, end=end)


REPORT_SCHEMA = {"type": "object", "additionalProperties": True,
                 "description": "The justice bureau's contract: the same object as "
                                "`flask stats report --format json`."}


@route("/statistics/report", "GET", summary="Read a period's statistics", tag=TAG,
       query=PeriodQuerySchema, response=REPORT_SCHEMA,
       permissions=[Permission.STATS_VIEW], errors=[422])
def statistics_report(args: dict[str, Any]) -> Response:
    """A period's figures with the previous period's and the year-before's beside them."""
    return jsonify(queries.report(period_of(args)))
