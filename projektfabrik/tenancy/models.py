"""Municipalities, their host names and their districts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class TenantState(enum.StrEnum):
    """What the operator allows a town's site to do (e.g. at the end of a contract)."""

    ACTIVE = "active"
    #: Visible, but nobody can sign in or change anything.
    READ_ONLY = "read_only"
    #: Only a notice; nothing is deleted.
    SUSPENDED = "suspended"


class Tenant(Model):
    """A municipality: one branded site of the deployment."""

    __tablename__ = "tenant"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(10), default="de")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    primary_color: Mapped[str] = mapped_column(String(7), default="#005a9c")
    logo_file: Mapped[str | None] = mapped_column(String(200))
    mail_sender_name: Mapped[str | None] = mapped_column(String(200))
    #: Largest upload in MB for this town (tenant.toml ``[uploads] max_mb``);
    #: ``None``: the deployment's ``PROJEKTFABRIK_TEAM_FILE_MAX_MB``.
    upload_max_mb: Mapped[int | None] = mapped_column(Integer)
    welcome_md: Mapped[str] = mapped_column(Text, default="")
    impressum_md: Mapped[str] = mapped_column(Text, default="")
    privacy_md: Mapped[str] = mapped_column(Text, default="")
    accessibility_md: Mapped[str] = mapped_column(Text, default="")
    #: The site explained in Leichte Sprache (German) and Easy Read (English), BITV 2.0
    #: § 4; empty: the core's own text (projektfabrik/site/texts/).
    easy_read_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    easy_read_en_md: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: A video explaining the site in German Sign Language, linked (never embedded).
    sign_language_video_url: Mapped[str | None] = mapped_column(String(500))
    #: Settings the town's admin owns (docs/architecture.md, "Who sets what"):
    #: a short name for narrow screens, the landing page's headline, the contact.
    short_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    headline: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Text colour on the main colour (``None``: whichever of black and white reads better).
    on_brand_color: Mapped[str | None] = mapped_column(String(7))
    #: A logo the admin uploaded (re-encoded PNG in the town's upload folder); wins
    #: over the operator's ``logo_file``.
    logo_upload: Mapped[str | None] = mapped_column(String(100))
    #: Names of the settings the admin changed in the browser: ``tenant sync``
    #: leaves these alone (see :data:`projektfabrik.tenancy.config_files.ADMIN_OWNED`).
    admin_edited: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Raised by one with every commit that changes something of the town
    #: (:mod:`projektfabrik.tenancy.versioning`); part of every page-cache key.
    content_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Raised with every commit that changes something of the town that is not
    #: one project's own (versioning.py): what a worker keeps for a project's
    #: pages is keyed on this and the project's ``version``.
    shared_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[TenantState] = mapped_column(
        Enum(
            TenantState,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=TenantState.ACTIVE,
        server_default=TenantState.ACTIVE.value,
    )

    hosts: Mapped[list[TenantHost]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", order_by="TenantHost.id"
    )

    def learn_canonical_host(self, host: str) -> None:
        """The resolver found this town by its canonical host: no need to load the list."""
        self.__dict__["_known_canonical_host"] = host

    @property
    def canonical_host(self) -> str:
        known = self.__dict__.get("_known_canonical_host")
        if known is not None:
            return str(known)
        for host in self.hosts:
            if host.is_canonical:
                return host.host
        raise LookupError(f"municipality {self.slug} has no canonical host")

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_upload or self.logo_file)

    @property
    def sender_name(self) -> str:
        return self.mail_sender_name or self.name

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


class TenantHost(Model):
    """A host name that serves a town; exactly one per town is canonical."""

    __tablename__ = "tenant_host"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    host: Mapped[str] = mapped_column(String(253), unique=True)
    is_canonical: Mapped[bool] = mapped_column(Boolean, default=False)

    tenant: Mapped[Tenant] = relationship(back_populates="hosts")


class District(TenantScoped, Model):
    """An Ortsteil or Stadtbezirk; people and projects are tagged with one."""

    __tablename__ = "district"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
