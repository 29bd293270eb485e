"""One workshop in a real browser, every page checked with axe-core, at 360 px and
for markup shown as text (check_page): the admin plans and publishes it (German);
a participant registers in English; a guest registers without an account and
without JavaScript; the moderator checks people in on the board's phone view,
captures ideas and publishes the protocol."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from projektfabrik.accounts.models import Role
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of, use_plugin

pytestmark = pytest.mark.browser


def log_in(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def click(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_one_workshop_from_planning_to_protocol(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    mailbox: Mailbox,
    check_page: Callable[[Any], None],
) -> None:
    use_plugin(town_a, "workshops")
    admin = town_a.user("ada@example.org", role=Role.ADMIN, name="Ada Admin")
    town_a.user("paul@example.org", name="Paul Participant")

    # The admin plans the workshop (German).
    log_in(page, live_server, town_a, admin.email)
    page.goto(live_server.url(town_a, "/verwaltung/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Projektwerkstätten").click()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Werkstatt planen").click()
    check_page(page)
    page.fill("#title", "Projektwerkstatt im Rathaus")
    page.fill("#description", "Ideen treffen sich.")
    page.fill("#day", (date.today() + timedelta(days=14)).isoformat())
    page.fill("#start", "17:00")
    page.fill("#end", "20:00")
    page.fill("#place", "Rathaus, Ratssaal")
    page.fill("#accessibility", "Stufenloser Zugang\nInduktionsschleife")
    page.fill("#online_url", "https://meet.example.org/werkstatt")
    page.fill("#capacity", "2")
    click(page, "Speichern")
    assert "Als Entwurf gespeichert." in page.content()
    check_page(page)
    click(page, "Veröffentlichen")
    assert "Die Werkstatt ist veröffentlicht." in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Seite der Werkstatt").click()
    url = page.url
    assert "2 freie Plätze" in page.locator("main").inner_text()
    check_page(page)

    # A participant registers, in English.
    log_in(page, live_server, town_a, "paul@example.org")
    page.goto(url)
    with page.expect_navigation():
        page.locator(".language-switch button[value='en']").click()
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page)
    page.check("input[name=attendance][value=online]")
    page.fill("#needs", "Sign-language interpreting")
    page.check("#named_in_protocol")
    click(page, "Register for this workshop")
    main = page.locator("main").inner_text()
    assert "You are registered." in main and "1 seat free" in main
    assert "https://meet.example.org/werkstatt" in main  # the link, now that he has a seat
    check_page(page)
    assert "You have a seat" in body_of(mailbox.wait_for("paul@example.org"))

    # A guest registers without an account and without JavaScript.
    guest = browser.new_context(java_script_enabled=False, locale="de-DE")
    guest.set_default_timeout(10_000)
    try:
        other = guest.new_page()
        other.goto(url)
        other.fill("#name", "Gerda Gast")
        other.fill("#email", "gerda@example.org")
        other.fill("#needs", "Kinderbetreuung")
        with other.expect_navigation():
            other.get_by_role("button", name="Zur Werkstatt anmelden", exact=True).click()
        assert "Fast geschafft" in other.content()
        link = re.search(
            r"https?://[^/\s]+(/werkstatt/teilnahme/\S+)",
            body_of(mailbox.wait_for("gerda@example.org")),
        )
        assert link is not None
        other.goto(live_server.url(town_a, link.group(1)))
        with other.expect_navigation():
            other.get_by_role("button", name="Anmeldung bestätigen", exact=True).click()
        assert "Sie sind angemeldet." in other.content()
    finally:
        guest.close()
    # axe needs JavaScript: the same page checked in the ordinary browser.
    page.context.clear_cookies()
    page.goto(live_server.url(town_a, link.group(1)))
    assert "Sie sind angemeldet." in page.content()
    check_page(page)

    # The moderator: check-in on a phone, the board, the protocol (German).
    log_in(page, live_server, town_a, admin.email)
    page.goto(url)
    assert "Ausgebucht" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Teilnehmende und Einlass").first.click()
    check_page(page)
    assert "Kinderbetreuung" in page.content() and "Sign-language interpreting" in page.content()
    click(page, "Gerda Gast einlassen")
    assert "1 eingelassen" in page.locator("main").inner_text()
    click(page, "Paul Participant einlassen")
    assert "2 eingelassen" in page.locator("main").inner_text()
    check_page(page)
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("link", name="Tafel").first.click()
    check_page(page)
    page.select_option("#kind", "idea")
    page.fill("#text", "Ein Repair-Café im Jugendhaus")
    click(page, "Hinzufügen")
    page.select_option("#kind", "task")
    page.fill("#text", "Raum anfragen")
    page.fill("#owner", "Gerda")
    click(page, "Hinzufügen")
    assert "übernimmt: Gerda" in page.locator("main").inner_text()
    check_page(page)
    # The idea was Paul's: offered to him as a project.
    page.select_option("select[name=person]", label="Paul Participant")
    click(page, "Als Projekt anbieten")
    assert "Paul Participant bekommt eine Mail" in page.content()
    check_page(page)
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("link", name="Protokoll").first.click()
    check_page(page)
    assert "Paul Participant" in page.locator("#text").input_value()  # he agreed
    assert "Gerda Gast" not in page.locator("#text").input_value()  # she did not
    click(page, "Protokoll veröffentlichen")
    main = page.locator("main").inner_text()
    assert "Ein Repair-Café im Jugendhaus" in main and "2 Personen" in main
    check_page(page)

    # Paul makes the idea his project (English, his choice from before).
    mailbox.wait_for("paul@example.org", count=3)  # seat, offer, protocol
    offers = [m for m in mailbox.to("paul@example.org") if "projektidee" in body_of(m)]
    assert len(offers) == 1
    found = re.search(r"https?://[^/\s]+(/werkstatt/projektidee/\S+)", body_of(offers[0]))
    assert found is not None
    log_in(page, live_server, town_a, "paul@example.org")
    page.goto(live_server.url(town_a, found.group(1)))
    check_page(page)
    click(page, "Make it my project")
    assert "Ein Repair-Café im Jugendhaus" in page.locator("h1").inner_text()
    assert "Project workshops" in page.content() or "In project workshops" in page.content()
    check_page(page)
