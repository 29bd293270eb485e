"""Signed handoffs: a message from one town to another of its region, carried by the
person's browser (docs/architecture.md, "What crosses between towns, and how", 2).

The sending town seals (:func:`seal`) in its own context; the browser takes the
token to the target town's host, which opens it (:func:`open_sealed`) in its own
context. No row of one town is read in the other's request: everything the
target learns is in the token, and the token holds only what the sender put in.

A token is refused unless

* its signature is good under the salt of the purpose asked for (a "join"
  token is no "signin" token),
* the current town is the target named in it and another town sealed it,
* both towns are members of the same region, both opted in, neither suspended
  (the rule of :func:`projektfabrik.regions.readmodel.participants`, asked now,
  not when the token was made: a town that opts out stops every handoff at once),
* it is younger than ``max_age``, and
* its nonce was not used before in the target town (a row behind the wall there,
  :class:`HandoffNonce`): each token works once.

The secret is the deployment's ``SECRET_KEY``: every town of a region runs in
one deployment. Services here never commit.
"""

from __future__ import annotations

import secrets as random_tokens
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import String, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model, db
from projektfabrik.plugins import secrets
from projektfabrik.refusal import Refusal
from projektfabrik.regions import readmodel
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import Tenant

#: Minutes, not hours: the person clicks through at once; a token found later in a
#: log or the browser's history has long expired (and was used up anyway).
MAX_AGE = 10 * 60
#: Nonces are kept a day, far longer than any token lives, then dropped.
NONCE_KEPT = timedelta(days=1)
#: Purposes are short words; the salt makes a token of one useless for another.
PURPOSE_MAX = 40
#: The scope of the encryption key (with the target town and the purpose).
_SECRET_SCOPE = "regions-handoff"


#: What the person reads; lazy, so each is said in the language of the request showing it.
INVALID = lazy_gettext("This link between the towns is not valid. Please start again.")
EXPIRED = lazy_gettext("This link between the towns has expired. Please start again.")
USED = lazy_gettext("This link between the towns was used already. Please start again.")
NOT_A_PARTNER = lazy_gettext("This town does not take part in your region's exchange.")
PARTNER_LEFT = lazy_gettext("The other town no longer takes part in your region's exchange.")


class HandoffRefused(Refusal):
    """A handoff that must not happen. ``message`` is for the person (a lazy string:
    shown in the language of the page that shows it)."""

    def __init__(self, message: Any = INVALID, field: str | None = None) -> None:
        super().__init__(message, field)


class HandoffNonce(TenantScoped, Model):
    """A handoff token the town has opened: the same token is refused a second time."""

    __tablename__ = "handoff_nonce"
    __table_args__ = (UniqueConstraint("tenant_id", "nonce"),)
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(PURPOSE_MAX))
    used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class Sealed:
    """An opened token: who sent it, for what, and the sender's payload."""

    purpose: str
    from_town_id: int
    to_town_id: int
    payload: dict[str, Any]
    #: When the sending town sealed it (seconds since the epoch).
    sealed_at: int


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if not purpose or len(purpose) > PURPOSE_MAX:
        raise ValueError(f"a handoff purpose is 1 to {PURPOSE_MAX} characters: {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"pf-handoff-{purpose}")


def partners(town_id: int) -> list[readmodel.Participant]:
    """The other towns this town may hand a person to: members of its region that opted
    in and are not suspended, and only while this town takes part itself."""
    region = readmodel.region_of(town_id)
    if region is None:
        return []
    taking_part = readmodel.participants(region)
    if not any(p.tenant_id == town_id for p in taking_part):
        return []
    return [p for p in taking_part if p.tenant_id != town_id]


def partner(town_id: int, slug: str) -> readmodel.Participant | None:
    """A partner of the town named by its slug; never a host or URL from the outside."""
    return next((p for p in partners(town_id) if p.town.slug == slug), None)


def partner_url(partner_town: readmodel.Participant, path: str) -> str:
    """A page of a partner town, on its canonical host."""
    tenant = db.session.get(Tenant, partner_town.tenant_id)
    assert tenant is not None  # participants() just read it
    return public_url(tenant, path)


def seal(purpose: str, to_town_id: int, payload: dict[str, Any]) -> str:
    """A token for ``to_town_id`` from the current town; refused unless the pair may talk."""
    here = current_tenant().id
    if to_town_id == here or all(p.tenant_id != to_town_id for p in partners(here)):
        raise HandoffRefused(NOT_A_PARTNER)
    body = {
        "p": purpose,
        "f": here,
        "t": to_town_id,
        "d": payload,
        "n": random_tokens.token_urlsafe(16),
        "at": int(time.time()),
    }
    signed = _serializer(purpose).dumps(body)
    # Encrypted for the target town too: the token travels in a URL (access logs,
    # the browser's history), and a signed payload alone is readable base64 with
    # the person's name and address in it. The key is the target's and the
    # purpose's (plugins/secrets.py's scheme), so no other town can even read it.
    return secrets.encrypt(to_town_id, _SECRET_SCOPE, purpose, signed)[secrets.MARKER]


def open_sealed(token: str, purpose: str, max_age: int = MAX_AGE) -> Sealed:
    """Check a token in the target town and use it up; raise :class:`HandoffRefused`."""
    if not token or len(token) > 8000:
        raise HandoffRefused(INVALID)
    here = current_tenant().id
    try:
        signed = secrets.decrypt(here, _SECRET_SCOPE, purpose, {secrets.MARKER: token})
        body = _serializer(purpose).loads(signed, max_age=max_age)
    except SignatureExpired as exc:
        raise HandoffRefused(EXPIRED) from exc
    except (BadSignature, secrets.SecretUnreadable, TypeError, ValueError) as exc:
        raise HandoffRefused(INVALID) from exc
    if not isinstance(body, dict) or body.get("p") != purpose or body.get("t") != here:
        raise HandoffRefused(INVALID)
    sender, nonce, payload = body.get("f"), body.get("n"), body.get("d")
    if not isinstance(sender, int) or not isinstance(nonce, str) or not isinstance(payload, dict):
        raise HandoffRefused(INVALID)
    if all(p.tenant_id != sender for p in partners(here)):
        raise HandoffRefused(PARTNER_LEFT)
    _use_up(nonce, purpose)
    return Sealed(
        purpose=purpose,
        from_town_id=sender,
        to_town_id=here,
        payload=payload,
        sealed_at=int(body.get("at") or 0),
    )


def _use_up(nonce: str, purpose: str) -> None:
    # Old nonces go first: their tokens have expired, so nothing can replay them.
    db.session.execute(delete(HandoffNonce).where(HandoffNonce.used_at < utcnow() - NONCE_KEPT))
    try:
        # A savepoint: two requests racing with one token both insert, one loses
        # on the unique constraint, and the caller's transaction survives.
        with db.session.begin_nested():
            db.session.add(HandoffNonce(nonce=nonce[:32], purpose=purpose))
    except IntegrityError as exc:
        raise HandoffRefused(USED) from exc
