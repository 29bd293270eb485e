"""The town's districts, usable without a request."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.extensions import db
from projektfabrik.tenancy.models import District


def districts() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.position, District.name)))


def district_names() -> tuple[str, ...]:
    """The names of :func:`districts`, kept by the worker until the town changes."""
    return workercache.town_value(
        "tenancy.district_names", lambda: tuple(d.name for d in districts())
    )


def district_named(name: str) -> District | None:
    """The current town's district of that name (another town's is never found)."""
    return db.session.scalar(select(District).where(District.name == name)) if name else None
