"""Replies to team mail, received by mail and posted to the team's board.

The mail server pipes each message for ``team+...@<domain>`` into
``projektfabrik mail receive`` (deploy/README.md shows the Postfix setup).
A reply is posted only when

* the address's signature is good (``teams/tokens.py``),
* the address's domain belongs to the town the address names (its canonical
  host, or ``PROJEKTFABRIK_MAIL_REPLY_DOMAIN`` when that is set),
* the sender's address belongs to an account of that town that is a member
  of that project's team.

Everything is done inside the town's ``tenant_context``: the lookups of
project and sender pass the tenant wall like a request's would.
Automatic replies (out-of-office, bounces) are dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.accounts.services import normalise_email
from projektfabrik.extensions import db
from projektfabrik.projects import access
from projektfabrik.projects.access import find_project
from projektfabrik.teams.models import PostSource, TeamPost
from projektfabrik.teams.services import TeamError, post
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
    return [a for a in found if a.lower().startswith("team+")]


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
        sender = normalise_email(parseaddr(str(message.get("From", "")))[1])
        project = find_project(target.number)
        person = db.session.scalar(
            select(User).where(User.email == sender, User.deleted_at.is_(None))
        )
        if project is None or person is None or access.membership(project, person) is None:
            raise Refused("the sender is not a member of this team")
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
