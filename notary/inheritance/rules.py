"""Statutory heirs and default shares under the Civil Code (pure: no Flask, no database).

民法典继承编 arts. 1121-1163 and 最高人民法院关于适用《民法典》继承编的解释（一） arts. 14-19, 35:
first order before second (art. 1127), subrogation (art. 1128, Interp. arts. 14-18), widowed
in-laws (art. 1129), equal shares (art. 1130), transmission (art. 1152), the surviving spouse's
half of the marital property first (art. 1153), renunciation (art. 1124), loss of the right
(art. 1125), deaths in one event (art. 1121), an estate without heirs (art. 1160).

Shares are exact fractions of the inheritable estate; money is Decimal, split so that the
amounts add up to the estate to the cent. Every person gets reasons naming the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from fractions import Fraction

CENT = Decimal("0.01")


class Relation(StrEnum):
    """Relation to the decedent (or, for a transmission successor, to the heir who died)."""

    SPOUSE = "spouse"  # 配偶
    CHILD = "child"  # 子女
    PARENT = "parent"  # 父母
    SIBLING = "sibling"  # 兄弟姐妹
    GRANDPARENT = "grandparent"  # 祖父母、外祖父母
    DESCENDANT = "descendant"  # 孙子女、外孙子女 and further: `via` is their parent
    NEPHEW_NIECE = "nephew_niece"  # 侄子女、外甥子女: `via` is the sibling
    CHILD_IN_LAW = "child_in_law"  # 丧偶儿媳 / 丧偶女婿: `via` is the spouse who died


class Kinship(StrEnum):
    BORN = "born"  # 婚生或非婚生
    ADOPTED = "adopted"  # 养
    STEP_SUPPORTED = "step_supported"  # 有扶养关系的继亲
    STEP_UNSUPPORTED = "step_unsupported"  # 无扶养关系的继亲: not an heir


class Outcome(StrEnum):
    HEIR = "heir"  # takes a share
    TRANSMITTED = "transmitted"  # died after the decedent: the share passes on (art. 1152)
    EXCLUDED = "excluded"  # would be an heir, but renounced, lost the right, or died first
    NOT_HEIR = "not_heir"  # not called: a later order, no support relationship, ...


class Art(StrEnum):
    """The provisions cited in reasons (Chinese citations are legal content, not UI text)."""

    CC_1121 = "民法典第1121条"
    CC_1124 = "民法典第1124条"
    CC_1125 = "民法典第1125条"
    CC_1127 = "民法典第1127条"
    CC_1128 = "民法典第1128条"
    CC_1129 = "民法典第1129条"
    CC_1130 = "民法典第1130条"
    CC_1152 = "民法典第1152条"
    CC_1153 = "民法典第1153条"
    CC_1123 = "民法典第1123条"
    CC_1160 = "民法典第1160条"
    INTERP_14 = "继承编解释（一）第14条"
    INTERP_15 = "继承编解释（一）第15条"
    INTERP_17 = "继承编解释（一）第17条"
    INTERP_18 = "继承编解释（一）第18条"
    INTERP_35 = "继承编解释（一）第35条"


class Why(StrEnum):
    """Reason codes; the application translates them (see inheritance/labels.py)."""

    FIRST_ORDER = "first_order"
    SECOND_ORDER = "second_order"
    SECOND_ORDER_BLOCKED = "second_order_blocked"
    EQUAL_SHARE = "equal_share"
    SUBROGATION = "subrogation"
    SUBROGATION_DEEP = "subrogation_deep"
    SUBROGATION_SIBLING = "subrogation_sibling"
    NO_SUBROGATION_LOST = "no_subrogation_lost"
    NO_SUBROGATION_SURVIVED = "no_subrogation_survived"
    NO_SUBROGATION_SIBLING_DEEP = "no_subrogation_sibling_deep"
    WIDOWED_IN_LAW = "widowed_in_law"
    IN_LAW_NO_SUPPORT = "in_law_no_support"
    IN_LAW_CHILDREN_NOT_BLOCKED = "in_law_children_not_blocked"
    STEP_NO_SUPPORT = "step_no_support"
    STEP_SUPPORTED = "step_supported"
    ADOPTED = "adopted"
    RENOUNCED = "renounced"
    RENUNCIATION_TOO_EARLY = "renunciation_too_early"
    LOST_RIGHT = "lost_right"
    FORGIVEN = "forgiven"
    PREDECEASED = "predeceased"
    TRANSMISSION = "transmission"
    TRANSMISSION_SUCCESSOR = "transmission_successor"
    TRANSMISSION_NO_SUCCESSORS = "transmission_no_successors"
    SIMULTANEOUS_SAME_GENERATION = "simultaneous_same_generation"
    SIMULTANEOUS_ELDER_FIRST = "simultaneous_elder_first"
    SIMULTANEOUS_NO_OTHER_HEIRS = "simultaneous_no_other_heirs"
    SPOUSE_HALF = "spouse_half"
    NO_DESCENDANTS = "no_descendants"
    VIA_MISSING = "via_missing"
    ESTATE_HEIRLESS = "estate_heirless"
    WILL_DISPOSED = "will_disposed"


@dataclass(frozen=True)
class Reason:
    code: Why
    article: Art
    about: str = ""  # the name of the person the reason refers to (e.g. who died first)


@dataclass(frozen=True)
class Person:
    """A relative as recorded on the case. `id` is any hashable key (the database id)."""

    id: int
    name: str
    relation: Relation
    kind: Kinship = Kinship.BORN
    via: int | None = None  # DESCENDANT, NEPHEW_NIECE, CHILD_IN_LAW: the linking person
    successor_of: int | None = None  # an heir of an heir who died after the decedent
    death_date: date | None = None
    died_in_same_event: bool = False  # art. 1121: order of deaths cannot be established
    has_other_heirs: bool = True  # art. 1121: this person had heirs besides the decedent
    main_support: bool = False  # art. 1129 (widowed in-law), Interp. art. 19
    renounced: bool = False  # art. 1124: in writing, before division
    renounced_on: date | None = None
    lost_right: bool = False  # art. 1125
    forgiven: bool = False  # art. 1125 ¶2: grounds (3)-(5) only, decided on the case


@dataclass(frozen=True)
class Asset:
    id: int
    description: str
    value: Decimal
    is_marital: bool = False  # 夫妻共同财产: the spouse's half comes out first (art. 1153)
    disposed_by_will: bool = False  # art. 1123: a will or legacy-support agreement governs


@dataclass(frozen=True)
class Family:
    death_date: date
    people: Sequence[Person]
    assets: Sequence[Asset] = ()


@dataclass
class PersonResult:
    person_id: int
    name: str
    outcome: Outcome
    share: Fraction = Fraction(0)  # of the inheritable estate; 0 unless HEIR or TRANSMITTED
    amount: Decimal = Decimal("0.00")
    order: int | None = None  # 1 or 2
    reasons: list[Reason] = field(default_factory=list)
    is_final: bool = False  # holds the share in the end (a transmitted heir passes it on)


@dataclass
class Determination:
    people: list[PersonResult]
    estate_total: Decimal  # every asset at its full value
    spouse_half: Decimal  # the surviving spouse's own half of the marital property
    spouse_half_to: int | None  # who holds that half (the spouse, or their estate)
    by_will: Decimal  # disposed by a will or legacy-support agreement, not by statute
    inheritable: Decimal  # what statutory succession divides
    order: int | None  # the order that inherits, None if nobody does
    notes: list[Reason] = field(default_factory=list)

    def result_of(self, person_id: int) -> PersonResult:
        return next(r for r in self.people if r.person_id == person_id)

    @property
    def heirs(self) -> list[PersonResult]:
        """Those who finally hold a share (transmission is resolved to the successors)."""
        return [r for r in self.people if r.is_final]


# --- deaths and eligibility ----------------------------------------------------------------

_GENERATION = {Relation.PARENT: 1, Relation.GRANDPARENT: 2, Relation.SPOUSE: 0,
               Relation.SIBLING: 0, Relation.CHILD: -1, Relation.CHILD_IN_LAW: -1,
               Relation.DESCENDANT: -2, Relation.NEPHEW_NIECE: -1}


class _Death(StrEnum):
    ALIVE = "alive"  # alive when succession opened
    AFTER = "after"  # died after the decedent (transmission)
    BEFORE = "before"  # died first (subrogation, or nothing)
    TOGETHER = "together"  # same generation in one event: no inheritance between them


def _death_order(person: Person, death_date: date, decedent_has_others: bool
                 ) -> tuple[_Death, Reason | None]:
    if person.death_date is None:
        return _Death.ALIVE, None
    if not person.died_in_same_event or person.death_date != death_date:
        if person.death_date < death_date:
            return _Death.BEFORE, Reason(Why.PREDECEASED, Art.CC_1128)
        if person.death_date > death_date:
            return _Death.AFTER, None
    # Art. 1121 ¶2: whoever had no other heirs is presumed to die first; otherwise the
    # elder generation first; the same generation together, inheriting nothing from each other.
    if not person.has_other_heirs and decedent_has_others:
        return _Death.BEFORE, Reason(Why.SIMULTANEOUS_NO_OTHER_HEIRS, Art.CC_1121, person.name)
    if person.has_other_heirs and not decedent_has_others:
        return _Death.AFTER, Reason(Why.SIMULTANEOUS_NO_OTHER_HEIRS, Art.CC_1121)
    generation = _GENERATION[person.relation]
    if generation > 0:
        return _Death.BEFORE, Reason(Why.SIMULTANEOUS_ELDER_FIRST, Art.CC_1121, person.name)
    if generation < 0:
        return _Death.AFTER, Reason(Why.SIMULTANEOUS_ELDER_FIRST, Art.CC_1121)
    return _Death.TOGETHER, Reason(Why.SIMULTANEOUS_SAME_GENERATION, Art.CC_1121)


def _renounced(person: Person, death_date: date) -> Reason | None:
    """A valid renunciation (art. 1124), or None. One dated before the death is no
    renunciation of inheritance at all (Interp. art. 35: only after succession opens)."""
    if not person.renounced:
        return None
    if person.renounced_on is not None and person.renounced_on < death_date:
        return None
    return Reason(Why.RENOUNCED, Art.CC_1124)


def _lost(person: Person) -> bool:
    return person.lost_right and not person.forgiven


def _kind_reason(person: Person) -> Reason | None:
    if person.kind is Kinship.ADOPTED:
        return Reason(Why.ADOPTED, Art.CC_1127)
    if person.kind is Kinship.STEP_SUPPORTED:
        return Reason(Why.STEP_SUPPORTED, Art.CC_1127)
    return None


# --- the determination ---------------------------------------------------------------------

@dataclass
class _Unit:
    """One equal share of the order (art. 1130), and the people it ends up with."""

    holder: int  # the person in whose right the share is taken
    takers: dict[int, Fraction] = field(default_factory=dict)  # person -> part of this unit


class _Run:
    def __init__(self, family: Family) -> None:
        self.family = family
        self.by_id = {p.id: p for p in family.people}
        own = [p for p in family.people if p.successor_of is None]
        self.own = own
        self.results: dict[int, PersonResult] = {
            p.id: PersonResult(p.id, p.name, Outcome.NOT_HEIR) for p in family.people}
        self.notes: list[Reason] = []
        self.deaths: dict[int, _Death] = {}
        others = self._decedent_has_other_heirs()
        for p in own:
            state, reason = _death_order(p, family.death_date, others)
            self.deaths[p.id] = state
            if reason is not None and reason.code is not Why.PREDECEASED:
                self.results[p.id].reasons.append(reason)

    def _decedent_has_other_heirs(self) -> bool:
        return any(p.death_date is None or p.death_date > self.family.death_date
                   for p in self.own if not p.died_in_same_event)

    def children_of(self, person_id: int, relation: Relation) -> list[Person]:
        return [p for p in self.own if p.via == person_id and p.relation is relation]

    def add(self, person_id: int, reason: Reason) -> None:
        self.results[person_id].reasons.append(reason)

    def counts(self, person: Person, order: int) -> bool:
        """A step relation without support is no relation for succession (art. 1127)."""
        if person.kind is Kinship.STEP_UNSUPPORTED:
            self.add(person.id, Reason(Why.STEP_NO_SUPPORT, Art.CC_1127))
            return False
        if (reason := _kind_reason(person)) is not None:
            self.add(person.id, reason)
        return True

    def direct_unit(self, person: Person, order: int) -> _Unit | None:
        """The unit of an heir called in their own right, or None if they take nothing."""
        state = self.deaths[person.id]
        result = self.results[person.id]
        result.order = order
        if state is _Death.TOGETHER:
            result.outcome = Outcome.EXCLUDED
            return None
        if _lost(person):
            result.outcome = Outcome.EXCLUDED
            self.add(person.id, Reason(Why.LOST_RIGHT, Art.CC_1125))
            return None
        if person.lost_right and person.forgiven:
            self.add(person.id, Reason(Why.FORGIVEN, Art.CC_1125))
        if state is _Death.BEFORE:
            result.outcome = Outcome.EXCLUDED
            self.add(person.id, Reason(Why.PREDECEASED, Art.CC_1128 if person.relation in {
                Relation.CHILD, Relation.SIBLING, Relation.DESCENDANT} else Art.CC_1127))
            return None
        if (renounced := _renounced(person, self.family.death_date)) is not None:
            result.outcome = Outcome.EXCLUDED
            self.add(person.id, renounced)
            return None
        if person.renounced:
            self.add(person.id, Reason(Why.RENUNCIATION_TOO_EARLY, Art.INTERP_35))
        self.add(person.id, Reason(Why.FIRST_ORDER if order == 1 else Why.SECOND_ORDER,
                                   Art.CC_1127))
        unit = _Unit(person.id)
        if state is _Death.AFTER:
            self.transmit(person, unit, Fraction(1))
        else:
            result.outcome = Outcome.HEIR
            unit.takers[person.id] = Fraction(1)
        return unit

    def transmit(self, person: Person, unit: _Unit, part: Fraction) -> None:
        """Art. 1152: the share of an heir who died before division goes to their heirs."""
        result = self.results[person.id]
        result.outcome = Outcome.TRANSMITTED
        self.add(person.id, Reason(Why.TRANSMISSION, Art.CC_1152))
        successors = [p for p in self.family.people if p.successor_of == person.id]
        if not successors:
            # Nobody recorded yet: the share stays with that heir's estate, flagged.
            self.add(person.id, Reason(Why.TRANSMISSION_NO_SUCCESSORS, Art.CC_1152))
            unit.takers[person.id] = unit.takers.get(person.id, Fraction(0)) + part
            return
        assert person.death_date is not None
        # Their own statutory succession, opened on their death: the same rules apply.
        tree = self._subtree(person.id)
        sub = determine_heirs(Family(person.death_date, [
            Person(**{**p.__dict__, "successor_of": None}) if p.successor_of == person.id
            else p for p in self.family.people if p.id in tree]))
        for r in sub.people:
            mine = self.results[r.person_id]
            mine.outcome, mine.order = r.outcome, r.order
            mine.reasons.extend(r.reasons)
            if r.is_final:
                mine.reasons.append(Reason(Why.TRANSMISSION_SUCCESSOR, Art.CC_1152, person.name))
                unit.takers[r.person_id] = unit.takers.get(r.person_id, Fraction(0)) \
                    + part * r.share
        if not sub.heirs:
            self.add(person.id, Reason(Why.TRANSMISSION_NO_SUCCESSORS, Art.CC_1152))
            unit.takers[person.id] = unit.takers.get(person.id, Fraction(0)) + part

    def _subtree(self, person_id: int) -> set[int]:
        """Everyone recorded as a successor of this heir, and of their successors."""
        found: set[int] = set()
        frontier = {person_id}
        while frontier:
            nxt = {p.id for p in self.family.people
                   if p.successor_of in frontier and p.id not in found}
            found |= nxt
            frontier = nxt
        return found

    def descend(self, parent: Person, unit: _Unit, part: Fraction, depth: int) -> bool:
        """Subrogation below a predeceased child: the parent's part split equally among
        their children who take; a predeceased one passes it further down (Interp. art. 14).
        Returns whether anyone takes."""
        takers: list[tuple[Person, str]] = []
        for child in self.children_of(parent.id, Relation.DESCENDANT):
            if not self.counts(child, 1):
                self.results[child.id].order = 1
                continue
            self.results[child.id].order = 1
            state = _death_order(child, self.family.death_date, True)[0]
            if _lost(child):
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, Reason(Why.LOST_RIGHT, Art.CC_1125))
            elif state is _Death.BEFORE:
                takers.append((child, "down"))
            elif (renounced := _renounced(child, self.family.death_date)) is not None:
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, renounced)
            else:
                takers.append((child, "take"))
        # Predeceased descendants count only if someone below them takes.
        live: list[tuple[Person, str]] = []
        for child, how in takers:
            if how == "down":
                if self._has_taker_below(child):
                    live.append((child, how))
                else:
                    self.results[child.id].outcome = Outcome.EXCLUDED
                    self.add(child.id, Reason(Why.PREDECEASED, Art.CC_1128))
            else:
                live.append((child, how))
        if not live:
            return False
        each = part / len(live)
        for child, how in live:
            code = Why.SUBROGATION if depth == 1 else Why.SUBROGATION_DEEP
            if how == "down":
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, Reason(Why.PREDECEASED, Art.CC_1128))
                self.descend(child, unit, each, depth + 1)
                continue
            self.add(child.id, Reason(code, Art.CC_1128 if depth == 1 else Art.INTERP_14,
                                      parent.name))
            if child.kind in {Kinship.ADOPTED, Kinship.STEP_SUPPORTED}:
                self.add(child.id, Reason(Why.SUBROGATION, Art.INTERP_15, parent.name))
            if self.deaths.get(child.id) is _Death.AFTER or (
                    child.death_date is not None and child.death_date > self.family.death_date):
                self.transmit(child, unit, each)
            else:
                self.results[child.id].outcome = Outcome.HEIR
                unit.takers[child.id] = unit.takers.get(child.id, Fraction(0)) + each
        return True

    def _has_taker_below(self, person: Person) -> bool:
        for child in self.children_of(person.id, Relation.DESCENDANT):
            if child.kind is Kinship.STEP_UNSUPPORTED or _lost(child):
                continue
            if child.death_date is not None and child.death_date < self.family.death_date:
                if self._has_taker_below(child):
                    return True
            elif _renounced(child, self.family.death_date) is None:
                return True
        return False

    def first_order(self) -> list[_Unit]:
        units: list[_Unit] = []
        for person in self.own:
            if person.relation in {Relation.SPOUSE, Relation.PARENT}:
                if self.counts(person, 1) and (unit := self.direct_unit(person, 1)):
                    units.append(unit)
            elif person.relation is Relation.CHILD:
                if not self.counts(person, 1):
                    self.results[person.id].order = 1
                    continue
                if self.deaths[person.id] is _Death.BEFORE and not _lost(person):
                    self.results[person.id].order = 1
                    self.results[person.id].outcome = Outcome.EXCLUDED
                    self.add(person.id, Reason(Why.PREDECEASED, Art.CC_1128))
                    unit = _Unit(person.id)
                    if self.descend(person, unit, Fraction(1), 1):
                        units.append(unit)
                    else:
                        self.add(person.id, Reason(Why.NO_DESCENDANTS, Art.CC_1128))
                    continue
                if self.deaths[person.id] is _Death.BEFORE:  # lost the right: Interp. art. 17
                    for d in self.children_of(person.id, Relation.DESCENDANT):
                        self.results[d.id].order = 1
                        self.results[d.id].outcome = Outcome.EXCLUDED
                        self.add(d.id, Reason(Why.NO_SUBROGATION_LOST, Art.INTERP_17,
                                              person.name))
                else:
                    for d in self.children_of(person.id, Relation.DESCENDANT):
                        self.add(d.id, Reason(Why.NO_SUBROGATION_SURVIVED, Art.CC_1128,
                                              person.name))
                if unit := self.direct_unit(person, 1):
                    units.append(unit)
            elif person.relation is Relation.CHILD_IN_LAW:
                self.results[person.id].order = 1
                spouse = self.by_id.get(person.via) if person.via is not None else None
                if not person.main_support:
                    self.add(person.id, Reason(Why.IN_LAW_NO_SUPPORT, Art.CC_1129))
                    continue
                if spouse is None or spouse.death_date is None:
                    self.add(person.id, Reason(Why.VIA_MISSING, Art.CC_1129))
                    continue
                self.add(person.id, Reason(Why.WIDOWED_IN_LAW, Art.CC_1129))
                if self.children_of(spouse.id, Relation.DESCENDANT):
                    self.add(person.id, Reason(Why.IN_LAW_CHILDREN_NOT_BLOCKED, Art.INTERP_18))
                if unit := self.direct_unit(person, 1):
                    units.append(unit)
        return units

    def second_order(self) -> list[_Unit]:
        units: list[_Unit] = []
        for person in self.own:
            if person.relation is Relation.GRANDPARENT:
                if self.counts(person, 2) and (unit := self.direct_unit(person, 2)):
                    units.append(unit)
            elif person.relation is Relation.SIBLING:
                if not self.counts(person, 2):
                    self.results[person.id].order = 2
                    continue
                if self.deaths[person.id] is _Death.BEFORE and not _lost(person):
                    result = self.results[person.id]
                    result.order, result.outcome = 2, Outcome.EXCLUDED
                    self.add(person.id, Reason(Why.PREDECEASED, Art.CC_1128))
                    unit = _Unit(person.id)
                    if self.sibling_children(person, unit):
                        units.append(unit)
                    else:
                        self.add(person.id, Reason(Why.NO_DESCENDANTS, Art.CC_1128))
                    continue
                if self.deaths[person.id] is _Death.BEFORE:
                    for d in self.children_of(person.id, Relation.NEPHEW_NIECE):
                        self.results[d.id].order = 2
                        self.results[d.id].outcome = Outcome.EXCLUDED
                        self.add(d.id, Reason(Why.NO_SUBROGATION_LOST, Art.INTERP_17,
                                              person.name))
                else:
                    for d in self.children_of(person.id, Relation.NEPHEW_NIECE):
                        self.results[d.id].order = 2
                        self.add(d.id, Reason(Why.NO_SUBROGATION_SURVIVED, Art.CC_1128,
                                              person.name))
                if unit := self.direct_unit(person, 2):
                    units.append(unit)
        return units

    def sibling_children(self, sibling: Person, unit: _Unit) -> bool:
        """Art. 1128 ¶2: a predeceased sibling's children, one generation only."""
        takers = []
        for child in self.children_of(sibling.id, Relation.NEPHEW_NIECE):
            self.results[child.id].order = 2
            if not self.counts(child, 2):
                continue
            if _lost(child):
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, Reason(Why.LOST_RIGHT, Art.CC_1125))
            elif child.death_date is not None and child.death_date < self.family.death_date:
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, Reason(Why.NO_SUBROGATION_SIBLING_DEEP, Art.CC_1128))
            elif (renounced := _renounced(child, self.family.death_date)) is not None:
                self.results[child.id].outcome = Outcome.EXCLUDED
                self.add(child.id, renounced)
            else:
                takers.append(child)
        for child in takers:
            self.add(child.id, Reason(Why.SUBROGATION_SIBLING, Art.CC_1128, sibling.name))
            part = Fraction(1, len(takers))
            if child.death_date is not None and child.death_date > self.family.death_date:
                self.transmit(child, unit, part)
            else:
                self.results[child.id].outcome = Outcome.HEIR
                unit.takers[child.id] = part
        return bool(takers)


