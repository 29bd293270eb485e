"""Funding pots: listing, finding, the open period, jurors, the money figures and the budget lock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from projektfabrik.api import (
    User,
    db,
)
from projektfabrik_funding.models import (
    COMMITTED_STATES,
    Application,
    Juror,
    Pot,
    PotState,
    State,
)


def pots(states: Sequence[PotState] | None = None) -> list[Pot]:
    stmt = select(Pot).order_by(Pot.created_at.desc(), Pot.id.desc())
    if states is not None:
        stmt = stmt.where(Pot.state.in_(list(states)))
    return list(db.session.scalars(stmt))


def find_pot(ref: str) -> Pot | None:
    return db.session.scalar(select(Pot).where(Pot.ref == ref))


def is_open(pot: Pot, today: date | None = None) -> bool:
    today = today or date.today()
    if pot.state != PotState.ACTIVE:
        return False
    if pot.opens_on and today < pot.opens_on:
        return False
    return not (pot.closes_on and today > pot.closes_on)


def jurors(pot: Pot) -> list[Juror]:
    return list(db.session.scalars(select(Juror).where(Juror.pot_id == pot.id).order_by(Juror.id)))


def set_jurors(pot: Pot, users: Sequence[User]) -> None:
    wanted = {u.id for u in users}
    for juror in jurors(pot):
        if juror.user_id not in wanted:
            db.session.delete(juror)
        else:
            wanted.discard(juror.user_id)
    for user_id in sorted(wanted):
        db.session.add(Juror(pot_id=pot.id, user_id=user_id))
    db.session.flush()


@dataclass(frozen=True)
class PotFigures:
    budget: int
    committed: int
    paid: int
    reclaimed: int
    by_state: dict[State, int]

    @property
    def remaining(self) -> int:
        return self.budget - self.committed


def committed_cents(pot: Pot) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Application.approved_cents), 0)).where(
                Application.pot_id == pot.id, Application.state.in_(COMMITTED_STATES)
            )
        )
        or 0
    )


def figures(pot: Pot) -> PotFigures:
    rows = db.session.execute(
        select(
            Application.state,
            func.count(),
            func.coalesce(func.sum(Application.paid_cents), 0),
        )
        .where(Application.pot_id == pot.id)
        .group_by(Application.state)
    ).all()
    by_state = {State(state): int(count) for state, count, _paid in rows}
    paid = sum(int(p or 0) for _s, _c, p in rows)
    reclaimed = int(
        db.session.scalar(
            select(func.coalesce(func.sum(Application.reclaimed_cents), 0)).where(
                Application.pot_id == pot.id
            )
        )
        or 0
    )
    return PotFigures(pot.budget_cents, committed_cents(pot), paid, reclaimed, by_state)


def funded_projects(pot: Pot) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.pot_id == pot.id, Application.state.in_(COMMITTED_STATES))
            .order_by(Application.decided_at)
        )
    )


def lock_pot(pot_id: int) -> Pot:
    """The pot's row, locked until the transaction ends (``SELECT … FOR UPDATE``).

    On SQLite the clause is dropped; the database has one writer at a time, and
    the UPDATE below makes this transaction that writer before it counts.
    """
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        db.session.execute(
            update(Pot)
            .where(Pot.id == pot_id)
            .values(budget_cents=Pot.budget_cents)
            .execution_options(synchronize_session=False)
        )
    pot = db.session.scalar(
        select(Pot)
        .where(Pot.id == pot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert pot is not None
    return pot
