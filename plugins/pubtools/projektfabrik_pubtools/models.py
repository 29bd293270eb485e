"""What the Kneipentools remember: each printed prefilled sheet (its short code and
the plan versions it was printed from) and the photos of filled sheets.

Both are tenant-scoped: a code is looked up through the wall, so town A's code
names nothing on town B's host. Blank sheets need no row (see ``codes.blank_code``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.api import Model, TenantScoped, UTCDateTime, ref_column, utcnow


class PrintedSheet(TenantScoped, Model):
    """A prefilled sheet as it was printed: project, step and the plan versions."""

    __tablename__ = "pubtools_printed_sheet"
    __table_args__ = (UniqueConstraint("tenant_id", "code"),)
    # Printing writes a row; the public pages do not show it.
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    #: The project's per-town number, to find it through the plugin API.
    project_number: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(20))
    #: ``{"profile": 3, ...}``: the versions of the sections the sheet prints.
    versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class SheetPhoto(TenantScoped, Model):
    """A photo of a filled sheet, kept with the team's files and tied to a step."""

    __tablename__ = "pubtools_sheet_photo"
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = ref_column(index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(20))
    file_ref: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
