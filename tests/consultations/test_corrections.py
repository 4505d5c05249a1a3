"""Mistaken entries of the front-desk log: corrected with a reason (old values in the audit
trail) or voided with a reason (kept, marked, and left out of every count)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from notary.consultations import queries
from notary.consultations.models import Channel, Consultation, Outcome
from notary.consultations.services import (
    ConsultationData,
    correct_consultation,
    log_consultation,
    void_consultation,
)
from notary.core.audit import AuditEntry
from notary.core.errors import DomainError, ValidationFailed
from notary.core.models import frozen_time, local_date
from notary.core.permissions import Role
from notary.extensions import db
from notary.statistics import queries as stats
from notary.statistics.rules import half_year
from tests.factories import create_staff

MORNING = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Leiyang


@pytest.fixture
def desk(app):
    return create_staff(Role.FRONT_DESK)


def walk_in(desk, persons: int, topic: str = "继承公证咨询") -> Consultation:
    with frozen_time(MORNING):
        return log_consultation(ConsultationData(channel=Channel.VISIT, persons=persons,
                                                 topic=topic), actor=desk)


def test_a_voided_walk_in_stays_in_the_log_and_leaves_every_figure(app, desk):
    kept, mistaken = walk_in(desk, 2), walk_in(desk, 3, "误录")
    day = local_date(MORNING)
    assert queries.day_counts(day)[Channel.VISIT] == (2, 5)
    with frozen_time(MORNING):
        void_consultation(mistaken, "重复登记：同一来访登记了两次", actor=desk)
    assert queries.day_counts(day)[Channel.VISIT] == (1, 2)
    figures = stats.consultations_by_channel(stats.consultation_days([half_year(2026, 1)])[0])
    assert figures[Channel.VISIT] == (1, 2)
    # Never deleted: still in the day's log and the searchable one, marked.
    assert {c.id for c in queries.day_log(day)} == {kept.id, mistaken.id}
    searched = db.session.scalars(queries.log_statement(queries.LogFilters(include_void=True)))
    assert mistaken in list(searched)
    assert mistaken not in list(db.session.scalars(queries.log_statement(queries.LogFilters())))
    assert mistaken.voided_by_id == desk.id and mistaken.void_reason.startswith("重复登记")
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "consultation.void")).one()
    assert entry.target_id == mistaken.id and entry.reason == "重复登记：同一来访登记了两次"


def test_voiding_needs_a_reason_and_happens_once(app, desk):
    entry = walk_in(desk, 1)
    with pytest.raises(ValidationFailed) as raised:
        void_consultation(entry, "  ", actor=desk)
    assert "reason" in raised.value.errors and entry.voided_at is None
    void_consultation(entry, "误录", actor=desk)
    with pytest.raises(DomainError):
        void_consultation(entry, "误录", actor=desk)
    with pytest.raises(DomainError):
        correct_consultation(entry, ConsultationData(channel=Channel.PHONE, persons=1,
                                                     topic="x"), "改", actor=desk)


def test_a_correction_changes_the_figures_and_keeps_the_old_values(app, desk):
    entry = walk_in(desk, 3)
    data = ConsultationData(channel=Channel.PHONE, persons=1, topic="继承公证咨询",
                            outcome=Outcome.REFERRED, taken_by_id=desk.id)
    with pytest.raises(ValidationFailed) as raised:
        correct_consultation(entry, data, "", actor=desk)
    assert "reason" in raised.value.errors
    db.session.refresh(entry)
    assert entry.persons == 3
    correct_consultation(entry, data, "来电误记为来访", actor=desk)
    day = local_date(MORNING)
    assert queries.day_counts(day)[Channel.VISIT] == (0, 0)
    assert queries.day_counts(day)[Channel.PHONE] == (1, 1)
    assert entry.received_at == MORNING and entry.corrected_at is not None
    audit = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "consultation.correct")).one()
    assert audit.reason == "来电误记为来访"
    assert audit.before == {"channel": "visit", "persons": 3, "outcome": "answered"}
    assert audit.after == {"channel": "phone", "persons": 1, "outcome": "referred"}


def test_the_desk_corrects_and_voids_through_its_pages(app, login_as):
    client = login_as(Role.FRONT_DESK)
    client.post("/desk/", data={"topic": "遗嘱", "channel": "visit", "persons": "4"})
    entry = db.session.scalars(sa.select(Consultation)).one()
    form = client.get(f"/desk/{entry.id}/correct").get_data(as_text=True)
    assert 'value="遗嘱"' in form and 'name="reason"' in form
    refused = client.post(f"/desk/{entry.id}/void", data={"reason": ""})
    assert refused.status_code == 200 and 'data-field-error="reason"' in refused.get_data(
        as_text=True)
    assert client.post(f"/desk/{entry.id}/void", data={"reason": "误录"}).status_code == 302
    html = client.get("/desk/").get_data(as_text=True)
    assert "consultation-void" in html and "误录" in html
    assert 'data-channel="visit">0<' in html
