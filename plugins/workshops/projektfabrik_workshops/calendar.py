"""ICS for one workshop and the town's feed. Nothing personal in them: no names,
no addresses, no registrations; only what the public page shows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from projektfabrik.api import current_tenant, external_url_for, format_period, utcnow
from projektfabrik_workshops.models import Workshop, WorkshopState

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    # iCalendar forbids control characters in text (icalendar escapes the rest).
    return _CONTROL.sub("", value)


def feed(workshops: Iterable[Workshop]) -> bytes:
    """A calendar of the given workshops (drafts are never in it). The same UID
    and a higher SEQUENCE on every change: a calendar updates the event it has."""
    # Imported here: icalendar takes 3 MB a worker need not hold for a rare download.
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    tenant = current_tenant()
    cal = Calendar()
    cal.add("prodid", "-//Projektfabrik//Projektwerkstatt//DE")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _text(f"Projektwerkstatt {tenant.name}"))
    utc = ZoneInfo("UTC")
    for workshop in workshops:
        if workshop.state == WorkshopState.DRAFT:
            continue
        event = CalendarEvent()
        event.add("uid", f"werkstatt-{workshop.ref}@{tenant.canonical_host}")
        event.add("dtstamp", utcnow().replace(microsecond=0))
        event.add("sequence", workshop.sequence)
        event.add("dtstart", workshop.starts_at.astimezone(utc))
        event.add("dtend", workshop.ends_at.astimezone(utc))
        event.add("summary", _text(workshop.title))
        if workshop.state == WorkshopState.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        # The video link is for people with a seat (their mails), not for the public feed.
        event.add("location", _text(workshop.place or "Online"))
        page = external_url_for("workshops.workshop", ref=workshop.ref)
        event.add("url", page)
        when = format_period(workshop.starts_at, workshop.ends_at)
        description = "\n\n".join(part for part in (when, workshop.description, page) if part)
        event.add("description", _text(description))
        cal.add_component(event)
    return cal.to_ical()
