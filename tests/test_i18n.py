"""The Chinese catalog: complete, not fuzzy, placeholders intact, and actually served."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

LC_MESSAGES = Path(__file__).resolve().parents[1] / "notary/translations/zh_Hans_CN/LC_MESSAGES"
PO_PATH = LC_MESSAGES / "messages.po"


def _catalog() -> Catalog:
    with PO_PATH.open("rb") as f:
        return read_po(f, locale="zh_Hans_CN")


def test_every_message_is_translated_and_not_fuzzy() -> None:
    catalog = _catalog()
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    assert not problems, "\n".join(problems)


def test_placeholders_match_and_catalog_compiles() -> None:
    catalog = _catalog()
    errors = [f"{message.id!r}: {err}" for message, errs in catalog.check() for err in errs]
    assert not errors, "\n".join(errors)
    with tempfile.TemporaryFile() as buf:
        write_mo(buf, catalog)  # what `pybabel compile` writes; fails on a broken catalog
        assert buf.tell() > 0


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalog() -> None:
    """Serve the current .po: compile it (atomically; the .mo is git-ignored build output)."""
    catalog = _catalog()
    fd, tmp = tempfile.mkstemp(dir=LC_MESSAGES, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, LC_MESSAGES / "messages.mo")
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def test_login_page_is_chinese_by_default(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert "登录" in html
    assert "Sign in" not in html


def test_login_page_is_english_on_request(client: FlaskClient) -> None:
    response = client.get("/login?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "登录" not in html


def test_every_ui_string_in_the_code_is_in_the_catalog() -> None:
    """A string wrapped in _() / _l() but never extracted would show in English: fail on it."""
    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parents[1]
    method_map = [("notary/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                "lazy_gettext": None}
    in_code: set[str] = set()
    for folder in ("notary", "templates"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            root / folder,
            method_map=[(p.split("/", 1)[1], m) for p, m in method_map if p.startswith(folder)],
            keywords=keywords,
            # Babel skips folders starting with "_" by default; templates/_macros counts too.
            directory_filter=lambda d: not os.path.basename(d).startswith((".", "__")),
        ):
            in_code.add(message[0] if isinstance(message, tuple) else message)
    catalog = _catalog()
    missing = sorted(m for m in in_code if m and catalog.get(m) is None)
    assert not missing, "run `make extract` and translate:\n" + "\n".join(missing)


def test_template_texts_are_translated_in_the_reader_language_each_time(app) -> None:
    """A template's texts are kept once translated, per catalog: each language still gets
    its own, a text with placeholders is still formatted, and escaping is as Jinja's."""
    from flask import g, render_template_string
    from flask_babel import gettext, refresh
    from markupsafe import Markup

    page = "{{ _('Cases') }}|{{ _('%(total)d in total', total=3) }}"
    seen = []
    for lang in ("zh_Hans_CN", "en", "zh_Hans_CN", "en"):
        with app.test_request_context(f"/login?lang={lang}"):
            g.__dict__.clear()  # a new request's (the test's app context outlives them)
            refresh()
            expected = f"{gettext('Cases')}|{gettext('%(total)d in total', total=3)}"
            assert render_template_string(page) == expected
            seen.append(expected)
            # Kept or not, a text is markup in an escaping template and text elsewhere.
            escaping = app.jinja_env.from_string("{{ _('Cases') }}")
            assert escaping.render() == gettext("Cases")
            translate = app.jinja_env.globals["gettext"]
            kept = translate(escaping.new_context(), "Cases")
            assert isinstance(kept, Markup) and kept == gettext("Cases")
    assert seen[0] == seen[2] and seen[1] == seen[3] and seen[0] != seen[1]
    assert seen[1] == "Cases|3 in total"
