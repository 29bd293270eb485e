"""The region in a real browser: its marketplace, a town's opt-in page, a team's choice
and the neighbours' section, each accessible, in German and English, at 320 px.

``PROJEKTFABRIK_SCREENSHOTS=<folder>`` keeps a screenshot of each page at 1280 and
360 px there, for looking at them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.regions import config
from projektfabrik.regions.models import RegionalChoice
from projektfabrik.testing import Town

pytestmark = pytest.mark.browser

REGION = "region-test.localhost"


def _publish(town: Town, title: str, skills: str = "") -> None:
    author = town.user()
    with town.request_context():
        marketplace.publish_idea(
            author,
            marketplace.ProjectInput(
                title=title, pitch=f"Kurz gesagt: {title}.", wanted_skills=skills
            ),
        )
        db.session.commit()


@pytest.fixture
def region(app: Flask, town_a: Town, town_b: Town) -> None:
    config.apply(
        config.RegionConfig(
            slug="testkreis",
            name="Landkreis Test",
            host=REGION,
            members=("stadt-a", "stadt-b"),
            primary_color="#2e6b30",
            welcome_md="Die Gemeinden des Landkreises zeigen ihre Projekte gemeinsam.",
        )
    )
    db.session.commit()
    with town_b.context():
        db.session.add(RegionalChoice(opted_in=True, neighbours_section=True))
        db.session.commit()
    _publish(town_a, "Reparaturcafé im Hafen", "Löten, Nähen")
    _publish(town_b, "Dorfladen Oberdorf", "Kassendienst")
    _publish(town_b, "Streuobstwiese", "Baumschnitt")


def test_a_visitor_browses_the_region(
    page: Any,
    live_server: Any,
    region: None,
    town_a: Town,
    check_page: Callable[[Any], None],
    screenshot: Callable[[Any, str], None],
) -> None:
    page.goto(live_server.url(REGION, "/"))
    assert page.locator("h1").inner_text() == "Projekte der Region"
    assert "Dorfladen Oberdorf" in page.locator("main").inner_text()
    # Stadt A has not opted in: nothing of it.
    assert "Reparaturcafé" not in page.content()
    check_page(page)
    screenshot(page, "region-de")
    page.select_option("#gemeinde", "stadt-b")
    page.fill("#suche", "obst")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "Streuobstwiese" in page.locator("main").inner_text()
    assert "Dorfladen" not in page.locator("main").inner_text()
    check_page(page)
    with page.expect_navigation():
        page.locator(".project-card-title a").first.click()
    assert page.url.startswith(f"http://stadt-b.localhost:{live_server.port}/projekte/")
    page.goto(live_server.url(REGION, "/region/projekte"))
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Projects of the region"
    check_page(page)
    screenshot(page, "region-en")


def test_an_admin_opts_in_and_a_team_decides(
    page: Any, live_server: Any, region: None, town_a: Town, town_b: Town,
    check_page: Callable[[Any], None],
    screenshot: Callable[[Any, str], None],
) -> None:  # fmt: skip
    town_a.user("admin@example.org", role=Role.ADMIN)
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "admin@example.org")
    page.fill("#password", "correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(live_server.url(town_a, "/verwaltung/"))
    with page.expect_navigation():
        page.locator("main a", has_text="Region").first.click()
    assert "Landkreis Test" in page.locator("h1").inner_text()
    check_page(page)
    screenshot(page, "town-settings-de")
    page.check("#opted_in")
    page.check("#neighbours_section")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Gespeichert" in page.content()
    check_page(page)
    # The start page shows the neighbours' projects that look for help.
    page.goto(live_server.url(town_a, "/"))
    nearby = page.locator("#nearby-heading").locator("..")
    assert "Dorfladen Oberdorf" in nearby.inner_text()
    assert "Stadt B" in nearby.inner_text()
    check_page(page)
    screenshot(page, "landing-neighbours-de")
    # The admin leads no project; a team's page says the same to its owner.
    page.goto(live_server.url(REGION, "/region/projekte"))
    assert "Reparaturcafé im Hafen" in page.locator("main").inner_text()
    page.goto(live_server.url(town_a, "/verwaltung/region"))
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page)
    screenshot(page, "town-settings-en")
    page.goto(live_server.url(town_a, "/"))
    assert "Projects nearby looking for help" in page.content()
    check_page(page)
    screenshot(page, "landing-neighbours-en")


def test_a_team_keeps_its_project_at_home(
    page: Any,
    live_server: Any,
    region: None,
    town_b: Town,
    check_page: Callable[[Any], None],
    screenshot: Callable[[Any, str], None],
) -> None:
    from sqlalchemy import select

    from projektfabrik.accounts.models import User
    from projektfabrik.projects.models import Project

    with town_b.context():
        project = db.session.scalar(select(Project).where(Project.title == "Streuobstwiese"))
        owner = db.session.get(User, project.created_by_id)
        email, number = owner.email, project.number
    page.goto(live_server.url(town_b, "/anmelden"))
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(live_server.url(town_b, f"/projekte/{number}"))
    assert "Wird auf der Seite der Region gezeigt" in page.content()
    with page.expect_navigation():
        page.locator("#region-choice-heading").locator("..").locator("a").click()
    check_page(page)
    screenshot(page, "project-choice-de")
    page.check("input[value=no]")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Wird nicht auf der Seite der Region gezeigt." in page.content()
    page.goto(live_server.url(REGION, "/region/projekte"))
    assert "Streuobstwiese" not in page.content()
    page.goto(live_server.url(town_b, f"/projekte/{number}/region"))
    with page.expect_navigation():
        page.locator(".language-switch button[value=en]").click()
    check_page(page)
    screenshot(page, "project-choice-en")
