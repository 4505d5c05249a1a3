"""Locale and time-zone selection; times are stored in UTC and shown in Asia/Shanghai."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user


def select_locale() -> str:
    """Use the signed-in user's language, else ?lang= on public pages, else Chinese."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    lang = request.args.get("lang") if request else None
    if lang in languages:
        return str(lang)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """Every office in scope is in China: one time zone."""
    return str(current_app.config["BABEL_DEFAULT_TIMEZONE"])