def determine_heirs(family: Family) -> Determination:
    """Determine the statutory heirs and their default shares, with reasons for everyone."""
    run = _Run(family)
    units = run.first_order()
    order: int | None = 1 if units else None
    second = [p for p in run.own if p.relation in {Relation.SIBLING, Relation.GRANDPARENT}]
    nephews = [p for p in run.own if p.relation is Relation.NEPHEW_NIECE]
    if units:
        for p in second + nephews:
            run.results[p.id].order = 2
            run.add(p.id, Reason(Why.SECOND_ORDER_BLOCKED, Art.CC_1127))
    else:
        units = run.second_order()
        order = 2 if units else None
    # Equal shares within the order (art. 1130): each unit is one share.
    shares: dict[int, Fraction] = {}
    for unit in units:
        for person_id, part in unit.takers.items():
            shares[person_id] = shares.get(person_id, Fraction(0)) + part / len(units)
    for person_id, share in shares.items():
        result = run.results[person_id]
        result.share, result.is_final = share, True
        if result.outcome is Outcome.HEIR:
            result.reasons.append(Reason(Why.EQUAL_SHARE, Art.CC_1130))
    notes: list[Reason] = []
    if not units:
        notes.append(Reason(Why.ESTATE_HEIRLESS, Art.CC_1160))
    total, spouse_half, spouse_to, by_will, inheritable = _estate(family, run)
    if by_will:
        notes.append(Reason(Why.WILL_DISPOSED, Art.CC_1123))
    if spouse_half:
        notes.append(Reason(Why.SPOUSE_HALF, Art.CC_1153))
    _allocate(run.results, shares, inheritable)
    _show_passed_on(family, run.results)
    return Determination(list(run.results.values()), total, spouse_half, spouse_to, by_will,
                         inheritable, order, notes)


