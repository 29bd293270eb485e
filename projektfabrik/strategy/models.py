"""Goals, their fields of action and indicators; what projects expect and report.

Every value is a ``Decimal`` with two places (``Numeric(14, 2)``), never a
float, and always in its indicator's unit: a sum is only ever taken over one
indicator, so units cannot mix (docs/strategy.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.extensions import Model
from projektfabrik.projects.models import Project
from projektfabrik.tenancy.isolation import TenantScoped

#: Two decimal places; up to 999 999 999 999.99 in the indicator's unit.
VALUE = Numeric(14, 2, asdecimal=True)


class GoalGroup(TenantScoped, Model):
    """A field of action ("Klima und Energie") that groups goals on the pages."""

    __tablename__ = "goal_group"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=6)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Goal(TenantScoped, Model):
    """One of the town's strategy goals."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("tenant_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=6, index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("goal_group.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: The strategy document the goal comes from (climate concept, ISEK, ...).
    source_url: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[GoalGroup | None] = relationship()
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="goal",
        order_by="Indicator.position, Indicator.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Indicator(TenantScoped, Model):
    """A measure of a goal, in one unit ("t CO₂ per year", "trees planted")."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("tenant_id", "goal_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=6, index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    unit: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The admin shows this indicator's confirmed sum on the landing page.
    headline: Mapped[bool] = mapped_column(Boolean, default=False)

    goal: Mapped[Goal] = relationship(back_populates="indicators")
    targets: Mapped[list[IndicatorTarget]] = relationship(
        order_by="IndicatorTarget.year",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class IndicatorTarget(TenantScoped, Model):
    """What the town aims at for an indicator by the end of a year (optional)."""

    __tablename__ = "indicator_target"
    __table_args__ = (UniqueConstraint("tenant_id", "indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(VALUE)


class ProjectGoal(TenantScoped, Model):
    """A project says it serves a goal (the marketplace filters by it)."""

    __tablename__ = "project_goal"
    __table_args__ = (
        UniqueConstraint("tenant_id", "project_id", "goal_id"),
        Index("ix_project_goal_tenant_goal", "tenant_id", "goal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)

    project: Mapped[Project] = relationship()
    goal: Mapped[Goal] = relationship()


class Contribution(TenantScoped, Model):
    """What a project expects to contribute to one indicator, and on what basis.
    One row per project and indicator: saving again replaces it."""

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("tenant_id", "project_id", "indicator_id"),
        Index("ix_contribution_tenant_indicator", "tenant_id", "indicator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    expected: Mapped[Decimal] = mapped_column(VALUE)
    #: How the team came to the number ("12 households × 0.4 t CO₂").
    basis: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship()
    indicator: Mapped[Indicator] = relationship()


class ReportedResult(TenantScoped, Model):
    """What a project achieved for one indicator in one year.

    One row per project, indicator and year: a second report for the same year
    replaces the first (and needs confirming again), so a project reported
    twice is never counted twice. Values of different years add up.
    """

    __tablename__ = "reported_result"
    __table_args__ = (
        UniqueConstraint("tenant_id", "project_id", "indicator_id", "year"),
        Index("ix_reported_result_tenant_indicator", "tenant_id", "indicator_id"),
        Index("ix_reported_result_tenant_reported_at", "tenant_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=6, index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(VALUE)
    #: The day the value was measured or counted.
    achieved_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    #: A photo or document, stored with the core's upload check (uploads.py).
    file_name: Mapped[str] = mapped_column(String(80), default="")
    file_title: Mapped[str] = mapped_column(String(200), default="")
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()
    indicator: Mapped[Indicator] = relationship()
    reported_by: Mapped[User | None] = relationship(foreign_keys=[reported_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
