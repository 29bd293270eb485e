"""Who belongs to a project's team, in which role, and what the team shares.

Everything here is private to the team except the membership list, the
wanted roles and resources and the fact that someone asked to join (owners
see the request; the town does not).
"""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.db import enum_type as _enum
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped

#: Letters and digits that cannot be confused when read aloud or from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class JoinRequest(TenantScoped, Model):
    """Someone asks to join a team, with a motivation and the skills they bring."""

    __tablename__ = "team_join_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    motivation: Mapped[str] = mapped_column(Text)
    skills: Mapped[str] = mapped_column(Text, default="")
    # Came through an owner's invitation link (the owners asked this address).
    invited: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[RequestStatus] = mapped_column(
        _enum(RequestStatus), default=RequestStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decision_message: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class TeamAccess(TenantScoped, Model):
    """A project's join code and the generation of its invitation links.

    Regenerating the code also raises ``generation``: every invitation link
    and team-mail reply address made before stops working.
    """

    __tablename__ = "team_access"
    __table_args__ = (UniqueConstraint("project_id"), UniqueConstraint("tenant_id", "join_code"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    join_code: Mapped[str] = mapped_column(String(16), default=new_join_code)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def display_code(self) -> str:
        """``ABCD-EFGH``: easier to read out and to type."""
        half = len(self.join_code) // 2
        return f"{self.join_code[:half]}-{self.join_code[half:]}"


class NeedKind(enum.StrEnum):
    ROLE = "role"
    RESOURCE = "resource"


class TeamNeed(TenantScoped, Model):
    """A role or a resource the team is looking for (skills live on the project)."""

    __tablename__ = "team_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NeedKind] = mapped_column(_enum(NeedKind))
    title: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostSource(enum.StrEnum):
    BOARD = "board"  # written on the board
    TEAM_MAIL = "team_mail"  # written on the board and mailed to every member
    MAIL_REPLY = "mail_reply"  # a reply to a team mail, received by mail


class TeamPost(TenantScoped, Model):
    """A post on the team's private board."""

    __tablename__ = "team_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[PostSource] = mapped_column(_enum(PostSource), default=PostSource.BOARD)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when the author changes the text (within POST_EDIT_WINDOW); shown as "edited".
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()


class TeamFile(TenantScoped, Model):
    """A file shared in the team space; stored per town outside the web root."""

    __tablename__ = "team_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The name people see and download (cleaned, extension from the content).
    filename: Mapped[str] = mapped_column(String(200))
    # The random name on disk.
    stored_name: Mapped[str] = mapped_column(String(100))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


class TeamMeeting(TenantScoped, Model):
    """A team meeting: on site, by video, or both."""

    __tablename__ = "team_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # iCalendar SEQUENCE: raised on every change, so calendar programs replace
    # the event they imported (same UID) instead of adding a second one.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    created_by: Mapped[User | None] = relationship()
