"""In-app notifications (the bell), each person's mail choices, and sent digests.

Mail goes through the outbox.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.db import enum_type as _enum
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped


class Delivery(enum.StrEnum):
    """How a person hears about a kind of notification by mail (the bell always shows it)."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    OFF = "off"


class Notification(TenantScoped, Model):
    __tablename__ = "notification"
    __affects_public_pages__ = False  # private to one person (tenancy/versioning.py)
    __table_args__ = (
        Index("ix_notification_user_unread", "user_id", "read_at"),
        Index("ix_notification_digest", "delivery", "mailed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    # A path on the town's site, e.g. /projekte/12#kommentar-3
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person's choice for this kind when it was made; "daily" rows wait for the digest.
    delivery: Mapped[Delivery] = mapped_column(
        _enum(Delivery), default=Delivery.IMMEDIATELY, server_default=Delivery.IMMEDIATELY.value
    )
    # When it went out by mail (alone or in a digest); None: not (yet) mailed.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(TenantScoped, Model):
    """A person's mail choice for one kind; without a row the kind's default applies."""

    __tablename__ = "notification_preference"
    __affects_public_pages__ = False  # private to one person (tenancy/versioning.py)
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    delivery: Mapped[Delivery] = mapped_column(_enum(Delivery))


class DigestSent(TenantScoped, Model):
    """One row per person and day (in the town's time zone): at most one digest a day."""

    __tablename__ = "notification_digest"
    __affects_public_pages__ = False  # private to one person (tenancy/versioning.py)
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    count: Mapped[int] = mapped_column(default=0)
