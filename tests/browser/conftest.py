"""Browser fixtures: the app on a real port, the system's Chromium, axe-core checks.

Playwright cannot download browsers here, so it drives the Chromium the system
has (``/usr/bin/chromium`` or ``PROJEKTFABRIK_CHROMIUM``). Without one the
browser tests are skipped, except under CI, where a missing browser is an error.

Towns get hosts below ``.localhost``: Chromium resolves every such name to the
loopback address, so each town is reached by its own host, as in production.
"""

from __future__ import annotations

import contextlib
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
#: The narrowest screen WCAG 1.4.10 asks for (320 CSS px: 1280 px at 400 % zoom).
NARROW_WIDTH = 320
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
    """The test app served by werkzeug in a thread; mail links point at its port.

    Mail goes out as in production: queued with the change, sent by the mail
    worker (``mail/worker.py``, in a thread here, polling every 0.1 s). The
    other tests' delivery "after the response" hangs on the server closing the
    response, which werkzeug's threaded server did not always do in time: a
    queued mail then stayed in the outbox and a journey test waited for it in
    vain (seen in about one run in six, before and after 2026-12-03).
    """
    from projektfabrik.mail.worker import Worker

    port = free_port()
    app.config["PUBLIC_PORT"] = str(port)
    delivery = app.config["MAIL_DELIVERY"]
    app.config["MAIL_DELIVERY"] = "worker"
    mailer = Worker(app, poll=0.1)
    mail_thread = threading.Thread(target=mailer.run, name="live-mail-worker", daemon=True)
    mail_thread.start()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(port=port, app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        mailer.stop.set()
        mail_thread.join(timeout=5)
        app.config["MAIL_DELIVERY"] = delivery


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


#: Run in every document: the first element to get the focus on a page that shows
#: an error summary must be the summary, and it must be in the viewport then.
SUMMARY_FOCUS_WATCH = """
(() => {
    let first = null;
    document.addEventListener('focusin', (event) => { if (first === null) first = event.target; }, true);
    window.addEventListener('load', () => {
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
            const summary = document.querySelector('.error-summary');
            if (!summary) return;
            if (first !== summary) {
                window.__pfReport('error summary shown without the focus (first focused: '
                    + (first ? first.outerHTML.slice(0, 80) : 'nothing') + ')');
                return;
            }
            const r = summary.getBoundingClientRect();
            if (document.activeElement === summary && !(r.bottom > 0 && r.top < window.innerHeight)) {
                window.__pfReport('error summary focused outside the viewport');
            }
        }, 50)));
    });
})();
"""


def _watch_error_summaries(context: Any, errors: list[str]) -> None:
    """Report into ``errors`` every page of ``context`` whose error summary did not get the focus."""
    context.expose_binding(
        "__pfReport", lambda source, message: errors.append(f"{message} ({source['frame'].url})")
    )
    context.add_init_script(SUMMARY_FOCUS_WATCH)


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
    # Every page the test loads with an error summary (a failed submission) must
    # have put the focus on it, in view, before anything else took it (3.3.1).
    _watch_error_summaries(context, errors)
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


#: WCAG 1.4.12's text spacing, applied through a constructed stylesheet (the CSP
#: forbids inline styles, not the CSSOM) while the narrow screen is checked.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }
"""


def _with_text_spacing(page: Any, on: bool) -> None:
    page.evaluate(
        """([css, on]) => {
            if (on) {
                const sheet = new CSSStyleSheet();
                sheet.replaceSync(css);
                window.__pfSpacing = sheet;
                document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
            } else if (window.__pfSpacing) {
                document.adoptedStyleSheets = document.adoptedStyleSheets.filter(
                    (s) => s !== window.__pfSpacing);
            }
        }""",
        [TEXT_SPACING, on],
    )


def _assert_unique_ids(page: Any) -> None:
    """Every id once: a label, a skip link or an error link finds the one element (1.3.1, 4.1.2)."""
    duplicates = page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
            return [...seen].filter(([, n]) => n > 1).map(([id, n]) => id + ' (' + n + ' times)');
        }"""
    )
    assert not duplicates, f"ids used more than once on {page.url}: {', '.join(duplicates)}"


