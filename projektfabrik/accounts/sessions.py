"""Login sessions kept on the server, so logging out really ends one.

The login cookie (Flask-Login's ``_user_id`` in the session, and the
remember-me cookie) holds ``user id : account generation : session key``.
The account's generation (``User.session_token``) ends every session at
once ("log out everywhere", a new password or address); the key names one
``LoginSession`` row, which logging out deletes. A cookie whose row is gone
logs nobody in, even when someone kept a copy of it. Callers commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from projektfabrik import requestmemo
from projektfabrik.accounts.models import LoginSession, User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import current_tenant_id_or_none

#: Rows older than this are removed when the person logs in again (Flask-Login's
#: remember-me cookie lasts 365 days).
KEEP = timedelta(days=400)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User) -> str:
    """A new login session for ``user``; returns the key for the cookie."""
    key = secrets.token_urlsafe(24)
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.created_at < utcnow() - KEEP
        )
    )
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    user.login_key = key
    user.last_login_at = utcnow()
    return key


def load(cookie_value: str) -> User | None:
    """The person a login cookie names, if that session is still open (one query,
    or none when the worker remembers it)."""
    raw_id, _sep, rest = cookie_value.partition(":")
    token, _sep, key = rest.partition(":")
    if not raw_id.isdigit() or not token or not key:
        return None
    key_hash = _hash(key)

    def read() -> User | None:
        user = db.session.scalar(
            select(User)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(User.id == int(raw_id), LoginSession.key_hash == key_hash)
        )
        if user is None or user.session_token != token or not user.is_active:
            return None
        return user

    # With Redis, remembered by the worker until anything of the town's people
    # or login sessions changes (requestmemo.py): no query at all.
    user: User | None = requestmemo.load_person(
        current_tenant_id_or_none(), f"{raw_id}:{token}:{key_hash}", read, db.session
    )
    if user is None:
        return None
    user.login_key = key
    return user


def end(user: User) -> None:
    """End the session ``user`` was loaded for (logging out on this device)."""
    if user.login_key:
        db.session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == user.id, LoginSession.key_hash == _hash(user.login_key)
            )
        )
        user.login_key = None


def end_all(user: User) -> None:
    """End every session of the account, on every device."""
    user.rotate_session_token()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.login_key = None
