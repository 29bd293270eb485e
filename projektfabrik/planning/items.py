"""Saving the profile and the list items (work packages, tasks, …). Callers commit."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.planning.errors import PlanError, StaleEdit
from projektfabrik.planning.labels import PROFILE_FIELDS
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Milestone,
    Profile,
    Requirement,
    ResourceKind,
    Section,
    Source,
    Task,
    TaskStatus,
    WorkPackage,
)
from projektfabrik.planning.money import MAX_CENTS
from projektfabrik.planning.queries import _by_ref, item_project, profile
from projektfabrik.planning.versions import _bump, _check_version, snapshot
from projektfabrik.projects.models import Membership, Project

TEXT_MAX = 5000


#: The schedule shows at most ten years (the predecessor's 120 months).
MAX_MONTHS = 120


def _team_member_by_ref(project: Project, ref: str, field: str) -> int | None:
    if not ref:
        return None
    user_id = db.session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project.id, User.ref == ref)
    )
    if user_id is None:
        raise PlanError(_("Please choose a member of the team."), field)
    return user_id


def save_profile(
    project: Project, author: User, values: Mapping[str, str], expected_version: int
) -> None:
    """Save the profile fields, unless someone saved it since ``expected_version``."""
    _check_version(project, Section.PROFILE, expected_version)
    found = profile(project)
    if found is None:
        found = Profile(project_id=project.id)
        db.session.add(found)
    for name in PROFILE_FIELDS:
        text = (values.get(name) or "").strip()
        if len(text) > TEXT_MAX:
            raise PlanError(_("At most %(max)d characters.", max=TEXT_MAX), name)
        setattr(found, name, text)
    _bump(project, Section.PROFILE, author, expected=expected_version)


@dataclass(frozen=True)
class WorkPackageInput:
    name: str
    description: str = ""
    responsible: str = ""  # a team member's ref


@dataclass(frozen=True)
class TaskInput:
    title: str
    description: str = ""
    expected_result: str = ""
    work_package: str = ""  # a work package's ref
    responsible: str = ""
    start: date | None = None
    end: date | None = None
    status: TaskStatus = TaskStatus.OPEN


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due: date | None
    description: str = ""


@dataclass(frozen=True)
class RequirementInput:
    description: str
    kind: ResourceKind
    cost_type: CostType
    source: Source
    quantity: int = 1
    unit: str = ""
    cost_cents: int = 0
    task: str = ""  # a task's ref


@dataclass(frozen=True)
class CostItemInput:
    description: str
    cost_type: CostType
    amount_cents: int


@dataclass(frozen=True)
class FinancingInput:
    kind: FinancingKind
    amount_cents: int
    description: str = ""


def _required(text: str, field: str, message: str, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise PlanError(message, field)
    if len(text) > limit:
        raise PlanError(_("At most %(max)d characters.", max=limit), field)
    return text


def _long_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise PlanError(_("At most %(max)d characters.", max=TEXT_MAX), field)
    return text


def _amount(cents: int, field: str) -> int:
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise PlanError(_("Please enter an amount."), field)
    if cents < 0:
        raise PlanError(_("Negative amounts are not possible here."), field)
    if cents > MAX_CENTS:
        raise PlanError(_("This amount is too large."), field)
    return cents


def _apply_work_package(project: Project, item: WorkPackage, data: WorkPackageInput) -> None:
    item.name = _required(data.name, "name", _("Please give the work package a name."))
    item.description = _long_text(data.description, "description")
    item.responsible_id = _team_member_by_ref(project, data.responsible, "responsible")


def _apply_task(project: Project, item: Task, data: TaskInput) -> None:
    item.title = _required(data.title, "title", _("Please give the task a title."))
    item.description = _long_text(data.description, "description")
    item.expected_result = _long_text(data.expected_result, "expected_result")
    package = None
    if data.work_package:
        package = _by_ref(WorkPackage, project, data.work_package)
        if package is None:
            raise PlanError(_("Please choose a work package from the list."), "work_package")
    item.work_package_id = package.id if package else None
    item.responsible_id = _team_member_by_ref(project, data.responsible, "responsible")
    if data.start and data.end and data.end < data.start:
        raise PlanError(_("The end cannot be before the start."), "end")
    item.start, item.end = data.start, data.end
    item.status = TaskStatus(data.status)


def _apply_milestone(project: Project, item: Milestone, data: MilestoneInput) -> None:
    item.title = _required(data.title, "title", _("Please give the milestone a title."))
    if data.due is None:
        raise PlanError(_("Please enter the date of the milestone."), "due")
    item.due = data.due
    item.description = _long_text(data.description, "description")


def _apply_requirement(project: Project, item: Requirement, data: RequirementInput) -> None:
    item.description = _required(
        data.description, "description", _("Please describe what is needed."), 300
    )
    item.kind = ResourceKind(data.kind)
    if not 1 <= data.quantity <= 1_000_000:
        raise PlanError(_("Please enter a quantity between 1 and 1,000,000."), "quantity")
    item.quantity = data.quantity
    item.unit = " ".join((data.unit or "").split())[:40]
    item.cost_cents = _amount(data.cost_cents, "cost")
    item.cost_type = CostType(data.cost_type)
    item.source = Source(data.source)
    task = None
    if data.task:
        task = _by_ref(Task, project, data.task)
        if task is None:
            raise PlanError(_("Please choose a task from the list."), "task")
    item.task_id = task.id if task else None


def _apply_cost_item(project: Project, item: CostItem, data: CostItemInput) -> None:
    item.description = _required(
        data.description, "description", _("Please describe the cost."), 300
    )
    item.cost_type = CostType(data.cost_type)
    item.amount_cents = _amount(data.amount_cents, "amount")


def _apply_financing(project: Project, item: FinancingLine, data: FinancingInput) -> None:
    item.kind = FinancingKind(data.kind)
    item.description = " ".join((data.description or "").split())[:300]
    item.amount_cents = _amount(data.amount_cents, "amount")


@dataclass(frozen=True)
class ItemKind:
    """How one kind of list item is stored, validated and versioned."""

    model: type
    section: Section
    apply: Any
    #: Items are ordered within this column's groups (tasks by work package).
    group: str | None = None


ITEM_KINDS: dict[type, ItemKind] = {
    WorkPackage: ItemKind(WorkPackage, Section.WORK_PLAN, _apply_work_package),
    Task: ItemKind(Task, Section.WORK_PLAN, _apply_task, group="work_package_id"),
    Milestone: ItemKind(Milestone, Section.WORK_PLAN, _apply_milestone),
    Requirement: ItemKind(Requirement, Section.RESOURCES, _apply_requirement),
    CostItem: ItemKind(CostItem, Section.FINANCE, _apply_cost_item),
    FinancingLine: ItemKind(FinancingLine, Section.FINANCE, _apply_financing),
}


def add_item(project: Project, author: User, model: type, data: Any) -> Any:
    kind = ITEM_KINDS[model]
    item = model(project_id=project.id)
    kind.apply(project, item, data)
    last = db.session.scalar(
        select(func.max(model.position)).where(model.project_id == project.id)  # type: ignore[attr-defined]
    )
    item.position = (last or 0) + 1
    db.session.add(item)
    _bump(project, kind.section, author)
    return item


def _item_values(item: Any) -> dict[str, Any]:
    section = ITEM_KINDS[type(item)].section
    for values in snapshot(item_project(item), section).values():
        for entry in values:
            if entry["ref"] == item.ref:
                return dict(entry)
    return {}


def _check_revision(item: Any, expected_revision: int) -> None:
    if item.revision != expected_revision:
        raise StaleEdit(_item_values(item), item.revision)


def update_item(
    project: Project, author: User, item: Any, data: Any, expected_revision: int
) -> None:
    """Change an item, unless someone changed it since the form showed ``expected_revision``."""
    _check_revision(item, expected_revision)
    kind = ITEM_KINDS[type(item)]
    kind.apply(project, item, data)
    _bump(project, kind.section, author)


def item_values(item: Any) -> dict[str, Any]:
    """An item as its section's snapshot shows it (to show what is saved now)."""
    return _item_values(item)