def _show_passed_on(family: Family, results: dict[int, PersonResult]) -> None:
    """A transmitted heir shows the share (and money) that passed through them."""

    def passed(person_id: int) -> tuple[Fraction, Decimal]:
        result = results[person_id]
        if result.is_final or result.outcome is not Outcome.TRANSMITTED:
            return result.share, result.amount
        share, amount = Fraction(0), Decimal("0.00")
        for p in family.people:
            if p.successor_of == person_id:
                s, a = passed(p.id)
                share, amount = share + s, amount + a
        result.share, result.amount = share, amount
        return share, amount

    for person_id in results:
        passed(person_id)


def _estate(family: Family, run: _Run) -> tuple[Decimal, Decimal, int | None, Decimal, Decimal]:
    """Art. 1153: the surviving spouse's half of the marital property is theirs, not estate."""
    spouse = next((p for p in run.own if p.relation is Relation.SPOUSE
                   and run.deaths.get(p.id) is not _Death.BEFORE), None)
    total = sum((a.value for a in family.assets), Decimal("0"))
    half = Decimal("0")
    by_will = Decimal("0")
    for asset in family.assets:
        own_part = asset.value
        if asset.is_marital and spouse is not None:
            spouse_part = (asset.value / 2).quantize(CENT, rounding=ROUND_DOWN)
            half += spouse_part
            own_part = asset.value - spouse_part
        if asset.disposed_by_will:
            by_will += own_part
    inheritable = total - half - by_will
    return total, half, spouse.id if spouse is not None and half else None, by_will, inheritable


