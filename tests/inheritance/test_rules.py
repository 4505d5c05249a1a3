"""Heir determination under the Civil Code, table-driven: one family per row, every share
exact, every person with the article that decides them (pure: no app, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notary.inheritance.rules import (
    Art,
    Asset,
    Family,
    Kinship,
    Outcome,
    Person,
    Relation,
    Why,
    determine_heirs,
    parse_fraction,
    people_sum,
    split_by_agreement,
)

DEATH = date(2024, 3, 1)
BEFORE, AFTER = date(2019, 5, 1), date(2024, 6, 1)
R = Relation
F = Fraction


def p(pid: int, name: str, relation: Relation, **kw: Any) -> Person:
    return Person(pid, name, relation, **kw)


SPOUSE = p(1, "配偶", R.SPOUSE)
# (id, family, expected shares by name; names left out must take nothing)
CASES: list[tuple[str, list[Person], dict[str, Fraction]]] = [
    ("spouse and two children share equally",
     [SPOUSE, p(2, "长子", R.CHILD), p(3, "次女", R.CHILD)],
     {"配偶": F(1, 3), "长子": F(1, 3), "次女": F(1, 3)}),
    ("must-show: predeceased son's two children, spouse, renouncing daughter",
     [SPOUSE, p(2, "儿子", R.CHILD, death_date=BEFORE), p(3, "孙子", R.DESCENDANT, via=2),
      p(4, "孙女", R.DESCENDANT, via=2),
      p(5, "女儿", R.CHILD, renounced=True, renounced_on=date(2024, 4, 1))],
     {"配偶": F(1, 2), "孙子": F(1, 4), "孙女": F(1, 4)}),
    ("only the parents", [p(1, "父", R.PARENT), p(2, "母", R.PARENT)],
     {"父": F(1, 2), "母": F(1, 2)}),
    ("spouse, a parent and a child", [SPOUSE, p(2, "母", R.PARENT), p(3, "子", R.CHILD)],
     {"配偶": F(1, 3), "母": F(1, 3), "子": F(1, 3)}),
    ("second order: two siblings and a grandparent",
     [p(1, "兄", R.SIBLING), p(2, "妹", R.SIBLING), p(3, "祖母", R.GRANDPARENT)],
     {"兄": F(1, 3), "妹": F(1, 3), "祖母": F(1, 3)}),
    ("subrogation through two generations",
     [p(1, "子A", R.CHILD), p(2, "子B", R.CHILD, death_date=BEFORE),
      p(3, "孙", R.DESCENDANT, via=2, death_date=BEFORE),
      p(4, "曾孙甲", R.DESCENDANT, via=3), p(5, "曾孙乙", R.DESCENDANT, via=3)],
     {"子A": F(1, 2), "曾孙甲": F(1, 4), "曾孙乙": F(1, 4)}),
    ("a predeceased sibling's children",
     [p(1, "兄", R.SIBLING), p(2, "弟", R.SIBLING, death_date=BEFORE),
      p(3, "侄子", R.NEPHEW_NIECE, via=2), p(4, "侄女", R.NEPHEW_NIECE, via=2)],
     {"兄": F(1, 2), "侄子": F(1, 4), "侄女": F(1, 4)}),
    ("a sibling's share stops at the sibling's children",
     [p(1, "兄", R.SIBLING), p(2, "弟", R.SIBLING, death_date=BEFORE),
      p(3, "侄子", R.NEPHEW_NIECE, via=2, death_date=BEFORE)],
     {"兄": F(1)}),
    ("widowed daughter-in-law with main support, and her own children",
     [p(1, "女儿", R.CHILD), p(2, "儿子", R.CHILD, death_date=BEFORE),
      p(3, "儿媳", R.CHILD_IN_LAW, via=2, main_support=True),
      p(4, "孙子", R.DESCENDANT, via=2), p(5, "孙女", R.DESCENDANT, via=2)],
     {"女儿": F(1, 3), "儿媳": F(1, 3), "孙子": F(1, 6), "孙女": F(1, 6)}),
    ("widowed daughter-in-law without main support",
     [p(1, "女儿", R.CHILD), p(2, "儿子", R.CHILD, death_date=BEFORE),
      p(3, "儿媳", R.CHILD_IN_LAW, via=2)],
     {"女儿": F(1)}),
    ("an heir dies before division: transmission to their own heirs",
     [SPOUSE, p(2, "子A", R.CHILD), p(3, "子B", R.CHILD, death_date=AFTER),
      p(4, "B之妻", R.SPOUSE, successor_of=3), p(5, "B之子", R.CHILD, successor_of=3)],
     {"配偶": F(1, 3), "子A": F(1, 3), "B之妻": F(1, 6), "B之子": F(1, 6)}),
    ("transmission with nobody recorded yet: held for the heir's estate",
     [SPOUSE, p(2, "子A", R.CHILD), p(3, "子B", R.CHILD, death_date=AFTER)],
     {"配偶": F(1, 3), "子A": F(1, 3), "子B": F(1, 3)}),
    ("everyone in the first order renounces: the second order inherits",
     [p(1, "配偶", R.SPOUSE, renounced=True, renounced_on=AFTER),
      p(2, "子", R.CHILD, renounced=True, renounced_on=AFTER),
      p(3, "女", R.CHILD, renounced=True, renounced_on=AFTER),
      p(4, "兄", R.SIBLING), p(5, "姐", R.SIBLING)],
     {"兄": F(1, 2), "姐": F(1, 2)}),
    ("everyone renounces and there is no second order: nobody inherits",
     [p(1, "配偶", R.SPOUSE, renounced=True, renounced_on=AFTER),
      p(2, "子", R.CHILD, renounced=True, renounced_on=AFTER)], {}),
    ("a child who killed the decedent loses the right",
     [SPOUSE, p(2, "子", R.CHILD, lost_right=True), p(3, "女", R.CHILD)],
     {"配偶": F(1, 2), "女": F(1, 2)}),
    ("no subrogation through a predeceased child who had lost the right",
     [SPOUSE, p(2, "子", R.CHILD, death_date=BEFORE, lost_right=True),
      p(3, "孙", R.DESCENDANT, via=2)],
     {"配偶": F(1)}),
    ("forgiven: the right is kept",
     [SPOUSE, p(2, "子", R.CHILD, lost_right=True, forgiven=True)],
     {"配偶": F(1, 2), "子": F(1, 2)}),
    ("step-children: with support an heir, without none",
     [p(1, "继子甲", R.CHILD, kind=Kinship.STEP_SUPPORTED),
      p(2, "继子乙", R.CHILD, kind=Kinship.STEP_UNSUPPORTED)],
     {"继子甲": F(1)}),
    ("an adopted child inherits like a born one",
     [p(1, "养子", R.CHILD, kind=Kinship.ADOPTED), p(2, "亲生女", R.CHILD)],
     {"养子": F(1, 2), "亲生女": F(1, 2)}),
    ("spouse died in the same event: no inheritance between them",
     [p(1, "配偶", R.SPOUSE, death_date=DEATH, died_in_same_event=True),
      p(2, "子", R.CHILD), p(3, "女", R.CHILD)],
     {"子": F(1, 2), "女": F(1, 2)}),
    ("a child died in the same event: the elder first, the child's share transmits",
     [SPOUSE, p(2, "子", R.CHILD, death_date=DEATH, died_in_same_event=True),
      p(3, "子之女", R.CHILD, successor_of=2)],
     {"配偶": F(1, 2), "子之女": F(1, 2)}),
    ("a parent died in the same event: presumed to have died first",
     [SPOUSE, p(2, "父", R.PARENT, death_date=DEATH, died_in_same_event=True)],
     {"配偶": F(1)}),
    ("same event, the child had no other heirs: presumed to have died first",
     [SPOUSE, p(2, "子", R.CHILD, death_date=DEATH, died_in_same_event=True,
                has_other_heirs=False)],
     {"配偶": F(1)}),
    ("a renunciation dated before the death has no effect",
     [SPOUSE, p(2, "子", R.CHILD, renounced=True, renounced_on=date(2023, 1, 1))],
     {"配偶": F(1, 2), "子": F(1, 2)}),
    ("a grandchild whose parent is alive does not inherit",
     [p(1, "子", R.CHILD), p(2, "孙", R.DESCENDANT, via=1)], {"子": F(1)}),
    ("the spouse blocks the siblings", [SPOUSE, p(2, "兄", R.SIBLING)], {"配偶": F(1)}),
    ("grandparents on both sides and a sibling",
     [p(1, "祖父", R.GRANDPARENT), p(2, "外祖母", R.GRANDPARENT), p(3, "妹", R.SIBLING)],
     {"祖父": F(1, 3), "外祖母": F(1, 3), "妹": F(1, 3)}),
    ("a nephew does not inherit while his parent is alive",
     [p(1, "兄", R.SIBLING), p(2, "侄", R.NEPHEW_NIECE, via=1)], {"兄": F(1)}),
    ("a predeceased child without descendants: the share lapses",
     [SPOUSE, p(2, "子", R.CHILD, death_date=BEFORE), p(3, "女", R.CHILD)],
     {"配偶": F(1, 2), "女": F(1, 2)}),
    ("a predeceased sibling who had lost the right: no subrogation",
     [p(1, "兄", R.SIBLING), p(2, "弟", R.SIBLING, death_date=BEFORE, lost_right=True),
      p(3, "侄", R.NEPHEW_NIECE, via=2)], {"兄": F(1)}),
    ("an adopted grandchild subrogates (Interp. art. 15)",
     [p(1, "子", R.CHILD, death_date=BEFORE),
      p(2, "养孙", R.DESCENDANT, via=1, kind=Kinship.ADOPTED)], {"养孙": F(1)}),
    ("a step-parent with support is a first-order heir",
     [p(1, "继母", R.PARENT, kind=Kinship.STEP_SUPPORTED), p(2, "兄", R.SIBLING)],
     {"继母": F(1)}),
    ("a grandchild renounces: the other grandchild takes the parent's share",
     [p(1, "女", R.CHILD), p(2, "子", R.CHILD, death_date=BEFORE),
      p(3, "孙甲", R.DESCENDANT, via=2, renounced=True, renounced_on=AFTER),
      p(4, "孙乙", R.DESCENDANT, via=2)],
     {"女": F(1, 2), "孙乙": F(1, 2)}),
    ("a sibling dies before division: transmission in the second order",
     [p(1, "兄", R.SIBLING), p(2, "弟", R.SIBLING, death_date=AFTER),
      p(3, "弟媳", R.SPOUSE, successor_of=2)],
     {"兄": F(1, 2), "弟媳": F(1, 2)}),
]


def shares_by_name(family: Family) -> dict[str, Fraction]:
    result = determine_heirs(family)
    return {r.name: r.share for r in result.heirs}


@pytest.mark.parametrize(("label", "people", "expected"), CASES, ids=[c[0] for c in CASES])
def test_family(label: str, people: list[Person], expected: dict[str, Fraction]) -> None:
    result = determine_heirs(Family(DEATH, people))
    assert {r.name: r.share for r in result.heirs} == expected
    for r in result.people:
        # Everyone the rules looked at gets a reason naming an article.
        assert r.outcome is Outcome.NOT_HEIR or r.reasons, r.name
        assert all(isinstance(x.article, Art) for x in r.reasons)
    assert people_sum(result.people) == (1 if expected else 0)


def test_there_are_at_least_25_families() -> None:
    assert len(CASES) >= 25


def test_must_show_marital_home_and_articles() -> None:
    people = CASES[1][1]
    home = Asset(1, "婚后购买的住房", Decimal("600000.00"), is_marital=True)
    result = determine_heirs(Family(DEATH, people, [home]))
    # Art. 1153: the spouse's half first; the other half is the estate.
    assert result.spouse_half == Decimal("300000.00") and result.spouse_half_to == 1
    assert result.inheritable == Decimal("300000.00")
    amounts = {r.name: r.amount for r in result.heirs}
    assert amounts == {"配偶": Decimal("150000.00"), "孙子": Decimal("75000.00"),
                       "孙女": Decimal("75000.00")}
    arts = {r.name: {x.article for x in r.reasons} for r in result.people}
    assert arts["配偶"] == {Art.CC_1127, Art.CC_1130}
    assert Art.CC_1128 in arts["孙子"] and Art.CC_1128 in arts["儿子"]
    assert arts["女儿"] == {Art.CC_1124}
    assert result.result_of(5).outcome is Outcome.EXCLUDED
    assert {n.code for n in result.notes} == {Why.SPOUSE_HALF}


def test_widowed_in_law_reasons_cite_interpretation_18() -> None:
    result = determine_heirs(Family(DEATH, CASES[8][1]))
    codes = {x.code for x in result.result_of(3).reasons}
    assert {Why.WIDOWED_IN_LAW, Why.IN_LAW_CHILDREN_NOT_BLOCKED} <= codes


def test_lost_right_reasons_cite_interpretation_17() -> None:
    result = determine_heirs(Family(DEATH, CASES[15][1]))
    assert result.result_of(3).reasons[0].article is Art.INTERP_17


def test_heirless_estate_is_noted() -> None:
    result = determine_heirs(Family(DEATH, CASES[13][1], [Asset(1, "存款", Decimal("10"))]))
    assert result.order is None and result.heirs == []
    assert result.notes[0].code is Why.ESTATE_HEIRLESS


def test_same_event_spouse_keeps_their_half_for_their_estate() -> None:
    result = determine_heirs(Family(DEATH, CASES[19][1],
                                    [Asset(1, "房屋", Decimal("100.01"), is_marital=True)]))
    assert result.spouse_half_to == 1 and result.spouse_half == Decimal("50.00")
    assert result.inheritable == Decimal("50.01")
    assert sum(r.amount for r in result.heirs) == Decimal("50.01")


def test_will_disposed_items_are_not_divided() -> None:
    result = determine_heirs(Family(DEATH, [p(1, "子", R.CHILD)], [
        Asset(1, "房屋", Decimal("500"), disposed_by_will=True), Asset(2, "存款", Decimal("80"))]))
    assert result.by_will == Decimal("500") and result.inheritable == Decimal("80")


def test_transmitted_heir_shows_the_share_that_passed_through() -> None:
    result = determine_heirs(Family(DEATH, CASES[10][1], [Asset(1, "存款", Decimal("90"))]))
    b = result.result_of(3)
    assert b.outcome is Outcome.TRANSMITTED and not b.is_final
    assert b.share == F(1, 3) and b.amount == Decimal("30.00")


def test_money_adds_up_to_the_cent() -> None:
    money = split_by_agreement({1: F(1, 3), 2: F(1, 3), 3: F(1, 3)}, Decimal("100.00"))
    assert sum(money.values()) == Decimal("100.00")
    assert sorted(money.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


@pytest.mark.parametrize(("text", "value"), [("1/4", F(1, 4)), ("0.25", F(1, 4)),
                                             ("25%", F(1, 4)), (" 1／3 ", F(1, 3)),
                                             ("1", F(1))])
def test_parse_fraction(text: str, value: Fraction) -> None:
    assert parse_fraction(text) == value


# --- properties ------------------------------------------------------------------------------

death = st.sampled_from([None, BEFORE, AFTER])


@st.composite
def families(draw: Any) -> Family:
    people: list[Person] = []
    ids = iter(range(1, 1000))

    def add(relation: Relation, **kw: Any) -> Person:
        person = Person(next(ids), f"p{len(people)}", relation, **kw)
        people.append(person)
        return person

    def status() -> dict[str, Any]:
        renounce = draw(st.booleans()) and draw(st.booleans())
        return {"renounced": renounce, "renounced_on": AFTER if renounce else None,
                "lost_right": draw(st.integers(0, 9)) == 0,
                "kind": draw(st.sampled_from(list(Kinship)))}

    if draw(st.booleans()):
        add(R.SPOUSE, death_date=draw(death), **status())
    for _ in range(draw(st.integers(0, 3))):
        child = add(R.CHILD, death_date=draw(death), **status())
        for _ in range(draw(st.integers(0, 2))):
            grandchild = add(R.DESCENDANT, via=child.id, death_date=draw(death), **status())
            if draw(st.booleans()):
                add(R.DESCENDANT, via=grandchild.id, **status())
        if child.death_date == BEFORE and draw(st.booleans()):
            add(R.CHILD_IN_LAW, via=child.id, main_support=draw(st.booleans()))
        if child.death_date == AFTER and draw(st.booleans()):
            add(R.CHILD, successor_of=child.id)
    for _ in range(draw(st.integers(0, 2))):
        add(R.PARENT, death_date=draw(death), **status())
    for _ in range(draw(st.integers(0, 2))):
        sibling = add(R.SIBLING, death_date=draw(death), **status())
        for _ in range(draw(st.integers(0, 2))):
            add(R.NEPHEW_NIECE, via=sibling.id, **status())
    if draw(st.booleans()):
        add(R.GRANDPARENT, death_date=draw(death), **status())
    assets = [Asset(i, "x", Decimal(draw(st.integers(0, 10**8))) / 100,
                    is_marital=draw(st.booleans()), disposed_by_will=draw(st.booleans()))
              for i in range(draw(st.integers(0, 3)))]
    return Family(DEATH, people, assets)


@settings(max_examples=300, deadline=None)
@given(families())
def test_shares_make_the_whole_estate(family: Family) -> None:
    result = determine_heirs(family)
    total = people_sum(result.people)
    assert total == (1 if result.heirs else 0)
    if result.heirs:
        assert sum(r.amount for r in result.heirs) == result.inheritable
    assert result.spouse_half + result.by_will + result.inheritable == result.estate_total


@settings(max_examples=300, deadline=None)
@given(families())
def test_nobody_is_both_heir_and_excluded(family: Family) -> None:
    result = determine_heirs(family)
    for r in result.people:
        if r.outcome is Outcome.EXCLUDED or r.outcome is Outcome.NOT_HEIR:
            assert r.share == 0 and not r.is_final
        if r.is_final:
            assert r.share > 0
    assert len({r.person_id for r in result.people}) == len(family.people)
