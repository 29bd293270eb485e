"""The team's side: which goals a project serves, what it expects to contribute per
indicator, what it reports it achieved; and town staff confirming a report.

Rules (docs/strategy.md): one expected value per project and indicator (saving
again replaces it); one reported value per project, indicator and year (a new
report for the same year replaces the old one and must be confirmed again), so
nothing is counted twice. Callers commit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from projektfabrik.accounts.models import User
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.strategy.models import (
    Contribution,
    Goal,
    Indicator,
    ProjectGoal,
    ReportedResult,
)
from projektfabrik.strategy.services import FIRST_YEAR, StrategyError
from projektfabrik.strategy.values import checked
from projektfabrik.uploads import CheckedUpload, discard_upload, store_upload

#: Where the photos and documents of reported results are kept (per town).
UPLOAD_AREA = "strategy"
#: What a team may attach to a result: a photo or a document.
FILE_KINDS = ("pdf", "png", "jpeg", "webp", "odt", "docx")


def may_confirm(user: Any) -> bool:
    """Town staff confirm results: staff whom the admin confirmed, moderators, admins."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (user.is_confirmed_staff or user.is_moderator)
    )


# --- reading -------------------------------------------------------------------------


def goal_ids(project: Project) -> set[int]:
    return set(
        db.session.scalars(select(ProjectGoal.goal_id).where(ProjectGoal.project_id == project.id))
    )


def linked_goals(project: Project) -> list[Goal]:
    """The goals the project serves, with their indicators, in the town's order."""
    return list(
        db.session.scalars(
            select(Goal)
            .join(ProjectGoal, ProjectGoal.goal_id == Goal.id)
            .where(ProjectGoal.project_id == project.id)
            .options(selectinload(Goal.indicators))
            .order_by(Goal.position, Goal.id)
        )
    )


def contributions(project: Project) -> dict[int, Contribution]:
    """The project's expected contributions by indicator id."""
    rows = db.session.scalars(select(Contribution).where(Contribution.project_id == project.id))
    return {row.indicator_id: row for row in rows}


def results(project: Project) -> list[ReportedResult]:
    """The project's reported results, newest year first."""
    return list(
        db.session.scalars(
            select(ReportedResult)
            .where(ReportedResult.project_id == project.id)
            .options(
                selectinload(ReportedResult.indicator), selectinload(ReportedResult.confirmed_by)
            )
            .order_by(ReportedResult.year.desc(), ReportedResult.id)
        )
    )


def find_result(project: Project, ref: str) -> ReportedResult | None:
    return db.session.scalar(
        select(ReportedResult).where(
            ReportedResult.project_id == project.id, ReportedResult.ref == ref
        )
    )


def indicator_of(project: Project, ref: str) -> Indicator | None:
    """An indicator of a goal the project serves (``None`` for any other ref)."""
    return db.session.scalar(
        select(Indicator)
        .join(ProjectGoal, ProjectGoal.goal_id == Indicator.goal_id)
        .where(ProjectGoal.project_id == project.id, Indicator.ref == ref)
    )


def unconfirmed() -> list[ReportedResult]:
    """Reports waiting for town staff, oldest first."""
    return list(
        db.session.scalars(
            select(ReportedResult)
            .where(ReportedResult.confirmed_at.is_(None))
            .options(selectinload(ReportedResult.indicator), selectinload(ReportedResult.project))
            .order_by(ReportedResult.reported_at, ReportedResult.id)
        )
    )


# --- changing ------------------------------------------------------------------------


