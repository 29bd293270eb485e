"""What the landing page shows about the town's people, usable without a request."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from sqlalchemy import func, select

from projektfabrik.accounts.models import Kind, User
from projektfabrik.extensions import db


@dataclass(frozen=True)
class LandingStats:
    people: int
    citizens: int
    businesses: int
    administration: int


def landing_stats() -> LandingStats:
    """People who take part: accounts whose owner confirmed the address (an invited
    admin who has not accepted yet, or a registration never confirmed, does not count)."""
    rows = db.session.execute(
        select(User.kind, func.count())
        .where(User.deleted_at.is_(None), User.email_verified_at.is_not(None))
        .group_by(User.kind)
    ).all()
    counts = {kind: n for kind, n in rows}
    return LandingStats(
        people=sum(counts.values()),
        citizens=counts.get(Kind.CITIZEN, 0),
        businesses=counts.get(Kind.BUSINESS, 0),
        administration=counts.get(Kind.ADMINISTRATION, 0),
    )


def recent_people(limit: int = 6) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.deleted_at.is_(None), User.email_verified_at.is_not(None))
            .order_by(User.created_at.desc(), User.id.desc())
            .limit(limit)
        )
    )


#: A block of a town's text that names a module: ``::: modul funding`` … ``:::``.
_MODULE_BLOCK = re.compile(
    r"^:::[ \t]*modul[ \t]+([a-z0-9_]+)[ \t]*\r?\n(.*?)^:::[ \t]*$\r?\n?",
    re.MULTILINE | re.DOTALL,
)


def town_text(markdown: str, enabled: Container[str]) -> str:
    """A town's text (tenants/<slug>/*.md) with the blocks of modules it has switched off
    left out; the markers of the others are dropped and their text kept."""
    return _MODULE_BLOCK.sub(
        lambda m: m.group(2) if m.group(1) in enabled else "",
        markdown,
    )
