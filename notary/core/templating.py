"""Template filters and globals: dates in Asia/Shanghai, permissions, pagination (the parties
domain adds its masks)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, g, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from notary.core.audit_labels import audit_action, audit_field, audit_value
from notary.core.i18n import install_page_gettext
from notary.core.models import OFFICE_TZ
from notary.core.page_cache import kept_fragments
from notary.core.permissions import Permission, has_permission

_CN_DIGITS = "〇一二三四五六七八九"


def chinese_date(value: date | datetime | None) -> str:
    """Write a date in Chinese numerals, as certificates do: 二〇二六年十一月三十日."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        from zoneinfo import ZoneInfo

        value = value.astimezone(ZoneInfo("Asia/Shanghai")).date()

    def small(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

    year = "".join(_CN_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{small(value.month)}月{small(value.day)}日"


def local_datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """Show a UTC timestamp in the office's time zone."""
    if not value:
        return ""
    if fmt == "yyyy-MM-dd HH:mm" and value.tzinfo is not None:
        # The lists' format has no language-dependent part: strftime gives the same text as
        # Babel's formatter at a twentieth of its cost (a list shows one per row).
        return value.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M")
    return format_datetime(value, fmt)


def local_date(value: datetime | date | None) -> str:
    """Show the local calendar date of a timestamp."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd")
    return format_date(value, "yyyy-MM-dd")


def weekday(value: date) -> str:
    """The day of the week, short, in the reader's language (周一, Mon)."""
    return format_date(value, "EEE")


_PAGE_SLOT = "PAGE-NUMBER"  # URL-safe, so url_for leaves it as it is


def page_url(page: int) -> str:
    """The current URL with another page number, keeping every filter (the address is built
    once a request; each link puts its number in)."""
    pattern = g.get("_page_url")
    if pattern is None:
        values: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
        values["page"] = _PAGE_SLOT
        pattern = g._page_url = url_for(request.endpoint or "home.index", **values)
    return pattern.replace(f"page={_PAGE_SLOT}", f"page={int(page)}")


def capped(count: int, cap: int | None = None) -> str:
    """A count from a capped COUNT (`core.paging`): past the cap, "more than" the cap."""
    from flask_babel import gettext

    from notary.core.paging import COUNT_CAP

    cap = COUNT_CAP if cap is None else cap
    return gettext("more than %(n)d", n=cap) if count > cap else str(count)


def can(permission: str) -> bool:
    """Whether the signed-in user has a permission (templates only hide; services enforce).

    The user is the one Flask-Login loaded for the request (`g._login_user`), read without
    the `current_user` proxy: a page's menu asks some fifty times."""
    user = g.get("_login_user")
    return has_permission(current_user if user is None else user, Permission(permission))


# Where a page's deadline badges go in a kept menu (an HTML comment nobody types).
_BADGES_SLOT = "<!--menu-badges-->"


def main_menu(badges: Markup | str = "") -> Markup:
    """The main menu for the signed-in user's role in the page's language, with the page's
    section marked and `badges` in the deadlines item.

    The menu is a pure function of the role, the language, the page's endpoint and the
    application's root, so it is rendered once per worker for each of those and kept
    (`KeptFragments`): some fifty permission checks, twenty links and a dozen translations a
    page, done once. The badges change with the data and are put in on every page."""
    user = g.get("_login_user") or current_user
    key = ("main_menu", getattr(user, "role", None), bool(getattr(user, "is_active", False)),
           str(get_locale()), request.endpoint, request.blueprint, request.script_root)
    store = kept_fragments()
    html = store.get(key)
    if html is None:
        html = store.put(key, str(render_fragment("_partials/main_menu.html",
                                                  badges=Markup(_BADGES_SLOT))))
    return Markup(html.replace(_BADGES_SLOT, str(escape(badges)), 1))


def render_fragment(template: str, **context: Any) -> Markup:
    """Render one template on its own (no context processors; url_for, can and the
    translations are there as globals)."""
    return Markup(current_app.jinja_env.get_template(template).render(**context))


def register(app: Flask) -> None:
    """Install the helpers on the app's Jinja environment."""
    app.jinja_env.filters.update(
        local_datetime=local_datetime,
        local_date=local_date,
        chinese_date=chinese_date,
        weekday=weekday,
        capped=capped,
    )
    app.jinja_env.globals.update(can=can, page_url=page_url, main_menu=main_menu,
                                 audit_action=audit_action, audit_field=audit_field,
                                 audit_value=audit_value)
    install_page_gettext(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"office_name": app.config["OFFICE_NAME"], "current_locale": str(get_locale())}
