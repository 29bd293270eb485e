"""Who belongs to a project's team, and in which role."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import db
from projektfabrik.tenancy.isolation import TenantScoped

if TYPE_CHECKING:
    from projektfabrik.marketplace.models import Project


class TeamRole(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class Membership(TenantScoped, db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[TeamRole] = mapped_column(
        Enum(
            TeamRole, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
        ),
        default=TeamRole.MEMBER,
    )
    # What this person does in the team, in their own words ("Kasse", "Pressearbeit").
    task: Mapped[str] = mapped_column(String(120), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    project: Mapped[Project] = relationship(back_populates="memberships")

    @property
    def is_owner(self) -> bool:
        return self.role == TeamRole.OWNER
