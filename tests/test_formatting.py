"""One way to show dates, times, numbers and money (projektfabrik/formatting.py).

1. The functions themselves, in German and English, on the town's clock.
2. Every template: no strftime/isoformat, no date-like value printed raw.
3. Every page of the demo towns (with a team meeting added), as the admin and
   as a team member: no ISO date or time, no UTC, no English decimal in German.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import Environment, nodes
from sqlalchemy import select

from projektfabrik import formatting as f
from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import DEMO_PASSWORD, seed
from projektfabrik.extensions import db
from projektfabrik.testing import HostClient, Town, login, raw_formats, visible_text

WINTER = datetime(2027, 1, 15, 18, 0, tzinfo=UTC)  # 19:00 in Berlin
SUMMER = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


# --- 1. the functions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "de", "en"),
    [
        (
            lambda loc: f.format_datetime(SUMMER, locale=loc),
            "02.12.2026, 06:00",
            "Dec 2, 2026, 6:00\u202fAM",
        ),
        (lambda loc: f.format_date(date(2027, 3, 2), locale=loc), "02.03.2027", "Mar 2, 2027"),
        (
            lambda loc: f.format_date("2026-12-02T23:30:00+00:00", locale=loc),
            "03.12.2026",
            "Dec 3, 2026",
        ),
        (lambda loc: f.format_time(WINTER, locale=loc), "19:00", "7:00\u202fPM"),
        (
            lambda loc: f.format_period(WINTER, WINTER.replace(hour=20, minute=30), locale=loc),
            "Fr., 15. Januar 2027, 19:00–21:30 Uhr",
            "Fri, January 15, 2027, 7:00\u2009–\u20099:30\u202fPM",
        ),
        (lambda loc: f.format_number(7.3333, locale=loc), "7,33", "7.33"),
        (lambda loc: f.format_number(Decimal("1234.5"), locale=loc), "1.234,5", "1,234.5"),
        (lambda loc: f.format_number(2, locale=loc), "2", "2"),
        (lambda loc: f.format_money(123456, locale=loc), "1.234,56\xa0€", "€1,234.56"),
        (lambda loc: f.format_percent_bp(1250, locale=loc), "12,5\xa0%", "12.5%"),
        (lambda loc: f.format_money_input(800000, locale=loc), "8.000,00", "8,000.00"),
    ],
)
def test_formats_in_german_and_english(call: Any, de: str, en: str) -> None:
    assert (call("de"), call("en")) == (de, en)


def test_the_towns_clock_decides_the_day_and_hour(app: Flask, town_a: Town) -> None:
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    with town_a.context():
        assert f.format_datetime(late, locale="de") == "03.12.2026, 00:30"
        town_a.tenant.timezone = "America/New_York"
        assert f.format_datetime(late, locale="de") == "02.12.2026, 18:30"
        assert f.local_date(late) == date(2026, 12, 2)
    # Without a town: Europe/Berlin.
    assert f.format_time(late, locale="de") == "00:30"


def test_iso_is_utc_without_microseconds() -> None:
    stamp = datetime(2026, 12, 2, 6, 0, 0, 123456, tzinfo=f.town_zone("Europe/Berlin"))
    assert f.iso(stamp) == "2026-12-02T05:00:00+00:00"
    assert f.iso(date(2027, 3, 2)) == "2027-03-02"
    assert f.iso(None) == f.format_date(None) == f.format_money(None) == ""


def test_the_scan_finds_what_it_looks_for() -> None:
    bad = "2026-12-02 05:00 · 19:00:00 Mitteleuropäische Normalzeit · 7.33 · +00:00 · 7:00 PM"
    kinds = {problem.split(":")[0] for problem in raw_formats(bad)}
    assert kinds == {"ISO date", "ISO time", "UTC offset", "zone name", "AM/PM", "English decimal"}
    good = "02.12.2026, 06:00 · 15.01.27, 19:00 · 7,33 · 1.234,56 € · 1.234 € · nach BITV 2.0"
    assert raw_formats(good) == []
    assert raw_formats("7.33", locale="en") == []
    html = '<p title="am 2026-01-01">x</p><time datetime="2026-12-02T05:00:00+00:00">2.12.</time>'
    assert visible_text(html).split() == ["am", "2026-01-01", "x", "2.12."]


# --- 2. the templates ------------------------------------------------------------------------

#: Attributes that hold a date, datetime or float when printed.
DATE_LIKE = ("_at", "_on", "_date")
DATE_NAMES = {"due", "start", "end", "starts_at", "ends_at", "generated", "at", "score"}


def _template_files() -> list[Path]:
    roots = [REPO_ROOT / "projektfabrik" / "templates", *REPO_ROOT.glob("plugins/*/*/templates")]
    return sorted(
        p for root in roots for p in root.rglob("*") if p.suffix in (".html", ".txt", ".atom")
    )


def _raw_outputs(source: str) -> list[str]:
    """Date-like values printed without a filter, and strftime/isoformat/|string on them."""
    tree = Environment(extensions=["jinja2.ext.do", "jinja2.ext.i18n"]).parse(source)
    found = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Getattr) and call.node.attr in ("strftime", "isoformat"):
            found.append(f"{call.node.attr}() at line {call.lineno}")
    for flt in tree.find_all(nodes.Filter):
        if flt.name == "string" and isinstance(flt.node, nodes.Getattr | nodes.Name):
            name = getattr(flt.node, "attr", getattr(flt.node, "name", ""))
            if name.endswith(DATE_LIKE) or name in DATE_NAMES:
                found.append(f"{name}|string at line {flt.lineno}")
    for output in tree.find_all(nodes.Output):
        for expr in output.nodes:
            if isinstance(expr, nodes.Getattr | nodes.Name):
                name = getattr(expr, "attr", getattr(expr, "name", ""))
                if name.endswith(DATE_LIKE) or name in DATE_NAMES:
                    found.append(f"{{{{ …{name} }}}} without a filter at line {expr.lineno}")
    return found


def test_the_template_check_finds_raw_values() -> None:
    bad = '{{ e.at.strftime("%d") }} {{ pot.closes_on }} {{ x.created_at|string }} {{ m.due }}'
    assert len(_raw_outputs(bad)) == 4
    assert _raw_outputs("{{ e.at|datetime }} {{ pot.closes_on|date }} {{ m.title }}") == []


def test_no_template_prints_a_raw_date_or_number() -> None:
    problems = {}
    for path in _template_files():
        found = _raw_outputs(path.read_text(encoding="utf-8"))
        if found:
            problems[str(path.relative_to(REPO_ROOT))] = found
    assert _template_files(), "no templates found"
    assert not problems, problems


# --- 3. the demo towns' pages ------------------------------------------------------------------


@pytest.fixture
def demo_app(app_config: dict[str, Any]) -> Flask:
    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
        _plan_a_meeting(app)
    return app


def _plan_a_meeting(app: Flask) -> None:
    """A meeting in the garden project, so the team's pages show a time span."""
    from projektfabrik.accounts.services import find_by_email
    from projektfabrik.projects.models import Project
    from projektfabrik.teams import meetings
    from projektfabrik.tenancy.context import tenant_context
    from projektfabrik.tenancy.links import public_url
    from projektfabrik.tenancy.models import Tenant

    town = db.session.scalar(select(Tenant).where(Tenant.slug == "musterstadt"))
    # A fresh app context: the seed's request contexts shared the one around it
    # (and its g); this request should start clean, as a real one does.
    with (
        app.app_context(),
        tenant_context(town),
        app.test_request_context(base_url=public_url(town, "/")),
    ):
        lena = find_by_email("lena@musterstadt.example")
        project = db.session.scalar(
            select(Project).where(Project.title == "Gemeinschaftsgarten am Hafen")
        )
        data = meetings.MeetingInput(
            "Pflanzaktion", date(2030, 5, 14), time(18, 30), time(20, 0), place="Hafen"
        )
        meetings.create(project, lena, data)
        db.session.commit()


