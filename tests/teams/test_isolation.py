"""Nobody outside a team reaches its space; no town reaches another town's teams.

Every route of the teams blueprint is listed in ``ROUTES``; a test fails when
a route is added without being listed, so each new route gets these checks.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from sqlalchemy import func, select

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.notifications.models import Notification, NotificationPreference
from projektfabrik.notifications.tokens import make_unsubscribe_token
from projektfabrik.projects import access
from projektfabrik.projects.models import Membership
from projektfabrik.teams.models import (
    JoinRequest,
    TeamAccess,
    TeamFile,
    TeamMeeting,
    TeamNeed,
    TeamPost,
)
from projektfabrik.teams.tokens import make_invitation_token
from projektfabrik.testing import Mailbox, Town, login

from .teamkit import Team, add_member, person, publish

# endpoint -> (method, path template). {n}: project number; {req}, {person}, {post},
# {file}, {meeting}, {need}, {token}: refs and tokens of the team under test.
ROUTES: dict[str, tuple[str, str]] = {
    "teams.team": ("GET", "/projekte/{n}/team"),
    "teams.ask": ("POST", "/projekte/{n}/team/anfragen"),
    "teams.withdraw": ("POST", "/projekte/{n}/team/anfragen/{req}/zurueckziehen"),
    "teams.decide": ("POST", "/projekte/{n}/team/anfragen/{req}/entscheiden"),
    "teams.invite": ("POST", "/projekte/{n}/team/einladen"),
    "teams.invite_person": ("POST", "/projekte/{n}/team/leute/{person}/einladen"),
    "teams.invitation": ("GET", "/projekte/{n}/team/einladung/{token}"),
    "teams.code": ("GET", "/projekte/{n}/team/code"),
    "teams.new_code": ("POST", "/projekte/{n}/team/code/neu"),
    "teams.join_by_code": ("POST", "/beitreten"),
    "teams.leave": ("POST", "/projekte/{n}/team/verlassen"),
    "teams.remove": ("POST", "/projekte/{n}/team/mitglieder/{person}/entfernen"),
    "teams.make_owner": ("POST", "/projekte/{n}/team/mitglieder/{person}/mitinhaber"),
    "teams.hand_over": ("POST", "/projekte/{n}/team/mitglieder/{person}/uebergeben"),
    "teams.set_task": ("POST", "/projekte/{n}/team/mitglieder/{person}/aufgabe"),
    "teams.step_down": ("POST", "/projekte/{n}/team/abgeben"),
    "teams.close": ("POST", "/projekte/{n}/team/schliessen"),
    "teams.wanted": ("POST", "/projekte/{n}/team/gesucht"),
    "teams.add_need": ("POST", "/projekte/{n}/team/gesucht/neu"),
    "teams.remove_need": ("POST", "/projekte/{n}/team/gesucht/{need}/loeschen"),
    "teams.board": ("GET", "/projekte/{n}/teamraum"),
    "teams.add_post": ("POST", "/projekte/{n}/teamraum/beitraege"),
    "teams.delete_post": ("POST", "/projekte/{n}/teamraum/beitraege/{post}/loeschen"),
    "teams.edit_post": ("POST", "/projekte/{n}/teamraum/beitraege/{post}/bearbeiten"),
    "teams.team_mail": ("POST", "/projekte/{n}/teamraum/mail"),
    "teams.new_reply_address": ("POST", "/projekte/{n}/teamraum/mail/neue-adresse"),
    "teams.files_page": ("GET", "/projekte/{n}/teamraum/dateien"),
    "teams.download": ("GET", "/projekte/{n}/teamraum/dateien/{file}/plan.pdf"),
    "teams.delete_file": ("POST", "/projekte/{n}/teamraum/dateien/{file}/loeschen"),
    "teams.meetings_page": ("GET", "/projekte/{n}/teamraum/treffen"),
    "teams.meeting_ics": ("GET", "/projekte/{n}/teamraum/treffen/{meeting}.ics"),
    "teams.delete_meeting": ("POST", "/projekte/{n}/teamraum/treffen/{meeting}/absagen"),
    "teams.edit_meeting": ("POST", "/projekte/{n}/teamraum/treffen/{meeting}/bearbeiten"),
}
#: Posts that would change something, with data that would pass the forms.
DATA = {
    "motivation": "Lasst mich rein", "skills": "x", "decision": "accept", "message": "m",
    "email": "spion@example.org", "code": "", "task": "Spion", "wanted_skills": "Spionage",
    "looking_for_members": "y", "kind": "role", "title": "Spion", "body": "Hallo",
    "subject": "Betreff",
}  # fmt: skip
#: The team space: members only, 404 for everyone else whatever they send.
SPACE = {e for e in ROUTES if ROUTES[e][1].startswith("/projekte/{n}/teamraum")}
#: Team management: owners only; 404 for people outside the team.
OWNERS = {
    "teams.decide", "teams.invite", "teams.invite_person", "teams.code", "teams.new_code",
    "teams.remove", "teams.make_owner", "teams.hand_over", "teams.step_down", "teams.close",
    "teams.wanted", "teams.add_need", "teams.remove_need",
}  # fmt: skip


def test_every_route_of_the_blueprint_is_listed(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("teams.")}
    assert endpoints == set(ROUTES)


@pytest.fixture
def full_team(team: Team, mailbox: Mailbox) -> dict[str, str]:
    """Town A's team with one of everything; returns the refs and tokens."""
    town = team.town
    _, asker = person(town, "asker@example.org", "Asker")
    asker.post("/projekte/1/team/anfragen", data={"motivation": "Bitte"})
    team.owner_client.post("/projekte/1/team/gesucht/neu", data={"kind": "role", "title": "Kasse"})
    team.owner_client.post("/projekte/1/teamraum/beitraege", data={"body": "Geheimer Plan"})
    team.owner_client.post(
        "/projekte/1/teamraum/dateien",
        data={"file": (io.BytesIO(b"%PDF-1.4 geheim"), "plan.pdf")},
        content_type="multipart/form-data",
    )
    team.owner_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Geheimtreffen", "day": "2030-01-01", "start": "10:00", "place": "Keller"},
    )
    team.owner_client.get("/projekte/1/team")  # makes the join code
    with town.request_context():
        return {
            "n": "1",
            "req": db.session.scalar(select(JoinRequest.ref)),
            "person": team.member.ref,
            "post": db.session.scalar(select(TeamPost.ref)),
            "file": db.session.scalar(select(TeamFile.ref)),
            "meeting": db.session.scalar(select(TeamMeeting.ref)),
            "need": db.session.scalar(select(TeamNeed.ref)),
            "token": make_invitation_token(1, 1),
            "code": db.session.scalar(select(TeamAccess.join_code)),
        }


