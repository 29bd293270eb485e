"""The notification settings page with funding's kinds, in a real browser: axe-core
finds nothing and it fits a phone. ``PF_SCREENSHOTS=<folder>`` keeps screenshots."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from funding_support import make_round

from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = pytest.mark.browser


def test_the_settings_page_with_funding_kinds(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    team = make_round(town_a, clients=False)
    page.goto(live_server.url(town_a, "/anmelden"))
    page.fill("input[name=email]", team.admin_user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    page.goto(live_server.url(town_a, "/benachrichtigungen/einstellungen"))
    assert page.get_by_text("Neue und erneut eingereichte Förderanträge (Verwaltung)").count()
    check_page(page)
    folder = os.environ.get("PF_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / "settings-desktop.png"), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})
        page.screenshot(path=str(Path(folder) / "settings-360.png"), full_page=True)
