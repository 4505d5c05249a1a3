"""The demo office: staff in every role and a few hundred cases around 耒阳市 (idempotent)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from notary.auth.models import User
from notary.auth.services import UserData, create_user
from notary.cases import services as case_services
from notary.cases import workflow
from notary.cases.models import Case, Category, MatterType, ParticipantRole, Urgency
from notary.cases.rules import (
    OPEN_STATUSES,
    Action,
    CaseStatus,
    NotAcceptedGround,
    RefusalGround,
    TerminationGround,
)
from notary.core.models import frozen_time
from notary.core.permissions import Role
from notary.deadlines.services import approve_expedite
from notary.extensions import db
from notary.inheritance import demo as demo_extra
from notary.parties.models import PartyKind
from notary.parties.rules import DocumentType, Sex, resident_id_check_char, uscc_check_char
from notary.parties.services import PartyData

DEMO_PASSWORD = "Leiyang-demo-2026"

STAFF: tuple[tuple[str, str, Role], ...] = (
    ("admin", "系统管理员", Role.ADMIN),
    ("director", "王建国", Role.DIRECTOR),
    ("notary", "谢文慧", Role.NOTARY),
    ("notary2", "胡正启", Role.NOTARY),
    ("notary3", "资春梅", Role.NOTARY),
    ("assistant", "李萍萍", Role.ASSISTANT),
    ("assistant2", "曾念华", Role.ASSISTANT),
    ("desk", "刘晓燕", Role.FRONT_DESK),
    ("desk2", "段丽君", Role.FRONT_DESK),
)

SURNAMES = "李王张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗谢段曾廖邓资伍肖贺谭蒋"
GIVEN = ("建华 国强 秀英 桂英 志明 海燕 春生 冬梅 小红 文斌 德胜 美玲 立新 红梅 伟 芳 军 静 "
         "茂池 金凤 水生 满秀 运来 长青 玉兰 永清 丽华 卫东 家豪 子涵 雨轩 思远").split()
TOWNS = ("蔡子池街道", "水东江街道", "灶市街街道", "五里牌街道", "三架街道", "永济镇", "哲桥镇",
         "大市镇", "导子镇", "小水镇", "公平圩镇", "新市镇", "南京镇", "夏塘镇", "龙塘镇", "亮源乡")
VILLAGES = ("龙水村", "石湾村", "塘下村", "新塘村", "竹山村", "金星村", "联合村", "长坪村")
ABROAD = ("美国", "加拿大", "澳大利亚", "日本", "韩国", "英国", "德国", "新加坡", "新西兰", "法国")
PURPOSES = ("办理房产过户", "银行取款", "留学", "移民", "探亲", "工作签证", "继承遗产", "诉讼使用")
ORGS = ("耒阳市恒达建材有限公司", "耒阳市湘南农业发展有限公司", "耒阳市蔡伦纸业有限公司")

# How many of every 20 demo cases end in each status: every stage and every closing.
STATUS_MIX: tuple[tuple[CaseStatus, int], ...] = (
    (CaseStatus.APPLIED, 2), (CaseStatus.ACCEPTED, 1), (CaseStatus.UNDER_REVIEW, 2),
    (CaseStatus.SUPPLEMENTING, 1), (CaseStatus.VERIFYING, 1), (CaseStatus.AWAITING_APPROVAL, 2),
    (CaseStatus.APPROVED, 1), (CaseStatus.ISSUED, 2), (CaseStatus.DELIVERED, 3),
    (CaseStatus.ARCHIVED, 2), (CaseStatus.REFUSED, 1), (CaseStatus.TERMINATED, 1),
    (CaseStatus.WITHDRAWN, 1), (CaseStatus.NOT_ACCEPTED, 1),
)
CATEGORY_MIX: tuple[tuple[Category, int], ...] = (
    (Category.DOMESTIC_CIVIL, 10), (Category.DOMESTIC_ECONOMIC, 2), (Category.FOREIGN_CIVIL, 4),
    (Category.FOREIGN_ECONOMIC, 1), (Category.HONG_KONG, 1), (Category.MACAO, 1),
    (Category.TAIWAN, 1),
)
# The path through the procedure to each status.
PATH: dict[CaseStatus, tuple[Action, ...]] = {
    CaseStatus.APPLIED: (),
    CaseStatus.ACCEPTED: (Action.ACCEPT,),
    CaseStatus.UNDER_REVIEW: (Action.ACCEPT, Action.START_REVIEW),
    CaseStatus.SUPPLEMENTING: (Action.ACCEPT, Action.START_REVIEW, Action.REQUEST_SUPPLEMENT),
    CaseStatus.VERIFYING: (Action.ACCEPT, Action.START_REVIEW, Action.START_VERIFICATION),
    CaseStatus.AWAITING_APPROVAL: (Action.ACCEPT, Action.START_REVIEW,
                                   Action.SUBMIT_FOR_APPROVAL),
    CaseStatus.APPROVED: (Action.ACCEPT, Action.START_REVIEW, Action.SUBMIT_FOR_APPROVAL,
                          Action.APPROVE),
    CaseStatus.ISSUED: (Action.ACCEPT, Action.START_REVIEW, Action.SUBMIT_FOR_APPROVAL,
                        Action.APPROVE, Action.ISSUE),
    CaseStatus.DELIVERED: (Action.ACCEPT, Action.START_REVIEW, Action.SUBMIT_FOR_APPROVAL,
                           Action.APPROVE, Action.ISSUE, Action.DELIVER),
    CaseStatus.ARCHIVED: (Action.ACCEPT, Action.START_REVIEW, Action.SUBMIT_FOR_APPROVAL,
                          Action.APPROVE, Action.ISSUE, Action.DELIVER, Action.ARCHIVE),
    CaseStatus.REFUSED: (Action.ACCEPT, Action.START_REVIEW, Action.REFUSE),
    CaseStatus.TERMINATED: (Action.ACCEPT, Action.START_REVIEW, Action.REQUEST_SUPPLEMENT,
                            Action.TERMINATE),
    CaseStatus.WITHDRAWN: (Action.ACCEPT, Action.WITHDRAW),
    CaseStatus.NOT_ACCEPTED: (Action.REJECT,),
}
FOREIGN_MATTERS = ("birth", "no_criminal_record", "education", "unmarried", "kinship",
                   "power_of_attorney", "declaration", "copy_conformity", "driving_licence")
DOMESTIC_MATTERS = ("inheritance", "inheritance", "inheritance", "power_of_attorney",
                    "declaration", "gift", "will", "contract", "property_division", "kinship")
ECONOMIC_MATTERS = ("contract", "evidence_preservation", "company_articles", "signature_seal")


@dataclass
class DemoResult:
    created_cases: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def _pick(rng: random.Random, mix: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([m for m, _w in mix], weights=[w for _m, w in mix])[0]


def _resident_id(rng: random.Random, birth: date, sex: Sex) -> str:
    seq = rng.randrange(0, 50) * 2 + (1 if sex is Sex.MALE else 0)
    first17 = f"430481{birth:%Y%m%d}{rng.randrange(0, 10)}{seq:02d}"[:17]
    return first17 + resident_id_check_char(first17)


def _person(rng: random.Random, *, born_before: int = 2000) -> PartyData:
    sex = rng.choice([Sex.MALE, Sex.FEMALE])
    birth = date(rng.randrange(1935, born_before), rng.randrange(1, 13), rng.randrange(1, 29))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    address = f"湖南省耒阳市{rng.choice(TOWNS)}{rng.choice(VILLAGES)}{rng.randrange(1, 30)}组"
    return PartyData(kind=PartyKind.PERSON, name=name, document_type=DocumentType.RESIDENT_ID,
                     document_number=_resident_id(rng, birth, sex), sex=sex, birth_date=birth,
                     phone=f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                     address=address,
                     # The birth record a 出生 certificate states (no draw: the data stay
                     # as they were).
                     birth_province="湖南省", birth_county="耒阳市", father_name=f"{name[0]}志强",
                     mother_name="李秀英")


def _organisation(rng: random.Random, name: str) -> PartyData:
    first17 = "914304817" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                                    for _ in range(8))
    return PartyData(kind=PartyKind.ORGANISATION, name=name, document_type=DocumentType.USCC,
                     document_number=first17 + uscc_check_char(first17),
                     legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN),
                     address=f"湖南省耒阳市{rng.choice(TOWNS)}")


def ensure_staff() -> dict[str, User]:
    """Create the demo staff that do not exist yet; return all of them by user name."""
    users = {u.username: u for u in db.session.scalars(
        sa.select(User).where(User.username.in_([s[0] for s in STAFF])))}
    for username, full_name, role in STAFF:
        if username not in users:
            users[username] = create_user(UserData(username=username, full_name=full_name,
                                                   role=role, password=DEMO_PASSWORD), actor=None)
    return users


def load_demo(*, cases: int = 200, seed: int = 2026, today: date | None = None) -> DemoResult:
    """Load staff and, the first time only, `cases` demo cases spread over recent months."""
    users = ensure_staff()
    first_of_role: dict[Role, str] = {}
    for username, _name, role in STAFF:
        first_of_role.setdefault(role, username)
    result = DemoResult(logins=[(u, r.label) for r, u in first_of_role.items()])
    desk_ids = [users["desk"].id, users["desk2"].id]
    if db.session.scalar(sa.select(sa.func.count(Case.id)).where(
            Case.intake_by_id.in_(desk_ids))):
        return result
    rng = random.Random(seed)
    matters = {m.code: m for m in db.session.scalars(sa.select(MatterType))}
    today = today or datetime.now(UTC).date()
    notaries = [users["notary"], users["notary2"], users["notary3"]]
    assistants = [users["assistant"], users["assistant2"]]
    # Sorted oldest first so acceptance numbers follow the calendar.
    plan = []
    for _ in range(cases):
        status = _pick(rng, STATUS_MIX)
        # Open cases are days old; issued and delivered ones weeks (their files are not yet
        # archived); archived and closed ones spread over the half-year.
        span = 12 if status in OPEN_STATUSES else (
            75 if status in {CaseStatus.ISSUED, CaseStatus.DELIVERED} else 170)
        plan.append((rng.randrange(0, span), status))
    plan.sort(key=lambda item: -item[0])
    for i, (days_ago, status) in enumerate(plan):
        category = _pick(rng, CATEGORY_MIX)
        start = _office_hours(rng, datetime(today.year, today.month, today.day, 1, 0,
                                            tzinfo=UTC) - timedelta(days=days_ago))
        _one_case(rng, i, status, category, start, matters, users, notaries, assistants)
        result.created_cases += 1
    from notary.fees.demo import load_fee_demo  # fees builds on cases: imported late

    load_fee_demo(users, seed)
    return result


def _office_hours(rng: random.Random, at: datetime) -> datetime:
    """Move a UTC time into office hours (08:30-17:00 Asia/Shanghai = 00:30-09:00 UTC)."""
    if at.hour >= 9:
        at = (at + timedelta(days=1)).replace(hour=0)
    if at.hour < 1:
        at = at.replace(hour=1)
    return at.replace(minute=rng.randrange(0, 60))


def _one_case(rng: random.Random, i: int, status: CaseStatus, category: Category,
              start: datetime, matters: dict[str, MatterType], users: dict[str, User],
              notaries: list[User], assistants: list[User]) -> None:
    if category in {Category.DOMESTIC_CIVIL}:
        codes = [rng.choice(DOMESTIC_MATTERS)]
    elif category is Category.DOMESTIC_ECONOMIC or category is Category.FOREIGN_ECONOMIC:
        codes = [rng.choice(ECONOMIC_MATTERS)]
    else:
        codes = sorted({rng.choice(FOREIGN_MATTERS) for _ in range(rng.randrange(1, 3))})
    chosen = [matters[c] for c in codes]
    in_person = any(m.in_person_only for m in chosen)
    place = {Category.HONG_KONG: "香港", Category.MACAO: "澳门", Category.TAIWAN: "台湾"}.get(
        category, rng.choice(ABROAD) if category in {Category.FOREIGN_CIVIL,
                                                    Category.FOREIGN_ECONOMIC} else None)
    participants = []
    if category in {Category.DOMESTIC_ECONOMIC, Category.FOREIGN_ECONOMIC}:
        participants.append(case_services.ParticipantData(
            ParticipantRole.APPLICANT, party=_organisation(rng, rng.choice(ORGS))))
    else:
        applicants = 2 if codes[0] == "inheritance" else 1
        for _ in range(applicants):
            participants.append(case_services.ParticipantData(
                ParticipantRole.APPLICANT, party=_person(rng)))
        if i == 7:  # a name with a character outside the Basic Multilingual Plane (生僻字),
            # which only the fallback font (AR PL UMing) draws on the certificate
            participants[0] = case_services.ParticipantData(ParticipantRole.APPLICANT, party=(
                PartyData(**{**participants[0].party.__dict__, "name": "𠀡春华"})))
    if not in_person and rng.random() < 0.2:
        participants.append(case_services.ParticipantData(ParticipantRole.AGENT,
                                                          party=_person(rng)))
    urgency = Urgency.NORMAL
    if rng.random() < 0.05:
        urgency = rng.choice([Urgency.EXPEDITED, Urgency.SPECIAL])
    details = case_services.CaseDetails(
        matter_ids=[m.id for m in chosen], category=category, place_of_use=place,
        purpose=rng.choice(PURPOSES), copies=rng.choice([1, 1, 2, 3]),
        # Languages whose translation page has built-in wording (certificates/rules.py).
        translation_language={"美国": "英语", "法国": "法语"}.get(
            place or "", "英语" if place in ABROAD else None),
        urgency=urgency,
        urgency_reason="当事人急需办理丧事，特事特办" if urgency is not Urgency.NORMAL else None,
    )
    notary = rng.choice(notaries)
    desk = users[rng.choice(["desk", "desk2"])]
    now = start
    with frozen_time(now):
        case = case_services.register_application(
            case_services.ApplicationData(details=details, participants=participants), actor=desk)
    if rng.random() < 0.5 and status is not CaseStatus.APPLIED:
        with frozen_time(now):
            case_services.assign_staff(case, notary_id=notary.id,
                                       assistant_id=rng.choice(assistants).id,
                                       actor=users["director"])
    inheritance = codes[0] == "inheritance"
    for action in PATH[status]:
        now = _office_hours(rng, now + timedelta(hours=rng.randrange(1, 30)))
        actor = {Action.APPROVE: users["director"], Action.REFUSE: users["director"],
                 Action.TERMINATE: users["director"]}.get(action, notary)
        data = _step_data(rng, action, notary, case, i)
        with frozen_time(now):
            if inheritance and action is Action.START_VERIFICATION:
                # Two staff drive to the village to verify the family (the Leiyang report).
                demo_extra.plan_visit(rng, case, notary, rng.choice(assistants), now)
                continue
            if action is Action.ISSUE:
                # The fee is charged and paid before the certificate goes out.
                from notary.fees.demo import settle_before_issue  # fees builds on cases

                settle_before_issue(case, users, rng)
            workflow.perform(case, action, data, actor=actor)
            if action is Action.ACCEPT:
                _tell_and_record(case, notary)
            if action is Action.ACCEPT and urgency is not Urgency.NORMAL:
                # The director approves the promised target: the same day for 特事特办.
                approve_expedite(case, 0 if urgency is Urgency.SPECIAL else 3,
                                 details.urgency_reason or "", actor=users["director"])
            if inheritance and action is Action.START_REVIEW:
                demo_extra.inheritance_file(rng, case, notary, now)
                if rng.random() < 0.3:
                    demo_extra.completed_visit(rng, case, notary, rng.choice(assistants), now)
    if inheritance and status is CaseStatus.APPLIED and i % 2 == 0:
        when = _office_hours(rng, datetime.now(UTC) + timedelta(days=rng.randrange(0, 6)))
        with frozen_time(start):
            demo_extra.home_visit(rng, case, users["director"],
                                  [notary, rng.choice(assistants)], when)
    if status in case_services.FILE_ONLY_CLOSINGS and case.closed_at is not None and (
            datetime.now(UTC) - case.closed_at).days > 45:
        # Files of refused and terminated cases are handed over within three months.
        with frozen_time(_office_hours(rng, now + timedelta(days=rng.randrange(20, 40)))):
            # A case never accepted has no notary of its own: the director files it.
            filer = notary if case.handling_notary_id == notary.id else users["director"]
            case_services.archive_closed_file(case, f"{case.acceptance_year or ''}-Z{i:05d}",
                                              actor=filer)


def _step_data(rng: random.Random, action: Action, notary: User, case: Case,
               i: int) -> workflow.StepData:
    match action:
        case Action.ACCEPT:
            return workflow.StepData(notary_id=notary.id, conditions_confirmed=True)
        case Action.REQUEST_SUPPLEMENT:
            return workflow.StepData(reason="请补充被继承人死亡证明及亲属关系证明")
        case Action.START_VERIFICATION:
            return workflow.StepData(reason="需到当事人户籍所在地村委会核实亲属关系")
        case Action.DELIVER:
            return workflow.StepData(delivery_method=rng.choice(["pickup", "mail"]),
                                     delivered_to=case.applicants[0].party.name)
        case Action.ARCHIVE:
            return workflow.StepData(archive_number=f"{case.acceptance_year}-{i + 1:05d}")
        case Action.REFUSE:
            return workflow.StepData(ground=RefusalGround.DISPUTED.value,
                                     reason="继承人之间对遗产分配存在争议")
        case Action.TERMINATE:
            return workflow.StepData(ground=TerminationGround.STALLED_BY_PARTY.value,
                                     reason="当事人六个月内未补充材料")
        case Action.WITHDRAW:
            return workflow.StepData(reason="当事人申请撤回")
        case Action.REJECT:
            return workflow.StepData(ground=NotAcceptedGround.NO_INTEREST.value,
                                     reason="申请人与申请公证的事项没有利害关系")
    return workflow.StepData()


# A few bytes with an MP4 header: the demo's stand-in for a will interview's recording.
DEMO_RECORDING = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 48


def _tell_and_record(case: Any, notary: Any) -> None:
    """At acceptance the notary tells every party (告知) and, for an elderly or sick
    testator, records the interview (遗嘱公证细则 art. 16): approval waits for both."""
    import io

    from notary.casefile import services as casefile
    from notary.casefile.models import NoticeMethod
    from notary.core.models import office_today

    for participant in case.active_participants:
        casefile.record_notice(case, casefile.NoticeData(
            participant.id, office_today(), NoticeMethod.WRITTEN, casefile.notice_text(case),
            True), actor=notary)
    if casefile.recording_needed(case, office_today()):
        casefile.attach_recording(case, io.BytesIO(DEMO_RECORDING), "谈话录像.mp4",
                                  actor=notary)
