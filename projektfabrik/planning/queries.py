"""Reading a plan's parts: the profile and the lists, in their order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.extensions import db
from projektfabrik.planning.models import (
    CostItem,
    FinancingLine,
    Milestone,
    Profile,
    Requirement,
    Task,
    WorkPackage,
)
from projektfabrik.projects.models import Project


def _in_order(model: Any, project: Project, *options: Any) -> list[Any]:
    """The project's items of one list, in the order the team gave them."""
    return list(
        db.session.scalars(
            select(model)
            .where(model.project_id == project.id)
            .options(*options)
            .order_by(model.position, model.id)
        )
    )


def profile(project: Project) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.project_id == project.id))


def work_packages(project: Project) -> list[WorkPackage]:
    return _in_order(WorkPackage, project, joinedload(WorkPackage.responsible))


def tasks(project: Project) -> list[Task]:
    """Tasks in plan order: by work package, then by their own order."""
    return list(
        db.session.scalars(
            select(Task)
            .where(Task.project_id == project.id)
            .outerjoin(WorkPackage, Task.work_package_id == WorkPackage.id)
            .options(joinedload(Task.work_package), joinedload(Task.responsible))
            .order_by(WorkPackage.id.is_(None), WorkPackage.position, Task.position, Task.id)
        )
    )


def milestones(project: Project) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.project_id == project.id)
            .order_by(Milestone.due, Milestone.position, Milestone.id)
        )
    )


def requirements(project: Project) -> list[Requirement]:
    return _in_order(Requirement, project, joinedload(Requirement.task))


def cost_items(project: Project) -> list[CostItem]:
    return _in_order(CostItem, project)


def financing_lines(project: Project) -> list[FinancingLine]:
    return _in_order(FinancingLine, project)


def _by_ref(model: type, project: Project, ref: str) -> Any:
    return db.session.scalar(
        select(model).where(model.project_id == project.id, model.ref == ref)  # type: ignore[attr-defined]
    )


def find_item(model: type, project: Project, ref: str) -> Any:
    """An item of this project by its ref (through the tenant wall), or None."""
    return _by_ref(model, project, ref)


def item_project(item: Any) -> Project:
    return db.session.get(Project, item.project_id)  # type: ignore[return-value]
