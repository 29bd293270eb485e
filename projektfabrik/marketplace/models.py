"""What the marketplace adds to a project: supporters, updates, comments and reports."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.db import enum_type as _enum
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class Support(TenantScoped, Model):
    """ "Ich unterstütze das": one per person and project."""

    __tablename__ = "project_support"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectUpdate(TenantScoped, Model):
    """News posted by the team."""

    __tablename__ = "project_update"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Hidden by the moderators after a report; the reason is shown in its place.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    author: Mapped[User | None] = relationship()

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Comment(TenantScoped, Model):
    __tablename__ = "comment"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
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


class Report(TenantScoped, Model):
    """Someone asked the moderators to look at a comment or at a project's news
    (exactly one of ``comment_id`` and ``update_id`` is set)."""

    __tablename__ = "report"
    # One report per person and comment or news (NULL reporters, deleted accounts,
    # and the other kind's NULL column do not collide).
    __table_args__ = (
        UniqueConstraint("tenant_id", "comment_id", "reporter_id"),
        UniqueConstraint("tenant_id", "update_id", "reporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(
        ForeignKey("project_update.id", ondelete="CASCADE"), index=True
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

    comment: Mapped[Comment | None] = relationship()
    update: Mapped[ProjectUpdate | None] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])

    @property
    def item(self) -> Comment | ProjectUpdate:
        """What was reported."""
        found = self.comment if self.comment is not None else self.update
        assert found is not None, "a report names a comment or news"
        return found

    @property
    def project_id(self) -> int:
        return self.item.project_id
