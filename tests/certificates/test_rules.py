"""Pure certificate rules, table-driven."""

from __future__ import annotations

from datetime import date

import pytest

from notary.certificates import rules


@pytest.mark.parametrize(("fmt", "year", "seq", "width", "expected"), [
    (rules.DEFAULT_NUMBER_FORMAT, 2026, 123, 0, "（2026）湘衡耒证字第123号"),
    ("（{year}）湘衡耒证外字第{seq}号", 2027, 7, 5, "（2027）湘衡耒证外字第00007号"),
])
def test_numbers_follow_the_series_format(fmt, year, seq, width, expected):
    assert rules.format_number(fmt, year, seq, width) == expected


def test_a_correction_keeps_the_number_with_the_suffix():
    assert rules.correction_number("（2026）湘衡耒证字第5号") == "（2026）湘衡耒证字第5号（补正）"
    assert rules.correction_number("X（补正）") == "X（补正）"


@pytest.mark.parametrize(("codes", "expected"), [
    (["power_of_attorney", "inheritance", "will"], ["will", "inheritance", "power_of_attorney"]),
    (["declaration", "power_of_attorney", "birth"], ["power_of_attorney", "declaration",
                                                     "birth"]),
])
def test_will_inheritance_power_of_attorney_order(codes, expected):
    assert rules.issue_order(codes) == expected


def test_the_category_chooses_the_series():
    series = {"general": {"default": True, "categories": []},
              "foreign": {"categories": ["foreign_civil"]},
              "taiwan": {"categories": ["taiwan"]}}
    assert rules.series_for("foreign_civil", series) == "foreign"
    assert rules.series_for("taiwan", series) == "taiwan"
    assert rules.series_for("domestic_civil", series) == "general"


def test_verification_codes_are_short_unambiguous_and_forgiving():
    code = rules.new_verification_code()
    assert len(code) == 9 and code[4] == "-"
    assert not set(code) & set("01OIL")
    assert rules.normalize_code(f" {code.lower().replace('-', ' ')} ") == code
    assert rules.normalize_number("(2026)湘衡耒证字第1号 ") == "（2026）湘衡耒证字第1号"


@pytest.mark.parametrize(("applied", "known", "issued", "late"), [
    (date(2026, 6, 1), date(2025, 6, 1), date(2025, 5, 1), []),
    (date(2026, 6, 2), date(2025, 6, 1), date(2025, 5, 1), ["one_year"]),
    (date(2046, 5, 2), date(2046, 1, 1), date(2026, 5, 1), ["twenty_years"]),
    (date(2028, 2, 28), date(2027, 2, 28), date(2024, 2, 29), []),
])
def test_review_time_limits(applied, known, issued, late):
    assert rules.review_deadline_problems(applied_on=applied, issued_on=issued,
                                          known_on=known) == late


@pytest.mark.parametrize(("country", "on", "route"), [
    ("美国", date(2023, 11, 7), "apostille"),
    ("美国", date(2023, 11, 6), "consular"),
    ("印度", date(2025, 1, 1), "consular"),  # the Convention does not apply with India
    ("加拿大", date(2024, 1, 10), "consular"),
    ("加拿大", date(2024, 1, 11), "apostille"),
    ("越南", date(2025, 1, 1), "consular"),
])
def test_apostille_or_consular_legalization(country, on, route):
    assert rules.legalization_route(country, on) == route


def test_the_office_table_replaces_the_built_in_one():
    assert rules.legalization_route("越南", date(2025, 1, 1), {"越南": date(2024, 1, 1)}) \
        == "apostille"
    assert rules.legalization_route("印度", date(2025, 1, 1), {"印度": date(2020, 1, 1)}) \
        == "consular"


@pytest.mark.parametrize(("codes", "retention", "confidential"), [
    (["will"], "permanent", True),
    (["inheritance", "power_of_attorney"], "permanent", False),
    (["copy_conformity"], "short", False),
    (["birth"], "long", False),
])
def test_retention_and_confidential_files(codes, retention, confidential):
    assert rules.retention_for(codes) == retention
    assert rules.is_confidential(codes) is confidential


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ applicant.__class__ }}",
    "{{ config }}",
    "{{ range(10) }}",
    "{{ lipsum }}",
    "{% for x in heirs %}{{ x.name.format.__globals__ }}{% endfor %}",
    "{{ applicant.name.__len__() }}",
    "{% if %}",
])
def test_templates_run_in_a_sandbox_and_see_only_their_context(source):
    sample = {"applicant": {"name": "张三"}, "heirs": [{"name": "李明"}]}
    assert rules.validate_wording(source, sample) is not None
    with pytest.raises(Exception):  # noqa: B017 - WordingError or the sandbox's SecurityError
        rules.render_wording(source, sample)


def test_every_built_in_wording_renders_with_the_sample():
    from notary.certificates.services import SAMPLE_CONTEXT

    for code in ("inheritance", "power_of_attorney", "declaration", "birth",
                 "no_criminal_record", "education", "marital_status", "unmarried",
                 "no_marriage_record", "kinship", "copy_conformity", "translation_conformity"):
        wording = rules.DEFAULT_WORDINGS[code]
        assert rules.validate_wording(wording.body, SAMPLE_CONTEXT) is None, code
        assert rules.validate_wording(wording.body_en, SAMPLE_CONTEXT) is None, code
    text = rules.render_wording(rules.DEFAULT_WORDINGS["inheritance"].body, SAMPLE_CONTEXT)
    assert "各继承二分之一" in text and "李德胜" in text
    assert "李建国于二〇一九年五月一日先于" in text


@pytest.mark.parametrize(("share", "text"), [
    ("1/2", "二分之一"), ("3/10", "十分之三"), ("1", "全部"), ("7/120", "一百二十分之七"),
    ("1/105", "一百〇五分之一"),
])
def test_shares_are_written_in_chinese_numerals(share, text):
    assert rules.chinese_share(share) == text


@pytest.mark.parametrize(("source", "kind"), [
    ("{{ 'x' * 4000000 }}", "length"),
    ("{{ 4000000 * 'x' }}", "length"),
    ("{{ ['a'] * 4000000 }}", "length"),
    ("{{ 'x'|center(1000000000) }}", "length"),
    ("{{ 'x'.ljust(1000000000) }}", "length"),
    ("{{ ('x' * 50000)|replace('x', 'xxxxx') }}", "length"),
    ("{{ 9 ** 99999999 }}", "length"),
    ("{% set a = 'x' * 60000 %}{% set b = a ~ a %}{% set c = b ~ b %}{{ c }}", "length"),
    ("{% for a in 'x' * 1000 %}{% for b in 'x' * 1000 %}{% endfor %}{% endfor %}", "steps"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
     "{{ f(40) }}", "steps"),
    ("{% for a in 'x' * 300 %}{{ 'y' * 1000 }}{% endfor %}", "output"),
])
def test_a_template_cannot_build_or_run_without_bound(source, kind):
    with pytest.raises(rules.WordingLimit) as refused:
        rules.render_wording(source, {"applicant": {"name": "张三"}})
    assert refused.value.kind == kind
    # Within the bounds the same constructs work.
    assert rules.render_wording("{{ '—' * 3 }}{% for c in '甲乙' %}{{ c }}{% endfor %}",
                                {}) == "———甲乙"
