"""What the workshop pages do, testable without a request; nothing here commits.

Capacity: every change of who holds a seat (registering, confirming an
address, cancelling, raising the capacity) first locks the workshop's row
(``SELECT … FOR UPDATE``, see :func:`lock`), then counts. So two workers that
register at the same moment take turns, and there are never more confirmed
registrations than seats.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from flask import current_app
from flask_babel import force_locale, get_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update

from projektfabrik.api import (
    Refusal,
    User,
    _,
    can,
    current_tenant,
    db,
    external_url_for,
    format_period,
    ngettext,
    queue_mail,
    town_zone,
    utcnow,
)
from projektfabrik_workshops.models import (
    Attendance,
    CaptureItem,
    ItemKind,
    ProjectDraft,
    Registration,
    RegState,
    Workshop,
    WorkshopState,
)

#: How many dates one series may create at once.
MAX_SERIES = 12
#: Where and when: a change of any of these is told to everyone registered.
WHERE_AND_WHEN = ("starts_at", "ends_at", "place", "online_url")


class WorkshopError(Refusal):
    """A workshop action was refused; the message is in the person's language."""


# --- finding ----------------------------------------------------------------------


def find(ref: str) -> Workshop | None:
    return db.session.scalar(select(Workshop).where(Workshop.ref == ref))


def lock(workshop_id: int) -> Workshop:
    """The workshop's row, locked until the transaction ends (``SELECT … FOR UPDATE``).

    On SQLite the clause is dropped; the database has one writer at a time, and
    the UPDATE below makes this transaction that writer before it counts.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop_id)
            .values(capacity=Workshop.capacity)
            .execution_options(synchronize_session=False)
        )
    found = db.session.scalar(
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


def may_manage(user: object) -> bool:
    """Town admins and the people they made moderators (permission ``workshops.manage``)."""
    return bool(getattr(user, "is_authenticated", False)) and can("workshops.manage")


def may_moderate(workshop: Workshop, user: object) -> bool:
    """Those who plan workshops, and the workshop's own moderator."""
    if not getattr(user, "is_authenticated", False):
        return False
    return may_manage(user) or workshop.moderator_id == getattr(user, "id", None)


def listed(manager: bool = False) -> tuple[list[Workshop], list[Workshop]]:
    """(upcoming soonest first, past latest first); drafts only for those who plan."""
    query = select(Workshop).order_by(Workshop.starts_at, Workshop.id)
    if not manager:
        query = query.where(Workshop.state != WorkshopState.DRAFT)
    rows = list(db.session.scalars(query))
    now = utcnow()
    upcoming = [w for w in rows if w.ends_at >= now]
    past = [w for w in reversed(rows) if w.ends_at < now]
    return upcoming, past


def is_visible(workshop: Workshop, user: object) -> bool:
    return workshop.state != WorkshopState.DRAFT or may_moderate(workshop, user)


# --- seats ---------------------------------------------------------------------------


def confirmed_count(workshop: Workshop) -> int:
    return int(
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.workshop_id == workshop.id,
                Registration.state == RegState.CONFIRMED,
            )
        )
        or 0
    )


def waiting_count(workshop: Workshop) -> int:
    return int(
        db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.workshop_id == workshop.id,
                Registration.state == RegState.WAITING,
            )
        )
        or 0
    )


def free_seats(workshop: Workshop) -> int:
    return max(0, workshop.capacity - confirmed_count(workshop))


def waiting_list(workshop: Workshop) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.workshop_id == workshop.id, Registration.state == RegState.WAITING)
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting; ``None`` when the person is not waiting."""
    if registration.state != RegState.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.workshop_id == registration.workshop_id,
            Registration.state == RegState.WAITING,
            (Registration.queued_at < registration.queued_at)
            | (
                (Registration.queued_at == registration.queued_at)
                & (Registration.id < registration.id)
            ),
        )
    )
    return int(ahead or 0) + 1


def registrations(workshop: Workshop) -> list[Registration]:
    """Everyone still registered (seat, waiting, unconfirmed), in the order they came."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                Registration.workshop_id == workshop.id,
                Registration.state != RegState.CANCELLED,
            )
            .order_by(Registration.queued_at, Registration.id)
        )
    )


