"""A note on the board. Tenant-scoped: each town sees only its own notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.api import Event, Model, TenantScoped, User, UTCDateTime, ref_column, utcnow


class Note(TenantScoped, Model):
    __tablename__ = "pinnwand_note"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ref"),
        Index("ix_pinnwand_note_tenant_created", "tenant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public reference for URLs: row ids would reveal how many notes other towns have.
    ref: Mapped[str] = ref_column(nbytes=6)
    text: Mapped[str] = mapped_column(Text)
    # The project board the note is on; None for the town's main board.
    project_ref: Mapped[str | None] = mapped_column(String(32))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Added by the second revision: moderators pin notes to the top.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    author: Mapped[User | None] = relationship()


@dataclass(frozen=True)
class NotePosted(Event):
    """Someone put a note on the board (delivered after the commit)."""

    note_ref: str
    text: str
    author_name: str
