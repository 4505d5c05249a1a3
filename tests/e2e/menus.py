"""Opening a drop-down menu of the navigation bar as a person does, reliably on a busy machine:
a click that lands before Bootstrap's script has bound the menu opens nothing, so the page is
let finish loading and the click repeated until the menu says it is open."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout


def open_menu(page: Any, button: Any, attempts: int = 3) -> None:
    """Click a drop-down's button until its menu is open (aria-expanded="true")."""
    page.wait_for_load_state("load")
    for attempt in range(attempts):
        button.click()
        try:
            page.wait_for_function("b => b.getAttribute('aria-expanded') === 'true'",
                                   arg=button.element_handle(), timeout=2_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def open_settings(page: Any) -> None:
    """The settings menu (设置) of the navigation bar."""
    open_menu(page, page.locator("nav").get_by_role("button", name="设置"))


def open_user_menu(page: Any) -> None:
    """The signed-in user's own menu (profile, sign out)."""
    open_menu(page, page.locator("#user-menu"))