def registration_of(workshop: Workshop, user: object) -> Registration | None:
    """The person's active registration for the workshop (by account or address)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.state != RegState.CANCELLED,
            (Registration.user_id == getattr(user, "id", None))
            | (func.lower(Registration.email) == str(getattr(user, "email", "")).lower()),
        )
        .order_by(Registration.id)
    )


# --- tokens --------------------------------------------------------------------------

TOKEN_SALT = "pf-workshops-registration"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def token_for(registration: Registration) -> str:
    """The secret in a person's links (confirm, cancel): signed, bound to the town
    and the registration; the same in every mail, so every mail's link works."""
    return _serializer().dumps({"t": current_tenant().id, "r": registration.ref})


def town_ref_from_token(serializer: Any, token: str, key: str) -> str | None:
    """The ref a signed link carries under ``key``, if it was made for the current
    town: a link made for another town, a forged or an overlong one gives ``None``."""
    if not token or len(token) > 200:
        return None
    try:
        payload = serializer.loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("t") != current_tenant().id:
        return None
    ref = payload.get(key)
    return ref if isinstance(ref, str) else None


def by_token(token: str) -> Registration | None:
    """The registration a link belongs to, in the current town only: a link made
    for another town, or a forged one, finds nothing."""
    ref = town_ref_from_token(_serializer(), token, "r")
    if ref is None:
        return None
    return db.session.scalar(select(Registration).where(Registration.ref == ref))


# --- planning --------------------------------------------------------------------------


@dataclass(frozen=True)
class Details:
    """What the planning form says about one workshop date."""

    title: str
    description: str
    day: date
    start: time
    end: time
    place: str
    accessibility: str
    online_url: str
    capacity: int
    deadline_days: int | None
    topics: str
    invited_projects: list[str]
    moderator: User | None


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=town_zone())


def series_days(first: date, repeat: str, count: int) -> list[date]:
    """The dates of a series: ``weekly``, ``monthly_weekday`` ("every first
    Tuesday": the same weekday in the same week of the month) or ``none``."""
    count = max(1, min(count, MAX_SERIES))
    if repeat == "weekly":
        return [d.date() for d in rrule(WEEKLY, dtstart=first, count=count)]
    if repeat == "monthly_weekday":
        week = (first.day - 1) // 7 + 1
        weekday = first.weekday()
        from dateutil.rrule import weekday as rr_weekday

        # The fifth weekday of a month does not always exist: the last one is taken then.
        nth = week if week < 5 else -1
        rule = rrule(MONTHLY, dtstart=first, count=count, byweekday=rr_weekday(weekday)(nth))
        return [d.date() for d in rule]
    return [first]


def _check(details: Details) -> None:
    if not details.place and not details.online_url:
        raise WorkshopError(_("Please give a place, an online link or both."), field="place")
    if details.online_url and not details.online_url.startswith(("https://", "http://")):
        raise WorkshopError(_("The online link must begin with https://."), field="online_url")
    if details.end <= details.start:
        raise WorkshopError(_("The workshop must end after it begins."), field="end")


def _apply(workshop: Workshop, details: Details, day: date) -> None:
    workshop.title = details.title
    workshop.description = details.description
    workshop.starts_at = _at(day, details.start)
    workshop.ends_at = _at(day, details.end)
    workshop.place = details.place
    workshop.accessibility = details.accessibility
    workshop.online_url = details.online_url
    workshop.capacity = details.capacity
    workshop.registration_deadline = (
        workshop.starts_at - timedelta(days=details.deadline_days)
        if details.deadline_days is not None
        else None
    )
    workshop.topics = details.topics
    workshop.invited_projects = details.invited_projects
    workshop.moderator_id = details.moderator.id if details.moderator else None


