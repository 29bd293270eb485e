"""What the admin area keeps of its own: the versions of the town's legal pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class LegalTextVersion(TenantScoped, Model):
    """One saved version of the Impressum, the privacy notice or the accessibility
    statement. The text in force is also on the town (``Tenant.impressum_md``, ...),
    which the public page reads; these rows are its history."""

    __tablename__ = "legal_text_version"
    __table_args__ = (Index("ix_legal_text_version_tenant_page", "tenant_id", "page", "id"),)
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(nbytes=6)
    #: ``impressum``, ``privacy`` or ``accessibility``.
    page: Mapped[str] = mapped_column(String(20))
    body_md: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
