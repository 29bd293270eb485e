"""Issue "Project marketplace" in a real browser: publish, find, support, discuss, moderate.

Four people in four browser profiles: Lena publishes an idea, finds it by
search and by filter; Jonas supports it and comments; Clara reports the
comment; the moderator hides it, and Jonas is told why. Every page passes
axe-core and fits a phone, in German and in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from projektfabrik.accounts.models import Kind, Role
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of

pytestmark = pytest.mark.browser


@contextmanager
def person(browser: Any, live_server: Any, town: Town, email: str) -> Iterator[Any]:
    """A logged-in browser profile of its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    try:
        yield page
    finally:
        context.close()


def submit(page: Any, form: str = "main form.stacked") -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def test_publish_find_support_comment_report_hide(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    mailbox: Mailbox,
    check_page: Callable[[Any], None],
) -> None:
    town_a.user("lena@example.org", name="Lena Lindner")
    town_a.user("jonas@example.org", name="Jonas Jäger", kind=Kind.BUSINESS)
    town_a.user("clara@example.org", name="Clara Claussen")
    town_a.user("mod@example.org", name="Mehmet Moderator", role=Role.MODERATOR)

    # Lena publishes an idea with the one short form (the page fixture is her browser).
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "lena@example.org")
    page.fill("#password", TEST_PASSWORD)
    submit(page)
    page.goto(live_server.url(town_a, "/projekte"))
    check_page(page)
    page.get_by_role("link", name="Idee veröffentlichen").click()
    page.wait_for_url(re.compile(r"/projekte/neu$"))
    check_page(page)
    page.fill("#title", "Gemeinschaftsgarten am Hafen")
    page.fill("#pitch", "Wir bauen Hochbeete auf der Brache am Hafen und gärtnern gemeinsam.")
    page.select_option("#district", "Hafen")
    page.locator("main details summary").click()
    page.fill("#wanted_skills", "Gärtnern, Holzbau")
    submit(page)
    page.wait_for_url(re.compile(r"/projekte/1$"))
    assert page.locator("h1").inner_text() == "Gemeinschaftsgarten am Hafen"
    check_page(page)

    # She finds it by part of a compound word ("Garten" in "Gemeinschaftsgarten",
    # best match first) and by filter.
    page.goto(live_server.url(town_a, "/projekte"))
    page.fill("#suche", "Garten")
    submit(page, "form.filters")
    assert "suche=Garten" in page.url
    assert page.locator(".project-card-title").all_inner_texts() == ["Gemeinschaftsgarten am Hafen"]
    assert page.locator("#sortierung option:checked").inner_text() == "Beste Treffer"
    check_page(page)
    page.fill("#suche", "")
    page.select_option("#ortsteil", "Altstadt")
    submit(page, "form.filters")
    assert page.locator(".project-card").count() == 0
    page.select_option("#ortsteil", "Hafen")
    page.check("#sucht")
    submit(page, "form.filters")
    assert page.locator(".project-card-title").all_inner_texts() == ["Gemeinschaftsgarten am Hafen"]
    check_page(page)

    # Jonas supports it and comments.
    with person(browser, live_server, town_a, "jonas@example.org") as jonas:
        jonas.goto(live_server.url(town_a, "/projekte/1"))
        with jonas.expect_navigation():
            jonas.get_by_role("button", name="Ich unterstütze das").click()
        assert "1 Unterstützung" in jonas.locator("#unterstuetzung").inner_text()
        jonas.fill("#body", "Ich bringe Werkzeug mit – und meine Meinung über Beete!")
        with jonas.expect_navigation():
            jonas.get_by_role("button", name="Kommentar senden").click()
        assert "Ich bringe Werkzeug mit" in jonas.locator(".comment").first.inner_text()
        check_page(jonas)

    # Clara reports the comment.
    with person(browser, live_server, town_a, "clara@example.org") as clara:
        clara.goto(live_server.url(town_a, "/projekte/1"))
        clara.get_by_role("link", name="Melden").first.click()
        clara.wait_for_url(re.compile(r"/melden$"))
        check_page(clara)
        clara.fill("#reason", "Das ist unfreundlich.")
        submit(clara)
        assert "Moderation" in clara.locator(".flash").inner_text()

    # The moderator hides it with a reason.
    with person(browser, live_server, town_a, "mod@example.org") as moderator:
        moderator.goto(live_server.url(town_a, "/moderation"))
        assert "Das ist unfreundlich." in moderator.locator("main").inner_text()
        check_page(moderator)
        moderator.locator("main textarea").first.fill("Bitte bleiben Sie freundlich.")
        with moderator.expect_navigation():
            moderator.get_by_role("button", name="Kommentar ausblenden").click()
        assert "Keine offenen Meldungen" in moderator.locator("main").inner_text()

    # Everyone now sees the placeholder with the reason; Jonas is told by mail and bell.
    page.goto(live_server.url(town_a, "/projekte/1"))
    hidden = page.locator(".comment-hidden").inner_text()
    assert "Bitte bleiben Sie freundlich." in hidden
    assert "Ich bringe Werkzeug mit" not in page.locator("main").inner_text()
    mail = mailbox.wait_for("jonas@example.org")
    assert "Bitte bleiben Sie freundlich." in body_of(mail)
    with person(browser, live_server, town_a, "jonas@example.org") as jonas:
        bell = jonas.locator(".bell")
        assert re.search(r"\d", bell.inner_text())
        bell.click()
        jonas.wait_for_url(re.compile(r"/benachrichtigungen$"))
        assert "ausgeblendet" in jonas.locator("main").inner_text()
        check_page(jonas)

    # The same pages in English pass too.
    page.goto(live_server.url(town_a, "/projekte/1"))
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "This comment was hidden" in page.locator("main").inner_text()
    check_page(page)
    page.goto(live_server.url(town_a, "/projekte?suche=garden"))
    check_page(page)
    page.goto(live_server.url(town_a, "/projekte/neu"))
    check_page(page)


