"""A team walks from its project's data to a finished business plan in a real browser,
once without JavaScript (every step is a plain form) and then every page is checked
with JavaScript on, in German and in English: axe-core, 360 px, no markup as text,
valid HTML. ``PF_SCREENSHOTS=<folder>`` keeps screenshots."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from businessplan_support import NUMBERS, make_setup

from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def submit(page: Any, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).last.click()


def start(page: Any, live_server: Any, town: Town, base: str) -> None:
    page.goto(live_server.url(town, base + "/"))
    page.check("input[value=classic]")
    submit(page)


def enter_numbers(
    page: Any, live_server: Any, town: Town, base: str, english: bool = False, **changes: str
) -> None:
    """The numbers as a person types them: ``12.000`` in German, ``12,000`` in English."""
    page.goto(live_server.url(town, base + "/zahlen"))
    for name, value in {**NUMBERS, **changes}.items():
        page.fill(f"[name='{name}']", value.replace(".", ",") if english else value)
    submit(page)


def test_a_team_writes_its_business_plan_without_javascript(
    browser: Any, live_server: Any, town_a: Town
) -> None:
    setup = make_setup(town_a, clients=False)
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        log_in(page, live_server, town_a, setup.owner.email)
        # From the project's page to the tab.
        page.goto(live_server.url(town_a, f"/projekte/{setup.project.number}"))
        with page.expect_navigation():
            page.locator(".project-tabs a", has_text="Businessplan").click()
        page.check("input[value=classic]")
        submit(page)
        assert page.get_by_text("Der Businessplan ist angelegt.").count()
        assert page.get_by_text("Ein Repair-Café mit Werkstatt, offen an drei Tagen.").count()
        # Write a section the project does not have.
        with page.expect_navigation():
            page.get_by_role("link", name="„Wettbewerb“ bearbeiten").click()
        page.fill("textarea[name=text]", "Im Umkreis gibt es kein Repair-Café.")
        submit(page)
        assert page.get_by_text("Im Umkreis gibt es kein Repair-Café.").count()
        # The numbers, typed the German way; a typing error first.
        with page.expect_navigation():
            page.get_by_role("link", name="Zahlen eingeben").click()
        for name, value in NUMBERS.items():
            page.fill(f"[name='{name}']", value)
        page.fill("[name=own_funds]", "viertausend")
        submit(page)
        assert page.get_by_text("Bitte prüfen Sie Ihre Eingaben").count()
        assert page.input_value("[name='products-0-name']") == "Reparatur"  # nothing lost
        page.fill("[name=own_funds]", "4.500")
        submit(page)
        assert page.locator("h1", has_text="Finanzpläne").count()
        assert page.get_by_text("Keine Warnungen").count()
        assert page.locator("svg.bp-chart").count() == 1
        assert page.locator("#profit-table").get_by_text("37.500,00").count()
        # Make it public.
        page.goto(live_server.url(town_a, setup.base + "/"))
        page.locator("details.bp-settings summary").click()  # opens without JavaScript
        page.check("#visibility-all")
        submit(page, "main form[action$='sichtbarkeit'] button[type=submit]")
        assert page.get_by_text("Der Businessplan ist jetzt öffentlich").count()
        assert page.is_checked("#visibility-all")
    finally:
        context.close()


PAGES = ["/", "/abschnitt/legal_form", "/zahlen", "/finanzplan"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_passes_the_checks(
    page: Any,
    live_server: Any,
    town_a: Town,
    check_page: Callable[[Any], None],
    language: str,
) -> None:
    setup = make_setup(town_a, clients=False)
    log_in(page, live_server, town_a, setup.owner.email)
    if language == "en":
        with page.expect_navigation():
            page.locator("form.language-switch button[value=en]").click()
    # The start page, before the plan exists.
    page.goto(live_server.url(town_a, setup.base + "/"))
    check_page(page)
    start(page, live_server, town_a, setup.base)
    # With a price below its cost, so the warnings are checked too.
    enter_numbers(
        page, live_server, town_a, setup.base, english=language == "en", **{"products-0-price": "5"}
    )
    folder = os.environ.get("PF_SCREENSHOTS")
    for path in PAGES:
        page.goto(live_server.url(town_a, setup.base + path))
        assert page.locator("html").get_attribute("lang") == language
        check_page(page)
        if folder:
            name = path.strip("/").replace("/", "-") or "index"
            page.screenshot(path=str(Path(folder) / f"{name}-{language}.png"), full_page=True)
    if language == "en":
        page.goto(live_server.url(town_a, setup.base + "/finanzplan"))
        assert page.locator("h1", has_text="Financial plans").count()
        assert page.locator("#profit-table").get_by_text("€7,500.00").count()
        assert page.get_by_text("sells below its direct cost").count()
