"""Cancelling a team meeting tells the team; a changed meeting is marked as changed."""

from __future__ import annotations

from sqlalchemy import func, select

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.notifications.models import Delivery
from projektfabrik.projects import access
from projektfabrik.teams.models import TeamMeeting
from projektfabrik.testing import Mailbox, Town, body_of

from .teamkit import Team, add_member, person, publish, shown

# The meeting helpers of the rescheduling tests: one way to plan and look.
from .test_space_edit import PLAN, _meeting, _notes, _plan

PAGE = "/projekte/1/teamraum/treffen"


def _meetings(team: Team) -> int:
    db.session.expire_all()
    with team.town.context():
        return db.session.scalar(select(func.count()).select_from(TeamMeeting))


def _cancel(client, meeting: TeamMeeting):  # type: ignore[no-untyped-def]
    return client.post(f"{PAGE}/{meeting.ref}/absagen")


def _ics(client, meeting: TeamMeeting):  # type: ignore[no-untyped-def]
    return client.get(f"{PAGE}/{meeting.ref}.ics")


def _choose(client, delivery: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/benachrichtigungen/einstellungen",
        data={"team_meeting": delivery, "mention": "immediately"},
    )
    assert response.status_code in (200, 302)


def test_cancelling_tells_the_others_as_each_chose(team: Team, mailbox: Mailbox) -> None:
    lena, lena_client = person(team.town, "lena@example.org", "Lena Lindner")
    add_member(team.town, team.project, lena)
    paul, paul_client = person(team.town, "paul@example.org", "Paul Daily")
    add_member(team.town, team.project, paul)
    _choose(lena_client, "off")
    _choose(paul_client, "daily")
    meeting = _plan(team)
    cancel_path = f"{PAGE}/{meeting.ref}/absagen"  # the row will be gone
    mailbox.clear()
    before = len(_notes(team.town))

    response = _cancel(team.member_client, meeting)  # Max planned it
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    assert _meetings(team) == 0

    # Olga (immediately, the default) gets a mail with the title and the former time and place.
    mail = mailbox.last_to("olga@example.org")
    assert mail["Subject"] == shown(
        team.town.app,
        "Meeting of “%(project)s” cancelled: %(title)s, %(when)s",
        project="Garten am Hafen",
        title="Pflanzaktion",
        when="Di., 14. Mai 2030, 18:30–20:00 Uhr",
    )
    assert mail["Subject"].startswith("Treffen von „Garten am Hafen“ abgesagt: Pflanzaktion")
    assert "Geplant war es für: Di., 14. Mai 2030, 18:30–20:00 Uhr; Brache am Hafen" in body_of(
        mail
    )
    # Lena (off) and Paul (daily) get no mail now, Max who cancelled hears nothing.
    assert [str(m["To"]) for m in mailbox.messages] == [str(mail["To"])]
    notes = {n.user_id: n for n in _notes(team.town)[before:]}
    assert set(notes) == {team.owner.id, lena.id, paul.id}
    assert {n.kind for n in notes.values()} == {"team_meeting"}
    assert notes[paul.id].delivery == Delivery.DAILY and notes[paul.id].mailed_at is None
    assert notes[lena.id].delivery == Delivery.OFF and notes[lena.id].mailed_at is None
    assert notes[team.owner.id].link.endswith(PAGE)

    page = team.owner_client.get(PAGE).get_data(as_text=True)
    assert "Pflanzaktion" not in page
    assert shown(team.town.app, "The meeting is cancelled; the team is told.") in (
        team.member_client.get(PAGE).get_data(as_text=True)
    )
    # Gone is gone: cancelling again finds nothing, nobody is told twice.
    assert team.owner_client.post(cancel_path).status_code == 404
    assert len(_notes(team.town)) == before + 3


