"""Projects, their categories, supporters, followers, updates, comments and reports."""

from __future__ import annotations

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
from projektfabrik.extensions import db
from projektfabrik.teams.models import Membership
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import District


def _new_ref() -> str:
    return secrets.token_urlsafe(9)


def _ref_column() -> Mapped[str]:
    """A random public reference: URLs and anchors never show global row ids."""
    return mapped_column(String(16), default=_new_ref, index=True)


class Status(enum.StrEnum):
    """A project's life, from idea to completion (DOMAIN.md)."""

    IDEA = "idea"
    TEAM_FORMING = "team_forming"
    PLANNING = "planning"
    FUNDING_APPLIED = "funding_applied"
    RUNNING = "running"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class Category(TenantScoped, db.Model):
    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Project(TenantScoped, db.Model):
    __tablename__ = "project"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_project_tenant_created", "tenant_id", "created_at"),
        Index("ix_project_tenant_supports", "tenant_id", "support_count"),
        Index("ix_project_tenant_activity", "tenant_id", "last_activity_at"),
        # The marketplace count (town + status) is answered from this index alone
        # (index-only scan), without reading the project heap (docs/benchmarks.md).
        Index("ix_project_tenant_status", "tenant_id", "status"),
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
    # Words of title, pitch, description and skills for search (see search.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_stems: Mapped[str] = mapped_column(Text, default="")

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


class StatusChange(TenantScoped, db.Model):
    __tablename__ = "project_status_change"

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


class Support(TenantScoped, db.Model):
    """ "Ich unterstütze das": one per person and project."""

    __tablename__ = "project_support"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follow(TenantScoped, db.Model):
    __tablename__ = "project_follow"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectUpdate(TenantScoped, db.Model):
    """News posted by the team."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = _ref_column()
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Comment(TenantScoped, db.Model):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = _ref_column()
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    author: Mapped[User | None] = relationship()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    HIDDEN = "hidden"  # the moderator hid the content
    DISMISSED = "dismissed"  # the moderator left it visible


class Report(TenantScoped, db.Model):
    """Someone asked the moderators to look at a comment."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = _ref_column()
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    comment: Mapped[Comment] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