def _assert_unambiguous_actions(page: Any) -> None:
    """In the page's content (not its navigation), links and buttons with the same
    name do the same thing (2.4.4): "Bearbeiten" next to each comment must say
    whose comment (a visually hidden part counts)."""
    clashes = page.evaluate(
        """() => {
            const norm = (t) => (t || '').replace(/\\s+/g, ' ').trim();
            const name = (el) => norm(el.getAttribute('aria-label') || el.textContent || el.value);
            const targets = new Map();
            const add = (el, target) => {
                const n = name(el);
                // Navigation (site menu, tabs, breadcrumbs) is context of its own.
                if (!n || el.closest('[hidden]') || el.closest('nav')) return;
                if (!targets.has(n)) targets.set(n, new Set());
                targets.get(n).add(target);
            };
            for (const a of document.querySelectorAll('main a[href]')) {
                add(a, 'link ' + a.href.replace(/#.*$/, '') + (a.hash || ''));
            }
            for (const b of document.querySelectorAll('main button, main input[type=submit]')) {
                const form = b.form;
                if (!form) continue;
                const hidden = [...form.querySelectorAll('input[type=hidden]')]
                    .filter((i) => i.name !== 'csrf_token').map((i) => i.name + '=' + i.value).join('&');
                add(b, 'form ' + form.action + '?' + hidden + '&' + b.name + '=' + b.value);
            }
            return [...targets].filter(([, t]) => t.size > 1).map(([n, t]) => n + ' (' + t.size + ' targets)');
        }"""
    )
    assert not clashes, (
        f"on {page.url} the same name leads to different places: {', '.join(clashes[:6])}"
    )


def _assert_error_summary_focused(page: Any) -> None:
    """After a failed submission the error summary has the focus and is in view (3.3.1)."""
    # The browser moves focus to an autofocus element at its next rendering step,
    # not during the load: give it that moment before looking.
    with contextlib.suppress(Exception):
        page.wait_for_function(
            """() => {
                const summary = document.querySelector('.error-summary');
                return !summary || document.activeElement === summary;
            }""",
            timeout=3000,
        )
    state = page.evaluate(
        """() => {
            const summary = document.querySelector('.error-summary');
            if (!summary) return null;
            const r = summary.getBoundingClientRect();
            return {
                focused: document.activeElement === summary,
                active: document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : '',
                inView: r.bottom > 0 && r.top < window.innerHeight && r.height > 0,
                title: document.title,
            };
        }"""
    )
    if state is None:
        return
    assert state["focused"], (
        f"{page.url}: the error summary does not have the focus (it has: {state['active']})"
    )
    assert state["inView"], f"{page.url}: the error summary is not in the viewport"
    assert state["title"].startswith(("Fehler:", "Error:")), (
        f"{page.url}: a page with errors has the title {state['title']!r}"
    )


#: Per page, at most this many focusable elements are compared focused and
#: unfocused (the first tab stops not yet checked in this town in this run; see
#: docs/accessibility.md). Tab is pressed at most FOCUS_MAX_STOPS times.
FOCUS_SAMPLE = 8
FOCUS_MAX_STOPS = 60
#: Elements checked already, per host: the header's links are the same on every page.
_FOCUS_CHECKED: set[tuple[str, str]] = set()
#: The smallest contrast between a pixel focused and unfocused that counts as a change.
FOCUS_CONTRAST = 3.0


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _changed_pixels(before: bytes, after: bytes) -> int:
    """How many pixels changed by a contrast of at least 3:1 between two screenshots."""
    import io

    from PIL import Image, ImageChops

    one = Image.open(io.BytesIO(before)).convert("RGB")
    two = Image.open(io.BytesIO(after)).convert("RGB")
    if one.size != two.size:
        return one.size[0] * one.size[1]
    mask = ImageChops.difference(one, two).convert("L").point(lambda v: 255 if v else 0)
    if mask.getbbox() is None:
        return 0
    count = 0
    cache: dict[tuple[Any, Any], bool] = {}

    def pixels(image: Any) -> Any:
        return getattr(image, "get_flattened_data", image.getdata)()

    for pixel_one, pixel_two, differs in zip(pixels(one), pixels(two), pixels(mask), strict=True):
        if not differs:
            continue
        key = (pixel_one, pixel_two)
        strong = cache.get(key)
        if strong is None:
            light, dark = sorted((_luminance(pixel_one), _luminance(pixel_two)), reverse=True)
            strong = cache[key] = (light + 0.05) / (dark + 0.05) >= FOCUS_CONTRAST
        count += strong
    return count


