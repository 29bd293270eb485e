"""A project's plan: profile, work plan, resources, finance, and their history.

Every table is tenant-scoped. Items are addressed in URLs by a random ``ref``
(never by row id). List items carry a ``revision`` (SQLAlchemy's version
counter): an edit form posts the revision it showed, and a save based on an
older one is refused instead of overwriting someone else's change.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.db import enum_type as _enum
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class Section(enum.StrEnum):
    """The parts of a plan that are edited, versioned and made public one by one.

    The schedule is drawn from the work plan (tasks and milestones) and shares
    its visibility.
    """

    PROFILE = "profile"
    WORK_PLAN = "work_plan"
    RESOURCES = "resources"
    FINANCE = "finance"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class ResourceKind(enum.StrEnum):
    SKILL = "skill"  # a skill or a person's time
    MATERIAL = "material"
    ROOM = "room"
    SERVICE = "service"
    MONEY = "money"


class CostType(enum.StrEnum):
    """Cost categories of a municipal finance plan (DOMAIN.md)."""

    ADMINISTRATIVE = "administrative"
    INVESTMENT = "investment"
    MATERIAL = "material"
    PERSONNEL = "personnel"
    RENT = "rent"
    TRAVEL = "travel"


class Source(enum.StrEnum):
    """Where the money (or the thing itself) for a requirement is to come from."""

    FUNDING = "funding"
    OWN_FUNDS = "own_funds"
    THIRD_PARTY = "third_party"
    DONATION = "donation"
    PROCEEDS = "proceeds"
    IN_KIND = "in_kind"  # given, not bought: not part of the money plan


class FinancingKind(enum.StrEnum):
    OWN_FUNDS = "own_funds"
    THIRD_PARTY = "third_party"
    DONATIONS = "donations"
    PROCEEDS = "proceeds"
    REQUESTED_FUNDING = "requested_funding"


class OfferStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class PlanSection(TenantScoped, Model):
    """One section of one project's plan: its version counter and whether it is public."""

    __tablename__ = "plan_section"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id", "section"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[Section] = mapped_column(_enum(Section))
    #: Raised by one on every save (an atomic UPDATE); the profile form posts it back.
    version: Mapped[int] = mapped_column(Integer, default=0)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    updated_by: Mapped[User | None] = relationship()


class PlanVersion(TenantScoped, Model):
    """A snapshot of a section after a save: who, when, and the whole section as JSON."""

    __tablename__ = "plan_version"
    __table_args__ = (UniqueConstraint("project_id", "section", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    section: Mapped[Section] = mapped_column(_enum(Section))
    #: The section's version number after this save (per project and section).
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when this version brought back an earlier one.
    restored_from: Mapped[int | None] = mapped_column(Integer)

    author: Mapped[User | None] = relationship()


class Profile(TenantScoped, Model):
    """The project profile (Projektprofil); title and short description live on the project."""

    __tablename__ = "plan_profile"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"
    __table_args__ = (UniqueConstraint("project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    problem: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    vision: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    delimitation: Mapped[str] = mapped_column(Text, default="")
    target_groups: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    effects: Mapped[str] = mapped_column(Text, default="")
    local_reference: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")


class _Item:
    """Columns every list item of a plan has."""

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy passes the class
        # SQLAlchemy raises StaleDataError when the row changed since it was loaded.
        return {"version_id_col": cls.revision}


class WorkPackage(_Item, TenantScoped, Model):
    __tablename__ = "plan_work_package"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    responsible: Mapped[User | None] = relationship()


class Task(_Item, TenantScoped, Model):
    __tablename__ = "plan_task"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    work_package_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_work_package.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus), default=TaskStatus.OPEN)

    work_package: Mapped[WorkPackage | None] = relationship()
    responsible: Mapped[User | None] = relationship()


class Milestone(_Item, TenantScoped, Model):
    __tablename__ = "plan_milestone"
    #: Shows on its project's pages only (tenancy/versioning.py).
    __project_key__ = "project_id"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class Requirement(_Item, TenantScoped, Model):
    """A line of the resource plan. ``cost_cents`` is the line's total; ``quantity``
    and ``unit`` only describe it ("3 Stück", "40 Stunden")."""

    __tablename__ = "plan_requirement"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ResourceKind] = mapped_column(_enum(ResourceKind))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit: Mapped[str] = mapped_column(String(40), default="")
    cost_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_type: Mapped[CostType] = mapped_column(_enum(CostType))
    source: Mapped[Source] = mapped_column(_enum(Source))
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_task.id", ondelete="SET NULL"), index=True
    )

    task: Mapped[Task | None] = relationship()


class ResourceOffer(TenantScoped, Model):
    """Someone of the town offers what a project needs: a room, a tool, time."""

    __tablename__ = "plan_resource_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    requirement_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_requirement.id", ondelete="SET NULL")
    )
    offered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    kind: Mapped[ResourceKind] = mapped_column(_enum(ResourceKind))
    description: Mapped[str] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OfferStatus] = mapped_column(_enum(OfferStatus), default=OfferStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    requirement: Mapped[Requirement | None] = relationship(foreign_keys=[requirement_id])
    offered_by: Mapped[User | None] = relationship(foreign_keys=[offered_by_id])


class CostItem(_Item, TenantScoped, Model):
    """A cost of the finance plan typed in by hand (not from the resource plan)."""

    __tablename__ = "plan_cost_item"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(300))
    cost_type: Mapped[CostType] = mapped_column(_enum(CostType))
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)


class FinancingLine(_Item, TenantScoped, Model):
    """How the costs are paid: own funds, third-party funds, donations, proceeds, funding."""

    __tablename__ = "plan_financing"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FinancingKind] = mapped_column(_enum(FinancingKind))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
