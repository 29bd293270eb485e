"""The main navigation folds into a menu on phones: an admin's dozen links took five rows
at 360 px before the content began. <details>, so it opens without any script; wide
screens keep every link in view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

MENU = {"de": ("Menü", "Verwaltung"), "en": ("Menu", "Administration")}


@pytest.mark.parametrize("locale", ["de", "en"])
def test_an_admins_navigation_folds_on_a_phone(
    page: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
    locale: str,
) -> None:
    menu, admin_link = MENU[locale]
    admin = town_a.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    with town_a.context():
        found = db.session.get(User, admin.id)
        assert found is not None
        found.locale = locale
        db.session.commit()
    page.set_viewport_size({"width": 360, "height": 740})
    # The menu opens by the browser's own <details>: the site sends no script for it.
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "admin@example.org")
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    page.goto(live_server.url(town_a, "/"))

    summary = page.locator(".site-nav summary")
    link = page.locator(".site-nav a", has_text=admin_link)
    assert summary.is_visible() and summary.inner_text().strip() == menu
    assert not link.is_visible()  # folded
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 120, header  # one row, not five
    check_page(page)

    summary.click()
    assert link.is_visible()
    check_page(page)
    with page.expect_navigation():
        link.click()
    assert page.url.rstrip("/").endswith("/verwaltung")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url(town_a, "/"))
    assert not page.locator(".site-nav summary").is_visible()  # wide: always open
    assert page.locator(".site-nav a", has_text=admin_link).is_visible()
