"""Issue #12 in a real browser, German and English: a comment is reported, the
admin hides it from the moderation queue, restores it, and the person who
reported it reads the outcome among their notifications. check_page on each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.models import Comment
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

TEXTS = {
    "de": {
        "hidden": "ausgeblendet",
        "restored": "wieder sichtbar",
        "outcome": "ist jetzt ausgeblendet",
    },
    "en": {"hidden": "hidden", "restored": "visible again", "outcome": "is hidden now"},
}


def _log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


@pytest.mark.parametrize("locale", ["de", "en"])
def test_report_hide_restore_and_the_reporter_hears_it(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None], locale: str
) -> None:
    text = TEXTS[locale]
    owner = town_a.user("owner@example.org", name="Olga Owner")
    troll = town_a.user("troll@example.org", name="Theo Troll")
    town_a.user("reader@example.org", name="Rita Reader")
    town_a.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    with town_a.request_context():
        project = services.publish_idea(
            owner, services.ProjectInput(title="Garten", pitch="Beete.")
        )
        services.add_comment(project, troll, "Ihr seid alle doof")
        services.post_update(project, owner, "Kauft alle bei Firma X")
        for person in db.session.scalars(select(User)):
            person.locale = locale
        db.session.commit()
        comment = db.session.scalars(select(Comment)).one()
    _log_in(page, live_server, town_a, "reader@example.org")
    page.goto(live_server.url(town_a, f"/projekte/1/kommentare/{comment.ref}/melden"))
    check_page(page)
    page.fill("#reason", "beleidigend")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    # The team's news on the project page can be reported too.
    page.goto(live_server.url(town_a, "/projekte/1"))
    with page.expect_navigation():
        page.locator("a[href*='/neuigkeiten/'][href$='/melden']").first.click()
    check_page(page)
    page.fill("#reason", "Werbung")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()

    _log_in(page, live_server, town_a, "admin@example.org")
    page.goto(live_server.url(town_a, "/moderation"))
    assert "Ihr seid alle doof" in page.locator("main").inner_text()
    assert "Kauft alle bei Firma X" in page.locator("main").inner_text()
    check_page(page)
    page.locator("main form.stacked textarea").first.fill("Beleidigung")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").first.click()
    assert text["hidden"] in page.locator("main").inner_text()
    check_page(page)  # the queue with the list of hidden comments
    with page.expect_navigation():
        page.locator("main form[action$='/wiederherstellen'] button").first.click()
    assert text["restored"] in page.locator("main").inner_text()

    _log_in(page, live_server, town_a, "reader@example.org")
    page.goto(live_server.url(town_a, "/benachrichtigungen"))
    assert text["outcome"] in page.locator("main").inner_text()
    check_page(page)
