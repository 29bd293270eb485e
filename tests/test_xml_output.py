"""XML (and iCalendar) the platform writes: people's text never changes its
structure (#20), and the Atom feed has what RFC 4287 requires (#22)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town
from projektfabrik.xmlout import xml_text


def publish(town: Town, author, title: str):  # type: ignore[no-untyped-def]
    from projektfabrik.marketplace import services as marketplace

    with town.request_context():
        marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Hochbeete für alle.")
        )
        db.session.commit()


A = "{http://www.w3.org/2005/Atom}"
NASTY = 'Kuchen & Kaffee <b>fett</b> ]]> "x" \x00\x01\x0b\x1f\ufffe'
INJECTED = (
    "Gut</summary></entry><entry><title>Falsch</title>"
    '<link href="https://evil.example/"/></entry><entry><summary>'
)
CLEAN = 'Kuchen & Kaffee <b>fett</b> ]]> "x" '


def _set(town: Town, number: int, **values: str) -> None:
    with town.context():
        project = db.session.scalar(select(Project).where(Project.number == number))
        for name, value in values.items():
            setattr(project, name, value)
        db.session.commit()


def test_xml_text_removes_what_xml_forbids_and_keeps_the_rest() -> None:
    assert xml_text(NASTY) == CLEAN
    assert xml_text("Zeile 1\n\tZeile 2\r") == "Zeile 1\n\tZeile 2\r"
    assert xml_text(None) == ""


def test_the_feed_is_well_formed_atom_whatever_people_type(town_a: Town, town_b: Town) -> None:
    author = town_a.user("a@example.org")
    publish(town_a, author, "Erst")
    publish(town_a, author, "Zweit")
    # PostgreSQL stores no NUL character; every other forbidden one gets through.
    _set(town_a, 1, title=NASTY.replace("\x00", ""), pitch=INJECTED)
    _set(town_a, 2, title="Tee & Gebäck", pitch="a < b && c > d")
    publish(town_b, town_b.user("b@example.org"), "Nur in B")

    response = town_a.client().get("/projekte/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # raises on anything not well-formed
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{A}{name}").text
    assert feed.find(f"{A}author/{A}name").text == "Stadt A"
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 2  # no entry smuggled in, none of town B
    by_title = {e.find(f"{A}title").text: e for e in entries}
    assert set(by_title) == {CLEAN, "Tee & Gebäck"}
    nasty = by_title[CLEAN]
    assert nasty.find(f"{A}summary").text == INJECTED  # text, not markup
    links = [link.get("href") for e in entries for link in e.findall(f"{A}link")]
    assert all(h.startswith("http://stadt-a.test/projekte/") for h in links), links
    assert "evil.example" not in str(links)
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{A}{name}").text
        assert entry.find(f"{A}author/{A}name").text == "Stadt A"
    assert by_title["Tee & Gebäck"].find(f"{A}summary").text == "a < b && c > d"


def test_xml_templates_are_escaped_like_html(app) -> None:  # type: ignore[no-untyped-def]
    for name in ("x.html", "x.xml", "feed.atom", "feed.rss", "x.svg"):
        assert app.jinja_env.autoescape(name), name
