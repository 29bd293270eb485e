"""What the projects achieved together: the figures of the public dashboard.

Every sum is taken per indicator (one unit) in SQL with GROUP BY, so the page
costs the same few queries at 20 or 2,000 projects (tests assert the count).
:class:`Quantity` is the guard that a value never meets one of another unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from projektfabrik.extensions import db
from projektfabrik.plugins.types import ImpactFigure
from projektfabrik.projects.models import Project, Status
from projektfabrik.strategy import services
from projektfabrik.strategy.models import (
    Contribution,
    Goal,
    Indicator,
    ProjectGoal,
    ReportedResult,
)
from projektfabrik.tenancy.models import District

ZERO = Decimal("0.00")


class UnitMismatch(ValueError):
    """Two values of different units were about to be added (a programming error)."""


@dataclass(frozen=True)
class Quantity:
    """A value in a unit; adding two of different units raises :class:`UnitMismatch`."""

    value: Decimal
    unit: str

    def __add__(self, other: Quantity) -> Quantity:
        if other.unit != self.unit:
            raise UnitMismatch(f"{self.unit!r} + {other.unit!r}")
        return Quantity(self.value + other.value, self.unit)


def total(quantities: Iterable[Quantity], unit: str) -> Quantity:
    """The sum of ``quantities``, all of which must be in ``unit``."""
    result = Quantity(ZERO, unit)
    for quantity in quantities:
        result = result + quantity
    return result


@dataclass
class IndicatorFigures:
    indicator: Indicator
    expected: Quantity
    reported: Quantity
    confirmed: Quantity
    #: Confirmed per year, ascending: ``[(year, value)]``.
    per_year: list[tuple[int, Decimal]] = field(default_factory=list)
    #: Confirmed and expected per district: ``[(district name or "", confirmed, expected)]``.
    per_district: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    @property
    def target(self) -> tuple[int, Decimal] | None:
        """The latest year's target, if any: ``(year, value)``."""
        if not self.indicator.targets:
            return None
        last = self.indicator.targets[-1]
        return last.year, last.value


@dataclass
class GoalFigures:
    goal: Goal
    #: Projects serving the goal by status, in the life cycle's order: ``[(status, count)]``.
    by_status: list[tuple[Status, int]]
    indicators: list[IndicatorFigures]

    @property
    def project_count(self) -> int:
        return sum(count for _status, count in self.by_status)


