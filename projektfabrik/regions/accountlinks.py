"""A person's link between their account in one town and an account in a neighbouring town.

Each town keeps its own row, behind its own wall; neither reads the other's.
In the person's home town (where they had their account) the row is a ``home``
link and names the other town; in the town that made an account for them from
the handoff it is a ``guest`` link and also names the home account's ``ref``,
the only thing of the home town it remembers.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projektfabrik.accounts.models import User
from projektfabrik.db import UTCDateTime, utcnow
from projektfabrik.extensions import Model, db
from projektfabrik.tenancy.isolation import TenantScoped
from projektfabrik.tenancy.models import Tenant


class Side(enum.StrEnum):
    #: The account here is the person's own; the other town has a linked copy.
    HOME = "home"
    #: The account here was made from the other town's handoff.
    GUEST = "guest"


class TownLink(TenantScoped, Model):
    __tablename__ = "town_link"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "other_town_id"),)
    __affects_public_pages__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The neighbouring town (a deployment-wide id, like ``region_member.town_id``).
    other_town_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    side: Mapped[Side] = mapped_column(
        Enum(Side, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    #: The ``ref`` of the person's account in their home town (the same as the
    #: user's own ref on the home side).
    home_ref: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the person ended the link (here, or in the other town and told here).
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    #: A deployment-wide row (its name and slug): reading it opens no wall.
    other_town: Mapped[Tenant] = relationship(foreign_keys=[other_town_id])

    @property
    def active(self) -> bool:
        return self.ended_at is None


def of_user(user: User) -> list[TownLink]:
    """The person's links, active ones first, newest first."""
    rows = db.session.scalars(
        select(TownLink).where(TownLink.user_id == user.id).order_by(TownLink.id.desc())
    )
    return sorted(rows, key=lambda link: not link.active)


def find(user: User, other_town_id: int) -> TownLink | None:
    return db.session.scalar(
        select(TownLink).where(TownLink.user_id == user.id, TownLink.other_town_id == other_town_id)
    )


def by_home_ref(other_town_id: int, home_ref: str, side: Side) -> TownLink | None:
    """The link the other town means when it names the person's home ``ref``."""
    return db.session.scalar(
        select(TownLink)
        .where(
            TownLink.other_town_id == other_town_id,
            TownLink.home_ref == home_ref,
            TownLink.side == side,
        )
        # A newer link wins over one whose account was deleted since.
        .order_by(TownLink.id.desc())
        .limit(1)
    )
