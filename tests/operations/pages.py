"""Pages, API answers, feeds and exports of a town as a person would get them, to
compare a town before and after it was moved, deleted and imported, or restored."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from flask import Flask

from projektfabrik.demo import DEMO_PASSWORD
from projektfabrik.testing import login

MUSTER = "musterstadt.localhost"
BEISPIEL = "beispielhausen.localhost"
LINK = re.compile(r'href="(/[^"#]*)"')
#: Not pages: logging out, files, and the start of a round trip to a neighbouring
#: town (a redirect carrying a fresh random state each time; rel="nofollow"). Not
#: the town's own either: the copies of neighbouring towns' funding pots (they go
#: and come with those towns; left out so that the crawl reaches the same pages).
SKIP = re.compile(
    r"/abmelden|/static/|\.(png|jpg|svg|css|js)$|^/region/(anmelden|mitmachen)/"
    r"|^/foerderung/(projekte/[^/]+/)?region/"
)
#: What differs between two renderings of the same content: the CSRF token and
#: cache-busting numbers (the town's content version rises on import).
VOLATILE = [
    (re.compile(r'name="csrf_token"[^>]*value="[^"]*"'), 'name="csrf_token"'),
    (re.compile(r"([?&]v=)\d+"), r"\1N"),
    # When a calendar file was made (ICS feeds).
    (re.compile(r"DTSTAMP:\d{8}T\d{6}Z"), "DTSTAMP:…"),
]


def client(app: Flask, host: str, as_admin: bool = False) -> Any:
    c = app.test_client()
    c.base_url = f"http://{host}"
    if as_admin:
        login(c, f"admin@{host.split('.')[0]}.example", DEMO_PASSWORD)
    return c


def normalise(body: str) -> str:
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return body


def snapshot(app: Flask, host: str, as_admin: bool = False, limit: int = 70) -> dict[str, str]:
    """Status and body of the pages, API answers and exports reachable from the landing page."""
    c = client(app, host, as_admin)
    seen: dict[str, str] = {}
    queue = ["/", "/api/v1/projects", "/projekte.csv", "/projekte/feed.atom"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        response = c.get(path)
        if path == "/konto/daten.json":
            # Each snapshot signs in anew: a new session row, and the moment of export.
            data = response.get_json()
            data.pop("exported_at", None)
            data["records"].pop("login_session", None)
            # Database ids are new after an import (by design); everything else stays.
            for rows in data["records"].values():
                for row in rows:
                    for key in [k for k in row if k == "id" or k.endswith("_id")]:
                        del row[key]
            body = json.dumps(data, sort_keys=True)
        elif response.mimetype.startswith(("text/", "application/json", "application/atom")):
            body = response.get_data(as_text=True)
        else:  # PDF and XLSX carry the moment they were made; that they still come is enough
            body = f"<{response.mimetype}>"
        seen[path] = f"{response.status_code} {normalise(body)}"
        if response.mimetype == "text/html":
            queue += [link for link in LINK.findall(body) if link not in seen]
    return seen


REGIONAL_SLOT = '<div class="plugin-slot plugin-slot-regions">'
#: The login page's "sign in with my account from <neighbouring town>".
NEIGHBOURS_SIGN_IN = '<div class="region-neighbours">'
REGION_ADMIN = "/verwaltung/region"
#: The copies of neighbouring towns' funding pots (on the funding page and a project's
#: funding tab; their own pages are not crawled, see SKIP).
NEIGHBOUR_POTS = (
    ("section", '<section aria-labelledby="neighbour-pots-heading">'),
    ("section", '<section aria-labelledby="regional-open-heading">'),
    # A pot's "open to the region", offered while the town has neighbours taking part.
    ("div", '<div class="field">\n  <div class="choice"><input id="regional"'),
)


def _drop_div(body: str, opening: str, element: str = "div") -> str:
    """``body`` without the ``<div>`` (or other ``element``) that starts with
    ``opening`` (nested ones counted)."""
    start = body.find(opening)
    if start < 0:
        return body
    depth, at = 0, start
    for tag in re.finditer(rf"<{element}\b|</{element}>", body[start:]):
        depth += 1 if tag.group() != f"</{element}>" else -1
        if depth == 0:
            at = start + tag.end()
            break
    return body[:start] + body[at:]


def _squeeze(body: str) -> str:
    """Blank lines left where a section was dropped (a template's ``{% if %}``) do not count."""
    return re.sub(r"\n\s*\n", "\n", body)


def without_neighbour_pots(pages: dict[str, str]) -> dict[str, str]:
    """The pages without the copies of neighbouring towns' funding pots: a copy goes
    with its town and comes back when that town's admin saves the pot again."""
    kept = {}
    for path, body in pages.items():
        for element, opening in NEIGHBOUR_POTS:
            body = _drop_div(body, opening, element)
        kept[path] = _squeeze(body)
    return kept


def without_neighbours(pages: dict[str, str]) -> dict[str, str]:
    """The pages without what a town shows of its region's other towns (their projects
    on the landing page, the member list on the admin's region page, the copies of
    their funding pots): for comparing a town while a neighbour is gone."""
    return {
        path: _squeeze(_drop_div(_drop_div(body, REGIONAL_SLOT), NEIGHBOURS_SIGN_IN))
        for path, body in without_neighbour_pots(pages).items()
        if path != REGION_ADMIN
    }


def diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Paths whose answer changed, each with the first changed lines (for the report)."""
    changed = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path, "(not reached)"), after.get(path, "(not reached)")
        if old != new:
            lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            changed.append(path + "\n" + "\n".join(list(lines)[2:8]))
    return changed
