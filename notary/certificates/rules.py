"""Pure certificate rules: numbers, issue order, wording templates, review deadlines,
Apostille or legalization, archive retention. No Flask, no database."""

from __future__ import annotations

import contextvars
import functools
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

DEFAULT_NUMBER_FORMAT = "（{year}）湘衡耒证字第{seq}号"  # the Leiyang format is unconfirmed [U]
CORRECTION_SUFFIX = "（补正）"  # domain.md §1.5: a 补正 keeps the number with this suffix

# 1981 notice: in an inheritance case the will comes before the inheritance certificate,
# which comes before the power of attorney (domain.md §2.2).
_ISSUE_ORDER = {"will": 0, "inheritance": 1, "power_of_attorney": 2}


def format_number(fmt: str, year: int, seq: int, width: int = 0) -> str:
    """The certificate number of one series for the year and sequence value."""
    return fmt.format(year=year, seq=str(seq).zfill(width))


def correction_number(number: str) -> str:
    """The number of a 补正 certificate: the original with （补正）."""
    return number if number.endswith(CORRECTION_SUFFIX) else number + CORRECTION_SUFFIX


def issue_order(codes: Iterable[str]) -> list[str]:
    """Matter codes in the order their certificates take numbers (will, inheritance, POA)."""
    items = list(codes)
    return sorted(items, key=lambda c: (_ISSUE_ORDER.get(c, 10), items.index(c)))


def series_for(category: str, series: Mapping[str, Mapping[str, Any]]) -> str:
    """The series code for a case category (the one listing it, else the default series)."""
    for code, spec in series.items():
        if category in spec.get("categories", ()):
            return code
    return next(code for code, spec in series.items() if spec.get("default"))


# Verification codes: 8 characters without look-alikes (0/O, 1/I/L), shown as XXXX-XXXX.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    """A random short code printed on the certificate (40 bits: cannot be guessed)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(text: str) -> str:
    """What a person typed, read as a code: case, spaces and dashes forgiven."""
    cleaned = "".join(c for c in text.upper() if c.isascii() and c.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else cleaned


def normalize_number(text: str) -> str:
    """A typed certificate number with half-width brackets and spaces forgiven."""
    table = str.maketrans({"(": "（", ")": "）", " ": None, "\u3000": None})
    return text.strip().translate(table)


# --- wording (证词) templates ---------------------------------------------------------------

# Bounds of one rendering: a template is office data, but `{{ 'x' * 4000000 }}` or three
# nested loops must not hold a worker until its timeout. Counted, not timed (a deadline is
# only the backstop): sizes of strings and lists a template builds, loop steps and calls,
# and the text it writes.
WORDING_MAX_LENGTH = 100_000  # characters of a built string, items of a built list or range
WORDING_MAX_STEPS = 100_000  # loop iterations and calls, together, in one rendering
WORDING_MAX_OUTPUT = 100_000  # characters of rendered text
WORDING_MAX_SECONDS = 2.0


class WordingError(ValueError):
    """A wording template that does not compile or does not render with a sample case."""


class WordingLimit(WordingError):
    """A template that would build too much or run too long (kind: length, steps, output,
    time), refused with the limit it reached."""

    def __init__(self, kind: str, limit: float) -> None:
        super().__init__(f"wording template over its {kind} limit ({limit:g})")
        self.kind, self.limit = kind, limit


@dataclass
class _Budget:
    steps: int = 0
    deadline: float = 0.0


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("wording_budget")


def _step() -> None:
    budget = _BUDGET.get(None)
    if budget is None:
        return
    budget.steps += 1
    if budget.steps > WORDING_MAX_STEPS:
        raise WordingLimit("steps", WORDING_MAX_STEPS)
    if budget.steps % 1000 == 0 and time.monotonic() > budget.deadline:
        raise WordingLimit("time", WORDING_MAX_SECONDS)


def _sized(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict, set)) and len(value) > WORDING_MAX_LENGTH:
        raise WordingLimit("length", WORDING_MAX_LENGTH)
    return value