def _state(town: Town) -> dict[str, object]:
    """Everything of town A that a request from outside must not change."""
    db.session.expire_all()
    with town.context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        return {
            "members": sorted(
                (m.user_id, m.role.value, m.task) for m in db.session.scalars(select(Membership))
            ),
            "requests": sorted(
                (r.ref, r.status.value) for r in db.session.scalars(select(JoinRequest))
            ),
            "posts": count(TeamPost),
            "files": count(TeamFile),
            "meetings": count(TeamMeeting),
            "needs": count(TeamNeed),
            "code": db.session.scalar(select(TeamAccess.join_code)),
            "notifications": count(Notification),
            "outbox": count(OutboxMessage),
            "status": access.find_project(1).status.value,
            "wanted": access.find_project(1).wanted_skills,
        }


def _call(client, endpoint: str, refs: dict[str, str]):  # type: ignore[no-untyped-def]
    method, template = ROUTES[endpoint]
    path = template.format(**refs)
    if method == "GET":
        return client.get(path)
    return client.post(path, data={**DATA, "code": refs["code"]})


def test_outsiders_of_the_town_get_404_for_the_team_space_and_its_management(
    full_team: dict[str, str], team: Team
) -> None:
    before = _state(team.town)
    _, stranger = person(team.town, "stranger@example.org")
    _, admin = person(team.town, "admin@example.org", role=Role.ADMIN)
    for client in (stranger, admin):
        for endpoint in sorted(SPACE | OWNERS):
            response = _call(client, endpoint, full_team)
            assert response.status_code == 404, (endpoint, response.status_code)
            assert "Geheim" not in response.get_data(as_text=True)
    # Guessed refs look exactly like real ones.
    guessed = {k: "AAAAAAAAAAAA" for k in full_team} | {"n": "1", "code": ""}
    for endpoint in sorted(SPACE):
        assert _call(stranger, endpoint, guessed).status_code == 404, endpoint
    assert _state(team.town) == before


def test_guests_are_sent_to_log_in_before_anything_is_looked_up(
    full_team: dict[str, str], team: Team
) -> None:
    guest = team.town.client()
    guessed = {k: "AAAAAAAAAAAA" for k in full_team} | {"n": "1", "code": ""}
    for endpoint in sorted(SPACE | OWNERS):
        real = _call(guest, endpoint, full_team)
        fake = _call(guest, endpoint, guessed)
        assert real.status_code == fake.status_code == 302, endpoint
        assert real.headers["Location"].split("?")[0] == "/anmelden"


def test_members_who_are_not_owners_cannot_manage(full_team: dict[str, str], team: Team) -> None:
    before = _state(team.town)
    for endpoint in sorted(OWNERS):
        assert _call(team.member_client, endpoint, full_team).status_code == 403, endpoint
    assert _state(team.town) == before


