"""Every route of the plugin, asked for town A's motion through town B's host: 404.
And the switch: while a town has the plugin off, every route answers 404."""

from __future__ import annotations

import pytest
from councilmotion_support import Team, make_team

from projektfabrik.testing import Town, use_plugin


def _routes(team: Team, ref: str) -> list[tuple[str, str]]:
    project = team.project.ref
    return [
        ("GET", f"/antraege/{ref}"),
        ("POST", f"/antraege/{ref}/unterstuetzen"),
        ("GET", f"/antraege/{ref}/antrag.pdf"),
        ("GET", f"/antraege/{ref}/unterschriftenliste.pdf"),
        ("GET", f"/antraege/{ref}/bearbeiten"),
        ("POST", f"/antraege/{ref}/bearbeiten"),
        ("GET", f"/antraege/{ref}/versionen"),
        ("POST", f"/antraege/{ref}/versionen/1"),
        ("POST", f"/antraege/{ref}/fraktionen"),
        ("POST", f"/antraege/{ref}/schritt"),
        ("GET", f"/antraege/verwaltung/{ref}"),
        ("POST", f"/antraege/verwaltung/{ref}/schritt"),
        ("POST", f"/antraege/verwaltung/{ref}/vorlage"),
        ("POST", f"/antraege/verwaltung/{ref}/listen"),
        ("GET", f"/antraege/verwaltung/{ref}/listen/xyz/scan"),
        ("GET", f"/antraege/verwaltung/{ref}/unterschriften.csv"),
        ("GET", f"/antraege/verwaltung/{ref}/unterschriften.xlsx"),
        ("GET", f"/antraege/projekt/{project}"),
        ("POST", f"/antraege/projekt/{project}/entwurf"),
    ]


def test_town_as_motions_are_not_found_through_town_b(team_a: Team, town_b: Town) -> None:
    ref = team_a.collecting()
    b = make_team(town_b, prefix="b")
    # town B's own team and clerk, logged in on B, and a guest
    for client in (b.team, b.clerk, town_b.client()):
        for method, path in _routes(team_a, ref):
            if "/projekt/" in path:
                continue  # project numbers are per town: B has its own project 1
            response = client.open(path, method=method, data={"state": "filed"})
            code = response.status_code
            if client is b.clerk:  # may do everything in B, finds nothing of A
                assert code == 404, (method, path, code)
            elif code == 302:  # a guest is sent to log in first
                assert "/anmelden" in response.headers["Location"], path
            else:  # B's team is no clerk: refused before anything is looked up
                assert code in (403, 404), (method, path, code)
    # town A's session cookie is anonymous on town B
    cookie = team_a.team.cookie_value()
    visitor = town_b.client()
    visitor.set_cookie("session", cookie or "", domain=town_b.host)
    assert visitor.get(f"/antraege/{ref}/bearbeiten").status_code in (302, 404)


def test_the_project_route_finds_only_this_towns_project(team_a: Team, town_b: Town) -> None:
    team_a.ready()
    use_plugin(town_b, "councilmotion")
    page = town_b.client().get(f"/antraege/projekt/{team_a.project.ref}")
    assert page.status_code == 404  # B has no project with that number


@pytest.mark.parametrize("who", ["team", "clerk", "guest"])
def test_switched_off_every_route_is_404(team_a: Team, who: str) -> None:
    ref = team_a.collecting()
    from projektfabrik.extensions import db
    from projektfabrik.plugins.state import set_enabled

    with team_a.town.context():
        set_enabled("councilmotion", False)
        db.session.commit()
    client = {"team": team_a.team, "clerk": team_a.clerk, "guest": team_a.town.client()}[who]
    for method, path in [
        *_routes(team_a, ref),
        ("GET", "/antraege/"),
        ("GET", "/antraege/verwaltung/"),
    ]:
        assert client.open(path, method=method).status_code == 404, (who, path)


def test_outsiders_get_403_or_404_on_team_and_clerk_routes(team_a: Team) -> None:
    ref = team_a.collecting()
    outsider = team_a.client(team_a.town.user("out@example.org"))
    for method, path in _routes(team_a, ref):
        if path.endswith(("unterstuetzen", ".pdf")) or path == f"/antraege/{ref}":
            continue  # public while collecting, or open to every resident
        if path.startswith("/antraege/projekt/") and method == "GET":
            continue  # the project's tab is public
        response = outsider.open(path, method=method, data={"state": "filed"})
        assert response.status_code in (403, 404), (method, path, response.status_code)


BAD = [
    {},
    {"state": "x" * 5000, "note": "\u202e" * 10, "link": "ftp://x", "on": "31.02.2026"},
    {"version": "abc", "title": "x" * 100_000, "resolution": "?"},
    {"version": "99999999999999999999", "count": "-5", "signers": ";;;\n;"},
    {"groups": ["Nicht da"], "name": " ", "birth_date": "morgen", "resident": "vielleicht"},
    {"count": "1e9", "paper_url": "javascript:alert(1)", "paper_reference": "<b>"},
]


def test_bad_input_never_answers_5xx(team_a: Team, mailbox: object) -> None:
    ref = team_a.collecting()
    for client in (team_a.team, team_a.clerk, team_a.town.client()):
        for method, path in _routes(team_a, ref):
            if method != "POST":
                continue
            for data in BAD:
                response = client.open(path, method=method, data=data)
                assert response.status_code < 500, (path, data, response.status_code)
    draft_team = make_team(team_a.town, prefix="d")
    draft = draft_team.draft()
    for data in BAD:
        for path in (f"/antraege/{draft}/bearbeiten", f"/antraege/{draft}/versionen/1"):
            response = draft_team.team.post(path, data=data)
            assert response.status_code < 500, (path, data, response.status_code)
    assert draft_team.motion().title == "Platz an der Bibliothek"  # nothing saved
