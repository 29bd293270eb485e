"""Deleting the account of a project's only lead, in Chromium (issue #22): the
settings page leads to a page that asks to hand over first, then deletes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.projects.models import Membership, TeamRole
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser


def test_the_only_lead_hands_over_then_deletes_the_account(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    olga = town_a.user("olga@example.org", name="Olga Owner")
    max_ = town_a.user("max@example.org", name="Max Member")
    with town_a.request_context():
        project = services.publish_idea(
            olga, services.ProjectInput(title="Garten am Hafen", pitch="Hochbeete für alle.")
        )
        db.session.add(Membership(project_id=project.id, user_id=max_.id, role=TeamRole.MEMBER))
        db.session.commit()

    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "olga@example.org")
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()

    page.goto(live_server.url(town_a, "/konto"))
    with page.expect_navigation():
        page.get_by_role("link", name="Konto löschen …").click()
    assert "Sie leiten „Garten am Hafen“ allein." in page.locator("main").inner_text()
    assert page.locator("#delete-current_password").count() == 0
    check_page(page)

    with page.expect_navigation():
        page.get_by_role("link", name="„Garten am Hafen“ übergeben oder schließen").click()
    page.get_by_text("Max Member verwalten").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Projektleitung an Max Member übergeben").click()

    page.goto(live_server.url(town_a, "/konto/loeschen"))
    assert "allein" not in page.locator("main").inner_text()
    check_page(page)
    page.fill("#delete-current_password", TEST_PASSWORD)
    page.check("#delete-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Mein Konto löschen").click()
    assert page.url.rstrip("/") == live_server.url(town_a, "/").rstrip("/")
