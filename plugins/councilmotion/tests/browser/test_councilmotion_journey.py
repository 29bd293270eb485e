"""A council motion in a real browser, in German and in English, every page checked
(axe-core, 360 px, markup as text, the Nu Html Checker): the team writes the motion
from its project, fixes what the checks name, collects signatures and files it; the
clerk enters a paper list, admits it and records the council's decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from councilmotion_support import make_team

from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

WORDS = {
    "de": {
        "tab": "Stadtratsantrag",
        "write": "Stadtratsantrag schreiben",
        "save": "Speichern",
        "edit": "Antrag bearbeiten",
        "story": "Der Beschlusstext sagt, was der Rat beschließt",
        "complete": "Der Antrag ist vollständig",
        "collect": "Unterschriftensammlung beginnen",
        "collecting": "Unterschriftensammlung läuft",
        "file": "Antrag einreichen",
        "filed": "Eingereicht",
        "enter": "Liste eintragen",
        "progress": "12 von 50 Unterschriften auf Papier",
        "record": "Festhalten",
        "received": "Eingegangen",
        "admissible": "Zulässig",
        "agenda": "Auf der Tagesordnung einer Sitzung",
        "accepted": "Entschieden: angenommen",
        "state_accepted": "Angenommen",
        "session_missing": "Bitte nennen Sie die Sitzung.",
        "clerk_link": "Stadtratsanträge",
    },
    "en": {
        "tab": "Council motion",
        "write": "Write a council motion",
        "save": "Save",
        "edit": "Edit the motion",
        "story": "The text to vote on should say what the council decides",
        "complete": "The motion is complete",
        "collect": "Start collecting signatures",
        "collecting": "Collecting signatures",
        "file": "File the motion",
        "filed": "Filed",
        "enter": "Enter the list",
        "progress": "12 of 50 signatures on paper",
        "record": "Record",
        "received": "Received",
        "admissible": "Admissible",
        "agenda": "On the agenda of a session",
        "accepted": "Decided: accepted",
        "state_accepted": "Accepted",
        "session_missing": "Please name the session.",
        "clerk_link": "Council motions",
    },
}


def log_in(page: Any, live_server: Any, town: Town, email: str, lang: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url(town, "/anmelden"))
    if lang == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def click(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_from_draft_to_decision(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None], lang: str
) -> None:
    w = WORDS[lang]
    team = make_team(town_a, clients=False)

    # The team writes the motion from its project.
    log_in(page, live_server, town_a, team.owner.email, lang)
    page.goto(live_server.url(town_a, f"/projekte/{team.project.ref}"))
    with page.expect_navigation():
        page.locator(".project-tabs").get_by_role("link", name=w["tab"]).click()
    check_page(page)
    click(page, w["write"])
    check_page(page)  # the edit form, prefilled
    assert page.input_value("#title") == "Platz an der Bibliothek"
    page.fill("#resolution", "Wir wollen einen schöneren Platz.")
    click(page, w["save"])
    assert w["story"] in page.content()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name=w["edit"]).click()
    page.fill("#resolution", "Die Verwaltung wird beauftragt, den Platz umzugestalten.")
    click(page, w["save"])
    assert w["complete"] in page.content()
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Versionen" if lang == "de" else "Versions").first.click()
    check_page(page)
    page.go_back()
    click(page, w["collect"])
    assert w["collecting"] in page.inner_text("#councilmotion-state")
    check_page(page)
    motion_url = page.url

    # The clerk enters a paper list.
    log_in(page, live_server, town_a, team.clerk_user.email, lang)
    page.goto(live_server.url(town_a, "/verwaltung/"))
    with page.expect_navigation():
        page.get_by_role("link", name=w["clerk_link"]).click()
    check_page(page)
    with page.expect_navigation():
        page.locator("table").get_by_role("link", name="Platz an der Bibliothek").click()
    check_page(page)
    page.fill("#count", "12")
    click(page, w["enter"])
    assert w["progress"] in page.content()

    # The team files it.
    log_in(page, live_server, town_a, team.owner.email, lang)
    page.goto(motion_url)
    check_page(page)
    click(page, w["file"])
    assert w["filed"] in page.inner_text("#councilmotion-state")

    # The clerk admits it, puts it on the agenda (the session is required) and records the decision.
    log_in(page, live_server, town_a, team.clerk_user.email, lang)
    page.goto(motion_url.replace("/antraege/", "/antraege/verwaltung/"))
    for label in (w["received"], w["admissible"]):
        page.get_by_label(label, exact=True).check()
        click(page, w["record"])
    page.get_by_label(w["agenda"], exact=True).check()
    click(page, w["record"])
    assert w["session_missing"] in page.content()
    check_page(page)  # the page with the error
    page.get_by_label(w["agenda"], exact=True).check()
    page.fill("#note", "Stadtrat, 15. Sitzung")
    page.fill("#link", "https://ris.example/sitzung/15")
    click(page, w["record"])
    page.get_by_label(w["accepted"], exact=True).check()
    click(page, w["record"])
    check_page(page)
    page.goto(motion_url)
    assert w["state_accepted"] in page.inner_text("#councilmotion-state")
    assert "Stadtrat, 15. Sitzung" in page.content()
    check_page(page)
