"""A region, its member towns and each town's own choices about it.

The region and its members are the operator's (``tenants/_regions/<slug>/region.toml``,
deployment-wide rows); whether a town takes part is the town's own choice, a row
behind the wall (:class:`RegionalChoice`). Membership alone shows nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import Tenant


class Region(Model):
    """E.g. a Landkreis: its own host, its branding, its member towns."""

    __tablename__ = "region"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The region's own site; never a town's host (sync refuses that).
    host: Mapped[str] = mapped_column(String(253), unique=True)
    primary_color: Mapped[str] = mapped_column(String(7), default="#005a9c")
    #: Shown when the visitor's language has no text of its own (German if given).
    welcome_md: Mapped[str] = mapped_column(Text, default="")
    #: Language code -> Markdown, from ``[texts.welcome]`` in region.toml; empty for
    #: a region with one text for every language (the older ``welcome = "file"``).
    welcome_by_language: Mapped[dict[str, str]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[RegionMember]] = relationship(
        back_populates="region", cascade="all, delete-orphan", order_by="RegionMember.id"
    )

    def welcome_for(self, language: str) -> str:
        """The welcome text in ``language``, else the one shown to everyone else."""
        return (self.welcome_by_language or {}).get(language) or self.welcome_md


class RegionMember(Model):
    """The operator counts a town as part of a region. A town belongs to one region at most."""

    __tablename__ = "region_member"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    #: Not ``tenant_id``: the row is the operator's, not the town's (a town's export
    #: leaves it behind; tenancy/tables.py takes every ``tenant_id`` table for the town's).
    town_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), unique=True)

    region: Mapped[Region] = relationship(back_populates="members")
    tenant: Mapped[Tenant] = relationship()


class RegionalChoice(TenantScoped, Model):
    """What a town's admin decided about its region. No row: not taking part."""

    __tablename__ = "regional_choice"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The town's projects appear on the region's site (each project may say otherwise).
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    #: What a project shows when its team has not chosen.
    projects_shown_by_default: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The landing page shows "projects nearby looking for help".
    neighbours_section: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
