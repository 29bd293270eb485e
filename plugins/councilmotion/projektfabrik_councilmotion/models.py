"""Council motions, their versions, the clerk's steps, requests to council groups,
paper signature lists and signatures (online support and signers entered from paper).

Every table is tenant-scoped; URLs use a random ``ref`` (never a row id).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.api import Event, Model, TenantScoped, User, UTCDateTime, ref_column, utcnow
from projektfabrik.api import enum_type as _enum


class Path(enum.StrEnum):
    """How the motion reaches the council."""

    GROUP = "group"  # a council group (Fraktion) carries it
    RESIDENTS = "residents"  # residents' motion (Einwohnerantrag) with signatures


class State(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"  # sent to one or more council groups
    CARRIED = "carried"  # a council group took it on
    COLLECTING = "collecting"  # collecting signatures
    FILED = "filed"  # handed in to the town
    RECEIVED = "received"
    ADMISSIBLE = "admissible"
    INADMISSIBLE = "inadmissible"
    REFERRED = "referred"  # referred to a committee
    ON_AGENDA = "on_agenda"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CHANGED = "changed"  # accepted with changes


#: States in which the motion is public (its page, the project's tab for everyone).
PUBLIC_STATES = frozenset(State) - {State.DRAFT}
#: States after the council decided or the town refused it.
FINAL_STATES = frozenset({State.INADMISSIBLE, State.ACCEPTED, State.REJECTED, State.CHANGED})


class Motion(TenantScoped, Model):
    """One motion of one project (a project has at most one at a time)."""

    __tablename__ = "councilmotion_motion"
    __table_args__ = (UniqueConstraint("tenant_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300), default="")
    resolution: Mapped[str] = mapped_column(Text, default="")
    justification: Mapped[str] = mapped_column(Text, default="")
    financial_effects: Mapped[str] = mapped_column(Text, default="")
    budget_line: Mapped[str] = mapped_column(String(200), default="")
    submitters: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    path: Mapped[Path | None] = mapped_column(_enum(Path), nullable=True)
    state: Mapped[State] = mapped_column(_enum(State), default=State.DRAFT)
    #: Last day signatures are collected (residents' motion), on the town's calendar.
    collect_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The council's paper (Vorlage): its number and a link (e.g. OParl's web page).
    paper_reference: Mapped[str] = mapped_column(String(100), default="")
    paper_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When the signers' personal data was deleted (the counts stay).
    personal_data_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    project: Mapped[Any] = relationship("Project")
    steps: Mapped[list[MotionStep]] = relationship(
        back_populates="motion", order_by="MotionStep.id", cascade="all, delete-orphan"
    )


class MotionVersion(TenantScoped, Model):
    """Every save of the text is kept as a version (as plan sections are)."""

    __tablename__ = "councilmotion_version"
    __table_args__ = (UniqueConstraint("motion_id", "number"),)
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("councilmotion_motion.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    restored_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class MotionStep(TenantScoped, Model):
    """A step on the way through the council, as the team or a clerk recorded it."""

    __tablename__ = "councilmotion_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("councilmotion_motion.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[State] = mapped_column(_enum(State))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    motion: Mapped[Motion] = relationship(back_populates="steps")


class GroupRequest(TenantScoped, Model):
    """The draft sent to one council group; its member opens it with the token by mail."""

    __tablename__ = "councilmotion_group_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("councilmotion_motion.id", ondelete="CASCADE"), index=True
    )
    group_name: Mapped[str] = mapped_column(String(200))
    group_email: Mapped[str] = mapped_column(String(320))
    #: sha256 of the token in the link; the token itself is only in the mail.
    token_hash: Mapped[str] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_by: Mapped[str] = mapped_column(String(200), default="")


class SignatureList(TenantScoped, Model):
    """A paper signature list handed in, with its count and (optionally) its scan."""

    __tablename__ = "councilmotion_list"
    __table_args__ = (UniqueConstraint("motion_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column()
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("councilmotion_motion.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)
    scan_name: Mapped[str] = mapped_column(String(120), default="")
    scan_display_name: Mapped[str] = mapped_column(String(200), default="")
    #: the scan's type as its content showed it (check_upload)
    scan_kind: Mapped[str] = mapped_column(String(100), default="")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Signature(TenantScoped, Model):
    """One person's signature: online support (``list_id`` empty) or a signer entered
    from a paper list. Personal data is for the clerks only and is emptied after the
    town's retention period (``purged``); the row stays so the counts stay."""

    __tablename__ = "councilmotion_signature"
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(
        ForeignKey("councilmotion_motion.id", ondelete="CASCADE"), index=True
    )
    list_id: Mapped[int | None] = mapped_column(
        ForeignKey("councilmotion_list.id", ondelete="CASCADE"), nullable=True, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    family_name: Mapped[str] = mapped_column(String(200), default="")
    first_name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    purged: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True)
class MotionStepped(Event):
    """A motion reached a new state (team or clerk); delivered after the commit."""

    motion_ref: str
    state: str
