"""Issue "plugin system" in a real browser: the town admin switches the notice board
on and off on the "Module" page, edits its settings, and a member posts a note.
Every page on the way passes axe-core and fits a phone screen; no JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.accounts.models import Role
from projektfabrik.testing import TEST_PASSWORD, Town, use_plugin

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def test_admin_switches_a_module_and_a_member_uses_it(
    page: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    admin = town_a.user(role=Role.ADMIN, name="Andrea Admin")
    member = town_a.user(name="Lena Lindner")

    log_in(page, live_server, town_a, admin.email)
    page.goto(live_server.url(town_a, "/verwaltung/"))
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Module").click()
    assert page.locator("#module-pinnwand").inner_text() == "Pinnwand"
    assert page.locator("#module-pinnwand-status").inner_text() == "Aus"
    check_page(page)

    with page.expect_navigation():
        page.locator("#module-pinnwand ~ form button[type=submit]").first.click()
    assert page.locator("#module-pinnwand-status").inner_text() == "An"
    assert page.locator(".site-nav a[href='/pinnwand/']").count() == 1

    page.fill("#pinnwand-board_title", "Schwarzes Brett")
    page.fill("#pinnwand-posting_code", "rathaus42")
    with page.expect_navigation():
        page.get_by_role("button", name="Einstellungen speichern").click()
    assert page.locator("#pinnwand-posting_code").input_value() == ""
    assert "rathaus42" not in page.content()
    check_page(page)

    page.context.clear_cookies()
    log_in(page, live_server, town_a, member.email)
    with page.expect_navigation():
        page.locator(".site-nav a[href='/pinnwand/']").click()
    assert page.locator("h1").inner_text() == "Schwarzes Brett"
    page.fill("#text", "Wer hilft beim Straßenfest?")
    page.fill("#code", "rathaus42")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    assert "Wer hilft beim Straßenfest?" in page.locator(".pinnwand-notes").inner_text()
    check_page(page)

    page.goto(live_server.url(town_a))
    assert page.locator(".plugin-slot-pinnwand").count() == 1
    check_page(page)
