"""Issue #12 in a real browser, in German and in English: an admin sets the town's
appearance (a colour refused for its contrast, a logo), writes the Impressum from
its template with a preview, looks at its versions, makes someone moderator,
blocks and unblocks them and reads the audit log. Every page passes check_page
(axe-core, 360 px, no markup as text, vnu)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser

TEXTS = {
    "de": {
        "refused": "schwer zu lesen",
        "saved": "Das Erscheinungsbild ist gespeichert",
        "logo": "Das neue Logo ist gespeichert",
        "launch": "Vor dem Start",
        "preview": "Vorschau (noch nicht gespeichert)",
        "legal_saved": "ist gespeichert und steht auf der Seite",
        "role": "ist jetzt: Moderation",
        "blocked": "ist gesperrt",
        "unblocked": "ist nicht mehr gesperrt",
        "log": "Rolle von Pia Person von Mitglied zu Moderation geändert",
    },
    "en": {
        "refused": "hard to read",
        "saved": "The appearance is saved",
        "logo": "The new logo is saved",
        "launch": "Before going live",
        "preview": "Preview (not saved yet)",
        "legal_saved": "is saved and shown on the site",
        "role": "is now: Moderator",
        "blocked": "is blocked",
        "unblocked": "is unblocked",
        "log": "Role of Pia Person changed from Member to Moderator",
    },
}


def _submit(page: Any, form: str, button: str = "button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(f"{form} {button}").first.click()


def _png(path: Path) -> Path:
    Image.new("RGB", (400, 120), "#0b5e3b").save(path, "PNG")
    return path


@pytest.mark.parametrize("locale", ["de", "en"])
def test_an_admin_runs_the_towns_site(
    page: Any,
    live_server: Any,
    town_a: Town,
    tmp_path: Path,
    check_page: Callable[[Any], None],
    locale: str,
) -> None:
    text = TEXTS[locale]
    admin = town_a.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    person = town_a.user("pia@example.org", name="Pia Person")
    with town_a.context():
        found = db.session.get(User, admin.id)
        assert found is not None
        found.locale = locale
        db.session.commit()
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("#email", "admin@example.org")
    page.fill("#password", TEST_PASSWORD)
    _submit(page, "main form.stacked")

    # The overview: the checklist before going live.
    page.goto(live_server.url(town_a, "/verwaltung/"))
    assert text["launch"] in page.locator("main").inner_text()
    check_page(page)

    # Appearance: a colour white text cannot be read on is refused, input kept.
    page.goto(live_server.url(town_a, "/verwaltung/erscheinungsbild"))
    check_page(page)
    page.fill("#name", "Stadt A am See")
    page.fill("#primary_color", "#ffdd00")
    page.check("#text_on_brand-1")  # white
    page.fill("#headline", "Mitmachen am See")
    _submit(page, "main form[action$='/erscheinungsbild']")
    assert text["refused"] in page.locator("main").inner_text()
    assert page.input_value("#headline") == "Mitmachen am See"
    check_page(page)
    page.fill("#primary_color", "#0b5e3b")
    page.fill("#contact_email", "rathaus@stadt-a.de")
    _submit(page, "main form[action$='/erscheinungsbild']")
    assert text["saved"] in page.locator("main").inner_text()
    assert "Stadt A am See" in page.locator("header").inner_text()
    page.set_input_files("#logo", str(_png(tmp_path / "logo.png")))
    _submit(page, "main form[action$='/logo']")
    assert text["logo"] in page.locator("main").inner_text()
    assert page.locator("img.brand-logo-preview").evaluate("img => img.naturalWidth") == 400
    check_page(page)

    # The Impressum from its template: preview, save, versions.
    page.goto(live_server.url(town_a, "/verwaltung/rechtstexte"))
    check_page(page)
    page.goto(live_server.url(town_a, "/verwaltung/rechtstexte/impressum"))
    assert "rathaus@stadt-a.de" in page.input_value("#body")
    check_page(page)
    page.fill("#body", "## Anbieter\nStadt A am See\nMarkt 1")
    _submit(page, "main form.stacked", "button[value=preview]")
    assert text["preview"] in page.locator("main").inner_text()
    check_page(page)
    _submit(page, "main form.stacked", "button[value=save]")
    assert text["legal_saved"] in page.locator("main").inner_text()
    page.goto(live_server.url(town_a, "/verwaltung/rechtstexte/impressum/versionen"))
    check_page(page)
    with page.expect_navigation():
        page.locator("main ol.name-list a").first.click()
    assert "Markt 1" in page.locator("main").inner_text()
    check_page(page)

    # People: find Pia, make her moderator, block and unblock her.
    page.goto(live_server.url(town_a, "/verwaltung/personen"))
    page.fill("#people-q", "Pia")
    _submit(page, "main form.search-form")
    check_page(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Pia Person").click()
    assert re.search(rf"/verwaltung/personen/{person.ref}$", page.url)
    check_page(page)
    page.check("#role-1")  # moderator
    _submit(page, "main form[action$='/rolle']")
    assert text["role"] in page.locator("main").inner_text()
    _submit(page, "main form[action$='/sperren']")
    assert text["blocked"] in page.locator("main").inner_text()
    check_page(page)
    _submit(page, "main form[action$='/entsperren']")
    assert text["unblocked"] in page.locator("main").inner_text()

    # The audit log says who did what.
    page.goto(live_server.url(town_a, "/verwaltung/protokoll"))
    assert text["log"] in page.locator("main").inner_text()
    check_page(page)

    # Statistics: charts with their tables.
    page.goto(live_server.url(town_a, "/verwaltung/statistik"))
    assert page.locator("svg.chart-svg").count() == 4
    check_page(page)

    # The public pages show it all to a visitor.
    page.context.clear_cookies()
    page.goto(live_server.url(town_a, "/"))
    assert "Stadt A am See" in page.locator("header").inner_text()
    check_page(page)
    page.goto(live_server.url(town_a, "/impressum"))
    assert "Markt 1" in page.locator("main").inner_text()
