"""Changing what the team shared: meetings are rescheduled, board posts edited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from projektfabrik.accounts.models import Role
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.notifications.models import Notification
from projektfabrik.projects.access import find_project
from projektfabrik.teams.models import PostSource, TeamMeeting, TeamPost
from projektfabrik.testing import Mailbox, Town, body_of

from .teamkit import Team, add_member, person, publish, shown

PLAN = {
    "title": "Pflanzaktion", "day": "2030-05-14", "start": "18:30", "end": "20:00",
    "place": "Brache am Hafen", "video_url": "", "description": "Handschuhe mitbringen",
}  # fmt: skip


def _meeting(team: Team) -> TeamMeeting:
    db.session.expire_all()
    with team.town.context():
        return db.session.scalars(select(TeamMeeting).order_by(TeamMeeting.id)).all()[-1]


def _post(team: Team) -> TeamPost:
    db.session.expire_all()
    with team.town.context():
        return db.session.scalars(select(TeamPost).order_by(TeamPost.id)).all()[-1]


def _notes(town: Town, user_id: int | None = None) -> list[Notification]:
    db.session.expire_all()
    with town.context():
        query = select(Notification).order_by(Notification.id)
        if user_id is not None:
            query = query.where(Notification.user_id == user_id)
        return list(db.session.scalars(query))


def _plan(team: Team, client=None, **changes: str) -> TeamMeeting:  # type: ignore[no-untyped-def]
    response = (client or team.member_client).post(
        "/projekte/1/teamraum/treffen", data={**PLAN, **changes}
    )
    assert response.status_code == 302
    return _meeting(team)


def _edit_meeting(client, meeting: TeamMeeting, **changes: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/projekte/1/teamraum/treffen/{meeting.ref}/bearbeiten", data={**PLAN, **changes}
    )


def _ics(client, meeting: TeamMeeting) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/projekte/1/teamraum/treffen/{meeting.ref}.ics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _write(client, body: str = "Treffen am Samstag um 10?") -> None:  # type: ignore[no-untyped-def]
    assert client.post("/projekte/1/teamraum/beitraege", data={"body": body}).status_code == 302


def _edit_post(client, item: TeamPost, body: str):  # type: ignore[no-untyped-def]
    return client.post(f"/projekte/1/teamraum/beitraege/{item.ref}/bearbeiten", data={"body": body})


# --- meetings --------------------------------------------------------------------------


def test_a_rescheduled_meeting_tells_the_team_and_updates_calendars(
    team: Team, mailbox: Mailbox
) -> None:
    meeting = _plan(team)
    first = _ics(team.owner_client, meeting)
    assert "SEQUENCE:0" in first
    form = team.member_client.get(f"/projekte/1/teamraum/treffen/{meeting.ref}/bearbeiten")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    # The form shows the meeting as planned, in the town's time zone.
    for value in ("Pflanzaktion", "2030-05-14", "18:30", "20:00", "Brache am Hafen"):
        assert f'value="{value}"' in page
    mailbox.clear()
    before = len(_notes(team.town))

    response = _edit_meeting(
        team.member_client, meeting, start="19:00", end="21:00", place="Rathaus, Saal 2"
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#treffen-{meeting.ref}")
    changed = _meeting(team)
    assert changed.starts_at.isoformat() == "2030-05-14T17:00:00+00:00"
    assert (changed.place, changed.sequence) == ("Rathaus, Saal 2", 1)

    # Olga is told (new meetings are mailed at once by default), Max who changed it is not.
    mail = mailbox.last_to("olga@example.org")
    assert mail["Subject"] == shown(
        team.town.app,
        "Meeting of “%(project)s” moved or changed: %(title)s, %(when)s",
        project="Garten am Hafen",
        title="Pflanzaktion",
        when="Di., 14. Mai 2030, 19:00–21:00 Uhr",
    )
    text = body_of(mail)
    assert (
        "Rathaus, Saal 2" in text
        and "Vorher: Di., 14. Mai 2030, 18:30–20:00 Uhr; Brache am Hafen" in text
    )
    assert not mailbox.to("max@example.org")
    (note,) = _notes(team.town)[before:]
    assert (note.user_id, note.kind) == (team.owner.id, "team_meeting")

    # The same event for calendar programs: same UID, higher SEQUENCE, stamped now.
    second = _ics(team.owner_client, meeting)
    uid = f"UID:{meeting.ref}@stadt-a.test"
    assert uid in first and uid in second
    assert "SEQUENCE:1" in second and "DTSTART:20300514T170000Z" in second
    assert "LOCATION:Rathaus\\, Saal 2" in second
    stamp = next(line for line in second.splitlines() if line.startswith("DTSTAMP:"))
    stamped = datetime.strptime(stamp, "DTSTAMP:%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(utcnow() - stamped) < timedelta(minutes=1)

    # A new title only: calendars update, nobody is disturbed.
    assert _edit_meeting(
        team.member_client, meeting, title="Große Pflanzaktion", start="19:00", end="21:00",
        place="Rathaus, Saal 2",
    ).status_code == 302  # fmt: skip
    assert _meeting(team).sequence == 2
    assert len(_notes(team.town)) == before + 1
    # Sending the same again changes nothing.
    assert _edit_meeting(
        team.member_client, meeting, title="Große Pflanzaktion", start="19:00", end="21:00",
        place="Rathaus, Saal 2",
    ).status_code == 302  # fmt: skip
    assert _meeting(team).sequence == 2


def test_people_who_chose_off_hear_nothing_of_a_moved_meeting(team: Team, mailbox: Mailbox) -> None:
    team.owner_client.post(
        "/benachrichtigungen/einstellungen", data={"team_meeting": "off", "mention": "immediately"}
    )
    meeting = _plan(team)
    mailbox.clear()
    assert _edit_meeting(team.member_client, meeting, day="2030-05-21").status_code == 302
    assert not mailbox.messages
    assert _notes(team.town, team.owner.id)[-1].kind == "team_meeting"  # the bell shows it


def test_only_the_planner_or_an_owner_changes_a_meeting(team: Team, mailbox: Mailbox) -> None:
    lena, lena_client = person(team.town, "lena@example.org", "Lena Lindner")
    add_member(team.town, team.project, lena)
    meeting = _plan(team, team.member_client)
    path = f"/projekte/1/teamraum/treffen/{meeting.ref}/bearbeiten"
    page = lena_client.get("/projekte/1/teamraum/treffen").get_data(as_text=True)
    assert path not in page  # another member sees no link ...
    assert lena_client.get(path).status_code == 403  # ... and is refused, like cancelling
    assert _edit_meeting(lena_client, meeting, place="Woanders").status_code == 403
    assert path in team.owner_client.get("/projekte/1/teamraum/treffen").get_data(as_text=True)
    assert _edit_meeting(team.owner_client, meeting, place="Gemeindehaus").status_code == 302
    assert _meeting(team).place == "Gemeindehaus"
    # Outside the team: 404, as for every page of the team space; guests log in first.
    _, stranger = person(team.town, "stranger@example.org")
    _, admin = person(team.town, "admin@example.org", role=Role.ADMIN)
    for client in (stranger, admin):
        assert client.get(path).status_code == 404
        assert _edit_meeting(client, meeting, place="Spion").status_code == 404
    guest = team.town.client().get(path)
    assert guest.status_code == 302 and guest.headers["Location"].startswith("/anmelden")
    assert _meeting(team).place == "Gemeindehaus"


def test_a_meeting_change_with_bad_input_keeps_what_was_typed(team: Team, mailbox: Mailbox) -> None:
    meeting = _plan(team)
    mailbox.clear()
    response = _edit_meeting(
        team.member_client, meeting, title="Neuer Titel", start="20:00", end="19:00",
        video_url="javascript:alert(1)",
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Neuer Titel"' in page and 'value="javascript:alert(1)"' in page
    assert 'class="error-summary"' in page
    response = _edit_meeting(team.member_client, meeting, title="", day="14.05.2030")
    assert response.status_code == 400
    assert 'value="14.05.2030"' in response.get_data(as_text=True)
    unchanged = _meeting(team)
    assert (unchanged.title, unchanged.sequence) == ("Pflanzaktion", 0)
    assert unchanged.starts_at.isoformat() == "2030-05-14T16:30:00+00:00"
    assert not mailbox.messages


# --- board posts ---------------------------------------------------------------------------


def test_the_author_edits_a_post_which_then_shows_edited(team: Team, mailbox: Mailbox) -> None:
    team.member_client.post(
        "/benachrichtigungen/einstellungen",
        data={"team_post": "immediately", "mention": "immediately"},
    )
    _write(team.owner_client)
    item = _post(team)
    board = team.owner_client.get("/projekte/1/teamraum").get_data(as_text=True)
    path = f"/projekte/1/teamraum/beitraege/{item.ref}/bearbeiten"
    assert path in board and shown(team.town.app, "edited") not in board
    form = team.owner_client.get(path)
    assert form.status_code == 200 and "Treffen am Samstag um 10?" in form.get_data(as_text=True)
    mailbox.clear()
    notes = len(_notes(team.town))

    response = _edit_post(team.owner_client, item, "Treffen am Samstag um 11! @Max Member")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#beitrag-{item.ref}")
    edited = _post(team)
    assert edited.body == "Treffen am Samstag um 11! @Max Member" and edited.edited_at is not None
    board = team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert "um 11!" in board and "um 10?" not in board
    assert f"{shown(team.town.app, 'edited')} <time datetime=" in board
    # Nobody is told of an edit, not even of a mention added by it.
    assert not mailbox.messages and len(_notes(team.town)) == notes


def test_only_the_author_edits_a_post(team: Team) -> None:
    _write(team.member_client, "Von Max")
    item = _post(team)
    path = f"/projekte/1/teamraum/beitraege/{item.ref}/bearbeiten"
    # Owners may delete it, but its words stay the author's: 403, as for deleting.
    assert path not in team.owner_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert team.owner_client.get(path).status_code == 403
    assert _edit_post(team.owner_client, item, "Von Olga").status_code == 403
    lena, lena_client = person(team.town, "lena@example.org", "Lena Lindner")
    add_member(team.town, team.project, lena)
    assert _edit_post(lena_client, item, "Von Lena").status_code == 403
    _, stranger = person(team.town, "stranger@example.org")
    _, admin = person(team.town, "admin@example.org", role=Role.ADMIN)
    for client in (stranger, admin):
        assert client.get(path).status_code == 404
        assert _edit_post(client, item, "Spion").status_code == 404
    assert _post(team).body == "Von Max" and _post(team).edited_at is None


def _age(team: Team, item: TeamPost, hours: float) -> None:
    with team.town.context():
        row = db.session.get(TeamPost, item.id)
        row.created_at = utcnow() - timedelta(hours=hours)
        db.session.commit()


def test_posts_can_be_edited_for_24_hours(team: Team) -> None:
    _write(team.member_client, "Alt")
    item = _post(team)
    path = f"/projekte/1/teamraum/beitraege/{item.ref}/bearbeiten"
    _age(team, item, 23.5)
    assert path in team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert _edit_post(team.member_client, item, "Neu").status_code == 302
    _age(team, item, 24.5)
    assert path not in team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    assert team.member_client.get(path).status_code == 403
    # Sent after the window closed (the form was open too long): refused, as typed.
    response = _edit_post(team.member_client, item, "Zu spät geschrieben")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Zu spät geschrieben" in page
    assert shown(team.town.app, "Posts can be changed for 24 hours after writing them.") in page
    assert _post(team).body == "Neu"


def test_posts_sent_or_received_by_mail_cannot_be_edited(team: Team, mailbox: Mailbox) -> None:
    team.member_client.post("/projekte/1/teamraum/mail", data={"subject": "S", "body": "Gemailt"})
    mailed = _post(team)
    with team.town.context():
        db.session.add(
            TeamPost(
                project_id=team.project.id,
                author_id=team.member.id,
                body="Per Mail geantwortet",
                source=PostSource.MAIL_REPLY,
            )
        )
        db.session.commit()
    reply = _post(team)
    board = team.member_client.get("/projekte/1/teamraum").get_data(as_text=True)
    for item in (mailed, reply):
        path = f"/projekte/1/teamraum/beitraege/{item.ref}/bearbeiten"
        assert path not in board
        assert team.member_client.get(path).status_code == 403
        response = _edit_post(team.member_client, item, "Geändert")
        assert response.status_code == 400
        assert shown(
            team.town.app, "This post was sent by mail and cannot be changed any more."
        ) in response.get_data(as_text=True)
    db.session.expire_all()
    with team.town.context():
        assert sorted(db.session.scalars(select(TeamPost.body))) == [
            "Gemailt",
            "Per Mail geantwortet",
        ]


def test_an_empty_edit_is_refused_and_the_post_stays(team: Team) -> None:
    _write(team.member_client, "Bleibt")
    item = _post(team)
    response = _edit_post(team.member_client, item, "   ")
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _post(team).body == "Bleibt" and _post(team).edited_at is None


# --- other towns -------------------------------------------------------------------------


def test_town_b_can_never_see_or_change_a_meeting_or_post_of_town_a(
    team: Team, town_b: Town, mailbox: Mailbox
) -> None:
    meeting = _plan(team, team.owner_client, title="Geheimtreffen")
    _write(team.owner_client, "Geheimer Beitrag")
    item = _post(team)
    # Town B: an admin who owns B's project 1 and plans there, and a member of it with
    # the address of A's member Max.
    bernd, b_admin = person(town_b, "bernd@example.org", "Bernd", role=Role.ADMIN)
    publish(town_b, bernd, "Projekt in B")
    b_max, b_max_client = person(town_b, "max@example.org", "Max in B")
    with town_b.context():
        b_project = find_project(1)
    add_member(town_b, b_project, b_max)
    mailbox.clear()
    tries = {
        "post": dict(body="Übernommen"),
        "meeting": dict(PLAN, title="Übernommen", place="Anderswo", day="2031-01-01"),
    }
    for client in (b_admin, b_max_client):
        for number in ("1", "2"):
            for path, data in (
                (f"/projekte/{number}/teamraum/beitraege/{item.ref}/bearbeiten", tries["post"]),
                (f"/projekte/{number}/teamraum/treffen/{meeting.ref}/bearbeiten", tries["meeting"]),
            ):
                for response in (client.get(path), client.post(path, data=data)):
                    assert response.status_code == 404, (path, response.status_code)
                    assert "Geheim" not in response.get_data(as_text=True)
            assert client.get(
                f"/projekte/{number}/teamraum/treffen/{meeting.ref}.ics"
            ).status_code == 404  # fmt: skip
    # Nothing of A changed, nobody in B was told anything, nobody at all got mail.
    changed = _meeting(team)
    assert (changed.title, changed.place, changed.sequence) == (
        "Geheimtreffen",
        "Brache am Hafen",
        0,
    )
    assert (_post(team).body, _post(team).edited_at) == ("Geheimer Beitrag", None)
    assert _notes(town_b) == []
    assert not mailbox.messages


# --- cost of the pages -------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/projekte/1/teamraum/treffen", "/projekte/1/teamraum"])
def test_the_meetings_and_board_pages_cost_the_same_queries(
    team: Team,
    page: str,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    def add(i: int) -> None:
        other, other_client = person(team.town, f"p{i}@example.org", f"Person {i}")
        add_member(team.town, team.project, other)
        _plan(team, other_client, title=f"Treffen {i}", day=f"2030-06-{i + 1:02d}")
        _write(other_client, f"Post {i}")
        _edit_post(other_client, _post(team), f"Post {i}, geändert")
        _edit_meeting(team.owner_client, _meeting(team), title=f"Treffen {i}",
                      day=f"2030-06-{i + 1:02d}", place="Woanders")  # fmt: skip

    def count() -> int:
        with count_queries() as counter:
            assert team.owner_client.get(page).status_code == 200
        return len(counter)

    add(0)
    few = count()
    for i in range(1, 8):
        add(i)
    assert count() == few
    with team.town.context():
        assert db.session.scalar(select(func.count()).select_from(TeamMeeting)) == 8
        assert db.session.scalar(select(func.count()).where(TeamPost.edited_at.is_not(None))) == 8
