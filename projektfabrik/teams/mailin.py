"""Replies to team mail, received by mail and posted to the team's board.

The mail server pipes each message for ``team+...@<domain>`` into
``projektfabrik mail receive`` (deploy/README.md shows the Postfix setup).
A reply is posted only when

* it is addressed to exactly one team address (``teams/tokens.py``), whose
  domain belongs to the town the address names (its canonical host, or
  ``PROJEKTFABRIK_MAIL_REPLY_DOMAIN`` when that is set),
* it has exactly one ``From:`` header with exactly one address,
* the receiving mail server verified that address's domain: an
  ``Authentication-Results`` header with the configured authserv-id
  (``PROJEKTFABRIK_MAIL_AUTHSERV_ID``) says DMARC passed for it, or SPF
  passed for the same envelope domain,
* that address belongs to an account of that town that is a member of that
  project's team, and the address's key is that member's own
  (``Membership.reply_key``): it stops working when they leave or rotate it.

Everything is done inside the town's ``tenant_context``: the lookups of
project and sender pass the tenant wall like a request's would.
Automatic replies (out-of-office, bounces) are dropped silently.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from typing import Any

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import normalise_email
from projektfabrik.extensions import db
from projektfabrik.projects import access
from projektfabrik.projects.access import find_project
from projektfabrik.teams.board import post
from projektfabrik.teams.models import PostSource, TeamPost
from projektfabrik.teams.services import TeamError
from projektfabrik.teams.tokens import TeamTokenError, parse_reply_address
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant

MAX_REPLY = 20_000
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


class Refused(Exception):
    """The message is not accepted; the reason goes back to the sender's server."""


@dataclass(frozen=True)
class Received:
    tenant_slug: str
    project_number: int
    post: TeamPost | None  # None: dropped on purpose (an automatic reply)


def _recipients(message: EmailMessage, given: str | None) -> list[str]:
    if given:
        return [given]
    found: list[str] = []
    for header in RECIPIENT_HEADERS:
        values = message.get_all(header) or []
        found.extend(address for _name, address in getaddresses([str(v) for v in values]))
    return sorted({a.lower() for a in found if a.lower().startswith("team+")})


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def sender_address(message: EmailMessage) -> str:
    """The one address in the message's one ``From:`` header, or :class:`Refused`.

    Several ``From:`` headers, several addresses, a group, parse defects or a
    ``Sender:`` with another address are ambiguous: which one the mail server
    checked is unclear, so the mail is refused.
    """
    headers = message.get_all("From") or []
    if len(headers) != 1:
        raise Refused("the mail needs exactly one From header")
    header = headers[0]
    addresses: tuple[Any, ...] = getattr(header, "addresses", ())
    groups: tuple[Any, ...] = getattr(header, "groups", ())
    if (
        getattr(header, "defects", None)
        or len(addresses) != 1
        or any(group.display_name is not None for group in groups)
    ):
        raise Refused("the From header must name exactly one address")
    address = addresses[0]
    if not address.username or not address.domain or "@" in address.domain:
        raise Refused("the From header must name exactly one address")
    sender = f"{address.username}@{address.domain}".lower()
    others = message.get_all("Sender") or []
    for other in others:
        named: tuple[Any, ...] = getattr(other, "addresses", ())
        if len(named) != 1 or named[0].addr_spec.lower() != sender:
            raise Refused("the Sender header names another address")
    return sender


