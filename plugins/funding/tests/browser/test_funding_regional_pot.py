"""A regional pot in a real browser, in German and English, every page checked
(axe-core, 320/360 px, focus): Stadt A's admin opens a pot to the region; a team
of Stadt B applies from B's site (without JavaScript); A's juror rates and A's
admin decides; B's team sees the outcome on its project's funding tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from funding_support import make_round

from projektfabrik.testing import TEST_PASSWORD, Town, make_region, take_part_in_region

pytestmark = pytest.mark.browser

TEXT = {
    "de": {
        "answer_missing": "Bitte beantworten Sie diese Frage.",
        "from_b": "Ein regionaler Antrag: Ein Projekt aus Stadt B",
        "outcome": "Förderung aus Stadt A: bewilligt, 2.000,00",
        "neighbours": "Fördertöpfe der Nachbargemeinden",
    },
    "en": {
        "answer_missing": "Please answer this question.",
        "from_b": "A regional application: a project from Stadt B",
        "outcome": "Funding from Stadt A: approved, €2,000.00",
        "neighbours": "Funding pots of neighbouring towns",
    },
}


def _log_in(page: Any, live_server: Any, town: Town, email: str, locale: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sprache", "value": locale, "url": live_server.url(town, "/")}]
    )
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def _submit(page: Any, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


@pytest.mark.parametrize("locale", ["de", "en"])
def test_a_regional_pot_from_opening_to_the_outcome(
    page: Any,
    browser: Any,
    live_server: Any,
    town_a: Town,
    town_b: Town,
    check_page: Callable[[Any], None],
    locale: str,
) -> None:
    text = TEXT[locale]
    make_region("testkreis", "region-test.localhost", ("stadt-a", "stadt-b"))
    take_part_in_region(town_a)
    take_part_in_region(town_b)
    owning = make_round(town_a, clients=False)
    applying = make_round(town_b, clients=False)
    juror = town_a.user("jutta@example.org", name="Jutta Jury")

    # Stadt A's admin opens a pot to the region, with a jury of one.
    _log_in(page, live_server, town_a, owning.admin_user.email, locale)
    page.goto(live_server.url(town_a, "/foerderung/verwaltung/neu"))
    check_page(page)
    page.fill("#name", "Regionaltopf")
    page.fill("#description", "Für Projekte im ganzen Kreis.")
    page.fill("#budget", "20.000" if locale == "de" else "20,000")
    page.fill("#min_grant", "500")
    page.fill("#max_grant", "5.000" if locale == "de" else "5,000")
    page.fill("#opens_on", "2026-01-01")
    page.fill("#closes_on", "2099-12-31")
    page.fill("#questions", "Wer macht mit? | Namen oder Gruppen | 300")
    page.select_option("#body", "jury")
    page.fill("#jurors_per_application", "1")
    page.fill("#jury_criteria", "Wirkung | 1")
    page.select_option("#state", "active")
    page.check("#regional")
    _submit(page, "form[action$='/verwaltung/neu']")
    page.fill("#emails", "jutta@example.org")
    _submit(page, "form[action$='/jury']")
    check_page(page)

    # Stadt B's team finds it on its own site and applies, without JavaScript.
    _log_in(page, live_server, town_b, applying.owner.email, locale)
    page.goto(live_server.url(town_b, "/foerderung/"))
    assert text["neighbours"] in page.locator("main").inner_text()
    check_page(page)
    page.goto(live_server.url(town_b, f"/foerderung/projekte/{applying.project.ref}"))
    check_page(page)
    apply_url = page.locator("main a.button[href*='/region/']").get_attribute("href")
    plain = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        plain.add_cookies(page.context.cookies())
        form_page = plain.new_page()
        form_page.goto(live_server.url(town_b, apply_url))
        form_page.fill("#requested", "2.000" if locale == "de" else "2,000")
        _submit(form_page, "main form.stacked")
        assert text["answer_missing"] in form_page.content()
        assert form_page.input_value("#requested") in ("2.000", "2,000")
        form_page.fill("#answer-0", "Zwölf Leute aus dem Dorf.")
        form_page.check("#section-profile")
        form_page.check("#share_contact")
        _submit(form_page, "main form.stacked")
        assert "/foerderung/projekte/" in form_page.url
    finally:
        plain.close()
    page.goto(live_server.url(town_b, apply_url))  # the form, checked with JavaScript on
    check_page(page)
    page.locator("#requested").fill("x")
    _submit(page, "main form.stacked")
    check_page(page)  # the error summary: focused, in view

    # Stadt A: the application of Stadt B's team, beside its own; the juror rates.
    _log_in(page, live_server, town_a, owning.admin_user.email, locale)
    page.goto(live_server.url(town_a, "/foerderung/verwaltung/"))
    page.locator("main a[href*='/verwaltung/toepfe/']").first.click()
    page.wait_for_load_state()
    with page.expect_navigation():
        page.locator("main a[href*='/foerderung/antraege/']").first.click()
    assert text["from_b"] in page.locator("main").inner_text()
    check_page(page)
    application_url = page.url
    _submit(page, "form[action$='/schritt/pruefen']")
    _submit(page, "form[action$='/schritt/jury']")
    _log_in(page, live_server, town_a, juror.email, locale)
    page.goto(live_server.url(town_a, "/foerderung/jury/"))
    assert "Nachbarschaftsgarten" in page.locator("main").inner_text()
    check_page(page)
    page.goto(application_url)
    check_page(page)
    page.fill("#score-0", "8")
    _submit(page, "form[action$='/bewertung']")
    _log_in(page, live_server, town_a, owning.admin_user.email, locale)
    page.goto(application_url)
    page.fill("#approve-amount", "2.000" if locale == "de" else "2,000")
    _submit(page, "form[action$='/schritt/bewilligen']")
    check_page(page)

    # Stadt B's team sees the outcome on its project's funding tab.
    _log_in(page, live_server, town_b, applying.owner.email, locale)
    page.goto(live_server.url(town_b, f"/foerderung/projekte/{applying.project.ref}"))
    assert text["outcome"] in page.locator("#regional-applications").inner_text()
    check_page(page)
