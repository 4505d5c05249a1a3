"""The facts a 继承 (inheritance) certificate states, written from the heir determination.

Pure: no Flask, no database. `services` hands over the recorded family, the estate and the
determination of notary/inheritance/rules.py; this module writes, in Chinese and in each
translation language, who died before the decedent and whose share passed by subrogation
(代位继承, 民法典 art. 1128) or transmission (转继承, art. 1152), who renounced (art. 1124) or
lost the right (art. 1125) and why, the surviving spouse's own half of the marital property
(art. 1153), and each heir's share of the estate and of every listed asset. The sentences are
handed to the wording template, which the office may rearrange; the figures come only from
the determination, so the certificate and the determination table cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from notary.certificates.languages import LANGUAGES, name_pinyin, romanise
from notary.certificates.rules import chinese_number

_ZH_DIGITS = "〇一二三四五六七八九"


def zh_fraction(value: Fraction) -> str:
    """A share as certificates write it: 1/3 → 三分之一, 1 → 全部."""
    if value == 1:
        return "全部"
    return f"{chinese_number(value.denominator)}分之{chinese_number(value.numerator)}"


def zh_date(value: date | None) -> str:
    """二〇二六年十一月三十日."""
    if value is None:
        return ""
    year = "".join(_ZH_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{chinese_number(value.month)}月{chinese_number(value.day)}日"


@dataclass(frozen=True)
class Member:
    """One relative as the wording needs them (inheritance.models.FamilyMember, flattened)."""

    id: int
    name: str
    relation: str  # inheritance.rules.Relation value
    death_date: date | None = None
    renounced: bool = False
    renounced_on: date | None = None
    lost_ground: str | None = None  # inheritance.models.LossGround value: "1" to "5"
    forgiven: bool = False
    via: int | None = None
    successor_of: int | None = None


@dataclass(frozen=True)
class Share:
    outcome: str  # inheritance.rules.Outcome value
    share: Fraction  # of the inheritable estate
    final: bool  # holds the share in the end


@dataclass(frozen=True)
class EstateAsset:
    description: str
    is_marital: bool
    by_will: bool


@dataclass(frozen=True)
class Succession:
    """Everything the wording of one inheritance certificate is written from."""

    decedent: str
    death_date: date
    members: Sequence[Member]
    shares: dict[int, Share]
    spouse_half_to: int | None  # the surviving spouse holding their own half (art. 1153)
    assets: Sequence[EstateAsset]
    agreed: dict[int, Fraction] = field(default_factory=dict)  # art. 1130 ¶5

    def final_shares(self) -> dict[int, Fraction]:
        """Each final heir's share of the inheritable estate (an agreed division wins)."""
        if self.agreed:
            return dict(self.agreed)
        return {pid: s.share for pid, s in self.shares.items() if s.final and s.share}


# --- phrases per language ------------------------------------------------------------------

_ZH_RELATION = {"spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹",
                "grandparent": "祖父母（外祖父母）", "descendant": "晚辈直系血亲",
                "nephew_niece": "侄子女（外甥子女）", "child_in_law": "丧偶儿媳（女婿）"}
# 民法典 art. 1125 ¶1 (1)-(5), as the article words them.
_ZH_LOSS = {"1": "故意杀害被继承人",
            "2": "为争夺遗产而杀害其他继承人",
            "3": "遗弃被继承人，或者虐待被继承人情节严重",
            "4": "伪造、篡改、隐匿或者销毁遗嘱，情节严重",
            "5": "以欺诈、胁迫手段迫使或者妨碍被继承人设立、变更或者撤回遗嘱，情节严重"}