def test_only_the_planner_or_an_owner_cancels(team: Team, mailbox: Mailbox) -> None:
    lena, lena_client = person(team.town, "lena@example.org", "Lena Lindner")
    add_member(team.town, team.project, lena)
    meeting = _plan(team, team.member_client)
    mailbox.clear()
    path = f"{PAGE}/{meeting.ref}/absagen"
    assert path not in lena_client.get(PAGE).get_data(as_text=True)
    assert _cancel(lena_client, meeting).status_code == 403
    _, stranger = person(team.town, "stranger@example.org")
    _, admin = person(team.town, "admin@example.org", role=Role.ADMIN)
    for client in (stranger, admin):
        assert _cancel(client, meeting).status_code == 404
        assert _ics(client, meeting).status_code == 404
    guest = _cancel(team.town.client(), meeting)
    assert guest.status_code == 302 and guest.headers["Location"].startswith("/anmelden")
    assert _meetings(team) == 1 and not mailbox.messages
    # An owner cancels what a member planned; the planner (Max) is told then.
    assert path in team.owner_client.get(PAGE).get_data(as_text=True)
    assert _cancel(team.owner_client, meeting).status_code == 302
    assert _meetings(team) == 0
    assert mailbox.to("max@example.org") and not mailbox.to("olga@example.org")


def test_a_changed_meeting_is_marked_changed_in_words(team: Team) -> None:
    meeting = _plan(team)
    marker = f' <span class="badge">{shown(team.town.app, "changed")}</span></h4>'
    assert marker not in team.owner_client.get(PAGE).get_data(as_text=True)
    response = team.member_client.post(
        f"{PAGE}/{meeting.ref}/bearbeiten", data={**PLAN, "place": "Rathaus"}
    )
    assert response.status_code == 302
    page = team.owner_client.get(PAGE).get_data(as_text=True)
    # Inside the heading: a screen reader says it with the title.
    assert f"<h4>Pflanzaktion{marker}" in page
    assert marker == ' <span class="badge">geändert</span></h4>'
    team.owner_client.post("/language", data={"locale": "en"})
    english = team.owner_client.get(PAGE).get_data(as_text=True)
    assert '<h4>Pflanzaktion <span class="badge">changed</span></h4>' in english


def test_town_b_cannot_cancel_or_see_a_meeting_of_town_a(
    team: Team, town_b: Town, mailbox: Mailbox
) -> None:
    meeting = _plan(team, title="Geheimtreffen")
    # Town B: an admin who owns B's own project 1, and an account with Max's address.
    bernd, b_client = person(town_b, "bernd@example.org", "Bernd", role=Role.ADMIN)
    publish(town_b, bernd, "Projekt in B")
    b_max, b_max_client = person(town_b, "max@example.org", "Max in B")
    with town_b.context():
        b_project = access.find_project(1)
    add_member(town_b, b_project, b_max)
    mailbox.clear()
    for client in (b_client, b_max_client):
        assert _cancel(client, meeting).status_code == 404
        assert _ics(client, meeting).status_code == 404
        assert "Geheim" not in client.get(PAGE).get_data(as_text=True)
    assert _meetings(team) == 1 and _meeting(team).sequence == 0
    # A's own cancellation reaches A's team only; B's Max (same address) hears nothing.
    assert _cancel(team.member_client, meeting).status_code == 302
    assert [str(m["To"]) for m in mailbox.messages] == [
        str(mailbox.last_to("olga@example.org")["To"])
    ]
    assert not _notes(town_b)


def test_the_meetings_page_costs_the_same_queries_with_changed_meetings(
    team: Team,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    def add(i: int) -> None:
        meeting = _plan(team, title=f"Treffen {i}", day=f"2030-06-{i + 1:02d}")
        team.owner_client.post(
            f"{PAGE}/{meeting.ref}/bearbeiten",
            data={**PLAN, "title": f"Treffen {i}", "day": f"2030-06-{i + 1:02d}", "place": "Ort"},
        )

    def count() -> tuple[int, int]:
        """(meetings marked changed, queries)."""
        marker = f'<span class="badge">{shown(team.town.app, "changed")}</span>'
        with count_queries() as counter:
            page = team.owner_client.get(PAGE)
            assert page.status_code == 200
        return page.get_data(as_text=True).count(marker), len(counter)

    add(0)
    marked, few = count()
    assert marked == 1
    for i in range(1, 6):
        add(i)
    assert count() == (6, few)