def verified_senders(message: EmailMessage, authserv_id: str) -> set[str]:
    """What the trusted mail server verified for this message: ``@domain`` for a
    domain that passed DMARC, the whole envelope address where SPF passed.

    Only ``Authentication-Results`` headers whose authserv-id is ours count
    (the server removes incoming ones that claim it, RFC 8601 section 5; see
    deploy/README.md). A domain counts when DMARC passed for it
    (``header.from``) or SPF passed for the envelope sender
    (``smtp.mailfrom``: then only that very address counts, as SPF vouches for
    the sending host of a domain, not for one of its people); a DMARC failure
    refuses the whole mail.
    """
    import authres

    verified: set[str] = set()
    for value in message.get_all("Authentication-Results") or []:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(str(value))
        except Exception:  # noqa: BLE001 - authres raises several kinds; unreadable is unknown
            continue
        if str(header.authserv_id).lower() != authserv_id.lower():
            continue
        for result in header.results:
            method = str(result.method).lower()
            outcome = str(result.result).lower()
            props = {f"{p.type}.{p.name}".lower(): str(p.value) for p in result.properties}
            if method == "dmarc" and outcome not in ("pass", "none"):
                return set()
            if method == "dmarc" and outcome == "pass" and props.get("header.from"):
                verified.add("@" + _domain(props["header.from"]))
            elif method == "spf" and outcome == "pass" and "@" in props.get("smtp.mailfrom", ""):
                verified.add(props["smtp.mailfrom"].strip().lower())
    return verified


def is_automatic(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto not in ("", "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or not parseaddr(str(message.get("From", "")))[1]
        or str(message.get("Return-Path", "")).strip() == "<>"
    )


def _plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = Markup(re.sub(r"<(br|/p|/div)[^>]*>", "\n", content, flags=re.I)).striptags()
    return str(content)


QUOTE_HEADERS = (
    re.compile(r"^On .{0,300}wrote:\s*$", re.I),
    re.compile(r"^Am .{0,300}schrieb.{0,200}:\s*$", re.I),
    re.compile(r"^-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}", re.I),
    re.compile(r"^_{10,}\s*$"),
    re.compile(r"^(From|Von):\s.+$"),
)


def strip_quoted(text: str) -> str:
    """The reply's own words: no quoted lines, no quoted original, no signature."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for line in lines:
        if line.rstrip() == "--" or line == "-- ":
            break  # signature
        if any(pattern.match(line.strip()) for pattern in QUOTE_HEADERS):
            break  # the quoted original follows
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def receive(raw: bytes, recipient: str | None = None) -> Received:
    """Post a reply to the board it belongs to, or raise :class:`Refused`. Commits."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    addresses = _recipients(message, recipient)
    if not addresses:
        raise Refused("no team address among the recipients")
    if len(addresses) > 1:
        raise Refused("more than one team address among the recipients")
    try:
        target = parse_reply_address(addresses[0])
    except TeamTokenError as exc:
        raise Refused("unknown or forged team address") from exc
    town = db.session.scalar(select(Tenant).where(Tenant.slug == target.slug))
    if town is None:
        raise Refused("unknown or forged team address")
    expected = (current_app.config.get("MAIL_REPLY_DOMAIN") or town.canonical_host).lower()
    if target.domain != expected:
        raise Refused("this team address does not belong to this domain")
    with tenant_context(town):
        if is_automatic(message):
            return Received(target.slug, target.number, None)
        sender = normalise_email(sender_address(message))
        authserv_id = current_app.config.get("MAIL_AUTHSERV_ID") or ""
        if not authserv_id:
            raise Refused("replies by mail are off: PROJEKTFABRIK_MAIL_AUTHSERV_ID is not set")
        verified = verified_senders(message, authserv_id)
        if sender not in verified and "@" + _domain(sender) not in verified:
            raise Refused("the mail server did not verify the sender's domain")
        project = find_project(target.number)
        person = db.session.scalar(
            select(User).where(User.email == sender, User.deleted_at.is_(None))
        )
        member = access.membership(project, person) if project and person else None
        if (
            project is None
            or person is None
            or member is None
            or not hmac.compare_digest(member.reply_key, target.key)
        ):
            raise Refused("the sender is not a member of this team, or the address is not theirs")
        text = strip_quoted(_plain_text(message))[:MAX_REPLY]
        if not text:
            raise Refused("the reply has no text of its own")
        subject = str(message.get("Subject", ""))
        try:
            item = post(project, person, text, subject=subject, source=PostSource.MAIL_REPLY)
        except TeamError as exc:
            db.session.rollback()
            raise Refused(exc.message) from exc
        db.session.commit()
        return Received(target.slug, target.number, item)
