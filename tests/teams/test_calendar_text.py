"""iCalendar files keep their shape whatever people type (#20)."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.teams.models import TeamMeeting
from projektfabrik.xmlout import xml_text

from .teamkit import Team


def test_calendar_files_keep_their_shape_with_any_text(team: Team) -> None:
    team.member_client.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Treffen", "day": "2030-05-14", "start": "18:30", "place": "Rathaus"},
    )
    evil = "Treffen\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Falsch; a,b \\ \x01\x07"
    with team.town.context():
        meeting = db.session.scalar(select(TeamMeeting))
        meeting.title = evil
        meeting.place = "Hof\x0b; Tor 2"
        db.session.commit()
        ref = meeting.ref
    data = team.owner_client.get(f"/projekte/1/teamraum/treffen/{ref}.ics").data
    assert b"\x01" not in data and b"\x07" not in data and b"\x0b" not in data
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]).startswith(xml_text(evil).replace("\r\n", "\n"))
    assert str(events[0]["LOCATION"]) == "Hof; Tor 2"