@dataclass(frozen=True)
class Phrases:
    """How one language words the sentences (names already in the page's script)."""

    name: Callable[[str], str]
    date: Callable[[date | None], str]
    fraction: Callable[[Fraction], str]
    relation: Callable[[str], str]
    join: Callable[[list[str]], str]
    predeceased: str  # {who} {relation} {date}
    subrogation: str  # {heirs}
    transmitted: str  # {who} {relation} {date} {heirs}
    renounced: str  # {who} {relation} {date}
    renounced_undated: str
    lost: str  # {who} {relation} {ground}
    spouse_half: str  # {spouse} {assets}
    heir_sole: str  # {who}
    heirs_equal: str  # {heirs} {fraction}
    heirs_unequal: str  # {parts}
    heir_part: str  # {who} {fraction}
    asset: str  # {asset} {parts}
    asset_part: str  # {who} {fraction}
    asset_part_spouse: str  # {who} {fraction}: including the own half
    loss: Callable[[str], str]
    sentence_end: str
    text: Callable[[str], str]  # free text (an asset's description) in the page's script


def _en_fraction(value: Fraction) -> str:
    if value == 1:
        return "the whole"
    return f"{value.numerator}/{value.denominator}"


def _latin(code: str) -> Phrases:
    lang = LANGUAGES[code]
    relation = {
        "en": {"spouse": "spouse", "child": "child", "parent": "parent", "sibling": "sibling",
               "grandparent": "grandparent", "descendant": "descendant",
               "nephew_niece": "nephew or niece", "child_in_law": "widowed child-in-law"},
        "fr": {"spouse": "conjoint(e)", "child": "enfant", "parent": "parent",
               "sibling": "frère ou sœur", "grandparent": "grand-parent",
               "descendant": "descendant(e)", "nephew_niece": "neveu ou nièce",
               "child_in_law": "gendre ou belle-fille veuf(ve)"},
    }[code]
    loss = {
        "en": {"1": "intentionally killed the decedent",
               "2": "killed another heir to obtain the estate",
               "3": "abandoned or seriously abused the decedent",
               "4": "forged, altered, concealed or destroyed the will",
               "5": "forced or prevented the making, changing or revoking of a "
                               "will"},
        "fr": {"1": "a intentionnellement tué le défunt",
               "2": "a tué un autre héritier pour obtenir la succession",
               "3": "a abandonné ou gravement maltraité le défunt",
               "4": "a falsifié, altéré, dissimulé ou détruit le testament",
               "5": "a contraint ou empêché le défunt de faire, modifier ou "
                               "révoquer un testament"},
    }[code]
    words = {
        "en": dict(
            predeceased="{who}, the decedent's {relation}, died on {date}, before the "
                        "decedent",
            subrogation="; {pronoun} share is inherited by subrogation by {heirs} (Article "
                        "1128 of the Civil Code)",
            transmitted="{who}, the decedent's {relation}, died on {date}, after the decedent "
                        "and before the estate was divided; {pronoun} share passes to {heirs} "
                        "(Article 1152 of the Civil Code)",
            renounced="{who}, the decedent's {relation}, renounced the inheritance in writing "
                      "on {date} (Article 1124 of the Civil Code)",
            renounced_undated="{who}, the decedent's {relation}, renounced the inheritance in "
                              "writing (Article 1124 of the Civil Code)",
            lost="{who}, the decedent's {relation}, has lost the right to inherit because "
                 "{pronoun2} {ground} (Article 1125 of the Civil Code)",
            spouse_half="Of the marital property ({assets}), one half belongs to the surviving "
                        "spouse {spouse} and is not part of the estate (Article 1153 of the "
                        "Civil Code)",
            heir_sole="The estate of the decedent is inherited by {who} alone",
            heirs_equal="The estate of the decedent is inherited by {heirs}, each taking "
                        "{fraction}",
            heirs_unequal="The estate of the decedent is inherited by {parts}",
            heir_part="{who} ({fraction})",
            asset="Of {asset}: {parts}",
            asset_part="{who} holds {fraction}",
            asset_part_spouse="{who} holds {fraction} (with the own half)",
        ),
        "fr": dict(
            predeceased="{who}, {relation} du défunt, est décédé(e) le {date}, avant le défunt",
            subrogation="; sa part est recueillie par représentation par {heirs} (article 1128 "
                        "du Code civil)",
            transmitted="{who}, {relation} du défunt, est décédé(e) le {date}, après le défunt "
                        "et avant le partage ; sa part est transmise à {heirs} (article 1152 "
                        "du Code civil)",
            renounced="{who}, {relation} du défunt, a renoncé par écrit à la succession le "
                      "{date} (article 1124 du Code civil)",
            renounced_undated="{who}, {relation} du défunt, a renoncé par écrit à la "
                              "succession (article 1124 du Code civil)",
            lost="{who}, {relation} du défunt, est déchu(e) du droit de succéder car "
                 "{pronoun2} {ground} (article 1125 du Code civil)",
            spouse_half="Des biens communs ({assets}), la moitié appartient au conjoint "
                        "survivant {spouse} et ne fait pas partie de la succession (article "
                        "1153 du Code civil)",
            heir_sole="La succession du défunt est recueillie par {who} seul(e)",
            heirs_equal="La succession du défunt est recueillie par {heirs}, chacun pour "
                        "{fraction}",
            heirs_unequal="La succession du défunt est recueillie par {parts}",
            heir_part="{who} ({fraction})",
            asset="Quant à {asset} : {parts}",
            asset_part="{who} détient {fraction}",
            asset_part_spouse="{who} détient {fraction} (moitié propre comprise)",
        ),
    }[code]
    pronouns = {"en": ("his or her", "he or she"), "fr": ("sa", "il ou elle")}[code]
    final = {k: v.replace("{pronoun}", pronouns[0]).replace("{pronoun2}", pronouns[1])
             for k, v in words.items()}
    conj = {"en": " and ", "fr": " et "}[code]

    def join(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + conj + items[-1]

    return Phrases(name=name_pinyin, date=lang.date, fraction=_en_fraction,
                   relation=lambda r: relation.get(r, r), join=join,
                   loss=lambda g: loss.get(g, g), sentence_end=". ", text=romanise, **final)


ZH = Phrases(
    name=lambda n: n, date=zh_date, fraction=zh_fraction,
    relation=lambda r: _ZH_RELATION.get(r, r), join=lambda items: "、".join(items),
    predeceased="被继承人的{relation}{who}于{date}先于被继承人死亡",
    subrogation="，其应继承的份额由其晚辈直系血亲{heirs}代位继承（《中华人民共和国民法典》第一千一百二十八条）",
    transmitted="被继承人的{relation}{who}于被继承人死亡后、遗产分割前的{date}死亡，其应继承的份额"
                "由其继承人{heirs}转继承（《中华人民共和国民法典》第一千一百五十二条）",
    renounced="被继承人的{relation}{who}于{date}以书面形式表示放弃继承（《中华人民共和国民法典》"
              "第一千一百二十四条）",
    renounced_undated="被继承人的{relation}{who}以书面形式表示放弃继承（《中华人民共和国民法典》"
                      "第一千一百二十四条）",
    lost="被继承人的{relation}{who}因{ground}，丧失继承权（《中华人民共和国民法典》第一千一百二十五条）",
    spouse_half="{assets}为被继承人与其配偶{spouse}的夫妻共同财产，其中一半为{spouse}所有，不属于遗产"
                "（《中华人民共和国民法典》第一千一百五十三条）",
    heir_sole="被继承人的遗产由{who}一人继承",
    heirs_equal="被继承人的遗产由{heirs}共同继承，各继承{fraction}",
    heirs_unequal="被继承人的遗产由{parts}继承",
    heir_part="{who}继承{fraction}",
    asset="{asset}：{parts}",
    asset_part="{who}占{fraction}",
    asset_part_spouse="{who}占{fraction}（含其夫妻共同财产的一半）",
    loss=lambda g: _ZH_LOSS.get(g, g), sentence_end="。", text=lambda t: t,
)


def phrases(language: str) -> Phrases:
    """The phrases of Chinese ("zh") or of a translation language with inheritance wording."""
    return ZH if language == "zh" else _latin(language)


INHERITANCE_LANGUAGES = frozenset({"zh", "en", "fr"})


@dataclass(frozen=True)
class InheritanceText:
    """The sentences the inheritance template places (each ends with its full stop)."""

    facts: list[str]  # deaths before and after the decedent, renunciations, loss of right
    spouse_half: str  # art. 1153, or ""
    heirs: str  # who inherits which share of the estate
    assets: list[str]  # each listed asset: who holds which share of the whole asset
    articles: list[str]  # the Civil Code articles the division rests on (Chinese numerals)


def inheritance_text(s: Succession, language: str = "zh") -> InheritanceText:
    """Write the inheritance facts of one succession in Chinese or a translation language."""
    p = phrases(language)
    by_id = {m.id: m for m in s.members}
    final = s.final_shares()
    end = p.sentence_end

    def who(member_id: int) -> str:
        return p.name(by_id[member_id].name) if member_id in by_id else "?"

    def takers(children: list[Member]) -> list[Member]:
        return [c for c in children if s.shares.get(c.id, Share("", Fraction(0), False)).share]

    facts: list[str] = []
    articles = ["第一千一百二十七条", "第一千一百三十条"]
    for m in s.members:
        if m.successor_of is not None:
            continue
        rel = p.relation(m.relation)
        died_first = m.death_date is not None and m.death_date < s.death_date
        outcome = s.shares.get(m.id, Share("", Fraction(0), False)).outcome
        if died_first and m.relation != "spouse":
            text = p.predeceased.format(who=p.name(m.name), relation=rel,
                                        date=p.date(m.death_date))
            below = takers([c for c in s.members if c.via == m.id])
            if below:
                text += p.subrogation.format(heirs=p.join([p.name(c.name) for c in below]))
                articles.append("第一千一百二十八条")
            facts.append(text + end)
        elif outcome == "transmitted":
            successors = [p.name(c.name) for c in s.members if c.successor_of == m.id]
            facts.append(p.transmitted.format(
                who=p.name(m.name), relation=rel, date=p.date(m.death_date),
                heirs=p.join(successors) if successors else "—") + end)
            articles.append("第一千一百五十二条")
        elif m.renounced:
            template = p.renounced if m.renounced_on else p.renounced_undated
            facts.append(template.format(who=p.name(m.name), relation=rel,
                                         date=p.date(m.renounced_on)) + end)
        elif m.lost_ground and not m.forgiven:
            facts.append(p.lost.format(who=p.name(m.name), relation=rel,
                                       ground=p.loss(m.lost_ground)) + end)
    spouse_text = ""
    marital = [a for a in s.assets if a.is_marital]
    if s.spouse_half_to is not None and marital:
        spouse_text = p.spouse_half.format(
            assets=p.join([p.text(a.description) for a in marital]),
            spouse=who(s.spouse_half_to)) + end
        articles.insert(0, "第一千一百五十三条")
    shares = [(pid, share) for pid, share in final.items() if share]
    if len(shares) == 1:
        heirs = p.heir_sole.format(who=who(shares[0][0])) + end
    elif shares and len({share for _, share in shares}) == 1:
        heirs = p.heirs_equal.format(heirs=p.join([who(pid) for pid, _ in shares]),
                                     fraction=p.fraction(shares[0][1])) + end
    else:
        heirs = p.heirs_unequal.format(parts=p.join([
            p.heir_part.format(who=who(pid), fraction=p.fraction(share))
            for pid, share in shares])) + end
    assets = []
    for asset in s.assets:
        if asset.by_will:
            continue
        # The estate's part of a marital asset is the decedent's half (art. 1153).
        estate_part = Fraction(1, 2) if asset.is_marital and s.spouse_half_to else Fraction(1)
        holding = {pid: share * estate_part for pid, share in shares}
        if estate_part != 1 and s.spouse_half_to is not None:
            holding[s.spouse_half_to] = holding.get(s.spouse_half_to, Fraction(0)) + \
                (1 - estate_part)
        parts = [(p.asset_part_spouse if pid == s.spouse_half_to and estate_part != 1
                  else p.asset_part).format(who=who(pid), fraction=p.fraction(frac))
                 for pid, frac in holding.items() if frac]
        assets.append(p.asset.format(asset=p.text(asset.description), parts=p.join(parts))
                      + end)
    order = ["第一千一百二十七条", "第一千一百二十八条", "第一千一百三十条", "第一千一百五十二条",
             "第一千一百五十三条"]
    return InheritanceText(facts, spouse_text, heirs, assets,
                           sorted(set(articles), key=order.index))
