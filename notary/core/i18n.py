"""Locale and time-zone selection; times are stored in UTC and shown in Asia/Shanghai."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

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
