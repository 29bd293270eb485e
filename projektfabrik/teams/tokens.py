"""Links and addresses that carry a team: invitation links and team-mail reply addresses.

Both are bound to one town (by its slug) and one project (by its per-town
number); neither contains a row id.

* Invitation links (``/projekte/<n>/team/einladung/<token>``): itsdangerous,
  valid 14 days, and only while the project's access generation is the one
  they were made with (regenerating the join code retires them).
* Reply addresses (``team+<slug>.<number>.<key>@<domain>``): one per member,
  short and lower-case, because an address's local part is at most 64
  characters and some mail servers change its case. The key is the member's
  random ``Membership.reply_key``: it dies with the membership (leaving,
  removal) and is replaced when the member rotates it. The address alone
  grants nothing: a reply is accepted only when the receiving mail server
  verified that it comes from that member's address (``teams/mailin.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.models import Tenant

INVITATION_SALT = "pf-team-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600
REPLY_PREFIX = "team+"
REPLY_LOCAL = re.compile(
    r"^team\+(?P<slug>[a-z0-9-]{1,63})\.(?P<number>\d{1,9})\.(?P<sig>[a-z2-7]{16})$"
)


class TeamTokenError(Exception):
    def __init__(self, reason: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"


# --- invitations ---------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def make_invitation_token(number: int, generation: int) -> str:
    """No address in it: the link may be forwarded, and the owners decide anyway."""
    payload = {"t": current_tenant().slug, "n": number, "g": generation}
    return _serializer().dumps(payload)


@dataclass(frozen=True)
class Invitation:
    number: int
    generation: int


def read_invitation_token(token: str, number: int, generation: int) -> Invitation:
    """Check an invitation for project ``number`` of the current town."""
    try:
        payload = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except SignatureExpired as exc:
        raise TeamTokenError("expired") from exc
    except BadSignature as exc:
        raise TeamTokenError("invalid") from exc
    if (
        not isinstance(payload, dict)
        or payload.get("t") != current_tenant().slug
        or payload.get("n") != number
    ):
        raise TeamTokenError("invalid")
    if payload.get("g") != generation:
        raise TeamTokenError("expired")
    return Invitation(number=number, generation=generation)


# --- reply addresses -------------------------------------------------------------


def reply_domain(tenant: Tenant) -> str:
    return current_app.config.get("MAIL_REPLY_DOMAIN") or tenant.canonical_host


def reply_address(number: int, key: str) -> str:
    """The reply address of one member (``key``: their ``Membership.reply_key``)."""
    tenant = current_tenant()
    local = f"{REPLY_PREFIX}{tenant.slug}.{number}.{key}"
    return f"{local}@{reply_domain(tenant)}"


@dataclass(frozen=True)
class ReplyTarget:
    slug: str
    number: int
    key: str
    domain: str


def parse_reply_address(address: str) -> ReplyTarget:
    """The town, project and member key a reply address names; :class:`TeamTokenError`
    if it is not one. Whether the key belongs to a current member is for the caller
    to check inside the town (``mailin.receive``)."""
    local, _at, domain = address.strip().strip("<>").rpartition("@")
    match = REPLY_LOCAL.match(local.lower())
    if not match or not domain:
        raise TeamTokenError("invalid")
    return ReplyTarget(
        slug=match["slug"], number=int(match["number"]), key=match["sig"], domain=domain.lower()
    )
