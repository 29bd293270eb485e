"""The plan at a glance: completeness, the next step, the schedule, the overview page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from projektfabrik import workercache
from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.planning.finance import FinanceSummary, finance_summary
from projektfabrik.planning.items import MAX_MONTHS
from projektfabrik.planning.labels import PROFILE_FIELDS, PROFILE_LABELS
from projektfabrik.planning.models import (
    CostItem,
    FinancingLine,
    Milestone,
    Requirement,
    Section,
    Task,
    WorkPackage,
)
from projektfabrik.planning.queries import (
    cost_items,
    financing_lines,
    milestones,
    profile,
    requirements,
    tasks,
    work_packages,
)
from projektfabrik.planning.visibility import visible_sections
from projektfabrik.projects.models import Project


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    endpoint: str
    anchor: str = ""


@dataclass(frozen=True)
class Completeness:
    steps: tuple[Step, ...]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 100

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)


@dataclass(frozen=True)
class PlanCounts:
    """How many of each kind of item a plan has, and what of its profile is filled in:
    plain data, kept per town version."""

    work_packages: int
    tasks: int
    undated_tasks: int
    milestones: int
    requirements: int
    financing_lines: int
    #: The profile's fields that are filled in.
    profile_filled: frozenset[str] = frozenset()


def plan_counts(project: Project) -> PlanCounts:
    """The counts the plan's completeness needs and the profile's filled fields
    (two statements), kept per project version."""

    def build() -> PlanCounts:
        def count(model: type, *where: Any) -> Any:
            return (
                select(func.count())
                .select_from(model)
                .where(model.project_id == project.id, *where)  # type: ignore[attr-defined]
                .scalar_subquery()
            )

        row = db.session.execute(
            select(
                count(WorkPackage),
                count(Task),
                count(Task, (Task.start.is_(None)) | (Task.end.is_(None))),
                count(Milestone),
                count(Requirement),
                count(FinancingLine),
            )
        ).one()
        found = profile(project)
        filled = frozenset(name for name in PROFILE_FIELDS if found and getattr(found, name))
        n = [int(value or 0) for value in row]
        return PlanCounts(n[0], n[1], n[2], n[3], n[4], n[5], profile_filled=filled)

    return workercache.town_result("planning.counts", build=build, scope=project)


def completeness(project: Project, summary: FinanceSummary | None = None) -> Completeness:
    """How far the plan is, and the next thing to do (in the plan's order).

    ``summary``: the plan's finance summary when the caller has it already."""
    counts = plan_counts(project)
    steps = [
        Step(
            f"profile.{name}",
            _("Profile: %(field)s", field=PROFILE_LABELS[name]),
            name in counts.profile_filled,
            "planning.profile",
            name,
        )
        for name in PROFILE_FIELDS
    ]
    summary = summary or finance_summary(project)
    steps += [
        Step(
            "work_package", _("Add a work package"), counts.work_packages > 0, "planning.work_plan"
        ),
        Step("task", _("Add tasks"), counts.tasks > 0, "planning.work_plan"),
        Step(
            "dates",
            _("Give every task a start and an end"),
            counts.tasks > 0 and not counts.undated_tasks,
            "planning.work_plan",
        ),
        Step("milestone", _("Set a milestone"), counts.milestones > 0, "planning.work_plan"),
        Step("resource", _("List what you need"), counts.requirements > 0, "planning.resources"),
        Step(
            "financing", _("Say how it is financed"), counts.financing_lines > 0, "planning.finance"
        ),
        Step(
            "balance",
            _("Make financing equal the costs"),
            counts.financing_lines > 0 and summary.balanced and summary.total_costs > 0,
            "planning.finance",
        ),
    ]
    return Completeness(tuple(steps))


@dataclass(frozen=True)
class ScheduleRow:
    task: Task
    cells: tuple[bool, ...]


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    cells: tuple[bool, ...]


@dataclass(frozen=True)
class Schedule:
    months: tuple[date, ...]  # the first day of each month shown
    rows: tuple[ScheduleRow, ...]
    milestone_rows: tuple[MilestoneRow, ...]
    undated: tuple[Task, ...]
    truncated: bool = False


def _month(value: date) -> date:
    return value.replace(day=1)


def _add_month(value: date) -> date:
    return (
        value.replace(year=value.year + 1, month=1)
        if value.month == 12
        else value.replace(month=value.month + 1)
    )


def build_schedule(task_list: Sequence[Task], milestone_list: Sequence[Milestone]) -> Schedule:
    """Months as columns, from the earliest date to the latest; tasks and milestones as rows."""
    dated = [t for t in task_list if t.start and t.end]
    undated = tuple(t for t in task_list if not (t.start and t.end))
    points: list[date] = [d for t in dated for d in (t.start, t.end) if d is not None]
    points += [m.due for m in milestone_list]
    if not points:
        return Schedule((), (), (), undated)
    first, last = _month(min(points)), _month(max(points))
    months = [first]
    while months[-1] < last and len(months) < MAX_MONTHS:
        months.append(_add_month(months[-1]))
    truncated = months[-1] < last
    rows = tuple(
        ScheduleRow(
            t,
            tuple(_month(t.start) <= m <= _month(t.end) for m in months),  # type: ignore[arg-type]
        )
        for t in dated
    )
    milestone_rows = tuple(
        MilestoneRow(m, tuple(_month(m.due) == month for month in months)) for m in milestone_list
    )
    return Schedule(tuple(months), rows, milestone_rows, undated, truncated)


@dataclass(frozen=True)
class PlanView:
    """The plan as one person may see it: the exports and the print view render this."""

    project: Project
    sections: frozenset[Section]
    profile: Mapping[str, str]
    work_packages: tuple[WorkPackage, ...]
    tasks: tuple[Task, ...]
    milestones: tuple[Milestone, ...]
    requirements: tuple[Requirement, ...]
    cost_items: tuple[CostItem, ...]
    financing: tuple[FinancingLine, ...]
    summary: FinanceSummary | None
    schedule: Schedule | None

    def shows(self, section: Section | str) -> bool:
        return Section(section) in self.sections


def plan_view(project: Project, user: User | None) -> PlanView:
    sections = visible_sections(project, user)
    found = profile(project) if Section.PROFILE in sections else None
    work = Section.WORK_PLAN in sections
    task_list = tuple(tasks(project)) if work else ()
    milestone_list = tuple(milestones(project)) if work else ()
    return PlanView(
        project=project,
        sections=sections,
        profile={name: getattr(found, name) if found else "" for name in PROFILE_FIELDS},
        work_packages=tuple(work_packages(project)) if work else (),
        tasks=task_list,
        milestones=milestone_list,
        requirements=tuple(requirements(project)) if Section.RESOURCES in sections else (),
        cost_items=tuple(cost_items(project)) if Section.FINANCE in sections else (),
        financing=tuple(financing_lines(project)) if Section.FINANCE in sections else (),
        summary=finance_summary(project) if Section.FINANCE in sections else None,
        schedule=build_schedule(task_list, milestone_list) if work else None,
    )
