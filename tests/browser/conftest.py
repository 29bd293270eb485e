"""Browser fixtures: the app on a real port, the system's Chromium, axe-core checks.

Playwright cannot download browsers here, so it drives the Chromium the system
has (``/usr/bin/chromium`` or ``PROJEKTFABRIK_CHROMIUM``). Without one the
browser tests are skipped, except under CI, where a missing browser is an error.

Towns get hosts below ``.localhost``: Chromium resolves every such name to the
loopback address, so each town is reached by its own host, as in production.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from projektfabrik.testing import Town, free_port, make_town, save_page_html, shared_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
NARROW_WIDTH = 360
#: axe-core impacts that fail a test; "minor" and "moderate" are reported only.
BLOCKING_IMPACTS = {"serious", "critical"}


def chromium_path() -> str:
    return os.environ.get("PROJEKTFABRIK_CHROMIUM") or "/usr/bin/chromium"


# --- the app on a real port -------------------------------------------------------


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # A browser sends real forms: keep the CSRF check on, as in production.
    return {**app_config, "WTF_CSRF_ENABLED": True}


@dataclass
class LiveServer:
    port: int
    app: Flask

    def url(self, town: Town | str, path: str = "/") -> str:
        host = town if isinstance(town, str) else town.host
        return f"http://{host}:{self.port}{path}"


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The test app served by werkzeug in a thread; mail links point at its port."""
    port = free_port()
    app.config["PUBLIC_PORT"] = str(port)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(port=port, app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def town_a(app: Flask) -> Town:
    return make_town(
        app,
        "stadt-a",
        "Stadt A",
        ["stadt-a.localhost", "www.stadt-a.localhost"],
        ["Altstadt", "Hafen"],
    )


@pytest.fixture
def town_b(app: Flask) -> Town:
    return make_town(app, "stadt-b", "Stadt B", ["stadt-b.localhost"], ["Oberdorf"])


@pytest.fixture
def demo_towns(app: Flask) -> list[str]:
    """Musterstadt and Beispielhausen seeded from the repository's tenants/ folder."""
    from projektfabrik.demo import seed

    app.config["TENANTS_DIR"] = str(Path(__file__).resolve().parents[2] / "tenants")
    return list(seed())


# --- the browser ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        message = f"no Chromium at {executable} (set PROJEKTFABRIK_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # One Playwright per process: plugins re-export these fixtures from their own
    # conftest, and a second sync Playwright inside the first one's loop fails.
    yield shared_chromium(executable, CHROMIUM_ARGS)


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser profile (no cookies) per test, German first like the towns."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        # Script errors, CSP refusals and missing images or stylesheets count; the
        # status of the page itself (tests visit 404s on purpose) and the favicon
        # the browser asks for on its own do not.
        url = (message.location or {}).get("url", "")
        if message.type != "error" or url.endswith("/favicon.ico") or url == opened.url:
            return
        errors.append(f"{message.text} ({url or opened.url})")

    opened.on("pageerror", lambda exc: errors.append(f"{exc} ({opened.url})"))
    opened.on("console", on_console)
    yield opened
    context.close()
    assert not errors, "errors in the browser console:\n" + "\n".join(errors)


# --- checks ---------------------------------------------------------------------------


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def _assert_accessible(page: Any) -> None:
    """Fail on any axe-core violation with impact serious or critical (WCAG 2.1 AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
        },
    )
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        print(f"\naxe (not blocking) on {page.url}:\n{_describe(others)}")
    assert not blocking, f"accessibility violations on {page.url}:\n{_describe(blocking)}"


def _assert_fits_narrow_screen(page: Any, width: int = NARROW_WIDTH) -> None:
    """At a phone's width the page scrolls only vertically."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": 740})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(
                """(width) => {
                    const out = [];
                    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ALL);
                    for (let node = walker.nextNode(); node && out.length < 8; node = walker.nextNode()) {
                        let right;
                        if (node.nodeType === Node.TEXT_NODE) {
                            if (!node.textContent.trim()) continue;
                            const range = document.createRange();
                            range.selectNodeContents(node);
                            right = range.getBoundingClientRect().right;
                        } else if (node.nodeType === Node.ELEMENT_NODE) {
                            right = node.getBoundingClientRect().right;
                        } else continue;
                        if (right > width + 0.5) {
                            const what = node.nodeType === Node.TEXT_NODE
                                ? 'text ' + JSON.stringify(node.textContent.trim().slice(0, 40))
                                : '<' + node.tagName.toLowerCase()
                                  + (node.className ? ' class=' + JSON.stringify(String(node.className)) : '') + '>';
                            out.push(what + ' reaches ' + Math.round(right) + ' px');
                        }
                    }
                    return out;
                }""",
                width,
            )
            raise AssertionError(
                f"{page.url} scrolls sideways at {width} px (scrollWidth {scroll_width}); "
                "too wide:\n    " + "\n    ".join(wide)
            )
    finally:
        page.set_viewport_size(before or DESKTOP)


#: An HTML tag in what a person reads: markup was escaped where it should render
#: (Musterstadt's landing page once showed the notice board's teaser as code).
MARKUP_AS_TEXT = re.compile(
    r"</?(?:section|div|span|p|a|ul|ol|li|h[1-6]|strong|em|img|form|table|br)\b[^>]*>", re.I
)


def _assert_no_markup_as_text(page: Any) -> None:
    shown = page.inner_text("body")
    found = MARKUP_AS_TEXT.findall(shown)
    assert not found, f"markup shown as text on {page.url}: {found[:3]}"


def _check_page(page: Any, html_pages: Path | None = None, test: str = "") -> None:
    """What every page must pass: axe-core, no sideways scrolling on a phone, and no
    markup shown as text.

    With ``html_pages`` the page's markup is kept there too; the session's end
    validates all of them with the Nu Html Checker (projektfabrik.testing).
    """
    if html_pages is not None:
        save_page_html(html_pages, f"{test} {page.url}", page.content())
    _assert_accessible(page)
    _assert_fits_narrow_screen(page)
    _assert_no_markup_as_text(page)


# The checks as fixtures, so test modules need no import from this conftest.


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    """``assert_accessible(page)``: no serious or critical axe-core violation."""
    return _assert_accessible


@pytest.fixture
def assert_fits_narrow_screen() -> Callable[..., None]:
    """``assert_fits_narrow_screen(page, width=360)``: no sideways scrolling."""
    return _assert_fits_narrow_screen


@pytest.fixture
def check_page(html_pages_dir: Path, request: pytest.FixtureRequest) -> Callable[[Any], None]:
    """``check_page(page)``: both checks above, and the page's HTML kept for vnu."""

    def check(page: Any) -> None:
        _check_page(page, html_pages_dir, request.node.nodeid)

    return check
