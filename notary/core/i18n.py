"""Locale and time-zone selection; times are stored in UTC and shown in Asia/Shanghai."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from flask import Flask, current_app, g, request
from flask_babel import get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

# Blueprints whose pages anonymous readers from anywhere open (a certificate's verification
# page is read by foreign authorities): they follow the browser's language. A domain adds
# its own with `read_in_browser_language`; every other page stays Chinese unless chosen.
BROWSER_LANGUAGE_BLUEPRINTS: set[str] = set()


def read_in_browser_language(blueprint: str) -> None:
    """Let the anonymous readers of a blueprint's pages get them in their browser's language."""
    BROWSER_LANGUAGE_BLUEPRINTS.add(blueprint)


def select_locale() -> str:
    """Use the signed-in user's language, else ?lang=, else on public pages the browser's
    language (Accept-Language), else Chinese."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    lang = request.args.get("lang") if request else None
    if lang in languages:
        return str(lang)
    if request and request.blueprint in BROWSER_LANGUAGE_BLUEPRINTS:
        # zh, zh-CN and zh-Hans all mean the default catalog; any English means English.
        offered = {"zh": "zh_Hans_CN", "en": "en"}
        for header, _quality in request.accept_languages:  # best quality first
            locale = offered.get(header.split("-")[0].lower())
            if locale in languages:
                return str(locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """Every office in scope is in China: one time zone."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def page_translations() -> Any:
    """The request's catalog, looked up once a request (Flask-Babel's `get_translations`
    finds the context, the locale and the domain again on every call; a page makes some
    twenty to sixty of them)."""
    found = g.get("_page_translations")
    if found is None:
        found = g._page_translations = get_translations()
    return found


# A template's `_('...')` without placeholders, as each catalog translated it (the text, as
# escaped markup or as text): {catalog: {(text, autoescape): translation}}. Templates pass
# only literal texts, a fixed set; the bound keeps it fixed if one ever passed another.
_TRANSLATED: WeakKeyDictionary[Any, dict[tuple[str, bool], Any]] = WeakKeyDictionary()
_TRANSLATED_AT_MOST = 10_000


def install_page_gettext(app: Flask) -> None:
    """Have templates translate through `page_translations` (the same catalog Flask-Babel
    gives, and Jinja's new-style formatting and escaping as before).

    A text without placeholders is translated once per catalog and kept: Jinja's new-style
    gettext looks it up, wraps it as markup and formats it on every call (7 µs a text, 5
    kept), and a page has twenty of them."""
    env = app.jinja_env
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
    translate: Callable[..., Any] = env.globals["gettext"]  # type: ignore[assignment]

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> Any:
        if variables:
            return translate(context, string, **variables)
        catalog = page_translations()
        known = _TRANSLATED.get(catalog)
        if known is None:
            known = _TRANSLATED.setdefault(catalog, {})
        key = (string, bool(context.eval_ctx.autoescape))
        found = known.get(key)
        if found is None:
            found = translate(context, string)
            if len(known) < _TRANSLATED_AT_MOST:
                known[key] = found
        return found

    env.globals["gettext"] = gettext