def set_goals(project: Project, chosen: set[int], *, actor: User | None) -> None:
    """Link the project to exactly the goals ``chosen`` (ids of the town's goals).

    Unlinking a goal drops the project's expected contributions to it; a goal
    with reported results stays linked (they are history) and is refused.
    """
    known = set(db.session.scalars(select(Goal.id).where(Goal.id.in_(chosen)))) if chosen else set()
    current = goal_ids(project)
    dropped = current - known
    if dropped:
        reported = db.session.scalar(
            select(Goal.title)
            .join(Indicator, Indicator.goal_id == Goal.id)
            .join(ReportedResult, ReportedResult.indicator_id == Indicator.id)
            .where(ReportedResult.project_id == project.id, Goal.id.in_(dropped))
            .limit(1)
        )
        if reported is not None:
            raise StrategyError(
                _(
                    "“%(goal)s” stays: the project has reported results for it.",
                    goal=reported,
                ),
                "goals",
            )
        for row in db.session.scalars(
            select(ProjectGoal).where(
                ProjectGoal.project_id == project.id, ProjectGoal.goal_id.in_(dropped)
            )
        ):
            db.session.delete(row)
        for contribution in db.session.scalars(
            select(Contribution)
            .join(Indicator, Indicator.id == Contribution.indicator_id)
            .where(Contribution.project_id == project.id, Indicator.goal_id.in_(dropped))
        ):
            db.session.delete(contribution)
    for goal_id in sorted(known - current):
        db.session.add(ProjectGoal(project_id=project.id, goal_id=goal_id))
    if known != current:
        audit.record(
            "strategy.project_goals",
            actor=actor,
            target=project.title,
            detail={"project": project.number, "goals": sorted(known)},
        )


def set_expected(
    project: Project,
    indicator: Indicator,
    expected: Decimal | None,
    basis: str,
    *,
    actor: User | None,
) -> None:
    """Set (``None``: remove) what the project expects to contribute to ``indicator``.
    The indicator must belong to a goal the project serves."""
    if indicator.goal_id not in goal_ids(project):
        raise StrategyError(_("Please link the project to this goal first."), None)
    row = db.session.scalar(
        select(Contribution).where(
            Contribution.project_id == project.id, Contribution.indicator_id == indicator.id
        )
    )
    if expected is None:
        if row is not None:
            db.session.delete(row)
        return
    expected = checked(expected)
    if row is None:
        row = Contribution(project_id=project.id, indicator_id=indicator.id, expected=expected)
        db.session.add(row)
    row.expected = expected
    row.basis = " ".join((basis or "").split())[:300]


def report(
    project: Project,
    indicator: Indicator,
    *,
    value: Decimal,
    achieved_on: date,
    note: str = "",
    upload: CheckedUpload | None = None,
    actor: User | None,
    today: date | None = None,
) -> ReportedResult:
    """Report what the project achieved for ``indicator`` in the year of ``achieved_on``.

    A report for a year already reported replaces the value (not adds to it)
    and clears the confirmation; a file given replaces the old one.
    """
    if indicator.goal_id not in goal_ids(project):
        raise StrategyError(_("Please link the project to this goal first."), None)
    value = checked(value)
    today = today or date.today()
    if achieved_on > today:
        raise StrategyError(_("The date cannot be in the future."), "achieved_on")
    if achieved_on.year < FIRST_YEAR:
        raise StrategyError(_("Please check the date."), "achieved_on")
    row = db.session.scalar(
        select(ReportedResult).where(
            ReportedResult.project_id == project.id,
            ReportedResult.indicator_id == indicator.id,
            ReportedResult.year == achieved_on.year,
        )
    )
    if row is None:
        row = ReportedResult(
            project_id=project.id, indicator_id=indicator.id, year=achieved_on.year
        )
        db.session.add(row)
    row.value = value
    row.achieved_on = achieved_on
    row.note = " ".join((note or "").split())[:300]
    row.reported_by_id = actor.id if actor is not None else None
    row.reported_at = utcnow()
    row.confirmed_by_id = None
    row.confirmed_at = None
    if upload is not None:
        discard_upload(UPLOAD_AREA, row.file_name)  # the replaced report's file goes on commit
        row.file_name = store_upload(UPLOAD_AREA, upload)
        row.file_title = upload.display_name[:200]
    audit.record(
        "strategy.result_reported",
        actor=actor,
        target=project.title,
        detail={"indicator": indicator.name, "year": row.year, "value": str(value)},
    )
    return row


def confirm(result: ReportedResult, *, actor: User) -> None:
    """Town staff confirm a reported value; only then does it count as achieved."""
    if not may_confirm(actor):
        raise StrategyError(_("Only town staff can confirm results."), None)
    result.confirmed_by_id = actor.id
    result.confirmed_at = utcnow()
    audit.record(
        "strategy.result_confirmed",
        actor=actor,
        target=result.project.title,
        detail={
            "indicator": result.indicator.name,
            "year": result.year,
            "value": str(result.value),
        },
    )