def test_visitors_get_cached_pages_that_stay_current(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
) -> None:
    """Someone not logged in is served from the page cache, in both languages,
    and sees a supporter's click on the next load."""
    town_a.user("lena@example.org", name="Lena Lindner")
    with person(browser, live_server, town_a, "lena@example.org") as lena:
        lena.goto(live_server.url(town_a, "/projekte/neu"))
        lena.fill("#title", "Bücherschrank am Markt")
        lena.fill("#pitch", "Ein offener Bücherschrank für alle.")
        with lena.expect_navigation():
            lena.locator("main form.stacked button[type=submit]").first.click()

    def visit(path: str) -> str:
        response = page.goto(live_server.url(town_a, path))
        assert response is not None and response.ok
        return response.headers.get("x-page-cache", "")

    for path in ("/projekte", "/projekte/1"):
        assert visit(path) == "miss"
        assert visit(path) == "hit"
        check_page(page)
    assert "0 Unterstützungen" in page.locator("#unterstuetzung").inner_text()

    with person(browser, live_server, town_a, "lena@example.org") as lena:
        lena.goto(live_server.url(town_a, "/projekte/1"))
        with lena.expect_navigation():
            lena.get_by_role("button", name="Ich unterstütze das").click()

    assert visit("/projekte/1") == "miss"
    assert "1 Unterstützung" in page.locator("#unterstuetzung").inner_text()

    # Switching the language keeps the visitor anonymous and cacheable.
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert visit("/projekte/1") == "hit"
    assert "1 supporter" in page.locator("#unterstuetzung").inner_text()
    check_page(page)
    assert not [c for c in page.context.cookies() if c["name"] == "session"]


def test_on_a_phone_the_filters_fold_away_and_the_first_project_shows(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    """Issue #22: at 360×740 the filters are folded into <details> (no script) and
    the first project card starts on the first screen; active filters are chips."""
    from projektfabrik.extensions import db
    from projektfabrik.marketplace import services

    author = town_a.user("lena@example.org", name="Lena Lindner")
    with town_a.request_context():
        for title in ("Bücherschrank am Markt", "Sommerkino im Park"):
            services.publish_idea(author, services.ProjectInput(title=title, pitch="Für alle."))
        db.session.commit()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url(town_a, "/projekte"))
    assert not page.locator("#suche").is_visible()  # folded
    summary = page.locator(".filter-fold > summary")
    assert summary.is_visible() and "Suchen und filtern" in summary.inner_text()
    card = page.locator(".project-card").first.bounding_box()
    assert card is not None and card["y"] + 80 <= 740, card  # its title is on screen
    check_page(page)

    summary.click()  # opens without any script
    assert page.locator("#suche").is_visible()
    page.fill("#suche", "Kino")
    page.click(".filters button[type=submit]")
    chip = page.locator(".filter-chips .chip")
    assert chip.count() == 1 and "Suche: Kino" in chip.first.inner_text()
    assert not page.locator("#suche").is_visible()  # folded again, the chip says it
    chip.first.click()
    assert page.locator(".filter-chips").count() == 0
    assert page.locator(".project-card").count() == 2

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url(town_a, "/projekte"))
    assert page.locator("#suche").is_visible()  # wide screens keep the filters open
    assert not summary.is_visible()
