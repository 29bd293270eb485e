"""Town A's workshops are invisible through town B's host; outsiders get 403/404;
the ICS feeds are per town and carry nothing personal."""

from __future__ import annotations

import re

import pytest
from projektfabrik_workshops.models import WorkshopState
from workshops_support import Setup, make_workshop

from projektfabrik.accounts.models import Role
from projektfabrik.db import utcnow
from projektfabrik.testing import Mailbox, Town, body_of, login


def _public_and_moderator_urls(ref: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"/werkstatt/{ref}"),
        ("GET", f"/werkstatt/{ref}/kalender.ics"),
        ("GET", f"/werkstatt/{ref}/protokoll.pdf"),
        ("POST", f"/werkstatt/{ref}/anmelden"),
        ("POST", f"/werkstatt/{ref}/abmelden"),
        ("GET", f"/werkstatt/{ref}/teilnehmende"),
        ("GET", f"/werkstatt/{ref}/tafel"),
        ("POST", f"/werkstatt/{ref}/tafel"),
        ("GET", f"/werkstatt/{ref}/protokoll"),
        ("POST", f"/werkstatt/{ref}/protokoll"),
        ("GET", f"/werkstatt/verwaltung/{ref}"),
        ("POST", f"/werkstatt/verwaltung/{ref}"),
        ("POST", f"/werkstatt/verwaltung/{ref}/veroeffentlichen"),
        ("POST", f"/werkstatt/verwaltung/{ref}/absagen"),
    ]


def test_every_route_of_town_a_answers_404_through_town_b(ws_a: Setup, ws_b: Setup) -> None:
    workshop = make_workshop(
        ws_a.town, protocol="# Protokoll", protocol_published_at=utcnow(), title="Nur in A"
    )
    # The same URLs work on A's own host for A's admin (so the 404s below mean something).
    own = ws_a.town.client()
    login(own, ws_a.admin.email)
    for url in (
        f"/werkstatt/{workshop.ref}",
        f"/werkstatt/{workshop.ref}/kalender.ics",
        f"/werkstatt/{workshop.ref}/teilnehmende",
        f"/werkstatt/{workshop.ref}/tafel",
        f"/werkstatt/{workshop.ref}/protokoll",
        f"/werkstatt/verwaltung/{workshop.ref}",
    ):
        assert own.get(url).status_code == 200, url

    # Town B's admin, logged in on B: may do everything in B, nothing of A's.
    client = ws_b.town.client()
    login(client, ws_b.admin.email)
    for method, url in _public_and_moderator_urls(workshop.ref):
        response = client.open(url, method=method, data={"attendance": "onsite"})
        assert response.status_code == 404, (method, url, response.status_code)
    # A's registration link opened on B's host.
    assert client.get("/werkstatt/").status_code == 200
    assert "Nur in A" not in client.get("/werkstatt/").get_data(as_text=True)
    assert "Nur in A" not in client.get("/werkstatt/kalender.ics").get_data(as_text=True)
    assert "Nur in A" not in client.get("/werkstatt/verwaltung/").get_data(as_text=True)


def test_a_registration_link_of_town_a_finds_nothing_on_town_b(
    ws_a: Setup, ws_b: Setup, mailbox: Mailbox
) -> None:
    workshop = make_workshop(ws_a.town)
    ws_a.town.client().post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"name": "Gast", "email": "gast@example.org", "attendance": "onsite"},
    )
    link = re.search(
        r"https?://([^/\s]+)(/werkstatt/teilnahme/\S+)",
        body_of(mailbox.wait_for("gast@example.org")),
    )
    assert link is not None
    assert link.group(1) == ws_a.town.host  # the town's canonical host
    other = ws_b.town.client()
    assert other.get(link.group(2)).status_code == 404
    assert other.post(link.group(2), data={"action": "confirm"}).status_code == 404
    # A forged token is refused too, on A's own host.
    forged = link.group(2)[:-2] + ("AA" if not link.group(2).endswith("AA") else "BB")
    assert ws_a.town.client().get(forged).status_code == 404


def test_the_pages_are_gone_while_the_town_has_the_plugin_off(town_a: Town) -> None:
    assert town_a.client().get("/werkstatt/").status_code == 404
    assert town_a.client().get("/werkstatt/kalender.ics").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/werkstatt/verwaltung/", "/werkstatt/verwaltung/neu"],
)
def test_planning_pages_refuse_ordinary_members(ws_a: Setup, url: str) -> None:
    member = ws_a.town.user()
    client = ws_a.town.client()
    assert client.get(url).status_code in (302, 401)  # visitors are sent to log in
    login(client, member.email)
    assert client.get(url).status_code == 403


def test_moderator_pages_refuse_participants_and_visitors(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town)
    member = ws_a.town.user()
    client = ws_a.town.client()
    login(client, member.email)
    for url in (
        f"/werkstatt/{workshop.ref}/teilnehmende",
        f"/werkstatt/{workshop.ref}/protokoll",
        f"/werkstatt/{workshop.ref}/tafel",  # not registered: no board
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/werkstatt/verwaltung/{workshop.ref}").status_code == 403


def test_drafts_are_hidden_from_the_public(ws_a: Setup) -> None:
    draft = make_workshop(ws_a.town, state=WorkshopState.DRAFT, title="Noch geheim")
    visitor = ws_a.town.client()
    assert visitor.get(f"/werkstatt/{draft.ref}").status_code == 404
    assert "Noch geheim" not in visitor.get("/werkstatt/").get_data(as_text=True)
    assert "Noch geheim" not in visitor.get("/werkstatt/kalender.ics").get_data(as_text=True)


def test_the_feed_carries_no_personal_data(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town, online_url="https://meet.example.org/geheim")
    person = ws_a.town.user(email="lena@example.org", name="Lena Lustig")
    client = ws_a.town.client()
    login(client, person.email)
    client.post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"attendance": "onsite", "needs": "Gebärdensprache"},
    )
    for url in ("/werkstatt/kalender.ics", f"/werkstatt/{workshop.ref}/kalender.ics"):
        response = ws_a.town.client().get(url)
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        text = response.get_data(as_text=True)
        assert "BEGIN:VEVENT" in text and workshop.ref in text
        for secret in ("lena", "Lustig", "Gebärdensprache", "meet.example.org/geheim"):
            assert secret not in text


def test_a_planner_named_by_the_admin_may_plan(ws_a: Setup) -> None:
    from projektfabrik.testing import use_plugin

    planner = ws_a.town.user(email="planerin@example.org")
    client = ws_a.town.client()
    login(client, planner.email)
    assert client.get("/werkstatt/verwaltung/").status_code == 403
    use_plugin(ws_a.town, "workshops", planners="planerin@example.org")
    assert client.get("/werkstatt/verwaltung/").status_code == 200
    moderator = ws_a.town.user(role=Role.MODERATOR)
    other = ws_a.town.client()
    login(other, moderator.email)
    assert other.get("/werkstatt/verwaltung/").status_code == 403
