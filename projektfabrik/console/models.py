"""Operators and what they did. Deployment-wide: no town owns these rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model


class Operator(Model):
    """Someone who runs the deployment. Separate from every town's accounts."""

    __tablename__ = "console_operator"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: The TOTP secret, encrypted with a key derived from SECRET_KEY for this operator.
    totp_secret: Mapped[str] = mapped_column(Text)
    #: The last TOTP time step accepted: a code works once (RFC 6238, 5.2).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OperatorRecoveryCode(Model):
    __tablename__ = "console_recovery_code"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("console_operator.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OperatorAudit(Model):
    """Who did what to which town, and when. No personal data of townspeople."""

    __tablename__ = "console_audit"
    __tenant_global__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: Kept as text too: the entry outlives the operator's account and the town.
    operator_email: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    town: Mapped[str] = mapped_column(String(63), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
