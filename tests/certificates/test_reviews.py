"""复查 as the rules stand: a notary other than the issuing one reviews, the head approves
within 30 days (pauses for materials or verification at most six months), the decision is
carried out within 10 days, and a revocation is announced (公证法 art. 39)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from notary.certificates import followup, review_rules, reviewing, services, verification
from notary.certificates.models import CertificateStatus, ReviewOutcome, ReviewPauseKind
from notary.core.errors import DomainError, NotPermitted, ValidationFailed
from notary.core.models import frozen_time
from notary.core.permissions import Role
from tests.certificates.conftest import inheritance_case
from tests.factories import create_staff

IP = "198.51.100.7"


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)  # 12:00 in Leiyang


def test_the_clock_counts_thirty_days_plus_pauses_capped_at_six_months() -> None:
    applied = date(2026, 1, 10)
    assert review_rules.decision_due(applied, 0, 30) == date(2026, 2, 9)
    spans = [("materials", date(2026, 1, 12), date(2026, 1, 22)),
             ("force_majeure", date(2026, 1, 25), date(2026, 1, 27))]
    skipped = review_rules.not_counted_days(spans, applied_on=applied, today=applied,
                                            cap_months=6)
    assert skipped == 12
    long = [("verification", date(2026, 1, 11), date(2026, 12, 1))]
    # Six months of verification at most: 10 Jan to 10 Jul is 181 days.
    assert review_rules.not_counted_days(long, applied_on=applied, today=applied,
                                         cap_months=6) == 181
    assert review_rules.capped_days_left(long, applied_on=applied, today=applied,
                                         cap_months=6) == 0
    assert review_rules.execution_due(date(2026, 2, 1), 10) == date(2026, 2, 11)


def test_a_second_notary_reviews_the_head_decides_in_time_and_the_revocation_is_announced(
        app: Any, desk: Any, notary: Any, director: Any) -> None:
    case = inheritance_case(desk, notary, director)
    cert = services.certificates_of(case.id)[0]
    issued = cert.issued_on
    assert issued is not None
    reviewer = create_staff(Role.NOTARY, full_name="周复查")
    # The notary who issued the certificate cannot review it, on the form or later.
    with pytest.raises(ValidationFailed) as excinfo:
        followup.record_review(cert, followup.ReviewData(
            "李明", False, issued, issued, "遗产范围有误，请求撤销", notary.id), actor=director)
    assert "reviewer_id" in excinfo.value.errors
    review = followup.record_review(cert, followup.ReviewData(
        "李明", False, issued, issued, "遗产范围有误，请求撤销", reviewer.id), actor=director)
    assert review.decision_due_on == issued + timedelta(days=30)
    with pytest.raises(ValidationFailed):
        reviewing.assign_reviewer(review, notary.id, actor=director)
    # The head cannot decide before the reviewer has concluded; the issuer cannot conclude.
    with pytest.raises(DomainError):
        followup.decide_review(review, ReviewOutcome.REVOKE, "x", "", actor=director)
    with pytest.raises(NotPermitted):
        reviewing.propose_conclusion(review, ReviewOutcome.REVOKE, "x", "", actor=notary)
    # Ten days waiting for the applicant's materials move the deadline by ten days.
    with frozen_time(noon(issued + timedelta(days=2))):
        reviewing.pause_review(review, ReviewPauseKind.MATERIALS, issued + timedelta(days=2),
                               "请申请人补充遗产清单", actor=reviewer)
        assert reviewing.reviews_due(issued + timedelta(days=30)) == []  # paused: not listed
    with frozen_time(noon(issued + timedelta(days=12))):
        reviewing.resume_review(review, issued + timedelta(days=12), actor=reviewer)
    assert review.decision_due_on == issued + timedelta(days=40)
    # Near its deadline the review shows in the queue, for the office and for its reviewer.
    near = issued + timedelta(days=35)
    assert reviewing.reviews_due(issued + timedelta(days=20)) == []
    assert reviewing.reviews_due(near) == [review]
    assert reviewing.reviews_due(near, reviewer.id) == [review]
    assert reviewing.reviews_due(near, notary.id) == []
    with frozen_time(noon(near)):
        reviewing.propose_conclusion(review, ReviewOutcome.REVOKE, "基本事实不真实", "",
                                     actor=reviewer)
        followup.decide_review(review, ReviewOutcome.REVOKE, "基本事实不真实", "",
                               actor=director)
    assert review.decided_by_id == director.id and review.reviewer_id == reviewer.id
    assert review.decided_at is not None and review.decided_at.date() <= review.decision_due_on
    assert cert.status is CertificateStatus.REVOKED
    assert review.execution_due_on == near + timedelta(days=10)
    assert reviewing.reviews_due(near + timedelta(days=4)) == [review]  # to carry out
    # A revocation is carried out only with its public announcement.
    with frozen_time(noon(near + timedelta(days=3))):
        with pytest.raises(ValidationFailed) as excinfo:
            reviewing.carry_out(review, reviewing.CarryOutData(near + timedelta(days=3)),
                                actor=director)
        assert {"announced_on", "channel"} <= set(excinfo.value.errors)
        reviewing.carry_out(review, reviewing.CarryOutData(
            near + timedelta(days=3), near + timedelta(days=2), "本处公告栏", "公告〔2026〕1号"),
            actor=director)
    assert reviewing.reviews_due(near) == []
    found = verification.verify(cert.number, cert.verification_code, IP)
    assert found.outcome == "revoked"
    assert (found.announced_on, found.announced_in) == (near + timedelta(days=2), "本处公告栏")


def test_pauses_for_materials_stop_after_six_months(app: Any, desk: Any, notary: Any,
                                                    director: Any) -> None:
    case = inheritance_case(desk, notary, director)
    cert = services.certificates_of(case.id)[0]
    assert cert.issued_on is not None
    reviewer = create_staff(Role.NOTARY)
    review = followup.record_review(cert, followup.ReviewData(
        "王秀英", True, cert.issued_on, cert.issued_on, "更正", reviewer.id), actor=director)
    start = cert.issued_on
    with frozen_time(noon(start)):
        reviewing.pause_review(review, ReviewPauseKind.VERIFICATION, start, "函询", actor=reviewer)
    later = start + timedelta(days=200)
    with frozen_time(noon(later)):
        reviewing.resume_review(review, later, actor=reviewer)
        assert review.decision_due_on == review_rules.add_months(start, 6) + timedelta(days=30)
        with pytest.raises(ValidationFailed) as excinfo:
            reviewing.pause_review(review, ReviewPauseKind.MATERIALS, later, "再补材料",
                                   actor=reviewer)
        assert "kind" in excinfo.value.errors