def _bounded_iteration(iterable: Any) -> Iterator[Any]:
    for item in iterable:
        _step()
        yield item


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with sizes and steps counted (see WORDING_MAX_*)."""

    intercepted_binops = frozenset(("*", "**", "+", "%"))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and (
                        len(seq) * times > WORDING_MAX_LENGTH):
                    raise WordingLimit("length", WORDING_MAX_LENGTH)
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise WordingLimit("length", WORDING_MAX_LENGTH)  # 9 ** 9 ** 9: digits, no end
        if operator == "%" and isinstance(left, str) and len(left) > WORDING_MAX_LENGTH:
            raise WordingLimit("length", WORDING_MAX_LENGTH)
        return _sized(super().call_binop(context, operator, left, right))

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        # Widths and counts (center, ljust, zfill, expandtabs, replace's count ...) first.
        if any(isinstance(a, int) and not isinstance(a, bool) and a > WORDING_MAX_LENGTH
               for a in (*args, *kwargs.values())):
            raise WordingLimit("length", WORDING_MAX_LENGTH)
        if getattr(__obj, "__name__", None) == "replace" and len(args) >= 2 and isinstance(
                getattr(__obj, "__self__", None), str):
            _check_replace(__obj.__self__, args[0], args[1])
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        # Every loop counts its steps; every ~ (concatenation) and filter result is sized.
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_bounded_iteration", [], [], None, None,
                                     lineno=loop.lineno)
        for join in list(tree.find_all(nodes.Concat)):
            join.nodes = [nodes.Filter(n, "_sized", [], [], None, None, lineno=join.lineno)
                          for n in join.nodes]
        return tree


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str) and (
            len(text) + (text.count(old) if old else len(text) + 1) * len(new)
            > WORDING_MAX_LENGTH):
        raise WordingLimit("length", WORDING_MAX_LENGTH)


def _bounded_filter(function: Any) -> Any:
    """A built-in filter with its widths checked first and its result sized."""
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _step()
        if any(isinstance(a, int) and not isinstance(a, bool) and a > WORDING_MAX_LENGTH
               for a in (*args, *kwargs.values())):
            raise WordingLimit("length", WORDING_MAX_LENGTH)
        if function.__name__ == "do_replace" and len(args) >= 4:
            _check_replace(str(args[1]), args[2], args[3])
        return _sized(function(*args, **kwargs))
    return bounded


_SANDBOX = _BoundedSandbox(undefined=StrictUndefined, autoescape=False,
                           trim_blocks=True, lstrip_blocks=True)
_SANDBOX.globals.clear()  # a template sees only the context it is given (no range either)
_SANDBOX.filters = {name: _bounded_filter(f) for name, f in _SANDBOX.filters.items()}
_SANDBOX.filters["_bounded_iteration"] = _bounded_iteration
_SANDBOX.filters["_sized"] = _sized


def render_wording(source: str, context: Mapping[str, Any]) -> str:
    """Fill a wording template in the sandbox: no globals, no attribute tricks, no code, and
    bounded in what it builds, how many steps it runs and how much it writes."""
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + WORDING_MAX_SECONDS))
    try:
        out: list[str] = []
        written = 0
        for chunk in _SANDBOX.from_string(source).generate(**context):
            written += len(chunk)
            if written > WORDING_MAX_OUTPUT:
                raise WordingLimit("output", WORDING_MAX_OUTPUT)
            out.append(chunk)
        return "".join(out).strip()
    except WordingError:
        raise
    except TemplateError as exc:
        raise WordingError(str(exc)) from exc
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise WordingLimit("steps", WORDING_MAX_STEPS) from exc
    finally:
        _BUDGET.reset(token)


def validate_wording(source: str, sample: Mapping[str, Any]) -> str | None:
    """Why the template cannot be saved (it must compile and render a sample case), or None."""
    try:
        render_wording(source, sample)
    except WordingError as exc:
        return str(exc)
    except Exception as exc:
        return str(exc)
    return None


@dataclass(frozen=True)
class Wording:
    matter: str  # 公证事项 as printed
    body: str  # Jinja source of the 证词
    body_en: str  # Jinja source of the English translation


_P = "{{ applicant.name }}"
_DOC = "{{ document_name or '%s' }}"
# The inheritance facts come written from the heir determination (certificates/wording.py):
# deaths before and after the decedent, renunciations, loss of the right, the spouse's own
# half (民法典 art. 1153), each heir's share of the estate and of each listed asset.
_INHERITANCE_FACTS = ("{% for f in inheritance.facts %}{{ f }}{% endfor %}"
                      "{{ inheritance.spouse_half }}")
_INHERITANCE_DIVISION = ("{{ inheritance.heirs }}"
                         "{% for a in inheritance.assets %}{{ a }}{% endfor %}")
# 婚姻状况 since the 2003 婚姻登记条例 (司法部 notice, legal-texts.md §7.3): a declaration
# (声明书) is notarized, or the registry's proof of no marriage registration record; the
# substantive "未曾登记结婚" wording stays only for those below the legal marriage age
# (民法典 art. 1047) and, by the office's choice, those who left China before 2003-10-01.
_MARITAL = (
    "{% if marital.form == 'no_record' %}"
    f"兹证明{_P}在其户籍所在地婚姻登记机关{{{{ marital.registry }}}}无婚姻登记记录。"
    "{% elif marital.form == 'substantive' %}"
    f"兹证明{_P}至{{{{ today }}}}未曾登记结婚。"
    "{% else %}"
    f"兹证明{_P}于{{{{ sign_date }}}}来到我处，在本公证员面前，在前面的《{_DOC % '@DOC@'}》上签名，"
    f"并保证声明内容完全真实。{_P}的声明行为符合《中华人民共和国民法典》第一百四十三条的规定。"
    "{% endif %}")
_MARITAL_EN = (
    "{% if marital.form == 'no_record' %}"
    f"This is to certify that {_P} has no record of marriage registration at the marriage "
    "registry of the place of his or her household registration."
    "{% elif marital.form == 'substantive' %}"
    f"This is to certify that {_P} had not registered a marriage up to {{{{ today_en }}}}."
    "{% else %}"
    f"This is to certify that {_P} came to our office on {{{{ sign_date_en }}}} and signed the "
    "foregoing declaration in my presence, guaranteeing that it is true."
    "{% endif %}")
DEFAULT_WORDINGS: dict[str, Wording] = {
    "inheritance": Wording(
        "继承",
        "兹证明被继承人{{ decedent.name }}于{{ decedent.death_date }}在{{ decedent.death_place }}"
        "死亡。{% if has_will %}被继承人生前立有遗嘱。{% else %}被继承人生前未立遗嘱。{% endif %}"
        f"{_INHERITANCE_FACTS}\n"
        "根据《中华人民共和国民法典》{{ inheritance.articles|join('、') }}的规定，"
        f"{_INHERITANCE_DIVISION}",
        "This is to certify that the decedent {{ decedent.name }} died in "
        "{{ decedent.death_place }} on {{ decedent.death_date }}. "
        "{% if has_will %}The decedent left a will. {% else %}The decedent left no will. "
        f"{{% endif %}}{_INHERITANCE_FACTS}\n"
        "Under the Civil Code of the People's Republic of China: "
        f"{_INHERITANCE_DIVISION}",
    ),
    "will": Wording(
        "遗嘱",
        f"兹证明{_P}于{{{{ sign_date }}}}来到我处，在本公证员和本处工作人员面前，在前面的"
        "《遗嘱》上签名，并表示知悉遗嘱的法律意义和法律后果。"
        f"{_P}的遗嘱行为符合《中华人民共和国民法典》第一千一百三十三条、"
        "第一千一百三十九条的规定。",
        f"This is to certify that {_P} came to our office on {{{{ sign_date_en }}}} and signed "
        "the foregoing Will in the presence of the notary public and a member of staff.",
    ),
    "power_of_attorney": Wording(
        "委托",
        f"兹证明{_P}于{{{{ sign_date }}}}来到我处，在本公证员面前，在前面的"
        f"《{_DOC % '委托书'}》上签名，并表示知悉委托的法律意义和法律后果。"
        f"{_P}的委托行为符合《中华人民共和国民法典》第一百六十五条的规定。",
        f"This is to certify that {_P} came to our office on {{{{ sign_date_en }}}} and signed "
        "the foregoing Letter of Authorization in the presence of me, the notary public, "
        "acknowledging that he/she knows what it legally means.",
    ),
    "declaration": Wording(
        "声明",
        f"兹证明{_P}于{{{{ sign_date }}}}来到我处，在本公证员面前，在前面的"
        f"《{_DOC % '声明书'}》上签名，并表示知悉声明的法律意义和法律后果。"
        f"{_P}的声明行为符合《中华人民共和国民法典》第一百四十三条的规定。",
        f"This is to certify that {_P} came to our office on {{{{ sign_date_en }}}} and signed "
        "the foregoing Declaration in the presence of me, the notary public.",
    ),
    # 出生: the place by province and county, the birth parents ([81]司公字第139号).
    "birth": Wording(
        "出生",
        f"兹证明{_P}{{% if applicant.sex %}}（{{{{ applicant.sex }}}}）{{% endif %}}于"
        "{{ applicant.birth_date or '×年×月×日' }}在{{ applicant.birth_place or '×××' }}出生。"
        f"{_P}的父亲是{{{{ father or '×××' }}}}，母亲是{{{{ mother or '×××' }}}}。",
        f"This is to certify that {_P}{{% if applicant.sex %}} ({{{{ applicant.sex }}}})"
        "{% endif %} was born in {{ applicant.birth_place }} on {{ applicant.birth_date }}. "
        f"The father of {_P} is {{{{ father }}}} and the mother is {{{{ mother }}}}.",
    ),
    "no_criminal_record": Wording(
        "无犯罪记录",
        f"兹证明{_P}至{{{{ today }}}}在中华人民共和国居住期间无犯罪记录。",
        f"This is to certify that {_P} had no record of committing offences against the "
        "criminal law during his/her residence in China before {{ today_en }}.",
    ),
    "education": Wording(
        "学历",
        f"兹证明前面的{_P}的《{_DOC % '毕业证书'}》复印件与原件相符，原件属实。",
        f"This is to certify that the foregoing copy of the diploma of {_P} conforms to the "
        "original, and the original is genuine.",
    ),
    "marital_status": Wording("婚姻状况", _MARITAL.replace("@DOC@", "婚姻状况声明书"), _MARITAL_EN),
    "unmarried": Wording("未婚", _MARITAL.replace("@DOC@", "未婚声明书"), _MARITAL_EN),
    "no_marriage_record": Wording(
        "无婚姻登记记录",
        f"兹证明根据{{{{ marital.registry or '婚姻登记机关' }}}}出具的证明，"
        f"{_P}在该机关无婚姻登记记录。",
        f"This is to certify that, according to the marriage registry, {_P} has no record of "
        "marriage registration.",
    ),
    "kinship": Wording(
        "亲属关系",
        f"兹证明{_P}与{{{{ relative or '×××' }}}}是{{{{ relation or '×××' }}}}关系。",
        f"This is to certify that {_P} and {{{{ relative or '…' }}}} are relatives.",
    ),
    "copy_conformity": Wording(
        "复印件与原件相符",
        f"兹证明前面的《{_DOC % '文件'}》复印件与原件相符，原件属实。",
        "This is to certify that the foregoing copy conforms to the original, and the "
        "original is genuine.",
    ),
    "translation_conformity": Wording(
        "译文与原文相符",
        "兹证明前面的{{ language or '英文' }}译文与中文原本内容相符。",
        "This is to certify that the foregoing {{ language_name or 'English' }} translation "
        "conforms to the Chinese original.",
    ),
}
GENERIC_WORDING = Wording(
    "{{ matter }}",
    f"兹证明{_P}于{{{{ sign_date }}}}申请办理{{{{ matter }}}}公证，经审查，上述事项属实。",
    f"This is to certify the matter of {{{{ matter_en }}}} applied for by {_P}.",
)

# Built-in translation pages in French (the matter as printed, the wording). English comes
# from the wording templates above (body_en), which the office may override; a language
# without built-in wording gets an empty translation that the notary writes before approval.
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {"fr": {
    "inheritance": (
        "Succession",
        "Il est certifié que le défunt {{ decedent.name }} est décédé à "
        "{{ decedent.death_place }} le {{ decedent.death_date }}. "
        "{% if has_will %}Le défunt a laissé un testament. {% else %}Le défunt n'a pas laissé "
        f"de testament. {{% endif %}}{_INHERITANCE_FACTS}\n"
        "En application du Code civil de la République populaire de Chine : "
        f"{_INHERITANCE_DIVISION}"),
    "birth": (
        "Naissance",
        f"Il est certifié que {_P}{{% if applicant.sex %}} ({{{{ applicant.sex }}}}){{% endif %}}"
        " est né(e) à {{ applicant.birth_place }} le {{ applicant.birth_date }}. "
        f"Le père de {_P} est {{{{ father }}}} et la mère est {{{{ mother }}}}."),
    "marital_status": (
        "Situation matrimoniale",
        "{% if marital.form == 'no_record' %}"
        f"Il est certifié que {_P} n'a aucun enregistrement de mariage auprès du bureau "
        "d'état civil du lieu de son domicile."
        "{% elif marital.form == 'substantive' %}"
        f"Il est certifié que {_P} n'avait contracté aucun mariage enregistré au "
        "{{ today_en }}."
        "{% else %}"
        f"Il est certifié que {_P} s'est présenté(e) à notre office le {{{{ sign_date_en }}}} "
        "et a signé devant moi la déclaration ci-jointe, en garantissant qu'elle est exacte."
        "{% endif %}"),
    "declaration": (
        "Déclaration",
        f"Il est certifié que {_P} s'est présenté(e) à notre office le {{{{ sign_date_en }}}} "
        "et a signé devant moi, notaire, la déclaration ci-jointe."),
    "power_of_attorney": (
        "Procuration",
        f"Il est certifié que {_P} s'est présenté(e) à notre office le {{{{ sign_date_en }}}} "
        "et a signé devant moi, notaire, la procuration ci-jointe, en déclarant en connaître "
        "la portée juridique."),
    "no_criminal_record": (
        "Absence de casier judiciaire",
        f"Il est certifié que {_P} n'a fait l'objet d'aucune condamnation pénale pendant sa "
        "résidence en Chine jusqu'au {{ today_en }}."),
    "kinship": (
        "Lien de parenté",
        f"Il est certifié que {_P} et {{{{ relative }}}} sont parents."),
    "copy_conformity": (
        "Conformité de la copie",
        "Il est certifié que la copie ci-jointe est conforme à l'original, et que l'original "
        "est authentique."),
    "translation_conformity": (
        "Conformité de la traduction",
        "Il est certifié que la traduction en {{ language_name }} ci-jointe est conforme à "
        "l'original chinois."),
}}
TRANSLATIONS["fr"]["unmarried"] = ("Célibat", TRANSLATIONS["fr"]["marital_status"][1])


def address_problem(url: str) -> str | None:
    """Why a public verification address cannot go into a certificate: "scheme" (not an
    http(s) address with a host), "path" (more than the site's address), or None."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "scheme"
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        return "path"
    return None


def translation_note(language_zh: str) -> str:
    """The 译文与原文相符 certificate that follows a translation, naming its language."""
    return f"兹证明前面的{language_zh}译文与中文原本内容相符。"


_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """A whole number below 10,000 in Chinese numerals: 3 -> 三, 12 -> 十二, 105 -> 一百〇五."""
    if n < 10:
        return _DIGITS[n]
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "〇"
            out += ("" if (unit == "十" and not out and digit == 1) else _DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def chinese_share(text: str) -> str:
    """A share as certificates write it: "1/3" -> 三分之一, "1" -> 全部."""
    if "/" not in text:
        return "全部" if text.strip() == "1" else text
    top, bottom = (int(x) for x in text.split("/"))
    return f"{chinese_number(bottom)}分之{chinese_number(top)}"


def english_date(value: date | None) -> str:
    """A date as English certificates write it: 30 November 2026."""
    return f"{value.day} {value:%B} {value.year}" if value else ""


# --- review (复查), 公证程序规则 2020 art. 61 ---------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_deadline_problems(*, applied_on: date, issued_on: date, known_on: date | None
                             ) -> list[str]:
    """Which time limits a review application misses: 1 year from receipt (or knowledge),
    20 years from issue. Returns the codes "one_year" / "twenty_years"."""
    problems = []
    if known_on is not None and applied_on > add_years(known_on, 1):
        problems.append("one_year")
    if applied_on > add_years(issued_on, 20):
        problems.append("twenty_years")
    return problems


# --- foreign use (domain.md §4.1) ------------------------------------------------------------

APOSTILLE_IN_FORCE_FOR_CHINA = date(2023, 11, 7)
# A small table the office extends: country -> the day the Convention applies with China.
APOSTILLE_STATES: dict[str, date] = {
    "美国": APOSTILLE_IN_FORCE_FOR_CHINA, "德国": APOSTILLE_IN_FORCE_FOR_CHINA,
    "法国": APOSTILLE_IN_FORCE_FOR_CHINA, "英国": APOSTILLE_IN_FORCE_FOR_CHINA,
    "日本": APOSTILLE_IN_FORCE_FOR_CHINA, "韩国": APOSTILLE_IN_FORCE_FOR_CHINA,
    "澳大利亚": APOSTILLE_IN_FORCE_FOR_CHINA, "意大利": APOSTILLE_IN_FORCE_FOR_CHINA,
    "西班牙": APOSTILLE_IN_FORCE_FOR_CHINA, "俄罗斯": APOSTILLE_IN_FORCE_FOR_CHINA,
    "新西兰": APOSTILLE_IN_FORCE_FOR_CHINA, "荷兰": APOSTILLE_IN_FORCE_FOR_CHINA,
    "加拿大": date(2024, 1, 11),
}
# The Convention does not apply between China and India (China objected).
APOSTILLE_EXCLUDED = frozenset({"印度"})


def legalization_route(country: str, on: date,
                       states: Mapping[str, date] | None = None) -> str:
    """"apostille" (附加证明书) or "consular" (领事认证) for a destination on a day."""
    table = APOSTILLE_STATES if states is None else states
    since = table.get(country.strip())
    if country.strip() in APOSTILLE_EXCLUDED or since is None or on < since:
        return "consular"
    return "apostille"


# --- archive (domain.md §1.6) ----------------------------------------------------------------

PERMANENT_MATTERS = frozenset({"will", "inheritance", "adoption", "legacy_support", "gift",
                               "contract", "property_division"})
SHORT_MATTERS = frozenset({"copy_conformity", "translation_conformity", "driving_licence"})


def retention_for(codes: Iterable[str]) -> str:
    """The retention class (永久 / 长期 / 短期) of a file: the longest its matters need."""
    items = set(codes)
    if items & PERMANENT_MATTERS:
        return "permanent"
    if items and items <= SHORT_MATTERS:
        return "short"
    return "long"


def is_confidential(codes: Iterable[str]) -> bool:
    """A will goes into a confidential file (密卷, 公证程序规则 art. 60)."""
    return "will" in set(codes)
