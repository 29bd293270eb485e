"""Issue "Core platform": a newcomer's whole way through the site in a real browser.

Register, confirm the address from the mail, log in, fill in the profile with a
picture, switch to English, log out. Every page on the way passes axe-core and
fits a 360 px wide phone screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from projektfabrik.testing import Mailbox, Town, links_in

pytestmark = pytest.mark.browser

EMAIL = "neu@example.org"
PASSWORD = "ein langes passwort"


def small_png(path: Path) -> Path:
    image = Image.new("RGB", (64, 48), (11, 94, 59))
    for x in range(16, 48):
        for y in range(12, 36):
            image.putpixel((x, y), (250, 200, 40))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def submit(page: Any, form_selector: str = "main form.stacked") -> None:
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


def test_register_verify_login_profile_language_logout(
    page: Any,
    live_server: Any,
    town_a: Town,
    town_b: Town,
    mailbox: Mailbox,
    check_page: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    # The landing page, German by default, links to the registration.
    page.goto(live_server.url(town_a))
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text().strip().endswith("Stadt A")
    check_page(page)

    page.locator(".site-nav a[href='/registrieren']").click()
    page.wait_for_url(re.compile(r"/registrieren$"))
    check_page(page)

    # A form sent with errors shows them in an accessible summary.
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    check_page(page)

    page.fill("#display_name", "Nora Neumann")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.check("#kind-0")
    page.check("#accept_privacy")
    submit(page)
    assert "/registrieren/post" in page.url
    assert EMAIL in page.locator("main").inner_text()
    check_page(page)

    # The link in the mail points at this town's canonical host and this server.
    mail = mailbox.wait_for(EMAIL)
    assert "Stadt A" in str(mail["From"]) or town_a.host in str(mail["From"])
    links = [link for link in links_in(mail) if "/bestaetigen/" in link]
    assert len(links) == 1, links_in(mail)
    assert links[0].startswith(live_server.url(town_a, "/bestaetigen/"))

    page.goto(links[0])
    page.wait_for_url(re.compile(r"/anmelden$"))
    assert page.locator(".flash-success").is_visible()
    check_page(page)

    # A wrong password is refused with a message tied to the field.
    page.fill("#email", EMAIL)
    page.fill("#password", "falsch falsch falsch")
    submit(page)
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    check_page(page)

    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    submit(page)
    assert page.url == live_server.url(town_a, "/")
    assert "Nora Neumann" in page.locator(".flash-success").inner_text()
    check_page(page)

    # The profile: name, district, skills and a picture.
    page.locator(".site-nav a[href='/profil']").click()
    page.wait_for_url(re.compile(r"/profil$"))
    check_page(page)
    assert page.locator("#display_name").input_value() == "Nora Neumann"

    page.fill("#display_name", "Nora Neumann-Ufer")
    page.select_option("#district", label="Hafen")
    page.fill("#skills", "Gärtnern, Buchhaltung")
    page.fill("#bio", "Ich baue gern Hochbeete.")
    page.set_input_files("#avatar", str(small_png(tmp_path / "ich.png")))
    submit(page)
    assert page.url == live_server.url(town_a, "/profil")
    assert page.locator(".flash-success").is_visible()
    card = page.locator(".person.card")
    assert "Nora Neumann-Ufer" in card.inner_text()
    assert "Hafen" in card.inner_text()
    assert page.locator("#skills").input_value() == "Gärtnern, Buchhaltung"
    picture = card.locator("img.avatar")
    assert picture.count() == 1
    assert page.evaluate("(img) => img.complete && img.naturalWidth", picture.element_handle()) > 0
    check_page(page)

    # The newcomer shows up on the town's landing page, and only there.
    page.goto(live_server.url(town_a))
    assert "Nora Neumann-Ufer" in page.locator(".people").inner_text()
    check_page(page)

    # The footer's language buttons switch to English and back is one click away.
    with page.expect_navigation():
        page.locator(".language-switch button[value='en']").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".language-switch button[value='en']").get_attribute("aria-pressed") == (
        "true"
    )
    assert page.url == live_server.url(town_a, "/")
    check_page(page)

    page.goto(live_server.url(town_a, "/profil"))
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page)

    # Log out from the navigation; the language choice stays.
    with page.expect_navigation():
        page.locator(".site-nav form[action='/abmelden'] button").click()
    assert page.url == live_server.url(town_a, "/")
    assert page.locator(".site-nav a[href='/anmelden']").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page)

    page.goto(live_server.url(town_a, "/profil"))
    page.wait_for_url(re.compile(r"/anmelden"))

    # Stadt B knows nothing of the account.
    page.goto(live_server.url(town_b))
    assert "Nora" not in page.locator("main").inner_text()
    check_page(page)