def _assert_focus_visible(page: Any, sample: int = FOCUS_SAMPLE) -> None:
    """Keyboard focus shows on every element sampled: its surroundings, screenshotted
    focused and unfocused, differ by at least 3:1 along at least half its outline (2.4.7).
    """
    host = page.evaluate("location.host")
    page.evaluate(
        """() => {
            if (document.activeElement) document.activeElement.blur();
            window.getSelection().collapse(document.body, 0);
        }"""
    )
    viewport = page.viewport_size or DESKTOP
    failures: list[str] = []
    checked = 0
    first = None
    for _ in range(FOCUS_MAX_STOPS):
        if checked >= sample:
            break
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const r = el.getBoundingClientRect();
                const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40);
                const key = el.tagName + '#' + el.id + '.' + el.className + ' ' + text + ' ' + (el.getAttribute('href') || '');
                return {key, text, tag: el.tagName.toLowerCase(), x: r.x, y: r.y, w: r.width, h: r.height};
            }"""
        )
        if stop is None or stop["key"] == first:
            break
        first = first or stop["key"]
        if (host, stop["key"]) in _FOCUS_CHECKED or stop["w"] < 1 or stop["h"] < 1:
            continue
        margin = 8
        left = max(0, stop["x"] - margin)
        top = max(0, stop["y"] - margin)
        right = min(viewport["width"], stop["x"] + stop["w"] + margin)
        bottom = min(viewport["height"], stop["y"] + stop["h"] + margin)
        if right - left < 2 or bottom - top < 2:
            continue
        clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
        focused = page.screenshot(clip=clip, animations="disabled")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        unfocused = page.screenshot(clip=clip, animations="disabled")
        visible_w = min(stop["w"], right - left)
        visible_h = min(stop["h"], bottom - top)
        needed = visible_w + visible_h  # half the perimeter, 1 px wide
        changed = _changed_pixels(unfocused, focused)
        _FOCUS_CHECKED.add((host, stop["key"]))
        checked += 1
        if changed < needed:
            failures.append(
                f"<{stop['tag']}> {stop['text']!r}: {changed} pixels change by 3:1, {int(needed)} needed"
            )
    page.evaluate("document.activeElement && document.activeElement.blur()")
    assert not failures, f"focus not visible enough on {page.url}:\n    " + "\n    ".join(failures)


def _check_page(page: Any, html_pages: Path | None = None, test: str = "") -> None:
    """What every page must pass (docs/accessibility.md): a failed form's summary
    focused and in view, unique ids, one name per target in the content, axe-core,
    a visible focus on the elements sampled, no sideways scrolling at 320 px with
    WCAG's text spacing, and no markup shown as text.

    With ``html_pages`` the page's markup is kept there too; the session's end
    validates all of them with the Nu Html Checker (projektfabrik.testing).
    """
    if html_pages is not None:
        save_page_html(html_pages, f"{test} {page.url}", page.content())
    _assert_error_summary_focused(page)  # first: the checks below move the focus
    _assert_unique_ids(page)
    _assert_unambiguous_actions(page)
    _assert_accessible(page)
    _assert_focus_visible(page)
    _with_text_spacing(page, True)
    try:
        _assert_fits_narrow_screen(page)
    finally:
        _with_text_spacing(page, False)
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


@pytest.fixture
def a11y_checks() -> dict[str, Callable[..., Any]]:
    """The single checks of check_page, for the tests that prove each can fail."""
    return {
        "focus_visible": _assert_focus_visible,
        "unique_ids": _assert_unique_ids,
        "unambiguous_actions": _assert_unambiguous_actions,
        "error_summary_focused": _assert_error_summary_focused,
        "fits_narrow_screen": _assert_fits_narrow_screen,
        "text_spacing": _with_text_spacing,
        "watch_error_summaries": _watch_error_summaries,
        "forget_focus_checks": _FOCUS_CHECKED.clear,
    }


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """``screenshot(page, name)``: with ``PROJEKTFABRIK_SCREENSHOTS=<folder>``, keep the
    page at 1280 and 360 px there (``<name>-1280.png``, ``<name>-360.png``) for looking
    at it; without, nothing."""

    def take(page: Any, name: str) -> None:
        folder = os.environ.get("PROJEKTFABRIK_SCREENSHOTS")
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        for w in (1280, 360):
            page.set_viewport_size({"width": w, "height": 900})
            page.screenshot(path=f"{folder}/{name}-{w}.png", full_page=True)
        page.set_viewport_size({"width": width, "height": 900})

    return take
