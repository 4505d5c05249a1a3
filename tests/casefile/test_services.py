"""The case file's must-shows: no approval without the recorded 告知; a will of an 80-year-old
is not approved without the interview's recording; the will's file opens to ordinary access
only after the testator's death is recorded; the second volume stays internal."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from notary.casefile import services
from notary.casefile.models import FileNoteKind, NoticeMethod
from notary.casefile.pdf import pdf_pages
from notary.casefile.volumes import volumes_of
from notary.cases.rules import Action, CaseStatus
from notary.cases.services import open_case
from notary.cases.workflow import StepData, perform
from notary.core.audit import AuditEntry
from notary.core.errors import NotPermitted, ValidationFailed
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import advance
from tests.factories import create_staff, person, register_case

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture
def staff(app: Any) -> dict[str, Any]:
    return {"desk": create_staff(Role.FRONT_DESK), "notary": create_staff(Role.NOTARY),
            "director": create_staff(Role.DIRECTOR), "other": create_staff(Role.NOTARY)}


def awaiting_approval(staff: dict[str, Any], **kwargs: Any) -> Any:
    case = register_case(staff["desk"], **kwargs)
    for action, data in ((Action.ACCEPT, StepData(conditions_confirmed=True,
                                                  notary_id=staff["notary"].id)),
                         (Action.START_REVIEW, StepData()),
                         (Action.SUBMIT_FOR_APPROVAL, StepData())):
        perform(case, action, data, actor=staff["notary"])
    return case


def tell(case: Any, participant: Any, actor: Any, signed: bool = True) -> Any:
    return services.record_notice(case, services.NoticeData(
        participant.id, office_today(), NoticeMethod.WRITTEN, services.notice_text(case),
        signed), actor=actor)


def test_a_case_without_the_recorded_notice_cannot_be_approved(staff: dict[str, Any]) -> None:
    case = awaiting_approval(staff, applicants=(person("张三"), person("李四")))
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, Action.APPROVE, StepData(), actor=staff["director"])
    assert "张三、李四" in excinfo.value.errors[""][0]
    first, second = case.applicants
    # The party signs the 告知书: a notice without the signature is not recorded.
    with pytest.raises(ValidationFailed) as excinfo:
        tell(case, first, staff["notary"], signed=False)
    assert "party_signed" in excinfo.value.errors
    notice = tell(case, first, staff["notary"])
    assert (notice.told_by_id, notice.method, notice.told_on) == (
        staff["notary"].id, NoticeMethod.WRITTEN, office_today())
    assert "公证法第三十六条" in notice.content
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, Action.APPROVE, StepData(), actor=staff["director"])
    assert "李四" in excinfo.value.errors[""][0] and "张三" not in excinfo.value.errors[""][0]
    with pytest.raises(ValidationFailed):  # one record per party
        tell(case, first, staff["notary"])
    tell(case, second, staff["notary"])
    perform(case, Action.APPROVE, StepData(), actor=staff["director"])
    assert case.status is CaseStatus.APPROVED


def test_the_notice_to_the_agent_covers_the_applicant(staff: dict[str, Any]) -> None:
    case = awaiting_approval(staff, applicants=(person("王五"),), agents=(person("赵六"),),
                             matters=("property_division",))
    agent = case.agents[0]
    assert services.missing_notices(case) == ["王五"]
    tell(case, agent, staff["notary"])
    assert services.missing_notices(case) == []


def test_a_will_of_an_80_year_old_is_not_approved_without_its_recording(
        staff: dict[str, Any]) -> None:
    today = office_today()
    birth = date(today.year - 80, 1, 1)
    case = awaiting_approval(staff, matters=("will",),
                             applicants=(person("刘奶奶", birth_date=birth),))
    tell(case, case.applicants[0], staff["notary"])
    assert services.recording_needed(case, today)
    with pytest.raises(ValidationFailed) as excinfo:
        perform(case, Action.APPROVE, StepData(), actor=staff["director"])
    assert "遗嘱公证细则" in excinfo.value.errors[""][0]
    with pytest.raises(ValidationFailed):  # only audio or video
        services.attach_recording(case, io.BytesIO(b"%PDF-1.4 not a video"), "x.pdf",
                                  actor=staff["notary"])
    record = services.attach_recording(case, io.BytesIO(MP4), "谈话录像.mp4",
                                       actor=staff["notary"])
    assert record.recording_content_type == "video/mp4" and len(record.recording_sha256) == 64
    perform(case, Action.APPROVE, StepData(), actor=staff["director"])
    assert case.status is CaseStatus.APPROVED


def test_a_younger_testator_needs_the_recording_only_when_flagged_sick(
        app: Any, staff: dict[str, Any]) -> None:
    case = awaiting_approval(staff, matters=("will",),
                             applicants=(person("陈先生", birth_date=date(1970, 6, 1)),))
    assert not services.recording_needed(case, office_today())
    services.set_testator_condition(case, True, "住院，危重", actor=staff["notary"])
    assert services.recording_needed(case, office_today())
    app.config["WILL_RECORDING_AGE"] = None  # the office setting
    assert services.recording_needed(case, office_today())


def test_the_wills_file_opens_to_ordinary_access_only_after_the_death_is_recorded(
        staff: dict[str, Any]) -> None:
    case = register_case(staff["desk"], matters=("will",))
    advance(case, CaseStatus.ISSUED, notary=staff["notary"], director=staff["director"])
    assert services.is_confidential(case)
    open_case(case.id, staff["notary"])  # its notary and the director may open it
    open_case(case.id, staff["director"])
    for outsider in (staff["other"], staff["desk"]):
        with pytest.raises(NotPermitted):
            open_case(case.id, outsider)
    opened = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action.like("casefile.open%")).order_by(AuditEntry.id)).all()
    # The director's opening and the refusals are audited (its own notary works on it daily).
    assert opened == ["casefile.open", "casefile.open_refused", "casefile.open_refused"]
    with pytest.raises(NotPermitted):  # an outsider does not record the death either
        services.record_death(case, date(2026, 1, 5), "死亡证明", actor=staff["other"])
    with pytest.raises(ValidationFailed):
        services.record_death(case, date(2026, 1, 5), "", actor=staff["director"])
    services.record_death(case, date(2026, 1, 5), "居民死亡医学证明（推断）书 No.123",
                          actor=staff["director"])
    assert not services.is_confidential(case)
    assert open_case(case.id, staff["other"]) is case
    assert open_case(case.id, staff["desk"]) is case


def test_the_second_volume_is_its_own_volume_and_stays_internal(staff: dict[str, Any]) -> None:
    case = register_case(staff["desk"], matters=("declaration",))
    advance(case, CaseStatus.UNDER_REVIEW, notary=staff["notary"], director=staff["director"])
    tell(case, case.applicants[0], staff["notary"])
    perform(case, Action.SUBMIT_FOR_APPROVAL, StepData(), actor=staff["notary"])
    perform(case, Action.RETURN_FOR_REVIEW, StepData(reason="证词表述需修改"),
            actor=staff["director"])
    services.add_file_note(case, FileNoteKind.DISCUSSION, "集体讨论意见", "同意办理。" * 400,
                           actor=staff["notary"])
    with pytest.raises(NotPermitted):
        services.add_file_note(case, FileNoteKind.DISCUSSION, "x", "y", actor=staff["desk"])
    assert not services.may_see_second_volume(staff["desk"], case)
    assert not services.may_see_second_volume(staff["other"], case)
    main, second = volumes_of(case)
    assert (main.name, second.name) == ("正卷", "副卷")
    assert [r.title for r in second.rows] == ["审批意见（退回审查）", "集体讨论意见"]
    assert second.rows[1].pages >= 2  # a long opinion runs over pages
    assert "审批意见（退回审查）" not in [r.title for r in main.rows]
    assert main.rows[0].title == "公证申请表" and "告知书" in main.rows[1].title
    assert main.pages == sum(r.pages for r in main.rows) and main.rows[1].pages == 1


def test_pdf_pages_counts_a_generated_document() -> None:
    from notary.casefile.pdf import NoticeSheet, build_notice_pdf

    data = build_notice_pdf(NoticeSheet("湖南省耒阳市公证处", "（2026）耒证受字第00001号", "张三",
                                        "申请人", "声明", "一、告知内容。", "", "", ""))
    assert data.startswith(b"%PDF") and pdf_pages(data) == 1
