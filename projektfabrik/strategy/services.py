"""The admin's side: groups (fields of action), goals, their order, indicators and
targets. Plain values in, rows out; nothing is committed here, and each change
writes an audit entry in the caller's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from projektfabrik.accounts.models import User
from projektfabrik.audit import services as audit
from projektfabrik.extensions import db
from projektfabrik.refusal import Refusal
from projektfabrik.strategy.models import Goal, GoalGroup, Indicator, IndicatorTarget
from projektfabrik.strategy.values import checked
from projektfabrik.workercache import town_value

#: Years a target may be set for; outside this range a typo is likelier than a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class StrategyError(Refusal):
    """A change to the town's goals the rules refuse."""


def _tidy(text: str | None) -> str:
    return " ".join((text or "").split())


def _next_position(model: Any, *where: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


# --- reading -------------------------------------------------------------------------


def groups() -> list[GoalGroup]:
    return list(db.session.scalars(select(GoalGroup).order_by(GoalGroup.position, GoalGroup.id)))


def goals() -> list[Goal]:
    """Every goal with its group, indicators and targets (four queries in all)."""
    return list(
        db.session.scalars(
            select(Goal)
            .options(
                selectinload(Goal.group),
                selectinload(Goal.indicators).selectinload(Indicator.targets),
            )
            .order_by(Goal.position, Goal.id)
        )
    )


def find_goal(ref: str) -> Goal | None:
    return db.session.scalar(select(Goal).where(Goal.ref == ref))


def find_group(ref: str) -> GoalGroup | None:
    return db.session.scalar(select(GoalGroup).where(GoalGroup.ref == ref))


def find_indicator(ref: str) -> Indicator | None:
    return db.session.scalar(select(Indicator).where(Indicator.ref == ref))


# --- groups --------------------------------------------------------------------------


def add_group(name: str, *, actor: User | None) -> GoalGroup:
    name = _tidy(name)
    if not name:
        raise StrategyError(_("Please enter a name."), "name")
    if db.session.scalar(select(GoalGroup.id).where(GoalGroup.name == name)) is not None:
        raise StrategyError(_("This name is already in the list."), "name")
    group = GoalGroup(name=name, position=_next_position(GoalGroup))
    db.session.add(group)
    audit.record("strategy.group_added", actor=actor, target=name)
    return group


def remove_group(group: GoalGroup, *, actor: User | None) -> None:
    # Its goals stay and lose the group (ondelete SET NULL).
    audit.record("strategy.group_removed", actor=actor, target=group.name)
    db.session.delete(group)


# --- goals ---------------------------------------------------------------------------


def save_goal(
    goal: Goal | None,
    *,
    title: str,
    summary: str,
    source_url: str,
    group: GoalGroup | None,
    actor: User | None,
) -> Goal:
    """Add a goal (``goal=None``, at the end of the order) or change one."""
    title = _tidy(title)
    if not title:
        raise StrategyError(_("Please enter a title."), "title")
    clash = select(Goal.id).where(Goal.title == title)
    if goal is not None:
        clash = clash.where(Goal.id != goal.id)
    if db.session.scalar(clash) is not None:
        raise StrategyError(_("The town already has a goal of this title."), "title")
    if goal is None:
        goal = Goal(position=_next_position(Goal))
        db.session.add(goal)
        action = "strategy.goal_added"
    else:
        action = "strategy.goal_changed"
    goal.title = title
    goal.summary = (summary or "").strip()
    goal.source_url = (source_url or "").strip()
    goal.group = group
    audit.record(action, actor=actor, target=title)
    return goal


def remove_goal(goal: Goal, *, actor: User | None) -> None:
    """Remove a goal with its indicators and every contribution and result to them."""
    audit.record("strategy.goal_removed", actor=actor, target=goal.title)
    db.session.delete(goal)


def move_goal(goal: Goal, step: int, *, actor: User | None) -> None:
    """Move a goal one place up (``-1``) or down (``+1``); the order is renumbered."""
    order = goals()
    at = next(i for i, g in enumerate(order) if g.id == goal.id)
    to = at + (1 if step > 0 else -1)
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    for position, each in enumerate(order):
        each.position = position
    audit.record("strategy.goal_moved", actor=actor, target=goal.title)


# --- indicators and targets ----------------------------------------------------------


def add_indicator(goal: Goal, *, name: str, unit: str, actor: User | None) -> Indicator:
    name, unit = _tidy(name), _tidy(unit)
    if not name:
        raise StrategyError(_("Please enter a name."), "name")
    if not unit:
        raise StrategyError(_("Please enter the unit, e.g. “trees planted”."), "unit")
    taken = select(Indicator.id).where(Indicator.goal_id == goal.id, Indicator.name == name)
    if db.session.scalar(taken) is not None:
        raise StrategyError(_("This goal already has an indicator of this name."), "name")
    indicator = Indicator(
        goal=goal,
        name=name,
        unit=unit,
        position=_next_position(Indicator, Indicator.goal_id == goal.id),
    )
    db.session.add(indicator)
    audit.record("strategy.indicator_added", actor=actor, target=f"{goal.title}: {name}")
    return indicator


def remove_indicator(indicator: Indicator, *, actor: User | None) -> None:
    audit.record(
        "strategy.indicator_removed",
        actor=actor,
        target=f"{indicator.goal.title}: {indicator.name}",
    )
    db.session.delete(indicator)


def set_target(
    indicator: Indicator, year: int, value: Decimal | None, *, actor: User | None
) -> None:
    """Set (or with ``value=None`` remove) the indicator's target for ``year``."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise StrategyError(
            _("Please enter a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR),
            "year",
        )
    row = db.session.scalar(
        select(IndicatorTarget).where(
            IndicatorTarget.indicator_id == indicator.id, IndicatorTarget.year == year
        )
    )
    if value is None:
        if row is not None:
            db.session.delete(row)
    else:
        value = checked(value)
        if row is None:
            row = IndicatorTarget(indicator_id=indicator.id, year=year, value=value)
            db.session.add(row)
        row.value = value
    audit.record(
        "strategy.target_set",
        actor=actor,
        target=f"{indicator.goal.title}: {indicator.name}",
        detail={"year": year, "value": None if value is None else str(value)},
    )


def set_headline(indicator: Indicator, on: bool, *, actor: User | None) -> None:
    """Show (or stop showing) the indicator's confirmed sum on the landing page."""
    indicator.headline = on
    audit.record(
        "strategy.headline",
        actor=actor,
        target=f"{indicator.goal.title}: {indicator.name}",
        detail={"on": on},
    )


def goal_choices() -> list[tuple[str, str]]:
    """``(ref, title)`` of every goal, in order: the marketplace filter's choices.

    Asked on every view of the marketplace, and the goals change with the
    town's data only: the worker keeps them until the town's version changes
    (one query when it has). A copy, so no caller changes the kept list.
    """
    return list(town_value("strategy.goal-choices", _goal_choices))


def _goal_choices() -> tuple[tuple[str, str], ...]:
    return tuple(
        (ref, title)
        for ref, title in db.session.execute(
            select(Goal.ref, Goal.title).order_by(Goal.position, Goal.id)
        )
    )
