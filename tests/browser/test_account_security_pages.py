"""The pages of issue #20's account hardening in a real browser: the held login
with its sign-in link, the link's own page, "log out everywhere" and the
admin's staff page with the confirmed badge. axe-core and 360 px each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.accounts import guards, services
from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, links_in

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def _submit(page: Any, selector: str = "main form.stacked") -> None:
    with page.expect_navigation():
        page.locator(f"{selector} button[type=submit]").click()


def _log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    _submit(page)


def test_held_login_sign_in_link_and_log_out_everywhere(
    page: Any, live_server: Any, town_a: Town, mailbox: Mailbox, check_page: Callable[[Any], None]
) -> None:
    town_a.user("owner@example.org", name="Olga Owner")
    with town_a.context(), live_server.app.test_request_context():
        for _ in range(guards.ACCOUNT_GUESSES.amount):
            guards.ACCOUNT_GUESSES.hit("owner@example.org")
    _log_in(page, live_server, town_a, "owner@example.org")
    assert "Bitte melden Sie sich mit einem Link an" in page.locator("main").inner_text()
    check_page(page)
    page.locator("main a.button[href='/anmelden/link']").click()
    page.wait_for_url(re.compile(r"/anmelden/link$"))
    assert page.input_value("#email") == "owner@example.org"
    check_page(page)
    _submit(page)
    link = next(
        u for u in links_in(mailbox.wait_for("owner@example.org")) if "/anmelden/link/" in u
    )
    page.goto(link)
    assert "Olga Owner" in page.locator("main").inner_text()
    check_page(page)
    _submit(page)
    page.goto(live_server.url(town_a, "/konto"))
    assert "Überall abmelden" in page.locator("main").inner_text()
    check_page(page)
    with page.expect_navigation():
        page.locator("main form[action='/konto/ueberall-abmelden'] button").click()
    assert "auf allen Geräten abgemeldet" in page.locator("body").inner_text()


def test_the_admins_staff_page(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN)
    staff = town_a.user("bau@example.org", name="Berta Bau")
    with town_a.context():
        person = db.session.get(type(staff), staff.id)
        services.confirm_staff(person, "Bauamt")
        db.session.commit()
    _log_in(page, live_server, town_a, "admin@example.org")
    page.goto(live_server.url(town_a, "/verwaltung/"))
    page.locator("main a[href='/verwaltung/mitarbeitende']").click()
    page.wait_for_url(re.compile(r"/verwaltung/mitarbeitende$"))
    assert "bestätigt" in page.locator("main").inner_text()
    check_page(page)
    _submit(page)  # empty: errors tied to the fields
    assert page.locator(".error-summary").is_visible()
    check_page(page)
