"""The project and its team: what every area of the core and every plugin shares.

A project belongs to one town; its team is the list of memberships (owners and
members). Following a project and its status history live here too, because a
status change tells the followers whatever area changes it.
"""

from __future__ import annotations

import base64
import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.db import enum_type as _enum
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import District


class Status(enum.StrEnum):
    """A project's life, from idea to completion (DOMAIN.md)."""

    IDEA = "idea"
    TEAM_FORMING = "team_forming"
    PLANNING = "planning"
    FUNDING_APPLIED = "funding_applied"
    RUNNING = "running"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class Category(TenantScoped, Model):
    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class TeamRole(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


def new_reply_key() -> str:
    """16 random lower-case base32 characters (80 bits): the key of a reply address."""
    return base64.b32encode(secrets.token_bytes(10)).decode().lower()


class Membership(TenantScoped, Model):
    __tablename__ = "membership"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[TeamRole] = mapped_column(_enum(TeamRole), default=TeamRole.MEMBER)
    # What this person does in the team, in their own words ("Kasse", "Pressearbeit").
    task: Mapped[str] = mapped_column(String(120), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The secret part of this person's reply address for the team's mail
    # (teams/tokens.py): gone with the membership, replaced when rotated.
    reply_key: Mapped[str] = mapped_column(String(16), default=new_reply_key)

    user: Mapped[User] = relationship()
    project: Mapped[Project] = relationship(back_populates="memberships")

    @property
    def is_owner(self) -> bool:
        return self.role == TeamRole.OWNER


class Project(TenantScoped, Model):
    __tablename__ = "project"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        # The list's sort orders, with the id (the tie-breaker) and the status
        # (the filter) in the index: a deep page picks its ids from the index
        # alone (marketplace/listing.py, migration 67f932101a26).
        Index(
            "ix_project_tenant_created",
            "tenant_id",
            "created_at",
            "id",
            postgresql_include=["status"],
        ),
        Index(
            "ix_project_tenant_supports",
            "tenant_id",
            "support_count",
            "id",
            postgresql_include=["status"],
        ),
        Index(
            "ix_project_tenant_activity",
            "tenant_id",
            "last_activity_at",
            "id",
            postgresql_include=["status"],
        ),
        # The marketplace count (town + status) is answered from this index alone
        # (index-only scan), without reading the project heap (docs/benchmarks.md).
        Index("ix_project_tenant_status", "tenant_id", "status"),
        # The region's count over many towns (regions/readmodel.py) from the index
        # alone, and its newest-first page without sorting every town's projects.
        Index("ix_project_region", "tenant_id", "status", "shown_in_region"),
        Index("ix_project_created", "created_at"),
        Index("ix_project_activity", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Per-town number used in URLs: row ids would reveal other towns' counts.
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    pitch: Mapped[str] = mapped_column(String(280))
    description_md: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id", ondelete="SET NULL"))
    image_file: Mapped[str | None] = mapped_column(String(100))
    # The picture's text alternative, written by the team; "" marks it decorative.
    image_alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.IDEA)
    looking_for_members: Mapped[bool] = mapped_column(Boolean, default=True)
    # Comma-separated, as on profiles; matched against people's skills.
    wanted_skills: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept in step by the services (one UPDATE each), so sorting never counts rows.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    # Title, pitch, description and skills as written, and their folded words
    # (title words, "|", the others; each once) that search matches (search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_words: Mapped[str] = mapped_column(Text, default="")
    #: Shown on the region's site (projektfabrik/regions): the team's choice;
    #: ``None``: as the town's admin set for all its projects.
    shown_in_region: Mapped[bool | None] = mapped_column(Boolean)
    #: Raised with every commit that changes the project or a row declaring it
    #: as its ``__project_key__`` (tenancy/versioning.py).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    #: Its changes show on its own pages and in the town's lists only.
    __project_key__ = "id"

    category: Mapped[Category | None] = relationship()
    district: Mapped[District | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="Membership.joined_at"
    )

    @property
    def ref(self) -> str:
        return str(self.number)

    @property
    def wanted_skill_list(self) -> list[str]:
        return [s.strip() for s in self.wanted_skills.split(",") if s.strip()]


class StatusChange(TenantScoped, Model):
    __tablename__ = "project_status_change"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(_enum(Status))
    to_status: Mapped[Status] = mapped_column(_enum(Status))
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changed_by: Mapped[User | None] = relationship()


class Follow(TenantScoped, Model):
    __tablename__ = "project_follow"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
