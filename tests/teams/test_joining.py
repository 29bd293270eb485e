"""Joining a team: asking, invitations by mail, the join code; roles and the last owner."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import Kind
from projektfabrik.extensions import db
from projektfabrik.notifications.models import Notification
from projektfabrik.projects import access
from projektfabrik.projects.models import Membership, Status, TeamRole
from projektfabrik.teams import services
from projektfabrik.teams.models import JoinRequest, RequestStatus, TeamAccess
from projektfabrik.testing import Mailbox, Town, body_of, links_in, login

from .teamkit import Team, add_member, path_of, person, publish, shown


def _members(town: Town, number: int = 1) -> dict[str, str]:
    db.session.expire_all()  # the requests ran in sessions of their own
    with town.context():
        project = access.find_project(number)
        return {m.user.email: m.role.value for m in access.memberships(project)}


def _request(town: Town) -> JoinRequest:
    db.session.expire_all()
    with town.context():
        return db.session.scalar(select(JoinRequest).order_by(JoinRequest.id.desc()))


# --- asking to join ------------------------------------------------------------------


def test_ask_to_join_and_the_owner_accepts_with_a_message(team: Team, mailbox: Mailbox) -> None:
    helga, client = person(team.town, "helga@example.org", "Helga Helfer", kind=Kind.ADMINISTRATION)
    page = client.get("/projekte/1/team").get_data(as_text=True)
    assert "Olga Owner" in page and "Max Member" in page
    assert 'id="motivation"' in page  # the form to ask

    response = client.post(
        "/projekte/1/team/anfragen",
        data={
            "motivation": "Ich kenne mich mit Förderanträgen aus.",
            "skills": "Buchhaltung, Recht",
        },
    )
    assert response.status_code == 302
    mail = mailbox.last_to("olga@example.org")
    assert "Helga Helfer" in mail["Subject"]
    assert "Förderanträgen" in body_of(mail)  # the motivation is in the owner's mail
    assert mail["List-Unsubscribe"].startswith(
        "<http://stadt-a.test/benachrichtigungen/abbestellen/"
    )
    assert not mailbox.to("max@example.org")  # members are not asked, owners decide

    item = _request(team.town)
    owner_page = team.owner_client.get("/projekte/1/team").get_data(as_text=True)
    assert f'id="anfrage-{item.ref}"' in owner_page and "Buchhaltung, Recht" in owner_page
    assert f'id="anfrage-{item.ref}"' not in team.member_client.get("/projekte/1/team").get_data(
        as_text=True
    )  # members do not see requests
    response = team.owner_client.post(
        f"/projekte/1/team/anfragen/{item.ref}/entscheiden",
        data={"decision": "accept", "message": "Herzlich willkommen, Helga!"},
    )
    assert response.status_code == 302
    assert _members(team.town)["helga@example.org"] == "member"
    welcome = mailbox.last_to("helga@example.org")
    assert "Herzlich willkommen, Helga!" in body_of(welcome)
    assert "/projekte/1/teamraum" in body_of(welcome)
    assert _request(team.town).status == RequestStatus.ACCEPTED
    # The new member sees the team space and the project page's tab to it.
    assert client.get("/projekte/1/teamraum").status_code == 200
    assert 'href="/projekte/1/teamraum"' in client.get("/projekte/1").get_data(as_text=True)


def test_decline_tells_the_person_and_keeps_them_out(team: Team, mailbox: Mailbox) -> None:
    _, client = person(team.town, "kurt@example.org", "Kurt")
    client.post("/projekte/1/team/anfragen", data={"motivation": "Ich will mitmachen."})
    item = _request(team.town)
    team.owner_client.post(
        f"/projekte/1/team/anfragen/{item.ref}/entscheiden",
        data={"decision": "decline", "message": "Wir sind gerade voll."},
    )
    assert "kurt@example.org" not in _members(team.town)
    assert "Wir sind gerade voll." in body_of(mailbox.last_to("kurt@example.org"))
    assert client.get("/projekte/1/teamraum").status_code == 404
    # Answered once: a second decision is refused.
    team.owner_client.post(
        f"/projekte/1/team/anfragen/{item.ref}/entscheiden", data={"decision": "accept"}
    )
    assert "kurt@example.org" not in _members(team.town)


def test_a_request_without_motivation_keeps_what_was_typed(team: Team) -> None:
    _, client = person(team.town, "kurt@example.org")
    response = client.post(
        "/projekte/1/team/anfragen", data={"motivation": "  ", "skills": "Schreinern, Kochen"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Schreinern, Kochen"' in page and 'aria-invalid="true"' in page
    assert 'class="error-summary"' in page
    assert _request(team.town) is None


def test_one_open_request_at_a_time_and_withdrawing(team: Team) -> None:
    _, client = person(team.town, "kurt@example.org")
    client.post("/projekte/1/team/anfragen", data={"motivation": "Erstens"})
    again = client.post("/projekte/1/team/anfragen", data={"motivation": "Zweitens"})
    assert again.status_code == 400
    asked = shown(team.town.app, "You have asked already. The owners will answer soon.")
    assert asked in again.get_data(as_text=True)
    item = _request(team.town)
    # Somebody else cannot withdraw it; the person can.
    assert (
        team.member_client.post(f"/projekte/1/team/anfragen/{item.ref}/zurueckziehen").status_code
        == 404
    )
    assert client.post(f"/projekte/1/team/anfragen/{item.ref}/zurueckziehen").status_code == 302
    assert _request(team.town).status == RequestStatus.WITHDRAWN


def test_only_owners_decide(team: Team) -> None:
    _, client = person(team.town, "kurt@example.org")
    client.post("/projekte/1/team/anfragen", data={"motivation": "Bitte"})
    item = _request(team.town)
    url = f"/projekte/1/team/anfragen/{item.ref}/entscheiden"
    assert team.member_client.post(url, data={"decision": "accept"}).status_code == 403
    assert client.post(url, data={"decision": "accept"}).status_code == 404  # not in the team
    assert "kurt@example.org" not in _members(team.town)


def test_a_closed_project_takes_no_requests(team: Team) -> None:
    assert team.owner_client.post("/projekte/1/team/schliessen").status_code == 302
    with team.town.context():
        assert access.find_project(1).status == Status.ARCHIVED
    _, client = person(team.town, "kurt@example.org")
    assert client.post("/projekte/1/team/anfragen", data={"motivation": "x"}).status_code == 400
    assert _request(team.town) is None


# --- invitations by mail ------------------------------------------------------------


def test_an_invitation_link_lets_the_recipient_ask_to_join(team: Team, mailbox: Mailbox) -> None:
    response = team.owner_client.post(
        "/projekte/1/team/einladen",
        data={"email": "Betrieb@Example.org", "message": "Sie haben doch einen Transporter?"},
    )
    assert response.status_code == 302
    mail = mailbox.last_to("betrieb@example.org")
    assert "Garten am Hafen" in mail["Subject"]
    assert "Sie haben doch einen Transporter?" in body_of(mail)
    assert "olga@example.org" not in mail.as_string()  # the owner's address stays hidden
    (link,) = [u for u in links_in(mail) if "/einladung/" in u]
    assert link.startswith("http://stadt-a.test/projekte/1/team/einladung/")

    # Without an account: the page explains how to log in or register first.
    guest = team.town.client().get(path_of(link))
    assert guest.status_code == 200 and "/anmelden?next=" in guest.get_data(as_text=True)

    _, business = person(team.town, "betrieb@example.org", "Tischlerei Holz", kind=Kind.BUSINESS)
    assert business.get(path_of(link)).status_code == 200
    response = business.post(
        path_of(link), data={"motivation": "Gern, mit Transporter.", "skills": "Transport"}
    )
    assert response.status_code == 302
    item = _request(team.town)
    assert item.invited and item.skills == "Transport"
    owner_page = team.owner_client.get("/projekte/1/team").get_data(as_text=True)
    assert shown(team.town.app, "came through an invitation") in owner_page


def test_bad_invitation_input_keeps_what_was_typed(team: Team, mailbox: Mailbox) -> None:
    response = team.owner_client.post(
        "/projekte/1/team/einladen", data={"email": "kein-at-zeichen", "message": "Hallo du"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="kein-at-zeichen"' in page and "Hallo du" in page
    assert not mailbox.messages
    # Members who are not owners do not invite.
    assert (
        team.member_client.post(
            "/projekte/1/team/einladen", data={"email": "x@example.org"}
        ).status_code
        == 403
    )


def test_invitation_links_are_bound_to_project_and_generation(team: Team, mailbox: Mailbox) -> None:
    owner = team.owner
    publish(team.town, owner, "Zweites Projekt")
    team.owner_client.post("/projekte/1/team/einladen", data={"email": "gast@example.org"})
    (link,) = [u for u in links_in(mailbox.last_to("gast@example.org")) if "/einladung/" in u]
    token = link.rsplit("/", 1)[1]
    _, guest = person(team.town, "gast@example.org")
    assert guest.get(f"/projekte/2/team/einladung/{token}").status_code == 400  # other project
    assert guest.get(f"/projekte/1/team/einladung/{token[:-2]}xx").status_code == 400  # forged
    assert guest.get(path_of(link)).status_code == 200
    # A new join code retires every invitation sent before.
    team.owner_client.post("/projekte/1/team/code/neu")
    retired = guest.get(path_of(link))
    assert retired.status_code == 400
    assert guest.post(path_of(link), data={"motivation": "x"}).status_code == 400
    assert _request(team.town) is None


# --- the join code -----------------------------------------------------------------


def _code(team: Team) -> str:
    page = team.owner_client.get("/projekte/1/team/code")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html  # the QR code, no extra request needed
    return re.search(r'class="join-code">([A-Z0-9-]+)<', html).group(1)


def test_a_join_code_joins_directly(team: Team, mailbox: Mailbox) -> None:
    code = _code(team)
    assert len(code) == 9 and code[4] == "-"
    _, staff = person(team.town, "amt@example.org", "Frau Amt", kind=Kind.ADMINISTRATION)
    # Typed in lower case with a space instead of the dash: still fine.
    response = staff.post("/beitreten", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"] == "/projekte/1/teamraum"
    assert _members(team.town)["amt@example.org"] == "member"
    assert "Frau Amt" in mailbox.last_to("olga@example.org")["Subject"]
    again = staff.post("/beitreten", data={"code": code})
    assert again.status_code == 400  # already a member


def test_a_wrong_code_says_so_and_keeps_it(team: Team) -> None:
    _, client = person(team.town, "kurt@example.org")
    response = client.post("/beitreten", data={"code": "ABCD-EFGH"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="ABCD-EFGH"' in page and 'aria-invalid="true"' in page
    prefilled = client.get("/beitreten?code=WXYZ-2345").get_data(as_text=True)
    assert 'value="WXYZ-2345"' in prefilled  # from the QR code's link


def test_a_new_code_retires_the_old_one(team: Team) -> None:
    old = _code(team)
    team.owner_client.post("/projekte/1/team/code/neu")
    new = _code(team)
    assert old != new
    _, client = person(team.town, "kurt@example.org")
    assert client.post("/beitreten", data={"code": old}).status_code == 400
    assert client.post("/beitreten", data={"code": new}).status_code == 302
    # Only owners see or renew the code.
    assert team.member_client.get("/projekte/1/team/code").status_code == 403
    assert team.member_client.post("/projekte/1/team/code/neu").status_code == 403


def test_join_codes_are_unique_and_readable(team: Team) -> None:
    with team.town.context():
        codes = set()
        for i in range(30):
            project = publish(team.town, team.owner, f"P{i}")
            with team.town.context():
                codes.add(services.access(access.find_project(project.number)).join_code)
                db.session.commit()
        assert len(codes) == 30
        assert not any(set(c) & set("01OI") for c in codes)
        assert db.session.scalar(select(db.func.count()).select_from(TeamAccess)) == 30


# --- leaving, removing, handing over ---------------------------------------------------


def test_the_last_owner_cannot_leave_but_can_hand_over(team: Team, mailbox: Mailbox) -> None:
    response = team.owner_client.post("/projekte/1/team/verlassen", follow_redirects=True)
    last_owner = shown(
        team.town.app,
        "You are the last owner of this project. Hand over ownership to another member "
        "first, or close the project.",
    )
    assert last_owner in response.get_data(as_text=True)
    assert _members(team.town)["olga@example.org"] == "owner"
    with team.town.context():
        project = access.find_project(1)
        owner = db.session.get(type(team.owner), team.owner.id)
        for call in (
            lambda: services.leave(project, owner),
            lambda: services.step_down(project, owner),
        ):
            with pytest.raises(services.TeamError):
                call()
    # Hand over to Max: Max owns it, Olga is a member and may leave.
    response = team.owner_client.post(f"/projekte/1/team/mitglieder/{team.member.ref}/uebergeben")
    assert response.status_code == 302
    assert _members(team.town) == {"olga@example.org": "member", "max@example.org": "owner"}
    assert "Garten am Hafen" in mailbox.last_to("max@example.org")["Subject"]
    assert team.owner_client.post("/projekte/1/team/verlassen").status_code == 302
    assert _members(team.town) == {"max@example.org": "owner"}


def test_owners_remove_members_but_not_owners(team: Team, mailbox: Mailbox) -> None:
    co, co_client = person(team.town, "co@example.org", "Co Owner")

    add_member(team.town, team.project, co, owner=True)
    assert (
        team.member_client.post(f"/projekte/1/team/mitglieder/{co.ref}/entfernen").status_code
        == 403
    )
    assert (
        team.owner_client.post(f"/projekte/1/team/mitglieder/{co.ref}/entfernen").status_code == 302
    )
    assert _members(team.town)["co@example.org"] == "owner"  # refused: owners leave themselves
    assert (
        team.owner_client.post(
            f"/projekte/1/team/mitglieder/{team.member.ref}/entfernen"
        ).status_code
        == 302
    )
    assert "max@example.org" not in _members(team.town)
    assert "Olga Owner" in mailbox.last_to("max@example.org")["Subject"]
    assert team.member_client.get("/projekte/1/teamraum").status_code == 404
    # With two owners, one may step down.
    assert co_client.post("/projekte/1/team/abgeben").status_code == 302
    assert _members(team.town)["co@example.org"] == "member"


def test_make_co_owner_and_tasks(team: Team) -> None:
    team.owner_client.post(f"/projekte/1/team/mitglieder/{team.member.ref}/mitinhaber")
    assert _members(team.town)["max@example.org"] == "owner"
    # A member sets their own task; an owner sets anyone's.
    assert (
        team.member_client.post(
            f"/projekte/1/team/mitglieder/{team.member.ref}/aufgabe", data={"task": "Kasse"}
        ).status_code
        == 302
    )
    _, other = person(team.town, "other@example.org")

    add_member(team.town, team.project, team.town.user("third@example.org"))
    with team.town.context():
        third = db.session.scalar(select(Membership).order_by(Membership.id.desc()))
        third_ref = third.user.ref
    login(other, "other@example.org")
    assert (
        other.post(
            f"/projekte/1/team/mitglieder/{third_ref}/aufgabe", data={"task": "x"}
        ).status_code
        == 404
    )
    page = team.owner_client.get("/projekte/1/team").get_data(as_text=True)
    assert "Kasse" in page
    with team.town.context():
        roles = {m.user.email: (m.role, m.task) for m in access.memberships(access.find_project(1))}
    assert roles["max@example.org"] == (TeamRole.OWNER, "Kasse")


def test_the_team_page_shows_kind_and_role(team: Team) -> None:
    page = team.town.client().get("/projekte/1/team").get_data(as_text=True)
    # kind labels in German (the town's default) and the role of each person
    olga = page.split('id="person-' + team.owner.ref + '"', 1)[1].split("</li>", 1)[0]
    max_ = page.split('id="person-' + team.member.ref + '"', 1)[1].split("</li>", 1)[0]
    assert shown(team.town.app, "Citizen") in olga and shown(team.town.app, "Owner") in olga
    assert shown(team.town.app, "Business") in max_ and shown(team.town.app, "Member") in max_
    assert page.count('class="badge badge-owner"') == 1
    assert shown(team.town.app, "Log in to ask to join") in page


def test_notifications_about_joining_reach_the_bell(team: Team) -> None:
    _, client = person(team.town, "kurt@example.org", "Kurt")
    client.post("/projekte/1/team/anfragen", data={"motivation": "Bitte"})
    with team.town.context():
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.user_id == team.owner.id)
        ).all()
    assert kinds == ["join_request"]