def _allocate(results: dict[int, PersonResult], shares: dict[int, Fraction],
              amount: Decimal) -> None:
    """Money per share, rounded down to the cent, the remaining cents to the largest
    remainders: the amounts always add up to the estate exactly."""
    if not shares:
        return
    cents = int((amount / CENT).to_integral_value())
    exact = {pid: share * cents for pid, share in shares.items()}
    floors = {pid: int(v) for pid, v in exact.items()}
    left = cents - sum(floors.values())
    for pid in sorted(exact, key=lambda p: (-(exact[p] - floors[p]), p))[:left]:
        floors[pid] += 1
    for pid, value in floors.items():
        results[pid].amount = (Decimal(value) * CENT).quantize(CENT)


def split_by_agreement(shares: dict[int, Fraction], amount: Decimal) -> dict[int, Decimal]:
    """Money for an agreed division (art. 1130 ¶5), with the same exact rounding."""
    results = {pid: PersonResult(pid, "", Outcome.HEIR) for pid in shares}
    _allocate(results, shares, amount)
    return {pid: r.amount for pid, r in results.items()}


def parse_fraction(text: str) -> Fraction:
    """Read '1/4', '0.25' or '25%' as an exact fraction; ValueError if it is none of them."""
    cleaned = text.strip().replace("／", "/").replace("％", "%")
    if cleaned.endswith("%"):
        return Fraction(Decimal(cleaned[:-1])) / 100
    if "/" in cleaned:
        num, den = cleaned.split("/", 1)
        return Fraction(int(num), int(den))
    return Fraction(Decimal(cleaned))


def describe_fraction(value: Fraction) -> str:
    """A fraction as written in an inheritance certificate: 1/4 (or 1 for the whole)."""
    return str(value.numerator) if value.denominator == 1 else \
        f"{value.numerator}/{value.denominator}"


def people_sum(results: Iterable[PersonResult]) -> Fraction:
    """The total share held by the final holders (1 whenever anyone inherits)."""
    return sum((r.share for r in results if r.is_final), Fraction(0))
