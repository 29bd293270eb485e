"""Signed, expiring tokens for links in mails, bound to one town.

Each token names its purpose (salt), its town and its user, and carries a
fingerprint of the state it may change: a password-reset token stops working
once the password has changed (single use); a verification token stops working
once the address is verified or changed. Nothing is stored server-side.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import current_tenant


class Purpose(StrEnum):
    VERIFY_EMAIL = "verify-email"
    CHANGE_EMAIL = "change-email"
    RESET_PASSWORD = "reset-password"
    INVITATION = "invitation"
    SIGN_IN = "sign-in"
    LINK_SSO = "link-sso"


MAX_AGE = {
    Purpose.VERIFY_EMAIL: 7 * 24 * 3600,
    Purpose.CHANGE_EMAIL: 24 * 3600,
    Purpose.RESET_PASSWORD: 2 * 3600,
    Purpose.INVITATION: 14 * 24 * 3600,
    Purpose.SIGN_IN: 30 * 60,
    Purpose.LINK_SSO: 30 * 60,
}


class TokenError(Exception):
    """The link is invalid, expired, already used or meant for another town."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"


@dataclass(frozen=True)
class Redeemed:
    user: User
    email: str


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"pf-{purpose}")


def _fingerprint(user: User, purpose: Purpose, bind: str = "") -> str:
    if purpose == Purpose.LINK_SSO:
        # Bound to the provider's person (``bind``) and used up by any login.
        last = user.last_login_at.isoformat() if user.last_login_at else "-"
        state = f"{user.session_token}|{last}|{bind}"
    elif purpose in (Purpose.RESET_PASSWORD, Purpose.INVITATION):
        state = user.password_hash or "-"
    elif purpose == Purpose.SIGN_IN:
        # Any login, this link's included, ends the link: it works once.
        last = user.last_login_at.isoformat() if user.last_login_at else "-"
        state = f"{user.session_token}|{last}"
    else:
        verified = user.email_verified_at.isoformat() if user.email_verified_at else "-"
        state = f"{user.email}|{verified}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make_token(user: User, purpose: Purpose, email: str | None = None, bind: str = "") -> str:
    payload = {
        "t": current_tenant().id,
        "u": user.id,
        "e": email or user.email,
        "f": _fingerprint(user, purpose, bind),
    }
    return _serializer(purpose).dumps(payload)


def redeem_token(token: str, purpose: Purpose, bind: str = "") -> Redeemed:
    """Check a token for the current town; raise :class:`TokenError` if it is not good."""
    try:
        payload = _serializer(purpose).loads(token, max_age=MAX_AGE[purpose])
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:
        raise TokenError("invalid") from exc
    if not isinstance(payload, dict) or payload.get("t") != current_tenant().id:
        raise TokenError("invalid")
    # The session's tenant criteria apply here too: another town's user id finds nobody.
    user = db.session.get(User, payload.get("u"))
    if (
        user is None
        or user.tenant_id != current_tenant().id
        or not user.is_active
        or payload.get("f") != _fingerprint(user, purpose, bind)
    ):
        raise TokenError("invalid")
    return Redeemed(user=user, email=payload["e"])
