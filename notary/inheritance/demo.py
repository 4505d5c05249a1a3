"""Demo inheritance files and field visits (used by notary.demo; services only, idempotent
because the demo creates its cases once)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from notary.auth.models import User
from notary.cases.models import Case
from notary.inheritance import services
from notary.inheritance.models import AssetKind, ChecklistState, DeathProof
from notary.inheritance.rules import Relation
from notary.investigations import services as investigations
from notary.investigations.models import Method, PersonRole

GIVEN = ("建国", "秀英", "德胜", "桂兰", "春生", "冬梅", "志强", "小红", "文斌", "丽华", "海涛")


def _name(rng: random.Random, surname: str) -> str:
    return surname + rng.choice(GIVEN)


def inheritance_file(rng: random.Random, case: Case, notary: User, now: datetime) -> None:
    """A decedent, a family (sometimes a predeceased son with children, a renunciation), a
    marital home and a deposit, and a complete checklist."""
    surname = rng.choice("李王张刘陈谢段曾资伍")
    died = (now - timedelta(days=rng.randrange(40, 900))).date()
    services.save_decedent(case, services.DecedentData(
        _name(rng, surname), died, rng.choice(list(DeathProof)),
        death_place="耒阳市人民医院", last_residence="湖南省耒阳市蔡子池街道"), actor=notary)
    add = services.save_member
    spouse_alive = rng.random() < 0.7
    add(case, None, services.MemberData(_name(rng, rng.choice("王刘陈周")), Relation.SPOUSE,
                                        death_date=None if spouse_alive else
                                        died - timedelta(days=800)), actor=notary)
    for n in range(rng.randrange(2, 4)):
        predeceased = n == 0 and rng.random() < 0.3
        child = add(case, None, services.MemberData(
            _name(rng, surname), Relation.CHILD,
            death_date=died - timedelta(days=500) if predeceased else None), actor=notary)
        if predeceased:
            for _k in range(2):
                add(case, None, services.MemberData(_name(rng, surname), Relation.DESCENDANT,
                                                    via_id=child.id), actor=notary)
        elif n == 1 and rng.random() < 0.3:
            add(case, child, services.MemberData(child.name, Relation.CHILD, renounced=True,
                                                 renounced_on=died + timedelta(days=30)),
                actor=notary)
    services.add_asset(case, services.AssetData(
        AssetKind.REAL_ESTATE, "耒阳市蔡子池街道住宅一套（不动产权证号略）",
        Decimal(rng.randrange(20, 90) * 10000), is_marital=spouse_alive), actor=notary)
    services.add_asset(case, services.AssetData(
        AssetKind.DEPOSIT, "耒阳农村商业银行存款", Decimal(rng.randrange(1000, 200000))),
        actor=notary)
    services.update_checklist(case, {i: (ChecklistState.PRESENT if i in {1, 2, 3, 5}
                                         else ChecklistState.NOT_APPLICABLE, None)
                                     for i in range(1, 11)}, actor=notary)


def plan_visit(rng: random.Random, case: Case, notary: User, assistant: User,
               now: datetime) -> None:
    """Two staff verify the family at the village committee; the case goes into 核实."""
    when = now + timedelta(days=rng.randrange(1, 6))
    task = investigations.create_investigation(case, investigations.TaskData(
        Method.SITE_VISIT, "到被继承人户籍所在地村委会核实亲属关系及遗产情况",
        [notary.id, assistant.id], place="耒阳市" + rng.choice(("哲桥镇", "大市镇", "小水镇"))
        + "村民委员会", scheduled_at=when), actor=notary)
    if rng.random() < 0.5:
        investigations.add_record(task, investigations.RecordData(
            place=task.place or "", started_at=when, recorder_id=assistant.id,
            ended_at=when + timedelta(minutes=40),
            persons=[investigations.PersonData(PersonRole.QUESTIONED, "谢茂池", relation="村主任",
                                               signed=True, fingerprinted=True)],
            questions=[("你是否认识被继承人？", "认识，是本村村民。"),
                       ("被继承人有几个子女？", "有三个子女，长子已于多年前去世。")],
            observations="查阅了村委会户籍底册，与申请人所述一致。"), actor=assistant)




def completed_visit(rng: random.Random, case: Case, notary: User, assistant: User,
                    now: datetime) -> None:
    """A visit done the same day: recorded and closed, so the case is back in review."""
    task = investigations.create_investigation(case, investigations.TaskData(
        Method.INTERVIEW, "询问申请人及知情人，核实被继承人的亲属关系", [notary.id, assistant.id],
        place="耒阳市公证处接待室", scheduled_at=now), actor=notary)
    investigations.add_record(task, investigations.RecordData(
        place=task.place or "", started_at=now, recorder_id=assistant.id,
        persons=[investigations.PersonData(PersonRole.QUESTIONED, "段运来", relation="邻居",
                                           signed=True)],
        questions=[("你与被继承人是什么关系？", "邻居，认识三十多年。")]), actor=assistant)
    investigations.close_investigation(task, "核实无误，亲属关系与申请材料一致。", done=True,
                                       actor=notary)


def home_visit(rng: random.Random, case: Case, director: User, staff: list[User],
               when: datetime) -> None:
    """上门服务 for an applicant who cannot come to the office."""
    investigations.create_investigation(case, investigations.TaskData(
        Method.HOME_VISIT, "申请人年老体弱、行动不便，上门办理申请及签字",
        [u.id for u in staff], place="耒阳市" + rng.choice(("永济镇", "夏塘镇")) + "申请人家中",
        scheduled_at=when), actor=director)
