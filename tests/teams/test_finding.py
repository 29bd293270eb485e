"""What a team looks for, people who want to be found, projects looking for my skills."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace.listing import Filters, list_projects
from projektfabrik.notifications.models import Notification
from projektfabrik.teams.models import NeedKind, TeamNeed
from projektfabrik.testing import Mailbox, Town, body_of

from .teamkit import Team, person, publish


def _profile(client, **changes: str) -> None:  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Name",
        "kind": "citizen",
        "district": "",
        "organisation": "",
        "bio": "",
    }
    data.update(changes)
    assert client.post("/profil", data=data).status_code == 302


def test_owners_say_what_they_look_for(team: Team) -> None:
    client = team.owner_client
    client.post(
        "/projekte/1/team/gesucht",
        data={"wanted_skills": "Gärtnern, Holzbau, gärtnern", "looking_for_members": "y"},
    )
    client.post(
        "/projekte/1/team/gesucht/neu",
        data={"kind": "role", "title": "Kassenwart", "note": "ab Mai"},
    )
    client.post("/projekte/1/team/gesucht/neu", data={"kind": "resource", "title": "Anhänger"})
    bad = client.post("/projekte/1/team/gesucht/neu", data={"kind": "money", "title": "Geld"})
    assert bad.status_code == 400 and 'value="Geld"' in bad.get_data(as_text=True)
    page = team.town.client().get("/projekte/1/team").get_data(as_text=True)
    assert (
        "Gärtnern, Holzbau" in page
        and "Kassenwart" in page
        and "ab Mai" in page
        and "Anhänger" in page
    )
    with team.town.context():
        kinds = sorted((n.kind, n.title) for n in db.session.scalars(select(TeamNeed)))
        need = db.session.scalar(select(TeamNeed).where(TeamNeed.title == "Anhänger"))
    assert kinds == [(NeedKind.RESOURCE, "Anhänger"), (NeedKind.ROLE, "Kassenwart")]
    # The marketplace finds the project by its new skill.
    with team.town.context():
        assert [c.project.title for c in list_projects(Filters(skill="holzbau")).cards] == [
            "Garten am Hafen"
        ]
    assert client.post(f"/projekte/1/team/gesucht/{need.ref}/loeschen").status_code == 302
    assert "Anhänger" not in team.town.client().get("/projekte/1/team").get_data(as_text=True)


def test_teams_see_people_who_opted_in_with_a_wanted_skill(team: Team, mailbox: Mailbox) -> None:
    _, gardener = person(team.town, "gaertner@example.org")
    _profile(gardener, display_name="Gerd Gärtner", skills="gärtnern, Kochen", findable="y")
    _, shy = person(team.town, "shy@example.org")
    _profile(shy, display_name="Scheue Susi", skills="Gärtnern")  # not findable
    _, cook = person(team.town, "cook@example.org")
    _profile(cook, display_name="Koch Karl", skills="Kochen", findable="y")  # no wanted skill
    page = team.owner_client.get("/projekte/1/team").get_data(as_text=True)
    found = page.split('id="gefunden"', 1)[1]
    assert "Gerd Gärtner" in found and "gärtnern" in found
    assert "Scheue Susi" not in found and "Koch Karl" not in found
    assert "gaertner@example.org" not in page  # names, never addresses
    assert "Gerd Gärtner" not in team.member_client.get("/projekte/1/team").get_data(as_text=True)
    with team.town.context():
        gerd = db.session.scalar(select(User).where(User.email == "gaertner@example.org"))
    assert team.owner_client.post(f"/projekte/1/team/leute/{gerd.ref}/einladen").status_code == 302
    invitation = mailbox.last_to("gaertner@example.org")
    assert "Olga Owner" in invitation["Subject"]
    (link,) = [u for u in body_of(invitation).split() if "/team/einladung/" in u]
    assert gardener.get(link.removeprefix("http://stadt-a.test")).status_code == 200
    # Only people the team may see can be invited this way.
    with team.town.context():
        susi = db.session.scalar(select(User).where(User.email == "shy@example.org"))
        kinds = db.session.scalars(
            select(Notification.kind).where(Notification.user_id == gerd.id)
        ).all()
    assert kinds == ["team_invitation"]
    assert team.owner_client.post(f"/projekte/1/team/leute/{susi.ref}/einladen").status_code == 404


def test_projects_looking_for_my_skills(team: Team, town_b: Town) -> None:
    publish(team.town, team.owner, "Sommerkino", wanted_skills="Technik, Kochen")
    publish(team.town, team.owner, "Lesekreis", wanted_skills="Vorlesen")
    b_owner = town_b.user()
    publish(town_b, b_owner, "Kochkurs in B", wanted_skills="Kochen")
    _, client = person(team.town, "me@example.org")
    _profile(client, display_name="Ich", skills="kochen, buchhaltung")
    page = client.get("/projekte?fuer-mich=1").get_data(as_text=True)
    titles = [
        t for t in ("Garten am Hafen", "Sommerkino", "Lesekreis", "Kochkurs in B") if t in page
    ]
    assert titles == ["Garten am Hafen", "Sommerkino"]  # Buchhaltung and Kochen; not B's
    assert 'id="fuer-mich" name="fuer-mich" value="1" checked' in page
    # Without skills on the profile: nothing, and a hint how to change that.
    _, empty = person(team.town, "empty@example.org")
    page = empty.get("/projekte?fuer-mich=1").get_data(as_text=True)
    assert "Sommerkino" not in page and 'href="/profil"' in page
    # The skills come from the profile, not from the URL; guests see the plain list.
    guest = team.town.client().get("/projekte?fuer-mich=1").get_data(as_text=True)
    assert "Lesekreis" in guest and "Sommerkino" in guest
    with team.town.context():
        assert list_projects(Filters(mine=True)).total == 0


def test_the_profile_keeps_the_choice_to_be_found(team: Team) -> None:
    _, client = person(team.town, "p@example.org")
    _profile(client, display_name="P", skills="x", findable="y")
    assert 'id="findable" name="findable" type="checkbox" value="y"' in client.get(
        "/profil"
    ).get_data(as_text=True)
    with team.town.context():
        assert db.session.scalar(select(User.findable).where(User.email == "p@example.org")) is True
    _profile(client, display_name="P", skills="x")
    with team.town.context():
        db.session.expire_all()
        assert (
            db.session.scalar(select(User.findable).where(User.email == "p@example.org")) is False
        )
