"""Town-level queries and operations, usable without a request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from projektfabrik.accounts.models import Kind, User
from projektfabrik.extensions import db
from projektfabrik.tenancy.models import District


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


def districts() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.position, District.name)))


def district_named(name: str) -> District | None:
    """The current town's district of that name (another town's is never found)."""
    return db.session.scalar(select(District).where(District.name == name)) if name else None
