"""Team meetings: a date and time in the town's time zone, a place and/or a video link.

Times are entered and shown in the town's time zone (Europe/Berlin unless
the town says otherwise), stored as UTC, and exported as iCalendar in UTC,
which every calendar program understands without time-zone tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import format_datetime
from flask_babel import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace.models import Project
from projektfabrik.notifications.services import notify, path_for
from projektfabrik.teams.models import TeamMeeting
from projektfabrik.teams.services import TeamError, member_users, membership_of
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url


def town_zone() -> ZoneInfo:
    return ZoneInfo(current_tenant().timezone or "Europe/Berlin")


def local_datetime(day: date, at: time) -> datetime:
    """A date and a wall-clock time in the town, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=town_zone())


@dataclass(frozen=True)
class MeetingInput:
    title: str
    day: date
    start: time
    end: time | None = None
    place: str = ""
    video_url: str = ""
    description: str = ""


def _check_video_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise TeamError(
            _("Please enter a full web address, e.g. https://meet.example.org/our-team."),
            "video_url",
        )
    return url


def create(project: Project, author: User, data: MeetingInput) -> TeamMeeting:
    if membership_of(project, author) is None:
        raise TeamError(_("Only members of the team can plan meetings."))
    title = " ".join(data.title.split())
    if not title:
        raise TeamError(_("Please give the meeting a title."), "title")
    place = " ".join(data.place.split())
    video_url = _check_video_url(data.video_url)
    if not place and not video_url:
        raise TeamError(_("Please give a place, a video link or both."), "place")
    starts_at = local_datetime(data.day, data.start)
    ends_at = None
    if data.end is not None:
        ends_at = local_datetime(data.day, data.end)
        if ends_at <= starts_at:
            raise TeamError(_("The meeting must end after it starts."), "end")
    meeting = TeamMeeting(
        project_id=project.id,
        title=title[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place[:300],
        video_url=video_url[:500],
        description=data.description.strip(),
        created_by_id=author.id,
    )
    db.session.add(meeting)
    db.session.flush()
    notify(
        member_users(project),
        "team_meeting",
        lambda: _(
            "Team meeting of “%(project)s”: %(title)s, %(when)s",
            project=project.title,
            title=meeting.title,
            when=format_datetime(meeting.starts_at, "short"),
        ),
        path_for("teams.meetings_page", number=project.number) + f"#treffen-{meeting.ref}",
        exclude=author,
        details=lambda: "\n".join(p for p in (meeting.place, meeting.video_url) if p),
    )
    return meeting


def meetings(project: Project) -> tuple[list[TeamMeeting], list[TeamMeeting]]:
    """(upcoming soonest first, past latest first)."""
    rows = list(
        db.session.scalars(
            select(TeamMeeting)
            .where(TeamMeeting.project_id == project.id)
            .order_by(TeamMeeting.starts_at, TeamMeeting.id)
        )
    )
    cutoff = utcnow() - timedelta(hours=12)
    upcoming = [m for m in rows if (m.ends_at or m.starts_at) >= cutoff]
    past = [m for m in reversed(rows) if (m.ends_at or m.starts_at) < cutoff]
    return upcoming, past


def by_ref(project: Project, ref: str) -> TeamMeeting | None:
    return db.session.scalar(
        select(TeamMeeting).where(TeamMeeting.project_id == project.id, TeamMeeting.ref == ref)
    )


def delete(project: Project, meeting: TeamMeeting, user: User) -> None:
    member = membership_of(project, user)
    if member is None or (meeting.created_by_id != user.id and not member.is_owner):
        raise TeamError(_("Only the person who planned it or an owner can cancel a meeting."))
    db.session.delete(meeting)


def to_ics(project: Project, meeting: TeamMeeting) -> bytes:
    tenant = current_tenant()
    calendar = Calendar()
    calendar.add("prodid", "-//Projektfabrik//Team meetings//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = CalendarEvent()
    event.add("uid", f"{meeting.ref}@{tenant.canonical_host}")
    event.add("dtstamp", utcnow().replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(ZoneInfo("UTC")))
    end = meeting.ends_at or meeting.starts_at + timedelta(hours=1)
    event.add("dtend", end.astimezone(ZoneInfo("UTC")))
    event.add("summary", f"{meeting.title} ({project.title})")
    if meeting.place or meeting.video_url:
        event.add("location", meeting.place or meeting.video_url)
    page = public_url(tenant, path_for("teams.meetings_page", number=project.number))
    event.add("url", meeting.video_url or page)
    description = "\n\n".join(
        part for part in (meeting.description, meeting.video_url, page) if part
    )
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()
