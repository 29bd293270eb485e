"""One row per change an admin (or the system) made to the town or its people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class AuditEntry(TenantScoped, Model):
    """Who (``actor``), what (``action`` on ``subject`` or ``target``), when (``at``).

    ``action`` is a short dotted key (``role.changed``, ``2fa.reset``); the page
    that shows the log turns it into a sentence. ``detail`` holds the small
    facts of the change (``{"from": "member", "to": "moderator"}``), never a
    secret. People are linked, not copied: a deleted account's rows keep the
    entry with the person's slot emptied (``SET NULL``), and an anonymised
    account shows its anonymised name.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_tenant_at", "tenant_id", "at"),)
    # Shown on no public page; writing it must not end the town's cached pages.
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Who did it; ``None``: the operator's tools or the system.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    #: The person the change was about, if any.
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: What else it was about (``impressum``, ``logo``, a module's name); free text.
    target: Mapped[str] = mapped_column(String(200), default="", server_default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
