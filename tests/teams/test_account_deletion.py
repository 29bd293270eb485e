"""Deleting the account of a project's only lead: hand over or close first (issue #22)."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.projects import access
from projektfabrik.projects.models import Project, Status
from projektfabrik.testing import TEST_PASSWORD, Town

from .teamkit import Team, person, publish

DELETE = {"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}


def _deleted(town: Town, user: User) -> bool:
    with town.context():
        return db.session.scalar(select(User).where(User.id == user.id)).deleted_at is not None


def test_the_only_lead_is_asked_to_hand_over_before_deleting(team: Team) -> None:
    page = team.owner_client.get("/konto/loeschen").get_data(as_text=True)
    assert "Sie leiten „Garten am Hafen“ allein." in page
    assert 'href="/projekte/1/team#mein-platz"' in page
    assert 'name="delete-current_password"' not in page  # no form until settled

    refused = team.owner_client.post("/konto/loeschen", data=DELETE)
    assert refused.status_code == 400
    assert not _deleted(team.town, team.owner)
    with team.town.context():
        project = db.session.get(Project, team.project.id)
        assert access.owner_count(project) == 1


def test_after_handing_over_the_account_can_go_and_the_project_keeps_a_lead(
    team: Team,
) -> None:
    assert (
        team.owner_client.post(
            f"/projekte/1/team/mitglieder/{team.member.ref}/uebergeben"
        ).status_code
        == 302
    )
    page = team.owner_client.get("/konto/loeschen").get_data(as_text=True)
    assert "allein" not in page
    assert 'name="delete-current_password"' in page
    assert team.owner_client.post("/konto/loeschen", data=DELETE).status_code == 302
    assert _deleted(team.town, team.owner)
    with team.town.context():
        project = db.session.get(Project, team.project.id)
        assert [u.id for u in access.owners(project)] == [team.member.id]


def test_closing_the_project_also_lets_the_account_go(town_a: Town) -> None:
    owner, client = person(town_a, "solo@example.org", "Solo")
    publish(town_a, owner)
    assert client.post("/projekte/1/team/schliessen").status_code == 302
    with town_a.context():
        assert db.session.scalar(select(Project)).status == Status.ARCHIVED
    assert client.post("/konto/loeschen", data=DELETE).status_code == 302
    assert _deleted(town_a, owner)


def test_a_co_lead_is_no_obstacle(team: Team) -> None:
    assert (
        team.owner_client.post(
            f"/projekte/1/team/mitglieder/{team.member.ref}/mitinhaber"
        ).status_code
        == 302
    )
    assert team.owner_client.post("/konto/loeschen", data=DELETE).status_code == 302


def test_another_towns_project_led_alone_does_not_block_and_is_not_named(
    team: Team, town_b: Town
) -> None:
    # Same address in town B: a separate account that leads nothing there.
    _user, client_b = person(town_b, "olga@example.org", "Olga in B")
    page = client_b.get("/konto/loeschen").get_data(as_text=True)
    assert "Garten am Hafen" not in page
    assert client_b.post("/konto/loeschen", data=DELETE).status_code == 302
    assert not _deleted(team.town, team.owner)
