"""The town's districts, usable without a request."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.tenancy.models import District


def districts() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.position, District.name)))


def district_named(name: str) -> District | None:
    """The current town's district of that name (another town's is never found)."""
    return db.session.scalar(select(District).where(District.name == name)) if name else None
