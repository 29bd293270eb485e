"""Joining a project next door in a real browser, between the demo towns Musterstadt and
Beispielhausen (both in the region "musterkreis"): the whole round trip in German,
then signing in again and ending the link in English with JavaScript switched off.
Every page passes the checks of ``check_page`` (axe-core, 320 px, focus, …).

``PROJEKTFABRIK_SCREENSHOTS=<folder>`` keeps a screenshot of each page at 1280 and
360 px there, for looking at them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.demo import DEMO_PASSWORD
from projektfabrik.extensions import db
from projektfabrik.regions.accountlinks import TownLink
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant

pytestmark = pytest.mark.browser

M = "musterstadt.localhost"
B = "beispielhausen.localhost"
CLARA = "clara@beispielhausen.example"


def _log_in(page: Any, email: str) -> None:
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _links_in(slug: str) -> list[tuple[str, bool]]:
    town = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    with tenant_context(town):
        rows = db.session.scalars(select(TownLink)).all()
        return [(row.side.value, row.active) for row in rows]


def test_joining_a_project_next_door_and_undoing_it(
    page: Any,
    browser: Any,
    live_server: Any,
    demo_towns: list[str],
    check_page: Callable[[Any], None],
    screenshot: Callable[[Any, str], None],
) -> None:
    # German: a visitor of Musterstadt's project page comes with her Beispielhausen account.
    page.goto(live_server.url(M, "/projekte/1"))
    title = page.locator("h1").inner_text()
    join = page.get_by_role("link", name="Mit meinem Konto aus Beispielhausen mitmachen")
    check_page(page)
    screenshot(page, "join-project-de")
    _click(page, join)
    assert page.url.startswith(f"http://{B}:{live_server.port}/anmelden")
    _log_in(page, CLARA)
    assert page.url.startswith(f"http://{B}:{live_server.port}/region/bestaetigen/mitmachen")
    assert page.locator("h1").inner_text() == "Bei einem Projekt in Musterstadt mitmachen"
    assert title in page.locator("main").inner_text()
    check_page(page)
    screenshot(page, "join-confirm-de")
    page.uncheck("#email")
    _click(page, page.get_by_role("button", name="Weitergeben und weiter nach Musterstadt"))
    # Without the address nothing goes: the form says why, the rest stays as ticked.
    assert page.url.startswith(f"http://{B}:")
    assert "braucht Ihre E-Mail-Adresse" in page.locator("main").inner_text()
    assert page.is_checked("#name")
    check_page(page)
    screenshot(page, "join-confirm-error-de")
    page.check("#email")
    _click(page, page.get_by_role("button", name="Weitergeben und weiter nach Musterstadt"))
    assert page.url == f"http://{M}:{live_server.port}/projekte/1/team#mitmachen"
    assert "Ihr Konto ist verknüpft" in page.locator("main").inner_text()
    check_page(page)
    screenshot(page, "join-arrived-de")
    page.fill("#motivation", "Ich gärtnere gern und komme aus Beispielhausen.")
    _click(page, page.get_by_role("button", name="Beitritt anfragen"))
    assert "Ihre Anfrage ist gesendet" in page.locator("main").inner_text()
    assert _links_in("musterstadt") == [("guest", True)]
    assert _links_in("beispielhausen") == [("home", True)]
    musterstadt = db.session.scalar(select(Tenant).where(Tenant.slug == "musterstadt"))
    with tenant_context(musterstadt):
        linked = db.session.scalar(select(User).where(User.email == CLARA))
        assert linked is not None and linked.password_hash is None

    # The English pages of signing in again and ending the link, checked (axe needs scripts).
    page.context.add_cookies(
        [{"name": "sprache", "value": "en", "domain": host, "path": "/"} for host in (M, B)]
    )
    page.goto(live_server.url(B, "/region/bestaetigen/anmelden?gemeinde=musterstadt&state=x"))
    assert page.locator("h1").inner_text() == "Sign in to Musterstadt"
    check_page(page)
    page.goto(live_server.url(M, "/konto"))
    assert "made from your account in Beispielhausen" in page.locator("main").inner_text()
    check_page(page)
    page.goto(live_server.url(B, "/konto"))
    assert "You can sign in to Musterstadt" in page.locator("main").inner_text()
    check_page(page)
    page.goto(live_server.url(M, "/konto/verknuepfungen/beispielhausen/beenden"))
    check_page(page)

    # English, without JavaScript: sign in again through Beispielhausen, then end the link.
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sprache", "value": "en", "domain": host, "path": "/"} for host in (M, B)]
    )
    plain = context.new_page()
    try:
        plain.goto(live_server.url(M, "/anmelden"))
        _click(plain, plain.get_by_role("link", name="Sign in with my account from Beispielhausen"))
        _log_in(plain, CLARA)
        assert plain.locator("h1").inner_text() == "Sign in to Musterstadt"
        screenshot(plain, "signin-confirm-en")
        _click(plain, plain.get_by_role("button", name="Continue to Musterstadt"))
        assert plain.url.startswith(f"http://{M}:")
        plain.goto(live_server.url(M, "/konto"))
        assert "made from your account in Beispielhausen" in plain.locator("main").inner_text()
        screenshot(plain, "account-links-en")
        _click(plain, plain.get_by_role("link", name="End the link – Beispielhausen"))
        assert plain.locator("h1").inner_text() == "End the link with Beispielhausen"
        screenshot(plain, "end-link-en")
        _click(plain, plain.get_by_role("button", name="End the link"))
        assert plain.url.startswith(f"http://{B}:{live_server.port}/region/ankunft/trennen")
        assert plain.locator("h1").inner_text() == "The link is ended"
        screenshot(plain, "link-ended-en")
    finally:
        context.close()
    assert _links_in("musterstadt") == [("guest", False)]
    assert _links_in("beispielhausen") == [("home", False)]

    # A refused handoff, the end, and the login page offering the neighbours, in English.
    page.goto(live_server.url(B, "/konto"))
    assert "You can sign in to Musterstadt" not in page.locator("main").inner_text()
    page.goto(live_server.url(B, "/region/ankunft/trennen?token=kaputt"))
    assert page.locator("h1").inner_text() == "This did not work"
    check_page(page)
    screenshot(page, "refused-en")
    page.context.clear_cookies()  # a visitor again, in English
    page.context.add_cookies(
        [{"name": "sprache", "value": "en", "domain": host, "path": "/"} for host in (M, B)]
    )
    page.goto(live_server.url(M, "/anmelden"))
    assert page.get_by_role("link", name="Sign in with my account from Beispielhausen").count() == 1
    check_page(page)
    screenshot(page, "login-neighbours-en")
