"""The operator console in a real browser: sign in with a second factor, every page
accessible, in German and English, at 360 px, without JavaScript needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask

from projektfabrik.console import services
from projektfabrik.extensions import db
from projektfabrik.testing import Town

pytestmark = pytest.mark.browser

CONSOLE = "betrieb.localhost"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "OPERATOR_HOST": CONSOLE}


def test_an_operator_walks_through_the_console(
    page: Any, live_server: Any, app: Flask, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    new = services.create_operator("betrieb@example.org", "ein-langes-passwort")
    db.session.commit()
    page.goto(live_server.url(CONSOLE, "/konsole/anmelden"))
    check_page(page)
    page.fill("#email", "betrieb@example.org")
    page.fill("#password", "ein-langes-passwort")
    page.fill("#code", "123456" if pyotp.TOTP(new.secret).now() != "123456" else "654321")
    page.click("main button[type=submit]")
    assert "nicht korrekt" in page.content()
    check_page(page)
    page.fill("#password", "ein-langes-passwort")
    page.fill("#code", pyotp.TOTP(new.secret).now())
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Gemeinden"
    check_page(page)

    page.click("text=Neue Gemeinde")
    page.click("main button[type=submit]")  # nothing typed: errors, nothing lost
    check_page(page)
    page.fill("#name", "Neudorf")
    page.fill("#slug", "neudorf")
    page.fill("#hosts", "neudorf.test")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Neudorf"
    check_page(page)
    page.click("text=Nur lesbar schalten")
    assert "Nur lesbar" in page.locator(".state").inner_text()
    page.fill("#slug", "falsch")
    page.click("text=Neudorf endgültig löschen")
    assert "Nichts wurde gelöscht" in page.content()
    check_page(page)
    page.click("text=Protokoll")
    check_page(page)

    # English
    page.click("button[lang=en]")
    assert page.locator("h1").inner_text() == "Audit log"
    check_page(page)
    page.goto(live_server.url(CONSOLE, "/konsole/"))
    assert page.locator("h1").inner_text() == "Towns"
    check_page(page)
