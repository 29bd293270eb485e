"""Team meetings: a date and time in the town's time zone, a place and/or a video link.

Times are entered and shown in the town's time zone (Europe/Berlin unless
the town says otherwise), stored as UTC, and exported as iCalendar in UTC,
which every calendar program understands without time-zone tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.formatting import format_period
from projektfabrik.formatting import town_zone as formatting_zone
from projektfabrik.notifications.services import notify, path_for
from projektfabrik.projects import access
from projektfabrik.projects.models import Project
from projektfabrik.teams.models import TeamMeeting
from projektfabrik.teams.services import TeamError
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url
from projektfabrik.xmlout import xml_text


def town_zone() -> ZoneInfo:
    current_tenant()  # a meeting always belongs to a town: refuse without one
    return formatting_zone()


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


@dataclass(frozen=True)
class _Checked:
    """A meeting's input, cleaned and checked: what is stored."""

    title: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    video_url: str
    description: str


def _check(data: MeetingInput) -> _Checked:
    """The same rules when a meeting is planned and when it is changed."""
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
    return _Checked(
        title=title[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place[:300],
        video_url=video_url[:500],
        description=data.description.strip(),
    )


def _tell_team(
    project: Project,
    meeting: TeamMeeting,
    author: User,
    before: tuple[datetime, datetime | None, str, str] | None = None,
    *,
    cancelled: bool = False,
) -> None:
    """Tell the other members (kind ``team_meeting``, as each chose) where and when.

    ``before``: the earlier time, place and video link of a moved meeting;
    like the rest, formatted in each recipient's language. A cancelled
    meeting is told with the time and place it had.
    """

    def text() -> str:
        values = {
            "project": project.title,
            "title": meeting.title,
            "when": format_period(meeting.starts_at, meeting.ends_at),
        }
        if cancelled:
            return _("Meeting of “%(project)s” cancelled: %(title)s, %(when)s", **values)
        if before is None:
            return _("Team meeting of “%(project)s”: %(title)s, %(when)s", **values)
        return _("Meeting of “%(project)s” moved or changed: %(title)s, %(when)s", **values)

    def details() -> str:
        if cancelled:
            planned = _summary(meeting.starts_at, meeting.ends_at, meeting.place, meeting.video_url)
            return _("It was planned for: %(before)s", before=planned)
        lines = [p for p in (meeting.place, meeting.video_url) if p]
        if before is not None:
            lines.append(_("Before: %(before)s", before=_summary(*before)))
        return "\n".join(lines)

    page = path_for("teams.meetings_page", number=project.number)
    notify(
        access.team(project),
        "team_meeting",
        text,
        # A cancelled meeting is gone from the page: no anchor to land on.
        page if cancelled else page + f"#treffen-{meeting.ref}",
        exclude=author,
        details=details,
    )


def create(project: Project, author: User, data: MeetingInput) -> TeamMeeting:
    if access.membership(project, author) is None:
        raise TeamError(_("Only members of the team can plan meetings."))
    checked = _check(data)
    meeting = TeamMeeting(project_id=project.id, created_by_id=author.id, **asdict(checked))
    db.session.add(meeting)
    db.session.flush()
    _tell_team(project, meeting, author)
    return meeting


def input_of(meeting: TeamMeeting) -> MeetingInput:
    """A stored meeting as the form shows it: date and times in the town."""
    zone = town_zone()
    starts = meeting.starts_at.astimezone(zone)
    return MeetingInput(
        title=meeting.title,
        day=starts.date(),
        start=starts.time(),
        end=meeting.ends_at.astimezone(zone).time() if meeting.ends_at else None,
        place=meeting.place,
        video_url=meeting.video_url,
        description=meeting.description,
    )


def _summary(starts_at: datetime, ends_at: datetime | None, place: str, video_url: str) -> str:
    return "; ".join(p for p in (format_period(starts_at, ends_at), place, video_url) if p)


def may_change(project: Project, meeting: TeamMeeting, user: User) -> bool:
    """The person who planned it or an owner (as for cancelling it)."""
    return access.may_change(access.membership(project, user), meeting.created_by_id)


def update(project: Project, meeting: TeamMeeting, user: User, data: MeetingInput) -> bool:
    """Change a meeting; True when something changed.

    Every change raises the iCalendar SEQUENCE. When the time or the place
    changes, the other members are told, with where and when it was before.
    """
    if not may_change(project, meeting, user):
        raise TeamError(_("Only the person who planned it or an owner can change a meeting."))
    checked = asdict(_check(data))
    if all(getattr(meeting, name) == value for name, value in checked.items()):
        return False
    where_and_when = ("starts_at", "ends_at", "place", "video_url")
    moved = any(getattr(meeting, name) != checked[name] for name in where_and_when)
    before = (meeting.starts_at, meeting.ends_at, meeting.place, meeting.video_url)
    for name, value in checked.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    if moved:
        _tell_team(project, meeting, user, before=before)
    return True


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


def cancel(project: Project, meeting: TeamMeeting, user: User) -> None:
    """Cancel (delete) a meeting and tell the other members, with when and where it was."""
    if not may_change(project, meeting, user):
        raise TeamError(_("Only the person who planned it or an owner can cancel a meeting."))
    # Told before the row goes: the texts are made now, in each person's language.
    _tell_team(project, meeting, user, cancelled=True)
    db.session.delete(meeting)


def to_ics(project: Project, meeting: TeamMeeting) -> bytes:
    # Imported here: icalendar takes 3 MB a worker need not hold for a rare download.
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    tenant = current_tenant()
    calendar = Calendar()
    calendar.add("prodid", "-//Projektfabrik//Team meetings//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = CalendarEvent()
    event.add("uid", f"{meeting.ref}@{tenant.canonical_host}")
    event.add("dtstamp", utcnow().replace(microsecond=0))
    # Same UID, higher SEQUENCE: a calendar updates the event it imported before.
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(ZoneInfo("UTC")))
    end = meeting.ends_at or meeting.starts_at + timedelta(hours=1)
    event.add("dtend", end.astimezone(ZoneInfo("UTC")))
    # iCalendar forbids control characters in text (icalendar escapes the rest).
    event.add("summary", xml_text(f"{meeting.title} ({project.title})"))
    if meeting.place or meeting.video_url:
        event.add("location", xml_text(meeting.place or meeting.video_url))
    page = public_url(tenant, path_for("teams.meetings_page", number=project.number))
    event.add("url", meeting.video_url or page)
    # The time in words too, in the reader's language and the town's clock: some
    # calendar programs show only the description when an invitation is forwarded.
    when = format_period(meeting.starts_at, meeting.ends_at)
    description = "\n\n".join(
        part for part in (when, meeting.description, meeting.video_url, page) if part
    )
    event.add("description", xml_text(description))
    calendar.add_component(event)
    return calendar.to_ical()
