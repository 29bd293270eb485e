"""Workshops, registrations and what the room captures.

Every table is tenant-scoped; URLs use a random ``ref`` per row (never a row
id); times are stored in UTC and shown on the town's clock.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.api import Model, TenantScoped, User, UTCDateTime, ref_column, utcnow
from projektfabrik.api import enum_type as _enum


class WorkshopState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Attendance(enum.StrEnum):
    ONSITE = "onsite"
    ONLINE = "online"


class RegState(enum.StrEnum):
    #: Registered without an account; the e-mail address is not confirmed yet (holds no seat).
    UNCONFIRMED = "unconfirmed"
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class ItemKind(enum.StrEnum):
    IDEA = "idea"
    QUESTION = "question"
    AGREEMENT = "agreement"
    TASK = "task"
    NOTE = "note"


class Workshop(TenantScoped, Model):
    """One workshop date (a series is several rows sharing ``series_ref``)."""

    __tablename__ = "workshops_workshop"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    series_ref: Mapped[str | None] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    #: Step-free access, hearing loop, … (free text, one line each).
    accessibility: Mapped[str] = mapped_column(Text, default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=20)
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    topics: Mapped[str] = mapped_column(Text, default="")
    #: Public references (per-town numbers) of the projects invited to present.
    invited_projects: Mapped[list[str]] = mapped_column(JSON, default=list)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    state: Mapped[WorkshopState] = mapped_column(_enum(WorkshopState), default=WorkshopState.DRAFT)
    #: Raised on every change of time or place: calendars update the event they imported.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    protocol: Mapped[str] = mapped_column(Text, default="")
    protocol_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderator: Mapped[User | None] = relationship()


class Registration(TenantScoped, Model):
    """One person's registration for one workshop, with or without an account."""

    __tablename__ = "workshops_registration"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops_workshop.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320))
    #: The language the person registered in: their mails are written in it.
    locale: Mapped[str] = mapped_column(String(10), default="de")
    attendance: Mapped[Attendance] = mapped_column(_enum(Attendance), default=Attendance.ONSITE)
    needs: Mapped[str] = mapped_column(Text, default="")
    #: Whether the person agrees to be named in the protocol.
    named_in_protocol: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[RegState] = mapped_column(_enum(RegState), default=RegState.UNCONFIRMED)
    #: When the person joined the queue: the waiting list's order.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User | None] = relationship()


class CaptureItem(TenantScoped, Model):
    """An idea, question, agreement, task or note captured during the workshop."""

    __tablename__ = "workshops_item"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops_workshop.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind), default=ItemKind.NOTE)
    text: Mapped[str] = mapped_column(Text)
    #: Who takes it on (free text: participants need no account).
    owner: Mapped[str] = mapped_column(String(200), default="")
    #: The project it concerns (its per-town number), if any.
    project_ref: Mapped[str] = mapped_column(String(16), default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectDraft(TenantScoped, Model):
    """An idea from the board, offered to the person who had it as a project: it
    becomes a project in the marketplace, theirs, once they confirm it."""

    __tablename__ = "workshops_project_draft"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops_workshop.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops_item.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(120))
    pitch: Mapped[str] = mapped_column(String(280))
    email: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(10), default="de")
    #: The project's per-town number once the person confirmed it.
    project_ref: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
