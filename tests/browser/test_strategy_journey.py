"""Issue #23 in a real browser, in German and in English, without JavaScript: an
admin adds a goal with an indicator and a target; a team links its project,
states its expected contribution and reports a result; town staff confirm it;
a visitor reads the dashboard and filters the marketplace by the goal. Every
page passes check_page (axe-core, 360 px, no markup as text, vnu)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

TEXTS = {
    "de": {
        "goal_added": "ist angelegt",
        "saved": "ist gespeichert",
        "reported": "Das Ergebnis ist gemeldet",
        "unconfirmed": "noch nicht bestätigt",
        "confirmed": "Das Ergebnis ist bestätigt",
        "dashboard": "Wirkung: die Ziele der Kommune",
        "value": "4,8",
        "date": "2025-05-01",
    },
    "en": {
        "goal_added": "is added",
        "saved": "is saved",
        "reported": "The result is reported",
        "unconfirmed": "not yet confirmed",
        "confirmed": "The result is confirmed",
        "dashboard": "Impact: the town's goals",
        "value": "4.8",
        "date": "2025-05-01",
    },
}


def _person(town: Town, email: str, locale: str, **kwargs: Any) -> User:
    person = town.user(email, **kwargs)
    with town.context():
        found = db.session.get(User, person.id)
        assert found is not None
        found.locale = locale
        if found.kind == Kind.ADMINISTRATION:
            found.staff_confirmed_at = utcnow()
        db.session.commit()
    return person


def _login(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").first.click()


def _submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.parametrize("locale", ["de", "en"])
def test_admin_team_staff_and_visitor_walk_through_goals_and_impact(
    page: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
    locale: str,
) -> None:
    text = TEXTS[locale]
    page.context.set_extra_http_headers({"Accept-Language": locale})
    _person(town_a, "admin@example.org", locale, role=Role.ADMIN, name="Anna Admin")
    owner = _person(town_a, "olga@example.org", locale, name="Olga Owner")
    _person(town_a, "sam@example.org", locale, name="Sam Staff", kind=Kind.ADMINISTRATION)
    with town_a.request_context():
        project = marketplace.publish_idea(
            owner, marketplace.ProjectInput(title="Gemeinschaftsgarten", pitch="Wir gärtnern.")
        )
        db.session.commit()
        number = project.number

    # The admin: a goal, an indicator with a target.
    _login(page, live_server, town_a, "admin@example.org")
    page.goto(live_server.url(town_a, "/verwaltung/ziele"))
    check_page(page)
    page.fill("#title", "Klimaschutz")
    page.fill("#summary", "Weniger CO₂ in der Stadt.")
    _submit(page, "form[action$='/verwaltung/ziele']")
    assert text["goal_added"] in page.locator("main").inner_text()
    check_page(page)
    page.fill("#name", "CO₂-Einsparung")
    page.fill("#unit", "t CO₂")
    _submit(page, "form[action$='/indikatoren']")
    page.locator("input[id$='-year']").fill("2030")
    page.locator("main input[id^='t-'][id$='-value']").fill("500")
    _submit(page, "form[action$='/zielwert']")
    assert "2030" in page.locator("main").inner_text()
    check_page(page)

    # The team: link the goal, state the expected contribution, report a result.
    _login(page, live_server, town_a, "olga@example.org")
    page.goto(live_server.url(town_a, f"/projekte/{number}/wirkung"))
    check_page(page)
    page.locator("input[name=goals]").first.check()
    _submit(page, "form[action$='/wirkung/ziele']")
    page.locator("input[id$='-value']").first.fill(text["value"])
    page.locator("input[id$='-basis']").first.fill("12 × 0,4 t")
    _submit(page, "form[action*='/wirkung/erwartet/']")
    assert text["saved"] in page.locator("main").inner_text()
    page.fill("#value", "1")
    page.fill("#achieved_on", text["date"])
    _submit(page, "form[action$='/wirkung/ergebnisse']")
    main = page.locator("main").inner_text()
    assert text["reported"] in main and text["unconfirmed"] in main
    check_page(page)

    # Town staff confirm it from their queue.
    _login(page, live_server, town_a, "sam@example.org")
    page.goto(live_server.url(town_a, "/wirkung/bestaetigen"))
    check_page(page)
    _submit(page, "main table form")
    assert text["confirmed"] in page.locator("main").inner_text()

    # A visitor: the dashboard, and the marketplace filtered by the goal.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sprache", "value": locale, "url": live_server.url(town_a, "/")}]
    )
    page.goto(live_server.url(town_a, "/wirkung"))
    main = page.locator("main").inner_text()
    assert text["dashboard"] in main and "Klimaschutz" in main and "500" in main
    check_page(page)
    page.locator("main a[href*='ziel=']").first.click()
    assert "Gemeinschaftsgarten" in page.locator("main").inner_text()
    page.goto(live_server.url(town_a, f"/projekte/{number}"))
    assert "Klimaschutz" in page.locator("main").inner_text()
