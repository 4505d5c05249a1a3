"""Stories of sessions and API tokens, told in a real browser against gunicorn:

- a notary makes their own API token on their profile page (the secret shown once) and
  revokes it;
- the administrator opens the notary's page: sees their two open sessions and the token, but
  no way to create a token for them; signs them out everywhere, and both of the notary's
  browsers are sent to the sign-in page on their next click;
- the director signs out, and a copy of the cookie taken before (another browser holding it)
  no longer opens anything.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from notary.core.permissions import Role
from notary.extensions import db
from tests.e2e.conftest import DESKTOP, PageChecks, open_signed_in
from tests.e2e.menus import open_user_menu
from tests.e2e.test_intake_to_approval import Steps, expect_success, shown_as
from tests.factories import PASSWORD, create_staff

pytestmark = pytest.mark.e2e


def on_sign_in_page(page: Page) -> None:
    page.reload()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.locator('input[name="password"]')).to_be_visible()


def test_tokens_and_sign_out_everywhere(app: Flask, live_server: str, browser: Browser,
                                        staff: dict[str, dict[str, Any]],
                                        checks: PageChecks) -> None:
    admin = create_staff(Role.ADMIN, full_name="周管理")
    administrator = {"username": admin.username, "full_name": admin.full_name,
                     "password": PASSWORD}
    db.session.commit()
    db.session.remove()
    steps, contexts = Steps(checks), []
    notary = staff["notary"]
    try:
        office = open_signed_in(browser, live_server, notary, checks, contexts)
        home = open_signed_in(browser, live_server, notary, checks, contexts)  # a second computer
        with steps("profile-token-form", office) as page:
            open_user_menu(page)  # the signed-in user's own menu
            page.get_by_role("link", name=shown_as(app, "Profile")).click()
            page.get_by_label(shown_as(app, "What the token is for")).fill("台账导出脚本")
            page.get_by_label(shown_as(app, "Expires after (days)")).fill("30")
            page.get_by_role("button", name=shown_as(app, "Create token")).click()
        with steps("token-shown-once"):
            secret = page.locator("[data-api-token]").inner_text().strip()
            assert secret.startswith("nt_")
            page.get_by_role("link", name=shown_as(app, "Done")).click()
            expect(page.locator("#api-tokens")).to_contain_text("台账导出脚本")
            assert secret not in page.content()

        admin_page = open_signed_in(browser, live_server, administrator, checks, contexts)
        with steps("admin-user-page", admin_page) as page:
            page.locator("#mainnav").get_by_role("button", name=shown_as(app, "Settings")).click()
            page.locator("#mainnav").get_by_role("link", name=shown_as(app, "Users")).click()
            page.get_by_role("link", name=notary["username"], exact=True).click()
            sessions = page.locator("#sessions tbody tr")
            expect(sessions).to_have_count(2)
            expect(page.locator("#api-tokens")).to_contain_text("台账导出脚本")
            expect(page.get_by_role("button", name=shown_as(app, "Create token"))).to_have_count(0)
        with steps("admin-signs-out-everywhere"):
            page.get_by_role("button", name=shown_as(app, "Sign out everywhere")).click()
            expect_success(page)
            expect(page.locator("#sessions tbody tr")).to_have_count(0)
        with steps("notary-office-signed-out", office):
            on_sign_in_page(office)
        with steps("notary-home-signed-out", home):
            on_sign_in_page(home)

        # The director signs out; another browser holding a copy of the cookie is refused.
        director = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        thief = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="zh-CN")
        contexts.append(thief)
        thief.set_default_timeout(10_000)
        thief.add_cookies(director.context.cookies())
        copy = checks.watch(thief.new_page())
        with steps("copied-cookie-works-before", copy):
            copy.goto("/profile")
            expect(copy).to_have_url(re.compile(r"/profile"))
        with steps("director-signs-out", director):
            open_user_menu(director)
            director.get_by_role("button", name=shown_as(app, "Sign out")).click()
            expect(director).to_have_url(re.compile(r"/login"))
        with steps("copied-cookie-refused-after", copy):
            copy.goto("/profile")
            expect(copy).to_have_url(re.compile(r"/login"))
    finally:
        for context in contexts:
            context.close()
