"""The baseline: a bare Flask page, no database, as large as the marketplace page.

``gunicorn --chdir bench bare_app:app`` with ``BENCH_PAGE_BYTES`` set to the
byte size of the page to match (bench/run.py measures it first). The page
renders bench/templates/bare.html: the same layout as the marketplace (header,
filter form, 24 project cards in a loop, footer) from data held in memory,
padded to exactly that size. What it costs is gunicorn, Werkzeug, Flask and
Jinja – the floor no page of the application can go below.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, render_template

app = Flask(__name__)

TARGET_BYTES = int(os.environ.get("BENCH_PAGE_BYTES", "0") or 0)
FILLER = "Projektfabrik Marktplatz Beteiligung Nachbarschaft "


def _cards(count: int) -> list[dict[str, Any]]:
    return [
        {
            "number": 2000 - i,
            "status": "running",
            "status_label": "Läuft",
            "district": "Altstadt",
            "category": "Umwelt",
            "title": f"Gemeinschaftsgarten in der Altstadt {i}",
            "pitch": "Wir wollen eine brachliegende Fläche in einen Garten verwandeln und suchen "
            "Menschen, die mit anpacken.",
            "team": 3,
            "makeup": ["2 Bürgerinnen und Bürger", "1 Unternehmen"],
            "supporters": 12 + i,
            "wanted": ["Gärtnern", "Handwerk", "Pressearbeit"] if i % 2 else [],
        }
        for i in range(count)
    ]


def _context(cards: int) -> dict[str, Any]:
    return {
        "town": "Lindenau",
        "nav": [("Start", "/"), ("Projekte", "/projekte"), ("Anmelden", "/anmelden")],
        "filters": [
            ("status", ["Idee", "Team im Aufbau", "Planung", "Läuft", "Abgeschlossen"]),
            ("kategorie", ["Umwelt", "Kultur", "Soziales", "Sport", "Bildung", "Mobilität"]),
            ("ortsteil", ["Altstadt", "Neustadt", "Nordviertel", "Südheide", "Hafen"]),
        ],
        "total": 1880,
        "pages": 79,
        "cards": _cards(cards),
    }


def _render(context: dict[str, Any], padding: str) -> bytes:
    with app.test_request_context():
        return render_template("bare.html", padding=padding, **context).encode()


def _fit(target: int) -> tuple[dict[str, Any], str]:
    """The context and padding that render exactly ``target`` bytes (24 cards if they fit)."""
    for cards in range(24, -1, -1):
        context = _context(cards)
        size = len(_render(context, ""))
        if target <= 0:
            return context, ""
        if size <= target:
            missing = target - size
            padding = (FILLER * (missing // len(FILLER) + 1))[:missing]
            assert len(_render(context, padding)) == target
            return context, padding
    raise SystemExit(f"BENCH_PAGE_BYTES={target} is smaller than the empty page")


CONTEXT, PADDING = _fit(TARGET_BYTES)


@app.get("/")
def page() -> str:
    return render_template("bare.html", padding=PADDING, **CONTEXT)