#: Nothing is let through: date fields take and suggest 15.05.2026 (formfields.py).
KNOWN: tuple[str, ...] = ()

LINK_SKIP = ("/abmelden", "/static/", ".csv", ".xlsx", ".json", ".atom", ".svg", ".png", ".ics")


def _crawl(client: Any, limit: int) -> dict[str, str]:
    import re

    link = re.compile(r'href="(/[^"#?]*)"')
    seen: dict[str, str] = {}
    queue = ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or any(part in path for part in LINK_SKIP):
            continue
        response = client.get(path)
        seen[path] = ""
        if response.status_code == 200 and response.mimetype == "text/html":
            seen[path] = visible_text(response.get_data(as_text=True))
            queue += [found for found in link.findall(response.get_data(as_text=True))]
        elif response.status_code == 200 and response.mimetype == "application/pdf":
            seen[path] = _pdf_text(response.data)
    return seen


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow
@pytest.mark.parametrize(
    "person",
    ["admin@musterstadt.example", "lena@musterstadt.example", "admin@beispielhausen.example"],
)
def test_no_demo_page_shows_a_raw_date_or_an_english_number(demo_app: Flask, person: str) -> None:
    slug = person.split("@")[1].split(".")[0]
    client = demo_app.test_client()
    client.base_url = f"http://{slug}.localhost"  # type: ignore[attr-defined]
    login(client, person, DEMO_PASSWORD)
    pages = _crawl(client, limit=120)
    read = {path: text for path, text in pages.items() if text}
    assert len(read) >= 10, sorted(pages)
    if person.startswith("lena"):
        meetings = next(text for path, text in read.items() if path.endswith("/treffen"))
        assert "Di., 14. Mai 2030, 18:30–20:00 Uhr" in meetings
    problems = {
        path: raw_formats(text, allowed=KNOWN)
        for path, text in read.items()
        if raw_formats(text, allowed=KNOWN)
    }
    assert not problems, problems


def test_date_fields_take_dates_as_people_write_them(app: Any) -> None:
    from werkzeug.datastructures import MultiDict

    from projektfabrik.planning.forms import MilestoneForm

    with app.test_request_context(headers={"Accept-Language": "de"}):
        for typed in ("15.05.2026", "2026-05-15", "15.05.26"):
            form = MilestoneForm(MultiDict({"title": "Fest", "due": typed}), meta={"csrf": False})
            form.validate()
            assert form.due.data == date(2026, 5, 15), typed
        form = MilestoneForm(
            MultiDict({"title": "Fest", "due": "31.02.2026"}), meta={"csrf": False}
        )
        assert not form.validate() and form.due.errors