def create(details: Details, repeat: str = "none", count: int = 1) -> list[Workshop]:
    """One workshop, or a series of them sharing a ``series_ref``; drafts until published."""
    _check(details)
    days = series_days(details.day, repeat, count)
    series = secrets.token_hex(6) if len(days) > 1 else None
    made = []
    for day in days:
        workshop = Workshop(series_ref=series, state=WorkshopState.DRAFT)
        _apply(workshop, details, day)
        db.session.add(workshop)
        made.append(workshop)
    db.session.flush()
    return made


def change(workshop: Workshop, details: Details, by: User) -> bool:
    """Save the form; tell everyone registered what changed when time or place did.
    Returns whether where or when changed."""
    if workshop.state == WorkshopState.CANCELLED:
        raise WorkshopError(_("A cancelled workshop cannot be changed."))
    _check(details)
    workshop = lock(workshop.id)
    before = {name: getattr(workshop, name) for name in WHERE_AND_WHEN}
    if details.capacity < confirmed_count(workshop):
        raise WorkshopError(
            ngettext(
                "%(num)d person has a seat already; the capacity cannot be lower.",
                "%(num)d people have a seat already; the capacity cannot be lower.",
                confirmed_count(workshop),
            ),
            field="capacity",
        )
    _apply(workshop, details, details.day)
    moved = any(getattr(workshop, name) != before[name] for name in WHERE_AND_WHEN)
    if moved:
        workshop.sequence += 1
        if workshop.state == WorkshopState.PUBLISHED:
            _mail_all(workshop, "changed", before=before)
    _fill_seats(workshop)
    return moved


def publish(workshop: Workshop) -> None:
    if workshop.state != WorkshopState.DRAFT:
        raise WorkshopError(_("Only a draft can be published."))
    workshop.state = WorkshopState.PUBLISHED


def cancel(workshop: Workshop) -> int:
    """Cancel the workshop; everyone registered is told. Returns how many were told."""
    if workshop.state == WorkshopState.CANCELLED:
        raise WorkshopError(_("The workshop is cancelled already."))
    workshop = lock(workshop.id)
    workshop.state = WorkshopState.CANCELLED
    workshop.sequence += 1
    return _mail_all(workshop, "cancelled")


# --- registering ----------------------------------------------------------------------


