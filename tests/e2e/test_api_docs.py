"""The API's documentation page works in a real browser from the vendored Swagger UI alone:
the operations are listed, one opens with its schema, and the page breaks no CSP rule and
asks nothing of any other host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import DESKTOP, PageChecks
from tests.e2e.test_intake_to_approval import Steps

pytestmark = pytest.mark.e2e


def test_the_api_documentation_page_renders_from_vendored_assets(
        browser: Browser, live_server: str, checks: PageChecks) -> None:
    context = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(10_000)
    steps = Steps(checks)
    problems: list[str] = []
    hosts: set[str] = set()
    try:
        page = checks.watch(context.new_page())
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
        with steps("api-docs", page):
            page.goto("/api/v1/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("API")
            expect(page.locator(".opblock").first).to_be_visible()
            assert page.locator(".opblock").count() >= 30
        with steps("api-docs-operation-open"):
            page.locator(".opblock-summary", has_text="/parties").first.click()
            expect(page.locator(".opblock-body").first).to_be_visible()
    finally:
        context.close()
    assert problems == []
    assert hosts == {urlsplit(live_server).netloc}
