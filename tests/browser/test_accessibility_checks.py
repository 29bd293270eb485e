"""The accessibility checks of check_page fail when their pattern is broken.

Each check runs on a small page served by the browser itself (route), once
broken and once right, so a check that could never fail is caught here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.browser

URL = "http://checks.localhost/seite"


def _serve(page: Any, body: str, style: str = "") -> None:
    html = (
        "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Fehler: Test</title>"
        f"<style>body{{margin:0;font:16px sans-serif}} {style}</style></head><body>{body}</body></html>"
    )
    page.route(URL, lambda route: route.fulfill(body=html, content_type="text/html"))
    page.goto(URL)


@pytest.fixture
def bare_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


LINKS = "<p><a href='#a'>Erster Link</a> <a href='#b'>Zweiter Link</a></p>"


def test_focus_check_fails_without_a_visible_focus(
    bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    a11y_checks["forget_focus_checks"]()
    _serve(bare_page, LINKS, "a { color: #005a9c } a:focus { outline: none }")
    with pytest.raises(AssertionError, match="focus not visible"):
        a11y_checks["focus_visible"](bare_page)


def test_focus_check_fails_with_a_ring_in_the_background_colour(
    bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    """The town-name bug: a ring that has the header's own colour."""
    a11y_checks["forget_focus_checks"]()
    _serve(
        bare_page,
        f"<header>{LINKS}</header>",
        "header { background: #0b5e3b; padding: 1rem } header a { color: #fff }"
        " a:focus-visible { outline: 3px solid #0b5e3b; outline-offset: 2px }",
    )
    with pytest.raises(AssertionError, match="focus not visible"):
        a11y_checks["focus_visible"](bare_page)


def test_focus_check_passes_with_a_ring(
    bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    a11y_checks["forget_focus_checks"]()
    _serve(bare_page, LINKS, "a:focus-visible { outline: 3px solid #005a9c; outline-offset: 2px }")
    a11y_checks["focus_visible"](bare_page)


def test_unique_id_check(bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]) -> None:
    _serve(bare_page, "<textarea id='body'></textarea><textarea id='body'></textarea>")
    with pytest.raises(AssertionError, match="body"):
        a11y_checks["unique_ids"](bare_page)
    _serve(bare_page, "<textarea id='body'></textarea><textarea id='mail-body'></textarea>")
    a11y_checks["unique_ids"](bare_page)


def test_narrow_check_with_text_spacing(
    bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    # A named font (CI installs DejaVu): with the browser's default serif the word's
    # width depends on which fonts the machine has, and it fitted on one that had more.
    h1 = "h1 { font: bold 28px 'DejaVu Sans', sans-serif; margin: 0 16px }"
    _serve(bare_page, "<h1>Projektmarktplatz</h1>", h1)
    a11y_checks["fits_narrow_screen"](bare_page)  # fits without the spacing
    a11y_checks["text_spacing"](bare_page, True)
    with pytest.raises(AssertionError, match="scrolls sideways"):
        a11y_checks["fits_narrow_screen"](bare_page)


SUMMARY = (
    "<div style='height:1500px'>Seite</div><form><div class='error-summary' tabindex='-1'{}>"
    "<h2>Bitte prüfen</h2></div><textarea id='t'></textarea></form>"
)


def test_error_summary_must_take_the_focus(
    browser: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 700})
    errors: list[str] = []
    a11y_checks["watch_error_summaries"](context, errors)
    page = context.new_page()
    try:
        _serve(page, SUMMARY.format(""))
        page.wait_for_timeout(300)
        assert any("without the focus" in e for e in errors), errors
        with pytest.raises(AssertionError, match="does not have the focus"):
            a11y_checks["error_summary_focused"](page)
        errors.clear()
        page.unroute(URL)
        _serve(page, SUMMARY.format(" autofocus"))
        page.wait_for_timeout(300)
        assert errors == []
        a11y_checks["error_summary_focused"](page)  # focused and scrolled into view
    finally:
        context.close()


def test_repeated_names_must_name_their_target(
    bare_page: Any, a11y_checks: dict[str, Callable[..., Any]]
) -> None:
    _serve(
        bare_page,
        "<main><p><a href='/k/1'>Bearbeiten</a></p><p><a href='/k/2'>Bearbeiten</a></p></main>",
    )
    with pytest.raises(AssertionError, match="Bearbeiten"):
        a11y_checks["unambiguous_actions"](bare_page)
    _serve(
        bare_page,
        "<main><p><a href='/k/1'>Bearbeiten<span>: den Kommentar von Ada</span></a></p>"
        "<p><a href='/k/2'>Bearbeiten<span>: den Kommentar von Ben</span></a></p>"
        "<p><a href='/k/2'>Bearbeiten<span>: den Kommentar von Ben</span></a></p></main>",
    )
    a11y_checks["unambiguous_actions"](bare_page)