def is_open(workshop: Workshop, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if workshop.state != WorkshopState.PUBLISHED or workshop.starts_at <= now:
        return False
    return workshop.registration_deadline is None or now <= workshop.registration_deadline


def register(
    workshop: Workshop,
    *,
    user: User | None,
    name: str,
    email: str,
    attendance: Attendance,
    needs: str = "",
    named_in_protocol: bool = False,
) -> Registration:
    """Register a person. With an account the seat (or waiting place) is given at
    once; without one the address must be confirmed first (a mail with a link)."""
    if not is_open(workshop):
        raise WorkshopError(_("Registration for this workshop is closed."))
    if attendance == Attendance.ONLINE and not workshop.online_url:
        raise WorkshopError(_("This workshop takes place on site only."), field="attendance")
    if attendance == Attendance.ONSITE and not workshop.place:
        raise WorkshopError(_("This workshop takes place online only."), field="attendance")
    email = email.strip()
    workshop = lock(workshop.id)
    taken = db.session.scalar(
        select(Registration.id).where(
            Registration.workshop_id == workshop.id,
            Registration.state != RegState.CANCELLED,
            (func.lower(Registration.email) == email.lower())
            | ((Registration.user_id == user.id) if user is not None else False),
        )
    )
    if taken is not None:
        raise WorkshopError(
            _("This address is registered for the workshop already."), field="email"
        )
    registration = Registration(
        workshop_id=workshop.id,
        user_id=user.id if user is not None else None,
        name=name.strip() or (user.display_name if user is not None else ""),
        email=email,
        locale=str(get_locale() or "de"),
        attendance=attendance,
        needs=needs.strip(),
        named_in_protocol=named_in_protocol,
        state=RegState.UNCONFIRMED,
        queued_at=utcnow(),
    )
    db.session.add(registration)
    db.session.flush()
    secret = token_for(registration)
    if user is None:
        _mail(registration, "confirm", secret=secret)
    else:
        _seat(workshop, registration, secret)
    return registration


def confirm(registration: Registration) -> None:
    """The address is confirmed (the link in the mail): give a seat or a waiting place."""
    if registration.state != RegState.UNCONFIRMED:
        return
    workshop = lock(registration.workshop_id)
    if workshop.state == WorkshopState.CANCELLED:
        raise WorkshopError(_("The workshop has been cancelled."))
    registration.queued_at = utcnow()
    _seat(workshop, registration, token_for(registration))


def _seat(workshop: Workshop, registration: Registration, secret: str) -> None:
    """Under the workshop's lock: a seat while there is one, else the waiting list."""
    if confirmed_count(workshop) < workshop.capacity:
        registration.state = RegState.CONFIRMED
        db.session.flush()
        _mail(registration, "confirmed", secret=secret)
    else:
        registration.state = RegState.WAITING
        db.session.flush()
        _mail(registration, "waiting", secret=secret)


def withdraw(registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first person waiting, who is
    told. Returns that person's registration, if any."""
    if registration.state == RegState.CANCELLED:
        return None
    workshop = lock(registration.workshop_id)
    had_seat = registration.state == RegState.CONFIRMED
    registration.state = RegState.CANCELLED
    db.session.flush()
    if not had_seat or workshop.state != WorkshopState.PUBLISHED:
        return None
    promoted = _fill_seats(workshop)
    return promoted[0] if promoted else None


def _fill_seats(workshop: Workshop) -> list[Registration]:
    """Under the workshop's lock: give free seats to the waiting list, in order."""
    promoted = []
    free = workshop.capacity - confirmed_count(workshop)
    for registration in waiting_list(workshop)[: max(0, free)]:
        registration.state = RegState.CONFIRMED
        promoted.append(registration)
        _mail(registration, "promoted", secret=token_for(registration))
    db.session.flush()
    return promoted


# --- check-in ----------------------------------------------------------------------------


def check_in(registration: Registration, present: bool) -> None:
    registration.checked_in_at = utcnow() if present else None


# --- reminders ---------------------------------------------------------------------------


def remind(now: datetime | None = None) -> int:
    """Mail everyone with a seat of a workshop that begins within the next day,
    once: ``reminded_at`` is set in the same transaction as the mail is queued."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Registration)
        .join(Workshop, Registration.workshop_id == Workshop.id)
        .where(
            Workshop.state == WorkshopState.PUBLISHED,
            Workshop.starts_at > now,
            Workshop.starts_at <= now + timedelta(days=1),
            Registration.state == RegState.CONFIRMED,
            Registration.reminded_at.is_(None),
        )
        .order_by(Registration.id)
    )
    count = 0
    for registration in due:
        registration.reminded_at = now
        _mail(registration, "reminder", secret=token_for(registration))
        count += 1
    return count


# --- the board -------------------------------------------------------------------------------


def items(workshop: Workshop) -> list[CaptureItem]:
    return list(
        db.session.scalars(
            select(CaptureItem)
            .where(CaptureItem.workshop_id == workshop.id)
            .order_by(CaptureItem.created_at, CaptureItem.id)
        )
    )


def capture(
    workshop: Workshop,
    kind: ItemKind,
    text: str,
    by: User | None,
    owner: str = "",
    project_ref: str = "",
) -> CaptureItem:
    text = text.strip()
    if not text:
        raise WorkshopError(_("Please write something."), field="text")
    item = CaptureItem(
        workshop_id=workshop.id,
        kind=kind,
        text=text,
        owner=owner.strip(),
        project_ref=project_ref.strip(),
        author_id=by.id if by is not None else None,
    )
    db.session.add(item)
    db.session.flush()
    return item


def may_post_to_board(workshop: Workshop, user: object) -> bool:
    """The moderators, and people with a seat (participants online add notes)."""
    if may_moderate(workshop, user):
        return True
    registration = registration_of(workshop, user)
    return registration is not None and registration.state == RegState.CONFIRMED


# --- the protocol ------------------------------------------------------------------------------


def protocol_draft(workshop: Workshop) -> str:
    """A results protocol (Markdown) from the capture, in the reader's language;
    participants in numbers, named only when they agreed."""
    people = [r for r in registrations(workshop) if r.state == RegState.CONFIRMED]
    present = [r for r in people if r.checked_in_at is not None] or people
    when = format_period(workshop.starts_at, workshop.ends_at)
    head = ["**" + _("When") + ":** " + when]
    if workshop.place:
        head.append("**" + _("Place") + ":** " + workshop.place)
    count = ngettext("%(num)d person", "%(num)d people", len(present))
    head.append("**" + _("Participants") + ":** " + count)
    named = [r.name for r in present if r.named_in_protocol and r.name]
    if named:
        head.append("**" + _("Named with their consent") + ":** " + ", ".join(named))
    lines = ["\n\n".join(head)]
    captured = items(workshop)
    sections = [
        (ItemKind.AGREEMENT, _("Decisions")),
        (ItemKind.IDEA, _("Ideas")),
        (ItemKind.TASK, _("Tasks")),
        (ItemKind.QUESTION, _("Open questions")),
    ]
    for kind, heading in sections:
        chosen = [i for i in captured if i.kind == kind]
        if not chosen:
            continue
        lines += ["", f"### {heading}", ""]
        for item in chosen:
            line = "- " + item.text
            if item.owner:
                line += " (" + _("takes it on: %(name)s", name=item.owner) + ")"
            if item.project_ref:
                line += " (" + _("project no. %(ref)s", ref=item.project_ref) + ")"
            lines.append(line)
    return "\n".join(lines) + "\n"


def publish_protocol(workshop: Workshop, text: str) -> int:
    """Publish the protocol on the workshop's page and mail it to everyone who had a
    seat. Returns how many were mailed."""
    if not text.strip():
        raise WorkshopError(_("The protocol is empty."), field="text")
    workshop.protocol = text
    first = workshop.protocol_published_at is None
    workshop.protocol_published_at = utcnow()
    if not first:
        return 0
    count = 0
    for registration in registrations(workshop):
        if registration.state == RegState.CONFIRMED:
            _mail(registration, "protocol", secret=token_for(registration))
            count += 1
    return count


def workshops_of_project(project_ref: str) -> list[Workshop]:
    """Published workshops that invited the project or named it on the board (two
    queries, whatever the number of workshops)."""
    on_board = set(
        db.session.scalars(
            select(CaptureItem.workshop_id).where(CaptureItem.project_ref == project_ref)
        )
    )
    rows = db.session.scalars(
        select(Workshop)
        .where(Workshop.state == WorkshopState.PUBLISHED)
        .order_by(Workshop.starts_at.desc())
    )
    return [w for w in rows if w.id in on_board or project_ref in (w.invited_projects or [])]


# --- mails ----------------------------------------------------------------------------------


def _links(registration: Registration, secret: str) -> dict[str, str]:
    workshop = registration.workshop
    return {
        "page": external_url_for("workshops.workshop", ref=workshop.ref),
        "manage": external_url_for("workshops.manage", token=secret),
        "ics": external_url_for("workshops.workshop_ics", ref=workshop.ref),
    }


def _where(workshop: Workshop) -> str:
    parts = []
    if workshop.place:
        parts.append(workshop.place)
    if workshop.online_url:
        parts.append(_("Online: %(url)s", url=workshop.online_url))
    return "\n".join(parts)


def _mail(registration: Registration, what: str, secret: str, **extra: object) -> None:
    """One mail to one person, in the language they registered in, with the link
    that confirms or cancels their registration."""
    workshop = registration.workshop
    links = _links(registration, secret)
    with force_locale(registration.locale or "de"):
        when = format_period(workshop.starts_at, workshop.ends_at)
        head = f"{workshop.title}\n{when}\n{_where(workshop)}"
        cancel = _("Cannot come? Cancel with one click: %(url)s", url=links["manage"])
        if what == "confirm":
            subject = _("Please confirm your registration: %(title)s", title=workshop.title)
            body = _(
                "Please confirm your address to complete your registration:\n%(url)s\n\n"
                "If you did not register, ignore this mail.",
                url=links["manage"],
            )
            cancel = ""
        elif what == "confirmed":
            subject = _("You are registered: %(title)s", title=workshop.title)
            body = _("You have a seat. Add the date to your calendar: %(ics)s", ics=links["ics"])
            if registration.user_id is None:
                body += "\n\n" + _(
                    "With an account you can follow projects and plan your own: %(url)s",
                    url=external_url_for("accounts.register"),
                )
        elif what == "waiting":
            position = waiting_position(registration) or 1
            subject = _("On the waiting list: %(title)s", title=workshop.title)
            body = _(
                "The workshop is full. You are number %(num)d on the waiting list; "
                "we will write to you when a seat becomes free.",
                num=position,
            )
        elif what == "promoted":
            subject = _("A seat for you: %(title)s", title=workshop.title)
            body = _(
                "A seat has become free and it is yours. Add the date to your calendar: %(ics)s",
                ics=links["ics"],
            )
        elif what == "reminder":
            subject = _("Tomorrow: %(title)s", title=workshop.title)
            body = _("A reminder: the workshop is tomorrow.")
        elif what == "changed":
            before: dict[str, object] = extra.get("before", {})  # type: ignore[assignment]
            subject = _("Changed: %(title)s", title=workshop.title)
            old_when = format_period(before["starts_at"], before["ends_at"])  # type: ignore[arg-type]
            body = _(
                "The workshop has changed. Before: %(old)s. Now: see above. "
                "Your calendar updates from this file: %(ics)s",
                old=old_when,
                ics=links["ics"],
            )
        elif what == "cancelled":
            subject = _("Cancelled: %(title)s", title=workshop.title)
            body = _("We are sorry: the workshop is cancelled.")
            cancel = ""
        elif what == "protocol":
            subject = _("Protocol: %(title)s", title=workshop.title)
            body = (
                _(
                    "Thank you for taking part. The protocol is on the workshop's page: %(url)s",
                    url=links["page"],
                )
                + "\n\n"
                + workshop.protocol
            )
            cancel = ""
        else:  # pragma: no cover - a programming error
            raise ValueError(what)
        parts = [head, body, cancel, links["page"]]
        queue_mail(registration.email, subject, "\n\n".join(p for p in parts if p))


def _mail_all(workshop: Workshop, what: str, **extra: object) -> int:
    count = 0
    for registration in registrations(workshop):
        if registration.state in (RegState.CONFIRMED, RegState.WAITING):
            _mail(registration, what, secret=token_for(registration), **extra)
            count += 1
    return count


def series_of(workshop: Workshop) -> list[Workshop]:
    if not workshop.series_ref:
        return [workshop]
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.series_ref == workshop.series_ref)
            .order_by(Workshop.starts_at)
        )
    )


# --- deleting an account ---------------------------------------------------------------------


def registrations_of_person(user: User) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(
                (Registration.user_id == user.id)
                | (func.lower(Registration.email) == user.email.lower())
            )
            .order_by(Registration.id)
        )
    )


def forget_person(user: User) -> None:
    """The account goes: upcoming seats are given up (the next person waiting gets
    them), and every registration loses the name, address and needs. The count of
    participants in protocols stays right; nothing names the person any more."""
    now = utcnow()
    for registration in registrations_of_person(user):
        if registration.workshop.ends_at >= now:
            withdraw(registration)
        registration.user_id = None
        registration.name = ""
        registration.email = ""
        registration.needs = ""
        registration.named_in_protocol = False
    for draft in db.session.scalars(
        select(ProjectDraft).where(func.lower(ProjectDraft.email) == user.email.lower())
    ):
        draft.email = ""  # an offer not taken up yet is dead; a made project stays