def gather() -> list[GoalFigures]:
    """Every goal of the town with its figures; nine queries whatever the number of projects."""
    goals = services.goals()  # goals, groups, indicators, targets: four queries

    status_counts: dict[int, dict[Status, int]] = defaultdict(dict)
    for goal_id, status, count in db.session.execute(
        select(ProjectGoal.goal_id, Project.status, func.count())
        .join(Project, Project.id == ProjectGoal.project_id)
        .group_by(ProjectGoal.goal_id, Project.status)
    ):
        status_counts[goal_id][Status(status)] = count

    expected: dict[int, Decimal] = {
        indicator_id: Decimal(value or 0)
        for indicator_id, value in db.session.execute(
            select(Contribution.indicator_id, func.sum(Contribution.expected)).group_by(
                Contribution.indicator_id
            )
        )
    }

    confirmed_value = case(
        (ReportedResult.confirmed_at.is_not(None), ReportedResult.value), else_=0
    )
    reported: dict[int, Decimal] = defaultdict(lambda: ZERO)
    confirmed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_year: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for indicator_id, year, all_sum, confirmed_sum in db.session.execute(
        select(
            ReportedResult.indicator_id,
            ReportedResult.year,
            func.sum(ReportedResult.value),
            func.sum(confirmed_value),
        )
        .group_by(ReportedResult.indicator_id, ReportedResult.year)
        .order_by(ReportedResult.indicator_id, ReportedResult.year)
    ):
        reported[indicator_id] += Decimal(all_sum or 0)
        confirmed[indicator_id] += Decimal(confirmed_sum or 0)
        per_year[indicator_id].append((year, Decimal(confirmed_sum or 0)))

    districts: dict[int, dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [ZERO, ZERO])
    )
    for indicator_id, name, value in db.session.execute(
        select(ReportedResult.indicator_id, District.name, func.sum(ReportedResult.value))
        .join(Project, Project.id == ReportedResult.project_id)
        .outerjoin(District, District.id == Project.district_id)
        .where(ReportedResult.confirmed_at.is_not(None))
        .group_by(ReportedResult.indicator_id, District.name)
    ):
        districts[indicator_id][name or ""][0] += Decimal(value or 0)
    for indicator_id, name, value in db.session.execute(
        select(Contribution.indicator_id, District.name, func.sum(Contribution.expected))
        .join(Project, Project.id == Contribution.project_id)
        .outerjoin(District, District.id == Project.district_id)
        .group_by(Contribution.indicator_id, District.name)
    ):
        districts[indicator_id][name or ""][1] += Decimal(value or 0)

    result = []
    for goal in goals:
        counts = status_counts.get(goal.id, {})
        rows = []
        for indicator in goal.indicators:
            unit = indicator.unit
            rows.append(
                IndicatorFigures(
                    indicator=indicator,
                    expected=Quantity(_two(expected.get(indicator.id, ZERO)), unit),
                    reported=Quantity(_two(reported[indicator.id]), unit),
                    confirmed=Quantity(_two(confirmed[indicator.id]), unit),
                    per_year=[(y, _two(v)) for y, v in per_year.get(indicator.id, [])],
                    per_district=sorted(
                        (
                            (name, _two(c), _two(e))
                            for name, (c, e) in districts[indicator.id].items()
                        ),
                        key=lambda row: (row[0] == "", row[0]),
                    ),
                )
            )
        result.append(
            GoalFigures(
                goal=goal,
                by_status=[(s, counts[s]) for s in Status if counts.get(s)],
                indicators=rows,
            )
        )
    return result


def _two(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def csv_rows(goals: list[GoalFigures]) -> list[list[object]]:
    """The dashboard as one table for the CSV: one row per indicator."""
    rows: list[list[object]] = [
        [
            _("Goal"),
            _("Indicator"),
            _("Unit"),
            _("Projects"),
            _("Expected"),
            _("Reported"),
            _("Confirmed"),
            _("Target year"),
            _("Target"),
        ]
    ]
    for goal in goals:
        for row in goal.indicators:
            target = row.target
            rows.append(
                [
                    goal.goal.title,
                    row.indicator.name,
                    row.indicator.unit,
                    goal.project_count,
                    row.expected.value,
                    row.reported.value,
                    row.confirmed.value,
                    target[0] if target else "",
                    target[1] if target else "",
                ]
            )
    return rows


def headlines() -> list[tuple[Indicator, Quantity]]:
    """The indicators the admin chose for the landing page with their confirmed sums
    (one query)."""
    confirmed = func.coalesce(func.sum(ReportedResult.value), 0)
    rows = db.session.execute(
        select(Indicator, confirmed)
        .outerjoin(
            ReportedResult,
            (ReportedResult.indicator_id == Indicator.id)
            & ReportedResult.confirmed_at.is_not(None),
        )
        .where(Indicator.headline.is_(True))
        .group_by(Indicator.id)
        .order_by(Indicator.position, Indicator.id)
    ).all()
    return [
        (indicator, Quantity(_two(Decimal(value)), indicator.unit)) for indicator, value in rows
    ]


def plugin_figures() -> dict[str, list[ImpactFigure]]:
    """What the town's enabled plugins add (``pf_impact_indicators``), by goal ref
    (``""``: the town as a whole). Shown beside the goals' indicators, never
    added to them."""
    from projektfabrik.plugins.manager import get_manager
    from projektfabrik.plugins.state import enabled_plugins

    found: dict[str, list[ImpactFigure]] = defaultdict(list)
    for _name, figure in get_manager().collect(
        "pf_impact_indicators", ImpactFigure, enabled_plugins()
    ):
        found[figure.goal_ref].append(figure)
    return dict(found)
