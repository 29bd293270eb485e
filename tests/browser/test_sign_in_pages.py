"""Issue #26's pages in a real browser, German and English: the login page with
the town's staff account, linking an existing account, the provider down, the
second factor's set-up, recovery codes and code step, and the admin's sign-in
page. axe-core, 360 px and markup-as-text on each (check_page).

Set PROJEKTFABRIK_SCREENSHOTS to a folder to keep a screenshot of each page at
desktop width and at 360 px.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest

from projektfabrik.accounts.models import Role
from projektfabrik.testing import TEST_PASSWORD, Town, connect_sso

pytestmark = pytest.mark.browser

STAFF = {
    "sub": "u-42",
    "email": "berta.bau@stadt-a.de",
    "email_verified": True,
    "name": "Berta Bau",
    "groups": ["pf-admins"],
    "department": "Bauamt",
}


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("PROJEKTFABRIK_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    page.screenshot(path=f"{folder}/{name}-desktop.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=f"{folder}/{name}-360.png", full_page=True)
    page.set_viewport_size(before)


def _submit(page: Any, selector: str = "main form.stacked") -> None:
    with page.expect_navigation():
        page.locator(f"{selector} button[type=submit]").first.click()


def _english(page: Any) -> None:
    with page.expect_navigation():
        page.locator("footer button", has_text="English").click()


def test_staff_sign_in_links_an_existing_account(
    page: Any,
    live_server: Any,
    town_a: Town,
    oidc_provider: Any,
    check_page: Callable[[Any], None],
) -> None:
    town_a.user(STAFF["email"], name="Berta Bau")
    connect_sso(town_a, oidc_provider, organisation_claim="department")
    oidc_provider.person = dict(STAFF)
    page.goto(live_server.url(town_a, "/anmelden"))
    main = page.locator("main")
    assert "Anmelden mit dem Dienstkonto der Stadt" in main.inner_text()
    check_page(page)
    _shot(page, "login-de")
    with page.expect_navigation(url=re.compile(r"/verknuepfen$")):
        page.locator("main form[action^='/anmelden/dienstkonto'] button").click()
    assert STAFF["email"] in main.inner_text()
    check_page(page)
    _shot(page, "link-de")
    page.fill("#link-password", "falsch")
    _submit(page)
    assert "Dieses Passwort ist nicht richtig" in main.inner_text()
    check_page(page)
    _shot(page, "link-error-de")
    page.fill("#link-password", TEST_PASSWORD)
    _submit(page)
    assert "mit dem Dienstkonto der Stadt verknüpft" in page.locator("body").inner_text()
    page.goto(live_server.url(town_a, "/verwaltung/anmeldung"))
    assert oidc_provider.issuer in main.inner_text()
    assert "Berta Bau" in main.inner_text()
    check_page(page)
    _shot(page, "admin-sign-in-de")
    # Signing out here offers to sign out at the provider too, and comes back.
    with page.expect_navigation():
        page.locator("form[action='/abmelden'] button").click()
    check_page(page)
    _shot(page, "logged-out-de")
    with page.expect_navigation(url=re.compile(r"stadt-a\.localhost:\d+/$")):
        page.locator("main a.button").click()
    assert oidc_provider.logouts


def test_the_provider_down(
    page: Any,
    live_server: Any,
    town_a: Town,
    oidc_provider: Any,
    check_page: Callable[[Any], None],
) -> None:
    connect_sso(town_a, oidc_provider)
    page.goto(live_server.url(town_a, "/anmelden"))
    oidc_provider.down = True
    with page.expect_navigation():
        page.locator("main form[action^='/anmelden/dienstkonto'] button").click()
    assert "nicht erreichbar" in page.locator("main").inner_text()
    check_page(page)
    _shot(page, "provider-down-de")
    _english(page)
    page.goto(live_server.url(town_a, "/anmelden"))
    assert "Log in with the town's staff account" in page.locator("main").inner_text()
    check_page(page)
    _shot(page, "login-en")


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(int(time.time()))


def _key(page: Any) -> str:
    return page.locator("code.totp-key").inner_text().replace(" ", "")


@pytest.mark.parametrize("language", ["de", "en"])
def test_second_factor_set_up_sign_in_and_the_towns_requirement(
    page: Any,
    live_server: Any,
    town_a: Town,
    town_b: Town,
    check_page: Callable[[Any], None],
    language: str,
) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    town_a.user("mod@example.org", role=Role.MODERATOR, name="Moritz Moderator")
    page.goto(live_server.url(town_a, "/anmelden"))
    if language == "en":
        _english(page)
    page.fill("#email", "admin@example.org")
    page.fill("#password", TEST_PASSWORD)
    _submit(page)
    page.goto(live_server.url(town_a, "/verwaltung/anmeldung"))
    check_page(page)
    _shot(page, f"admin-sign-in-empty-{language}")
    # Requiring it without one's own second factor is refused with a message.
    with page.expect_navigation():
        page.locator("main form[action$='/zweiter-faktor'] button").click()
    text = page.locator("body").inner_text()
    assert (
        "zuerst für Ihr eigenes Konto" if language == "de" else "your own account first"
    ) in text

    page.goto(live_server.url(town_a, "/konto"))
    check_page(page)
    page.locator("main a[href='/konto/zweiter-faktor']").click()
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor$"))
    check_page(page)
    _shot(page, f"second-factor-start-{language}")
    _submit(page, "main form[action='/konto/zweiter-faktor/einrichten']")
    assert page.locator("main img.join-qr").is_visible()
    check_page(page)
    _shot(page, f"second-factor-setup-{language}")
    page.fill("#confirm-code", "000000")
    _submit(page)
    assert page.locator("#confirm-code-error").is_visible()
    check_page(page)
    page.fill("#confirm-code", _code(_key(page)))
    secret = _key(page)
    _submit(page)
    codes = page.locator("main ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    check_page(page)
    _shot(page, f"recovery-codes-{language}")
    page.locator("main a.button").click()
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor$"))
    check_page(page)
    _shot(page, f"second-factor-on-{language}")

    page.goto(live_server.url(town_a, "/verwaltung/anmeldung"))
    with page.expect_navigation():
        page.locator("main form[action$='/zweiter-faktor'] button").click()
    text = page.locator("main").inner_text()
    assert ("Verlangt." if language == "de" else "Required.") in text
    check_page(page)
    _shot(page, f"admin-sign-in-required-{language}")

    # Log out, log in again: the password, then the code.
    with page.expect_navigation():
        page.locator("form[action='/abmelden'] button").click()
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "admin@example.org")
    page.fill("#password", TEST_PASSWORD)
    _submit(page)
    page.wait_for_url(re.compile(r"/anmelden/code$"))
    check_page(page)
    _shot(page, f"code-step-{language}")
    page.fill("#code", "111111")
    _submit(page)
    assert page.locator("#code-error").is_visible()
    assert page.input_value("#code") == "111111"  # what was typed stays
    page.fill("#code", codes[0])
    _submit(page)
    body = page.locator("body").inner_text()
    assert ("9 Codes sind noch übrig" if language == "de" else "9 codes are left") in body
    check_page(page)

    # The moderator without a second factor is sent to set it up.
    page.context.clear_cookies()
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "mod@example.org")
    page.fill("#password", TEST_PASSWORD)
    _submit(page)
    page.goto(live_server.url(town_a, "/moderation"))
    page.wait_for_url(re.compile(r"/konto/zweiter-faktor$"))
    check_page(page)
    _shot(page, f"second-factor-required-{language}")
    assert secret
