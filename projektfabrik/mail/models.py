"""The outbox: every mail is a row before it is a message on the wire."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class OutboxMessage(TenantScoped, Model):
    __tablename__ = "outbox_message"
    # Mail waiting to go out shows on no page (tenancy/versioning.py).
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    # Extra headers, e.g. Reply-To, List-Unsubscribe and List-Unsubscribe-Post.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")

    @property
    def given_up(self) -> bool:
        from projektfabrik.mail.outbox import MAX_ATTEMPTS

        return self.sent_at is None and self.attempts >= MAX_ATTEMPTS
