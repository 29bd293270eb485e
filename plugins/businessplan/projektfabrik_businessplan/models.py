"""A project's business plan: one row per project, tenant-scoped.

The texts and the numbers' inputs are JSON: the sections' set differs by
outline and grows without migrations; the computed plans are never stored
(numbers.compute makes them from the inputs each time).

``sections`` maps a section key to ``{"text": ..., "source": ..., "taken": ...}``:
``source`` names the project field the text was taken from (``profile.problem``,
``team``, ...) or is empty for text the team wrote; ``taken`` is that field's
text at the time, so the page can say "the project changed since".

Funding approvals come from the funding plugin's events (:class:`FundingLink`);
the plugin never imports the funding plugin.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.api import Model, TenantScoped, UTCDateTime, utcnow


class BusinessPlan(TenantScoped, Model):
    __tablename__ = "businessplan_plan"
    __table_args__ = (UniqueConstraint("tenant_id", "project_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    outline: Mapped[str] = mapped_column(String(16), default="classic")
    # Who may read it besides the team: nobody (default), the texts, or the texts
    # and the numbers (financial plans, PDF with the numbers, workbook).
    is_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    numbers_public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    numbers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class FundingLink(TenantScoped, Model):
    """Which project a funding application belongs to, learned from the funding
    plugin's ``ApplicationSubmitted`` event (its decision event names only the
    application)."""

    __tablename__ = "businessplan_funding_link"
    __table_args__ = (UniqueConstraint("tenant_id", "application_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_ref: Mapped[str] = mapped_column(String(32))
    project_ref: Mapped[str] = mapped_column(String(32), index=True)
    # Set by ``ApplicationDecided`` when the pot approved the application.
    approved_cents: Mapped[int | None] = mapped_column(BigInteger)
