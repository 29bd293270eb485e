"""The console's regions page in a real browser: accessible, in German and English, at
320 px, without JavaScript needed (a page of links and a table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask

from projektfabrik.console import services
from projektfabrik.extensions import db
from projektfabrik.testing import Town
from tests.regionkit import make_region, opt_in

pytestmark = pytest.mark.browser

CONSOLE = "betrieb.localhost"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "OPERATOR_HOST": CONSOLE}


def test_the_regions_page_in_both_languages(
    page: Any,
    live_server: Any,
    app: Flask,
    town_a: Town,
    town_b: Town,
    check_page: Callable[[Any], None],
) -> None:
    make_region(host="region-test.localhost")
    opt_in(town_a)
    new = services.create_operator("betrieb@example.org", "ein-langes-passwort")
    db.session.commit()
    page.goto(live_server.url(CONSOLE, "/konsole/anmelden"))
    page.fill("#email", "betrieb@example.org")
    page.fill("#password", "ein-langes-passwort")
    page.fill("#code", pyotp.TOTP(new.secret).now())
    page.click("main button[type=submit]")
    page.click("text=Regionen")
    assert page.locator("h1").inner_text() == "Regionen"
    assert "2 Mitgliedsgemeinden, 1 davon macht mit" in page.content()
    check_page(page)
    page.click("button[lang=en]")
    assert page.locator("h1").inner_text() == "Regions"
    assert "2 member towns, 1 of them opted in" in page.content()
    check_page(page)
