"""The 413 page (#20): in the visitor's language, accessible, fits a phone."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.testing import Town

pytestmark = pytest.mark.browser


def test_a_too_large_form_gets_a_readable_413_page(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    page.goto(live_server.url(town_a.host, "/anmelden"))
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector("main form");
                form.querySelector("input[type=email], input[name=email]").value =
                    "x".repeat(2 * 1024 * 1024);
                form.submit();
            }"""
        )
    assert "Zu groß" in page.content() and "Es wurde nichts gespeichert" in page.content()
    check_page(page)
    _screenshots(page, "413")


def _screenshots(page: Any, name: str) -> None:
    """With PROJEKTFABRIK_SCREENSHOTS=folder: the page at 1280 and at 360 px, to look at."""
    folder = os.environ.get("PROJEKTFABRIK_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}-desktop.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 800})
        page.screenshot(path=f"{folder}/{name}-360.png", full_page=True)


@pytest.fixture
def database_away(app: Any) -> None:
    """A page whose database connection is gone (as during a PostgreSQL restart)."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    def away() -> str:
        raise OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused"))

    app.add_url_rule("/datenbank-weg", "database_away", away)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_for_a_database_that_is_away_is_readable(
    database_away: None, page: Any, live_server: Any, town_a: Town,
    check_page: Callable[[Any], None], language: str,
) -> None:  # fmt: skip
    if language == "en":
        page.context.add_cookies(
            [{"name": "sprache", "value": "en", "url": live_server.url(town_a.host, "/")}]
        )
    answer = page.goto(live_server.url(town_a.host, "/datenbank-weg"))
    assert answer.status == 503
    heading = {"de": "Gleich wieder da", "en": "Back in a moment"}[language]
    assert page.locator("h1").inner_text() == heading
    check_page(page)
    _screenshots(page, f"503-{language}")
