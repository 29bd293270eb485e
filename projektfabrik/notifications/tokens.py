"""Unsubscribe links: signed, bound to one town, one person and one kind.

Nothing in them is a row id: the town by its slug, the person by their
public ref. They do not expire quickly (RFC 8058 asks that a one-click link
keeps working), and using one twice does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import current_tenant

SALT = "pf-unsubscribe"
MAX_AGE = 366 * 24 * 3600


class UnsubscribeTokenError(Exception):
    """The link is invalid, too old, or meant for another town."""


@dataclass(frozen=True)
class Unsubscribe:
    user: User
    kind: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_unsubscribe_token(user: User, kind: str) -> str:
    return _serializer().dumps({"t": current_tenant().slug, "u": user.ref, "k": kind})


def redeem_unsubscribe_token(token: str) -> Unsubscribe:
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature as exc:
        raise UnsubscribeTokenError("invalid") from exc
    if not isinstance(payload, dict) or payload.get("t") != current_tenant().slug:
        raise UnsubscribeTokenError("invalid")
    # Looked up through the wall: another town's ref finds nobody.
    user = db.session.scalar(
        select(User).where(User.ref == str(payload.get("u")), User.deleted_at.is_(None))
    )
    kind = payload.get("k")
    if user is None or not isinstance(kind, str):
        raise UnsubscribeTokenError("invalid")
    return Unsubscribe(user=user, kind=kind)
