"""Every page of the demo towns, as a visitor and as the town's admin, is free of
escaped markup: HTML that reached the page as text (``&lt;section …``) is a bug
(a plugin's slot once showed up like that on Musterstadt's landing page); and
every such page is valid HTML by the Nu Html Checker (vnu), core and plugins."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import DEMO_PASSWORD, seed
from projektfabrik.testing import HostClient, login, vnu_errors

ESCAPED_TAG = re.compile(r"&lt;(section|div|a |p>|ul|li|h[1-6]|span|form)")
LINK = re.compile(r'href="(/[^"#?]*)"')
#: Pages a crawl must not follow: downloads, logging out, files.
SKIP = re.compile(r"(\.(pdf|csv|xlsx|json|atom|svg|png|jpg|css|js)$)|^/static/|/abmelden")


@pytest.fixture
def demo_app(app_config: dict[str, Any]) -> Flask:
    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
    return app


def crawl(client: Any, start: str = "/", limit: int = 60) -> dict[str, str]:
    """The town's HTML pages reachable from ``start`` by links (at most ``limit``)."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            seen[path] = ""
            continue
        seen[path] = response.get_data(as_text=True)
        queue += [link for link in LINK.findall(seen[path]) if link not in seen]
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("slug", ["musterstadt", "beispielhausen"])
@pytest.mark.parametrize("as_admin", [False, True], ids=["visitor", "admin"])
def test_no_demo_page_shows_escaped_markup(demo_app: Flask, slug: str, as_admin: bool) -> None:
    client = demo_app.test_client()
    client.base_url = f"http://{slug}.localhost"  # type: ignore[attr-defined]
    if as_admin:
        login(client, f"admin@{slug}.example", DEMO_PASSWORD)
    pages = crawl(client)
    assert len([p for p in pages.values() if p]) >= 8, sorted(pages)
    escaped = {
        path: ESCAPED_TAG.search(html).group(0)
        for path, html in pages.items()
        if html and ESCAPED_TAG.search(html)
    }
    assert not escaped, f"escaped markup on: {escaped}"
    if slug == "musterstadt":
        assert '<section class="card pinnwand-teaser"' in pages["/"]


@pytest.mark.slow
def test_every_demo_page_is_valid_html(demo_app: Flask, tmp_path: Path) -> None:
    """The pages of both demo towns, as visitor and as admin, checked by vnu in one batch.

    With CSRF on, as in production: every form then carries its hidden token
    field, and two forms on a page must not both give it the same id."""
    clients = []
    for slug in ("musterstadt", "beispielhausen"):
        for who in ("visitor", "admin"):
            client = demo_app.test_client()
            client.base_url = f"http://{slug}.localhost"  # type: ignore[attr-defined]
            if who == "admin":
                login(client, f"admin@{slug}.example", DEMO_PASSWORD)
            clients.append((f"{slug} {who}", client))
    demo_app.config["WTF_CSRF_ENABLED"] = True  # after logging in: the crawl only reads
    pages: dict[str, str] = {}
    for name, client in clients:
        for path, html in crawl(client, limit=80).items():
            if html:
                pages[f"{name} {path}"] = html
    assert any('name="csrf_token"' in html for html in pages.values())
    assert len(pages) >= 60, sorted(pages)
    errors = vnu_errors(pages, tmp_path / "pages")
    assert not errors, f"{len(errors)} HTML errors (vnu):\n" + "\n".join(errors)
