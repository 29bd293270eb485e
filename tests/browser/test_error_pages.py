"""The 413 page (#20): in the visitor's language, accessible, fits a phone."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from projektfabrik.testing import Town

pytestmark = pytest.mark.browser


def test_a_too_large_form_gets_a_readable_413_page(
    page: Any, live_server: Any, town_a: Town, check_page: Callable[[Any], None]
) -> None:
    page.goto(live_server.url(town_a.host, "/anmelden"))
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.querySelector("main form");
                form.querySelector("input[type=email], input[name=email]").value =
                    "x".repeat(2 * 1024 * 1024);
                form.submit();
            }"""
        )
    assert "Zu groß" in page.content() and "Es wurde nichts gespeichert" in page.content()
    check_page(page)
    folder = os.environ.get("PROJEKTFABRIK_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/413-desktop.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 800})
        page.screenshot(path=f"{folder}/413-360.png", full_page=True)