def test_town_b_never_sees_changes_or_hears_of_town_a_teams(
    full_team: dict[str, str], team: Team, town_b: Town, mailbox: Mailbox
) -> None:
    publish(team.town, team.owner, "Zweites in A")
    before = _state(team.town)
    mailbox.clear()
    # Town B: an admin who owns B's own project 1, and an account with the address
    # of A's member Max.
    bernd, b_client = person(town_b, "bernd@example.org", "Bernd", role=Role.ADMIN)
    publish(town_b, bernd, "Projekt in B")
    b_max, b_max_client = person(town_b, "max@example.org", "Max in B")
    with town_b.context():
        b_project = access.find_project(1)
    add_member(town_b, b_project, b_max)
    # A's project 2 does not exist in B: every route answers 404.
    two = {**full_team, "n": "2"}
    for endpoint, (_method, template) in sorted(ROUTES.items()):
        if "{n}" not in template:
            continue
        response = _call(b_client, endpoint, two)
        assert response.status_code == 404, (endpoint, response.status_code)
    # B's own project 1 with A's refs and tokens: nothing of A is found.
    for client in (b_client, b_max_client):
        for endpoint, (_method, template) in sorted(ROUTES.items()):
            if not any(
                f"{{{k}}}" in template
                for k in ("req", "person", "post", "file", "meeting", "need", "token")
            ):
                continue
            response = _call(client, endpoint, full_team)
            assert response.status_code in (400, 403, 404), (endpoint, response.status_code)
            assert "Geheim" not in response.get_data(as_text=True)
    # Routes without refs act on B's own project and show nothing of A.
    for client in (b_client, b_max_client):
        for endpoint in ("teams.team", "teams.board", "teams.files_page", "teams.meetings_page"):
            page = _call(client, endpoint, full_team).get_data(as_text=True)
            assert "Garten am Hafen" not in page and "Geheim" not in page and "Olga" not in page
    # A's join code means nothing in B.
    response = b_client.post("/beitreten", data={"code": full_team["code"]})
    assert response.status_code == 400
    with town_b.context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 2
    # Nobody in A was told anything, nothing of A changed.
    after = _state(team.town)
    before["outbox"] = after["outbox"]  # B's own mail is B's
    assert after == before
    assert not mailbox.to("olga@example.org")


def test_a_copied_cookie_or_a_foreign_host_reaches_nothing(
    full_team: dict[str, str], team: Team, town_b: Town
) -> None:
    # Max's session cookie of town A, sent to town B's host: anonymous there.
    cookie = team.member_client.cookie_value()
    stolen = town_b.client()
    stolen.set_cookie("session", cookie, domain=town_b.host)
    assert stolen.get("/projekte/1/teamraum").status_code == 302
    # An unknown host names no town; an alias redirects to the canonical host.
    stranger = team.town.client(host="evil.example")
    stranger.set_cookie("session", cookie, domain="evil.example")
    assert stranger.get("/projekte/1/teamraum").status_code == 404
    alias = team.town.client(host="www.stadt-a.test")
    response = alias.get("/projekte/1/teamraum")
    assert response.status_code == 308
    assert response.headers["Location"] == "http://stadt-a.test/projekte/1/teamraum"


def test_unsubscribe_links_and_settings_stay_in_their_town(team: Team, town_b: Town) -> None:
    with (
        team.town.context(),
        team.town.app.test_request_context(base_url=f"http://{team.town.host}"),
    ):
        token = make_unsubscribe_token(team.member, "team_post")
    b_user, b_client = person(town_b, "max@example.org", "Max in B")
    assert b_client.get(f"/benachrichtigungen/abbestellen/{token}").status_code == 400
    assert town_b.client().post(f"/benachrichtigungen/abbestellen/{token}").status_code == 400
    with town_b.context():
        assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
    b_client.post("/benachrichtigungen/einstellungen", data={"team_post": "off"})
    with team.town.context():
        assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
    assert team.town.client().post(f"/benachrichtigungen/abbestellen/{token}").status_code == 200
    with team.town.context():
        (pref,) = db.session.scalars(select(NotificationPreference)).all()
        assert (pref.user_id, pref.kind, pref.delivery.value) == (
            team.member.id,
            "team_post",
            "off",
        )


def test_mail_links_use_the_towns_canonical_host(team: Team, mailbox: Mailbox) -> None:
    # A request that arrives on the canonical host with a forged X-Forwarded-Host
    # still mails links to the canonical host.
    team.owner_client.post(
        "/projekte/1/team/einladen",
        data={"email": "neu@example.org"},
        headers={"X-Forwarded-Host": "evil.example"},
    )
    body = mailbox.last_to("neu@example.org").get_body().get_content()
    assert "http://stadt-a.test/projekte/1/team/einladung/" in body and "evil" not in body


def test_login_as_the_same_address_in_town_b_shows_nothing_of_a(
    full_team: dict[str, str], team: Team, town_b: Town
) -> None:
    town_b.user("olga@example.org", name="Olga in B")
    client = town_b.client()
    login(client, "olga@example.org")
    assert client.get("/projekte/1/team").status_code == 404  # B has no project 1
    assert client.get("/benachrichtigungen").get_data(as_text=True).count("Asker") == 0
