"""The Kneipentools' pages in a real Chromium: every page passes axe-core, fits a
phone (360 px) and shows no markup as text, in German and in English; the paths
that take input also work with JavaScript switched off.

``PF_SCREENSHOTS=<folder>`` keeps screenshots (desktop and 360 px) of each page.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pubtools_support import make_team

from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser


def _shoot(page: Any, name: str) -> None:
    folder = os.environ.get("PF_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{name}-desktop.png"), full_page=True)
    before = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(Path(folder) / f"{name}-360.png"), full_page=True)
    page.set_viewport_size(before)


def _login(page: Any, live_server: Any, town: Town, email: str) -> None:
    page.goto(live_server.url(town, "/anmelden"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()


def _jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_pub_tools_pages_in_german_and_english(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None], tmp_path: Path
) -> None:
    team = make_team(town_a)
    ref = team.project.ref
    # a visitor: the overview and a blank sheet's print view
    page.goto(live_server.url(town_a, "/kneipentools/"))
    assert page.locator("h1").inner_text() == "Kneipentools"
    check_page(page)
    _shoot(page, "index-de")
    page.goto(live_server.url(town_a, "/kneipentools/bogen/teamfindung/a4"))
    assert page.locator("h1").inner_text() == "Teamfindung"
    check_page(page)
    _shoot(page, "blank-teamfindung-de")

    _login(page, live_server, town_a, team.owner.email)
    page.goto(live_server.url(town_a, f"/projekte/{team.project.number}"))
    with page.expect_navigation():
        page.get_by_role("link", name="Kneipentools", exact=True).last.click()
    assert page.locator("h1").inner_text() == "Kneipentools"
    check_page(page)
    _shoot(page, "project-de")

    for step in ("projektprofil", "arbeitsplan", "ressourcen"):
        page.goto(live_server.url(town_a, f"/kneipentools/projekt/{ref}/bogen/{step}/a4"))
        check_page(page)
        _shoot(page, f"sheet-{step}-de")
    code = page.locator(".code-text").first.inner_text().strip()

    # a prefilled PDF: a page says it is being made, then the download starts by itself
    with page.expect_download() as download:
        page.goto(live_server.url(town_a, f"/kneipentools/projekt/{ref}/bogen/arbeitsplan/a3/pdf"))
    assert download.value.suggested_filename.endswith("-arbeitsplan-a3.pdf")
    assert page.locator("h1").inner_text() == "Ihr Bogen wird erstellt"
    check_page(page)
    _shoot(page, "making-de")

    for key in ("aufsteller", "anmeldeliste", "ablauf"):
        page.goto(live_server.url(town_a, f"/kneipentools/projekt/{ref}/stammtisch/{key}"))
        check_page(page)
        _shoot(page, f"kit-{key}-de")

    # the code typed in: a wrong one keeps what was typed and says why
    page.goto(live_server.url(town_a, "/kneipentools/code"))
    page.fill("input[name=code]", "ZZZZ-ZZZZ")
    with page.expect_navigation():
        page.get_by_role("button", name="Seite öffnen").click()
    assert page.locator("input[name=code]").input_value() == "ZZZZ-ZZZZ"
    assert page.locator(".error-summary").count() == 1
    check_page(page)
    _shoot(page, "code-error-de")
    page.fill("input[name=code]", code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Seite öffnen").click()
    assert page.locator("h1").inner_text() == "Bogen „Ressourcen und Finanzierung“"
    check_page(page)
    _shoot(page, "landing-de")
    # a photo of the sheet, from the landing page
    page.set_input_files("input[name=photo]", str(_jpeg(tmp_path / "stammtisch.jpg")))
    with page.expect_navigation():
        page.get_by_role("button", name="Foto ablegen").click()
    assert (
        "Das Foto liegt jetzt bei den Dateien des Teams." in page.locator(".flashes").inner_text()
    )
    landing = page.url
    # someone changes the plan after printing: the landing page says so
    with town_a.request_context():
        from projektfabrik.extensions import db
        from projektfabrik.planning import services as planning
        from projektfabrik.planning.models import CostItem, CostType
        from projektfabrik.projects.models import Project

        project = db.session.get(Project, team.project.id)
        planning.add_item(
            project,
            team.owner,
            CostItem,
            planning.CostItemInput("Gießkannen", CostType.MATERIAL, 4000),
        )
        db.session.commit()
    page.goto(landing)
    assert "Der Plan hat sich geändert" in page.locator(".pubtools-changed").inner_text()
    check_page(page)
    _shoot(page, "landing-changed-de")

    page.goto(live_server.url(town_a, f"/kneipentools/projekt/{ref}/stammtisch/einladen"))
    page.fill("textarea[name=people]", "Nina Neu, nina@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Einladungen verschicken").click()
    assert page.locator("textarea[name=people]").input_value() == "Nina Neu, nina@example.org"
    check_page(page)
    _shoot(page, "invite-error-de")

    # English: the footer's language switch
    page.goto(live_server.url(town_a, f"/kneipentools/projekt/{ref}/"))
    with page.expect_navigation():
        page.locator(".language-switch button[value='en']").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Pub tools"
    assert "stammtisch.jpg" in page.locator("#fotos").inner_text()
    check_page(page)
    _shoot(page, "project-en")
    for path, name in (
        ("/kneipentools/", "index-en"),
        (f"/kneipentools/projekt/{ref}/bogen/vision/a3", "sheet-vision-en"),
        (f"/kneipentools/k/{code}", "landing-en"),
        (f"/kneipentools/projekt/{ref}/stammtisch/einladen", "invite-en"),
        (f"/kneipentools/projekt/{ref}/stammtisch/aufsteller", "kit-aufsteller-en"),
        ("/kneipentools/code", "code-en"),
    ):
        page.goto(live_server.url(town_a, path))
        assert page.locator("html").get_attribute("lang") == "en"
        check_page(page)
        _shoot(page, name)


def test_admin_pages(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    team = make_team(town_a)
    _login(page, live_server, town_a, team.admin.email)
    page.goto(live_server.url(town_a, "/verwaltung/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Ideen-Postkarten").click()
    check_page(page)
    _shoot(page, "postcards-de")
    page.fill("input[name=pages]", "0")
    with page.expect_navigation():
        page.get_by_role("button", name="PDF erstellen").click()
    assert page.locator("input[name=pages]").input_value() == "0"
    check_page(page)
    page.goto(live_server.url(town_a, "/verwaltung/module"))
    assert page.get_by_label("Kurzer Text in der Fußzeile jedes Bogens").count() == 1
    check_page(page)
    _shoot(page, "modules-de")


def test_without_javascript(browser: Any, live_server: Any, town_a: Town, tmp_path: Path) -> None:
    """Typing in a code, keeping a photo and inviting from a list need no script."""
    team = make_team(town_a)
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        _login(page, live_server, town_a, team.member.email)
        page.goto(
            live_server.url(town_a, f"/kneipentools/projekt/{team.project.ref}/bogen/vision/a4")
        )
        code = page.locator(".code-text").first.inner_text().strip()
        page.goto(live_server.url(town_a, "/kneipentools/code"))
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.get_by_role("button", name="Seite öffnen").click()
        assert "Bogen „Vision“" in page.locator("h1").inner_text()
        page.select_option("select[name=step]", "vision")
        page.set_input_files("input[name=photo]", str(_jpeg(tmp_path / "vision.jpg")))
        with page.expect_navigation():
            page.get_by_role("button", name="Foto ablegen").click()
        assert "Das Foto liegt jetzt" in page.locator(".flashes").inner_text()
        with page.expect_navigation():
            page.get_by_role("link", name="Bogen jetzt eintragen").click()
        assert page.url.endswith(f"/projekte/{team.project.number}/plan/profil#vision")
    finally:
        context.close()
