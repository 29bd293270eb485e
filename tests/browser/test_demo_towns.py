"""The demo a newcomer sees after ``python3 dev.py demo``: two towns, each in its own look."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TOWNS = {
    # slug: (name, admin's name, a district, a person only this town has)
    "musterstadt": ("Musterstadt", "Andrea Amtmann", "Altstadt", "Lena Lindner"),
    "beispielhausen": ("Beispielhausen", "Bernd Bürgermeister", "Oberdorf", "Clara Claussen"),
}


def log_in(page: Any, email: str, password: str) -> None:
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


@pytest.mark.parametrize("slug", list(TOWNS))
def test_demo_town_landing_and_login(
    slug: str,
    page: Any,
    live_server: Any,
    demo_towns: list[str],
    check_page: Callable[[Any], None],
) -> None:
    name, admin, district, local_person = TOWNS[slug]
    other_name, _admin, _district, other_person = next(v for k, v in TOWNS.items() if k != slug)
    host = f"{slug}.localhost"

    page.goto(live_server.url(host))
    assert page.title().endswith(name)
    assert name in page.locator("h1").inner_text()
    assert page.locator(".brand-name").inner_text() == name
    main = page.locator("main").inner_text()
    assert local_person in main
    # Nothing of the other town, but for its projects in the regional section, which
    # both demo towns switched on (docs/architecture.md, "What crosses between towns").
    regional = page.locator(".plugin-slot-regions").inner_text()
    assert other_name in regional and other_person not in regional
    own = page.locator("main").evaluate(
        "m => { const c = m.cloneNode(true);"
        " c.querySelectorAll('.plugin-slot-regions').forEach(e => e.remove());"
        " return c.textContent; }"
    )
    assert local_person in own
    assert other_person not in own and other_name not in own
    # The welcome text from tenants/<slug>/welcome.md is rendered.
    assert page.locator("#welcome-heading").count() == 1
    # The town's colour reaches the header through the per-town stylesheet.
    header_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header_colour not in ("rgba(0, 0, 0, 0)", "rgb(0, 90, 156)")  # not the default
    check_page(page)

    page.locator(".site-nav a[href='/anmelden']").click()
    page.wait_for_url(re.compile(r"/anmelden$"))
    check_page(page)

    # The other town's admin has no account here.
    other_slug = next(k for k in TOWNS if k != slug)
    log_in(page, f"admin@{other_slug}.example", DEMO_PASSWORD)
    assert page.locator("#password").get_attribute("aria-invalid") == "true"

    log_in(page, f"admin@{slug}.example", DEMO_PASSWORD)
    assert page.url == live_server.url(host, "/")
    assert admin in page.locator(".flash-success").inner_text()
    check_page(page)

    page.locator(".site-nav a[href='/profil']").click()
    page.wait_for_url(re.compile(r"/profil$"))
    card = page.locator(".person.card").inner_text()
    assert admin in card and district in card
    check_page(page)

    for legal in ("/impressum", "/datenschutz", "/barrierefreiheit"):
        page.goto(live_server.url(host, legal))
        assert page.locator("main .prose").inner_text().strip()
        check_page(page)


def test_alias_host_redirects_to_the_canonical_one(
    page: Any, live_server: Any, demo_towns: list[str]
) -> None:
    page.goto(live_server.url("www.musterstadt.localhost", "/anmelden"))
    assert page.url == live_server.url("musterstadt.localhost", "/anmelden")
    assert page.locator(".brand-logo").count() == 1
    # The logo comes from tenants/musterstadt/logo.svg through the app.
    page.wait_for_function(
        "() => { const img = document.querySelector('.brand-logo');"
        " return img.complete && img.naturalWidth > 0; }"
    )


def test_easy_read_page_from_the_footer(
    page: Any, live_server: Any, demo_towns: list[str], check_page: Callable[[Any], None]
) -> None:
    """Every page's footer leads to the site in Leichte Sprache: large type, short
    lines, readable on a phone; in English it is Easy Read."""
    page.goto(live_server.url("musterstadt.localhost", "/projekte"))
    page.locator(".site-footer a", has_text="Leichte Sprache").click()
    page.wait_for_url(re.compile(r"/leichte-sprache$"))
    assert page.locator("h1").inner_text() == "Leichte Sprache"
    assert "Diese Internet-Seite ist von Musterstadt." in page.locator("main").inner_text()
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.easy-read p')).fontSize)"
    )
    assert size >= 19  # larger than the site's body text
    check_page(page)
    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"/leichte-sprache$"))
    assert page.locator("h1").inner_text() == "Easy Read"
    check_page(page)
