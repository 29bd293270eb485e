"""People of a town and their roles there."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.db import UTCDateTime, ref_column, utcnow
from projektfabrik.extensions import Model
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import District


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Kind(enum.StrEnum):
    """Who someone is in the town; teams show their make-up by kind."""

    CITIZEN = "citizen"
    BUSINESS = "business"
    ADMINISTRATION = "administration"


def _new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(TenantScoped, UserMixin, Model):
    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("tenant_id", "email"), UniqueConstraint("tenant_id", "ref"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public reference for URLs: row ids would reveal how many people other towns have.
    ref: Mapped[str] = ref_column(nbytes=6)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[Kind] = mapped_column(
        Enum(Kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Kind.CITIZEN,
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=Role.MEMBER,
    )
    organisation: Mapped[str] = mapped_column(String(200), default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id", ondelete="SET NULL"))
    skills: Mapped[str] = mapped_column(Text, default="")
    # Opted in: project teams looking for one of the skills may find this person.
    findable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    bio: Mapped[str] = mapped_column(Text, default="")
    avatar_file: Mapped[str | None] = mapped_column(String(100))
    locale: Mapped[str | None] = mapped_column(String(10))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the login cookie: rotating it logs out every session of this account.
    session_token: Mapped[str] = mapped_column(String(32), default=_new_session_token)
    # Every login sets it; a one-time sign-in link carries it, so a link works once.
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff of the town's administration, confirmed by the town's admin (never self-chosen).
    staff_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The office or organisation the admin confirmed; shown with a "confirmed" badge.
    confirmed_organisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Second factor (accounts/secondfactor.py): the TOTP secret, encrypted; when it
    # was confirmed; and the last time step used, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    # Blocked by the town's admin: cannot log in or post; every session ends.
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised with every change of this person's notifications (notifications/
    # counting.py): the worker keeps the unread count until it changes.
    notifications_version: Mapped[int] = mapped_column(default=0, server_default="0")

    district: Mapped[District | None] = relationship()

    #: The key of the login session this object was loaded for (not a column; the
    #: annotation is for type checkers only, SQLAlchemy would take it for a column).
    if TYPE_CHECKING:
        login_key: str | None
    else:
        login_key = None

    def get_id(self) -> str:
        # user id : account generation : this login session's key (accounts/sessions.py)
        return f"{self.id}:{self.session_token}:{self.login_key or ''}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and self.blocked_at is None

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_confirmed_staff(self) -> bool:
        return self.kind == Kind.ADMINISTRATION and self.staff_confirmed_at is not None

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_confirmed_organisation(self) -> bool:
        """A business or organisation whose name the town's admin confirmed."""
        return self.kind == Kind.BUSINESS and self.staff_confirmed_at is not None

    @property
    def is_confirmed(self) -> bool:
        """Staff or organisation confirmed by the town's admin: shown with a badge."""
        return self.is_confirmed_staff or self.is_confirmed_organisation

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]

    def rotate_session_token(self) -> None:
        self.session_token = _new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class LoginSession(TenantScoped, Model):
    """One login (a browser, a device). Logging out deletes it; the cookie then
    finds nothing, even if someone kept a copy of it."""

    __tablename__ = "login_session"
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the key in the cookie: a copy of the table logs nobody in.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignInSettings(TenantScoped, Model):
    """How people of one town sign in: the town's own identity provider (set by
    the operator, ``projektfabrik tenant sso``) and whether the town's admins and
    moderators must use a second factor (set by the town's admin). At most one
    row per town; a town without a row has no SSO and no requirement."""

    __tablename__ = "sign_in_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)
    # Changes raise the town's versions (rare: the admin's switch, the operator's
    # command), which end the requirement a worker keeps (secondfactor.required_for).

    id: Mapped[int] = mapped_column(primary_key=True)
    require_second_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    sso_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    sso_issuer: Mapped[str] = mapped_column(String(500), default="")
    sso_client_id: Mapped[str] = mapped_column(String(200), default="")
    # Fernet token (plugins/secrets.py's scheme, bound to this town and setting).
    sso_client_secret: Mapped[str] = mapped_column(Text, default="")
    # Comma-separated; an address at one of these domains marks staff.
    sso_staff_domains: Mapped[str] = mapped_column(Text, default="")
    # "claim=value": a claim (or a list claim containing the value) that marks staff.
    sso_staff_claim: Mapped[str] = mapped_column(String(200), default="")
    sso_group_claim: Mapped[str] = mapped_column(String(100), default="groups")
    sso_admin_groups: Mapped[str] = mapped_column(Text, default="")
    sso_moderator_groups: Mapped[str] = mapped_column(Text, default="")
    sso_organisation_claim: Mapped[str] = mapped_column(String(100), default="")
    # The operator declares that the provider itself demands a second factor.
    sso_provider_mfa: Mapped[bool] = mapped_column(Boolean, default=False)
    # The operator declares that the provider's addresses are verified even
    # without an ``email_verified`` claim (ADFS sends none).
    sso_trust_email: Mapped[bool] = mapped_column(Boolean, default=False)


class SsoIdentity(TenantScoped, Model):
    """An account's link to a person at the town's identity provider."""

    __tablename__ = "sso_identity"
    __table_args__ = (UniqueConstraint("tenant_id", "issuer", "subject"),)
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryCode(TenantScoped, Model):
    """One of the codes that replace the authenticator app once (stored hashed)."""

    __tablename__ = "recovery_code"
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
