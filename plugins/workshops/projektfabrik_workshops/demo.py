"""The demo's workshops: one coming up with 10 seats and three registrations,
one past with its board and published protocol. Safe to run again."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from projektfabrik.api import Role, User, db, local_date, town_zone, utcnow
from projektfabrik_workshops import services
from projektfabrik_workshops.models import (
    Attendance,
    CaptureItem,
    ItemKind,
    Registration,
    RegState,
    Workshop,
    WorkshopState,
)

UPCOMING = "Projektwerkstatt im Rathaus"
PAST = "Projektwerkstatt: Ideen für den Sommer"


def _at(days: int, clock: time) -> datetime:
    today = local_date(utcnow()) or utcnow().date()
    return datetime.combine(today + timedelta(days=days), clock, tzinfo=town_zone())


def seed() -> None:
    titles = set(db.session.scalars(select(Workshop.title)))
    people = list(
        db.session.scalars(select(User).where(User.deleted_at.is_(None)).order_by(User.id))
    )
    admin = next((p for p in people if p.role == Role.ADMIN), None)
    citizens = [p for p in people if p.role == Role.MEMBER]
    if UPCOMING not in titles:
        upcoming = Workshop(
            title=UPCOMING,
            description=(
                "Sie haben eine Idee für Ihren Ort? In der Projektwerkstatt finden Sie "
                "Mitstreiterinnen und Mitstreiter und planen Schritt für Schritt."
            ),
            starts_at=_at(14, time(17)),
            ends_at=_at(14, time(20)),
            place="Rathaus, Markt 1, Ratssaal (1. Stock)",
            accessibility="Stufenloser Zugang über den Hof, Aufzug\nInduktionsschleife",
            online_url="https://meet.example.org/projektwerkstatt",
            capacity=10,
            topics="Ideen vorstellen\nTeams finden\nArbeitsplan",
            state=WorkshopState.PUBLISHED,
            moderator_id=admin.id if admin else None,
        )
        db.session.add(upcoming)
        db.session.flush()
        for person in citizens[:3]:
            db.session.add(
                Registration(
                    workshop_id=upcoming.id,
                    user_id=person.id,
                    name=person.display_name or "",
                    email=person.email,
                    attendance=Attendance.ONSITE,
                    state=RegState.CONFIRMED,
                    queued_at=utcnow(),
                )
            )
    if PAST not in titles:
        past = Workshop(
            title=PAST,
            description="Die Werkstatt im letzten Monat.",
            starts_at=_at(-30, time(17)),
            ends_at=_at(-30, time(20)),
            place="Rathaus, Markt 1, Ratssaal (1. Stock)",
            capacity=12,
            state=WorkshopState.PUBLISHED,
            moderator_id=admin.id if admin else None,
        )
        db.session.add(past)
        db.session.flush()
        for person in citizens[:5]:
            db.session.add(
                Registration(
                    workshop_id=past.id,
                    user_id=person.id,
                    name=person.display_name or "",
                    email=person.email,
                    attendance=Attendance.ONSITE,
                    state=RegState.CONFIRMED,
                    queued_at=utcnow(),
                    checked_in_at=past.starts_at,
                )
            )
        for kind, text, owner in [
            (ItemKind.IDEA, "Ein Repair-Café im Jugendhaus", ""),
            (ItemKind.AGREEMENT, "Wir treffen uns jeden ersten Dienstag", ""),
            (ItemKind.TASK, "Raum im Jugendhaus anfragen", "Lena"),
            (ItemKind.QUESTION, "Wer kann Werkzeug leihen?", ""),
        ]:
            db.session.add(CaptureItem(workshop_id=past.id, kind=kind, text=text, owner=owner))
        db.session.flush()
        past.protocol = services.protocol_draft(past)
        past.protocol_published_at = past.ends_at