def delete_item(project: Project, author: User, item: Any, expected_revision: int) -> None:
    _check_revision(item, expected_revision)
    kind = ITEM_KINDS[type(item)]
    db.session.delete(item)
    _bump(project, kind.section, author)


def move_item(project: Project, author: User, item: Any, step: int) -> None:
    """Swap the item with its neighbour above (``step=-1``) or below (``+1``)."""
    kind = ITEM_KINDS[type(item)]
    model = type(item)
    siblings = [
        i
        for i in db.session.scalars(
            select(model).where(model.project_id == project.id).order_by(model.position, model.id)
        )
        if kind.group is None or getattr(i, kind.group) == getattr(item, kind.group)
    ]
    index = siblings.index(item)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
    _bump(project, kind.section, author)


class ItemName(enum.StrEnum):
    """URL names of the kinds of list items (German, like the site's other URLs)."""

    WORK_PACKAGE = "arbeitspakete"
    TASK = "aufgaben"
    MILESTONE = "meilensteine"
    REQUIREMENT = "ressourcen"
    COST_ITEM = "kosten"
    FINANCING = "finanzierung"


MODEL_OF: dict[ItemName, type] = {
    ItemName.WORK_PACKAGE: WorkPackage,
    ItemName.TASK: Task,
    ItemName.MILESTONE: Milestone,
    ItemName.REQUIREMENT: Requirement,
    ItemName.COST_ITEM: CostItem,
    ItemName.FINANCING: FinancingLine,
}
