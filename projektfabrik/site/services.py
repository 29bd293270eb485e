"""What the landing page shows about the town's people, usable without a request."""

from __future__ import annotations

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
    rows = db.session.execute(
        select(User.kind, func.count()).where(User.deleted_at.is_(None)).group_by(User.kind)
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
