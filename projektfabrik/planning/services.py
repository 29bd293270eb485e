"""Project planning, testable without a request. Callers commit.

Who may do what:

* **editors** (team members of any role, and the town's admins) change the
  plan and decide on offers;
* **managers** (team owners and town admins) also make sections public and
  bring back earlier versions;
* everyone else sees the sections the team made public, and may offer a
  resource when logged in.

Every change to a section raises its version by one (an atomic ``UPDATE``)
and stores a JSON snapshot of the whole section with author and time
(:class:`~projektfabrik.planning.models.PlanVersion`). Stale saves are
refused: the profile form posts the section's version, list items their own
revision (two people adding tasks at once do not conflict; two people editing
the same task do).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace.models import Project
from projektfabrik.notifications.services import notify
from projektfabrik.planning.events import PlanSectionSaved, PlanVersionRestored
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Milestone,
    OfferStatus,
    PlanSection,
    PlanVersion,
    Profile,
    Requirement,
    ResourceKind,
    ResourceOffer,
    Section,
    Source,
    Task,
    TaskStatus,
    WorkPackage,
)
from projektfabrik.planning.money import MAX_CENTS, share_basis_points
from projektfabrik.plugins.events import emit
from projektfabrik.teams.models import Membership, TeamRole

#: The profile's fields in the order the form and the exports show them.
PROFILE_FIELDS = (
    "problem",
    "goal",
    "vision",
    "description",
    "delimitation",
    "target_groups",
    "results",
    "effects",
    "local_reference",
    "partners",
)
PROFILE_LABELS = {
    "problem": _l("Problem"),
    "goal": _l("Goal"),
    "vision": _l("Vision"),
    "description": _l("Description"),
    "delimitation": _l("What the project is not"),
    "target_groups": _l("Target groups"),
    "results": _l("Expected results"),
    "effects": _l("Effects"),
    "local_reference": _l("Local reference"),
    "partners": _l("Partners"),
}
TEXT_MAX = 5000
#: The schedule shows at most ten years (the predecessor's 120 months).
MAX_MONTHS = 120


class PlanError(Exception):
    """Input a service refuses; ``message`` is for the person, ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(PlanError):
    """Someone else saved the same section (or item) since the form was shown.

    ``current`` is what is saved now (a dict of field -> value), ``version``
    the number the form should carry when the person sends it again, and
    ``by``/``at`` who saved it and when (if known).
    """

    def __init__(
        self,
        current: Mapping[str, Any] | None,
        version: int,
        by: User | None = None,
        at: Any = None,
    ) -> None:
        super().__init__(
            _(
                "Someone else saved this section in the meantime. Your entries are kept below; "
                "compare them with what is saved now and send the form again to keep yours."
            )
        )
        self.current = dict(current or {})
        self.version = version
        self.by = by
        self.at = at


# --- labels ------------------------------------------------------------------------


def section_label(section: Section | str) -> str:
    return {
        Section.PROFILE: _("Profile"),
        Section.WORK_PLAN: _("Work plan and schedule"),
        Section.RESOURCES: _("Resource plan"),
        Section.FINANCE: _("Finance plan"),
    }[Section(section)]


def task_status_label(status: TaskStatus | str) -> str:
    return {
        TaskStatus.OPEN: _("Open"),
        TaskStatus.IN_PROGRESS: _("In progress"),
        TaskStatus.DONE: _("Done"),
    }[TaskStatus(status)]


def kind_label(kind: ResourceKind | str) -> str:
    return {
        ResourceKind.SKILL: _("Skill or person"),
        ResourceKind.MATERIAL: _("Material"),
        ResourceKind.ROOM: _("Room"),
        ResourceKind.SERVICE: _("Service"),
        ResourceKind.MONEY: _("Money"),
    }[ResourceKind(kind)]


def cost_type_label(cost_type: CostType | str) -> str:
    return {
        CostType.ADMINISTRATIVE: _("Administrative costs"),
        CostType.INVESTMENT: _("Investment"),
        CostType.MATERIAL: _("Material costs"),
        CostType.PERSONNEL: _("Personnel costs"),
        CostType.RENT: _("Rent"),
        CostType.TRAVEL: _("Travel costs"),
    }[CostType(cost_type)]


def source_label(source: Source | str) -> str:
    return {
        Source.FUNDING: _("Funding"),
        Source.OWN_FUNDS: _("Own funds"),
        Source.THIRD_PARTY: _("Third-party funds"),
        Source.DONATION: _("Donation"),
        Source.PROCEEDS: _("Proceeds"),
        Source.IN_KIND: _("In kind"),
    }[Source(source)]


def financing_label(kind: FinancingKind | str) -> str:
    return {
        FinancingKind.OWN_FUNDS: _("Own funds"),
        FinancingKind.THIRD_PARTY: _("Third-party funds"),
        FinancingKind.DONATIONS: _("Donations"),
        FinancingKind.PROCEEDS: _("Proceeds"),
        FinancingKind.REQUESTED_FUNDING: _("Requested funding"),
    }[FinancingKind(kind)]


def offer_status_label(status: OfferStatus | str) -> str:
    return {
        OfferStatus.OPEN: _("Waiting for the team"),
        OfferStatus.ACCEPTED: _("Accepted"),
        OfferStatus.DECLINED: _("Declined"),
    }[OfferStatus(status)]


# --- who may do what ------------------------------------------------------------------


def _membership(project: Project, user: User | None) -> Membership | None:
    """The person's membership in the team (asked once per request: pages ask often)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("_planning_memberships", {}) if has_request_context() else {}
    key = (project.id, user.id)
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Membership).where(
                Membership.project_id == project.id, Membership.user_id == user.id
            )
        )
    return cache[key]


def _is_town_admin(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_admin)


def is_editor(project: Project, user: User | None) -> bool:
    """Team members and the town's admins edit the plan."""
    return _is_town_admin(user) or _membership(project, user) is not None


def is_manager(project: Project, user: User | None) -> bool:
    """Team owners and the town's admins publish sections and restore versions."""
    if _is_town_admin(user):
        return True
    member = _membership(project, user)
    return member is not None and member.role == TeamRole.OWNER


def section_states(project: Project) -> dict[Section, PlanSection]:
    """The project's section rows (missing ones are not created), in one query."""
    rows = db.session.scalars(select(PlanSection).where(PlanSection.project_id == project.id))
    return {row.section: row for row in rows}


def public_sections(project: Project) -> frozenset[Section]:
    return frozenset(s for s, row in section_states(project).items() if row.is_public)


def visible_sections(project: Project, user: User | None) -> frozenset[Section]:
    """Every section for editors; the public ones for everyone else."""
    if is_editor(project, user):
        return frozenset(Section)
    return public_sections(project)


def can_view(project: Project, user: User | None, section: Section) -> bool:
    return section in visible_sections(project, user)


def team(project: Project) -> list[User]:
    """The team's people, for the "responsible" choices."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.project_id == project.id)
            .order_by(User.display_name)
        )
    )


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


# --- versions ------------------------------------------------------------------------


def _state(project: Project, section: Section) -> PlanSection:
    """The section's row, created on first use (two people at once: one wins, both go on)."""
    found = db.session.scalar(
        select(PlanSection).where(
            PlanSection.project_id == project.id, PlanSection.section == section
        )
    )
    if found is not None:
        return found
    row = PlanSection(project_id=project.id, section=section, version=0, is_public=False)
    savepoint = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()
    except IntegrityError:
        savepoint.rollback()
        found = db.session.scalar(
            select(PlanSection).where(
                PlanSection.project_id == project.id, PlanSection.section == section
            )
        )
        assert found is not None
        return found
    savepoint.commit()
    return row


def stale_section(project: Project, section: Section) -> StaleEdit:
    """What is saved now in ``section``, as a :class:`StaleEdit` to show."""
    state = _state(project, section)
    return StaleEdit(snapshot(project, section), state.version, state.updated_by, state.updated_at)


def _check_version(project: Project, section: Section, expected: int) -> None:
    if _state(project, section).version != expected:
        raise stale_section(project, section)


def section_version(project: Project, section: Section) -> int:
    row = section_states(project).get(section)
    return row.version if row is not None else 0


def _flush_items() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        # Someone saved the same item between our read and our write.
        raise StaleEdit(None, 0) from error


def _bump(
    project: Project,
    section: Section,
    author: User,
    expected: int | None = None,
    restored_from: int | None = None,
) -> PlanVersion:
    """Count a save of ``section`` and keep a snapshot of it. With ``expected``,
    refuse (``StaleEdit``) unless the section is still at that version."""
    _flush_items()
    state = _state(project, section)
    statement = update(PlanSection).where(PlanSection.id == state.id)
    if expected is not None:
        statement = statement.where(PlanSection.version == expected)
    result = db.session.execute(
        statement.values(
            version=PlanSection.version + 1, updated_at=utcnow(), updated_by_id=author.id
        ).execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        # Saved by someone else between our check and our write: the caller rolls
        # back and asks ``stale_section`` for what is saved now.
        raise StaleEdit(None, -1)
    # Our own UPDATE holds the row until commit, so this reads our number.
    db.session.refresh(state)
    version = PlanVersion(
        project_id=project.id,
        section=section,
        number=state.version,
        snapshot=snapshot(project, section),
        author_id=author.id,
        restored_from=restored_from,
    )
    db.session.add(version)
    project.last_activity_at = utcnow()
    emit(PlanSectionSaved.of(project, version, author))
    return version


def versions(project: Project, section: Section) -> list[PlanVersion]:
    """Newest first, with their authors."""
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(PlanVersion.project_id == project.id, PlanVersion.section == section)
            .options(joinedload(PlanVersion.author))
            .order_by(PlanVersion.number.desc())
        )
    )


def get_version(project: Project, section: Section, number: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion).where(
            PlanVersion.project_id == project.id,
            PlanVersion.section == section,
            PlanVersion.number == number,
        )
    )


@dataclass(frozen=True)
class Change:
    """One difference between two snapshots, for "who changed what"."""

    what: str  # "field", "added", "removed", "changed"
    list_name: str  # "" for profile fields
    name: str  # field name, or the item's title


LIST_NAMES = {
    "work_packages": _l("Work package"),
    "tasks": _l("Task"),
    "milestones": _l("Milestone"),
    "requirements": _l("Resource"),
    "cost_items": _l("Cost item"),
    "financing": _l("Financing line"),
}


def _title(item: Mapping[str, Any]) -> str:
    return str(item.get("name") or item.get("title") or item.get("description") or item.get("ref"))


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[Change]:
    """What differs between two snapshots of a section."""
    before = before or {}
    found: list[Change] = []
    for key, value in after.items():
        old = before.get(key)
        if isinstance(value, list):
            old_items = {i["ref"]: i for i in (old or [])}
            new_items = {i["ref"]: i for i in value}
            for ref, item in new_items.items():
                if ref not in old_items:
                    found.append(Change("added", key, _title(item)))
                elif _strip_position(old_items[ref]) != _strip_position(item):
                    found.append(Change("changed", key, _title(item)))
            for ref, item in old_items.items():
                if ref not in new_items:
                    found.append(Change("removed", key, _title(item)))
            if [i["ref"] for i in (old or [])] != [i["ref"] for i in value] and not any(
                c.list_name == key and c.what in ("added", "removed") for c in found
            ):
                found.append(Change("reordered", key, ""))
        elif (old or "") != (value or ""):
            found.append(Change("field", "", key))
    return found


def _strip_position(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "position"}


# --- snapshots -------------------------------------------------------------------------


def _user_ref(user: User | None) -> str:
    return user.ref if user is not None else ""


def snapshot(project: Project, section: Section) -> dict[str, Any]:
    """The whole section as plain JSON values (items by ref, people by ref)."""
    if section == Section.PROFILE:
        found = profile(project)
        return {name: (getattr(found, name) if found else "") for name in PROFILE_FIELDS}
    if section == Section.WORK_PLAN:
        return {
            "work_packages": [
                {
                    "ref": wp.ref,
                    "position": wp.position,
                    "name": wp.name,
                    "description": wp.description,
                    "responsible": _user_ref(wp.responsible),
                }
                for wp in work_packages(project)
            ],
            "tasks": [
                {
                    "ref": t.ref,
                    "position": t.position,
                    "title": t.title,
                    "description": t.description,
                    "expected_result": t.expected_result,
                    "work_package": t.work_package.ref if t.work_package else "",
                    "responsible": _user_ref(t.responsible),
                    "start": t.start.isoformat() if t.start else "",
                    "end": t.end.isoformat() if t.end else "",
                    "status": t.status.value,
                }
                for t in tasks(project)
            ],
            "milestones": [
                {
                    "ref": m.ref,
                    "position": m.position,
                    "title": m.title,
                    "due": m.due.isoformat(),
                    "description": m.description,
                }
                for m in milestones(project)
            ],
        }
    if section == Section.RESOURCES:
        return {
            "requirements": [
                {
                    "ref": r.ref,
                    "position": r.position,
                    "description": r.description,
                    "kind": r.kind.value,
                    "quantity": r.quantity,
                    "unit": r.unit,
                    "cost_cents": r.cost_cents,
                    "cost_type": r.cost_type.value,
                    "source": r.source.value,
                    "task": r.task.ref if r.task else "",
                }
                for r in requirements(project)
            ]
        }
    return {
        "cost_items": [
            {
                "ref": c.ref,
                "position": c.position,
                "description": c.description,
                "cost_type": c.cost_type.value,
                "amount_cents": c.amount_cents,
            }
            for c in cost_items(project)
        ],
        "financing": [
            {
                "ref": f.ref,
                "position": f.position,
                "kind": f.kind.value,
                "description": f.description,
                "amount_cents": f.amount_cents,
            }
            for f in financing_lines(project)
        ],
    }


# --- profile ------------------------------------------------------------------------------


def profile(project: Project) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.project_id == project.id))


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


# --- work plan ------------------------------------------------------------------------------


def work_packages(project: Project) -> list[WorkPackage]:
    return list(
        db.session.scalars(
            select(WorkPackage)
            .where(WorkPackage.project_id == project.id)
            .options(joinedload(WorkPackage.responsible))
            .order_by(WorkPackage.position, WorkPackage.id)
        )
    )


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
    return list(
        db.session.scalars(
            select(Requirement)
            .where(Requirement.project_id == project.id)
            .options(joinedload(Requirement.task))
            .order_by(Requirement.position, Requirement.id)
        )
    )


def cost_items(project: Project) -> list[CostItem]:
    return list(
        db.session.scalars(
            select(CostItem)
            .where(CostItem.project_id == project.id)
            .order_by(CostItem.position, CostItem.id)
        )
    )


def financing_lines(project: Project) -> list[FinancingLine]:
    return list(
        db.session.scalars(
            select(FinancingLine)
            .where(FinancingLine.project_id == project.id)
            .order_by(FinancingLine.position, FinancingLine.id)
        )
    )


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


def _by_ref(model: type, project: Project, ref: str) -> Any:
    return db.session.scalar(
        select(model).where(model.project_id == project.id, model.ref == ref)  # type: ignore[attr-defined]
    )


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


def find_item(model: type, project: Project, ref: str) -> Any:
    """An item of this project by its ref (through the tenant wall), or None."""
    return _by_ref(model, project, ref)


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


def item_project(item: Any) -> Project:
    return db.session.get(Project, item.project_id)  # type: ignore[return-value]


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
            select(model)
            .where(model.project_id == project.id)  # type: ignore[attr-defined]
            .order_by(model.position, model.id)  # type: ignore[attr-defined]
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


# --- public sections ---------------------------------------------------------------------


def set_public(project: Project, section: Section, public: bool) -> None:
    _state(project, section).is_public = public


# --- restoring -------------------------------------------------------------------------------


def restore(project: Project, author: User, number: int, section: Section, expected: int) -> None:
    """Bring back version ``number`` of a section, as a new version."""
    old = get_version(project, section, number)
    if old is None:
        raise PlanError(_("This version does not exist."))
    _check_version(project, section, expected)
    data = old.snapshot
    if section == Section.PROFILE:
        found = profile(project) or Profile(project_id=project.id)
        db.session.add(found)
        for name in PROFILE_FIELDS:
            setattr(found, name, data.get(name, ""))
    elif section == Section.WORK_PLAN:
        users = _users_by_ref(data)
        packages = _write_back(project, WorkPackage, data.get("work_packages", []), users)
        _write_back(project, Task, data.get("tasks", []), users, packages=packages)
        _write_back(project, Milestone, data.get("milestones", []), users)
    elif section == Section.RESOURCES:
        task_ids = {t.ref: t.id for t in tasks(project)}
        _write_back(project, Requirement, data.get("requirements", []), {}, task_ids=task_ids)
    else:
        _write_back(project, CostItem, data.get("cost_items", []), {})
        _write_back(project, FinancingLine, data.get("financing", []), {})
    _bump(project, section, author, expected=expected, restored_from=number)
    emit(PlanVersionRestored.of(project, section, number, author))


def _users_by_ref(data: Mapping[str, Any]) -> dict[str, int]:
    refs = {
        entry.get("responsible")
        for values in data.values()
        if isinstance(values, list)
        for entry in values
        if entry.get("responsible")
    }
    if not refs:
        return {}
    return dict(db.session.execute(select(User.ref, User.id).where(User.ref.in_(refs))).all())  # type: ignore[arg-type]


def _decoded(
    model: type, entry: Mapping[str, Any], users: Mapping[str, int], **lookups: Any
) -> dict[str, Any]:
    """Snapshot values as column values."""
    if model is WorkPackage:
        return {
            "name": entry["name"],
            "description": entry.get("description", ""),
            "responsible_id": users.get(entry.get("responsible", "")),
        }
    if model is Task:
        return {
            "title": entry["title"],
            "description": entry.get("description", ""),
            "expected_result": entry.get("expected_result", ""),
            "work_package_id": lookups["packages"].get(entry.get("work_package", "")),
            "responsible_id": users.get(entry.get("responsible", "")),
            "start": date.fromisoformat(entry["start"]) if entry.get("start") else None,
            "end": date.fromisoformat(entry["end"]) if entry.get("end") else None,
            "status": TaskStatus(entry.get("status", "open")),
        }
    if model is Milestone:
        return {
            "title": entry["title"],
            "due": date.fromisoformat(entry["due"]),
            "description": entry.get("description", ""),
        }
    if model is Requirement:
        return {
            "description": entry["description"],
            "kind": ResourceKind(entry["kind"]),
            "quantity": int(entry.get("quantity", 1)),
            "unit": entry.get("unit", ""),
            "cost_cents": int(entry.get("cost_cents", 0)),
            "cost_type": CostType(entry["cost_type"]),
            "source": Source(entry["source"]),
            "task_id": lookups["task_ids"].get(entry.get("task", "")),
        }
    if model is CostItem:
        return {
            "description": entry["description"],
            "cost_type": CostType(entry["cost_type"]),
            "amount_cents": int(entry["amount_cents"]),
        }
    return {
        "kind": FinancingKind(entry["kind"]),
        "description": entry.get("description", ""),
        "amount_cents": int(entry["amount_cents"]),
    }


def _write_back(
    project: Project,
    model: type,
    entries: Sequence[Mapping[str, Any]],
    users: Mapping[str, int],
    **lookups: Any,
) -> dict[str, int]:
    """Make the items of ``model`` equal ``entries``: same refs, values and order."""
    existing = {
        item.ref: item
        for item in db.session.scalars(select(model).where(model.project_id == project.id))  # type: ignore[attr-defined]
    }
    wanted = {entry["ref"] for entry in entries}
    for ref, item in existing.items():
        if ref not in wanted:
            db.session.delete(item)
    ids: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        values = _decoded(model, entry, users, **lookups)
        values["position"] = entry.get("position", position)
        item = existing.get(entry["ref"])
        if item is None:
            item = model(project_id=project.id, ref=entry["ref"])
            db.session.add(item)
        for name, value in values.items():
            if getattr(item, name) != value:
                setattr(item, name, value)
        db.session.flush()
        ids[item.ref] = item.id
    return ids


# --- offers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferInput:
    kind: ResourceKind
    description: str
    message: str = ""
    requirement: str = ""  # the ref of the requirement it answers, if any


def offer_resource(project: Project, person: User, data: OfferInput) -> ResourceOffer:
    """Someone of the town offers a resource; the team is told."""
    requirement = None
    if data.requirement:
        requirement = _by_ref(Requirement, project, data.requirement)
        if requirement is None:
            raise PlanError(_("Please choose a resource from the list."), "requirement")
    offer = ResourceOffer(
        project_id=project.id,
        requirement_id=requirement.id if requirement else None,
        offered_by_id=person.id,
        kind=ResourceKind(data.kind),
        description=_required(
            data.description, "description", _("Please say what you offer."), 300
        ),
        message=_long_text(data.message, "message"),
    )
    db.session.add(offer)
    db.session.flush()
    notify(
        team(project),
        "resource_offer",
        lambda: _(
            "%(name)s offers something for “%(title)s”: %(what)s",
            name=person.display_name,
            title=project.title,
            what=offer.description,
        ),
        f"/projekte/{project.number}/plan/ressourcen#angebot-{offer.ref}",
        exclude=person,
    )
    return offer


def offers(project: Project) -> list[ResourceOffer]:
    return list(
        db.session.scalars(
            select(ResourceOffer)
            .where(ResourceOffer.project_id == project.id)
            .options(joinedload(ResourceOffer.offered_by), joinedload(ResourceOffer.requirement))
            .order_by(ResourceOffer.created_at.desc(), ResourceOffer.id.desc())
        )
    )


def offers_by(project: Project, person: User) -> list[ResourceOffer]:
    return [o for o in offers(project) if o.offered_by_id == person.id]


def find_offer(project: Project, ref: str) -> ResourceOffer | None:
    return db.session.scalar(
        select(ResourceOffer).where(
            ResourceOffer.project_id == project.id, ResourceOffer.ref == ref
        )
    )


_COST_TYPE_OF_KIND = {
    ResourceKind.SKILL: CostType.PERSONNEL,
    ResourceKind.MATERIAL: CostType.MATERIAL,
    ResourceKind.ROOM: CostType.RENT,
    ResourceKind.SERVICE: CostType.MATERIAL,
    ResourceKind.MONEY: CostType.ADMINISTRATIVE,
}


def decide_offer(project: Project, offer: ResourceOffer, by: User, accept: bool) -> None:
    """Accept or decline an open offer. Accepting an offer that answers no listed
    requirement adds it to the resource plan, given in kind."""
    if offer.status != OfferStatus.OPEN:
        raise PlanError(_("This offer was decided already."))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.decided_at = utcnow()
    offer.decided_by_id = by.id
    if accept and offer.requirement_id is None:
        add_item(
            project,
            by,
            Requirement,
            RequirementInput(
                description=offer.description,
                kind=offer.kind,
                cost_type=_COST_TYPE_OF_KIND[offer.kind],
                source=Source.IN_KIND,
            ),
        )
        offer.requirement_id = db.session.scalar(
            select(Requirement.id)
            .where(Requirement.project_id == project.id)
            .order_by(Requirement.position.desc())
            .limit(1)
        )
    if offer.offered_by is not None:
        notify(
            [offer.offered_by],
            "resource_offer_decided",
            lambda: (
                _("The team of “%(title)s” accepted your offer. Thank you!", title=project.title)
                if accept
                else _(
                    "The team of “%(title)s” declined your offer with thanks.", title=project.title
                )
            ),
            f"/projekte/{project.number}/plan",
        )


def covered_requirements(project: Project) -> dict[int, ResourceOffer]:
    """Requirement id -> the accepted offer that covers it."""
    return {
        o.requirement_id: o
        for o in offers(project)
        if o.status == OfferStatus.ACCEPTED and o.requirement_id is not None
    }


# --- the finance plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class FinanceSummary:
    """The finance plan's figures, all in integer cents.

    * costs: the resource plan's requirements (except those given in kind)
      plus the manual cost items, by cost type;
    * financing: the financing lines by kind;
    * ``balance`` = financing − costs (0 when the plan is balanced);
    * ``own_share_bp``: own funds / total costs in hundredths of a percent,
      rounded half up (``None`` while there are no costs).

    ``in_kind_cents`` is the value of what is given in kind: shown, not counted.
    """

    costs_by_type: Mapping[CostType, int]
    resource_costs: int
    manual_costs: int
    total_costs: int
    in_kind_cents: int
    costs_by_source: Mapping[Source, int]
    financing_by_kind: Mapping[FinancingKind, int]
    total_financing: int
    balance: int
    own_share_bp: int | None
    requested_funding: int
    notes: tuple[str, ...] = field(default=())

    @property
    def balanced(self) -> bool:
        return self.balance == 0


def summarise(
    requirement_costs: Iterable[tuple[CostType, Source, int]],
    manual_costs: Iterable[tuple[CostType, int]],
    financing: Iterable[tuple[FinancingKind, int]],
) -> FinanceSummary:
    """The arithmetic of the finance plan on plain values (see :class:`FinanceSummary`)."""
    by_type = dict.fromkeys(CostType, 0)
    by_source = dict.fromkeys(Source, 0)
    resource_total = in_kind = manual_total = 0
    for cost_type, source, cents in requirement_costs:
        by_source[Source(source)] += cents
        if Source(source) == Source.IN_KIND:
            in_kind += cents
            continue
        by_type[CostType(cost_type)] += cents
        resource_total += cents
    for cost_type, cents in manual_costs:
        by_type[CostType(cost_type)] += cents
        manual_total += cents
    by_kind = dict.fromkeys(FinancingKind, 0)
    for kind, cents in financing:
        by_kind[FinancingKind(kind)] += cents
    total_costs = resource_total + manual_total
    total_financing = sum(by_kind.values())
    return FinanceSummary(
        costs_by_type=by_type,
        resource_costs=resource_total,
        manual_costs=manual_total,
        total_costs=total_costs,
        in_kind_cents=in_kind,
        costs_by_source=by_source,
        financing_by_kind=by_kind,
        total_financing=total_financing,
        balance=total_financing - total_costs,
        own_share_bp=share_basis_points(by_kind[FinancingKind.OWN_FUNDS], total_costs),
        requested_funding=by_kind[FinancingKind.REQUESTED_FUNDING],
    )


def finance_summary(project: Project) -> FinanceSummary:
    """The project's finance plan in figures (public API: the funding module reads
    ``requested_funding`` and ``total_costs`` from here)."""
    reqs = db.session.execute(
        select(Requirement.cost_type, Requirement.source, Requirement.cost_cents).where(
            Requirement.project_id == project.id
        )
    ).all()
    manual = db.session.execute(
        select(CostItem.cost_type, CostItem.amount_cents).where(CostItem.project_id == project.id)
    ).all()
    lines = db.session.execute(
        select(FinancingLine.kind, FinancingLine.amount_cents).where(
            FinancingLine.project_id == project.id
        )
    ).all()
    return summarise(
        [tuple(r) for r in reqs],  # type: ignore[misc]
        [tuple(m) for m in manual],  # type: ignore[misc]
        [tuple(f) for f in lines],  # type: ignore[misc]
    )


# --- completeness -------------------------------------------------------------------------------


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


def completeness(project: Project) -> Completeness:
    """How far the plan is, and the next thing to do (in the plan's order)."""
    found = profile(project)
    steps = [
        Step(
            f"profile.{name}",
            _("Profile: %(field)s", field=PROFILE_LABELS[name]),
            bool(found and getattr(found, name)),
            "planning.profile",
            name,
        )
        for name in PROFILE_FIELDS
    ]
    counts = {
        model: db.session.scalar(
            select(func.count()).select_from(model).where(model.project_id == project.id)  # type: ignore[attr-defined]
        )
        or 0
        for model in (WorkPackage, Task, Milestone, Requirement, FinancingLine)
    }
    undated = db.session.scalar(
        select(func.count())
        .select_from(Task)
        .where(Task.project_id == project.id, (Task.start.is_(None)) | (Task.end.is_(None)))
    )
    summary = finance_summary(project)
    steps += [
        Step(
            "work_package", _("Add a work package"), counts[WorkPackage] > 0, "planning.work_plan"
        ),
        Step("task", _("Add tasks"), counts[Task] > 0, "planning.work_plan"),
        Step(
            "dates",
            _("Give every task a start and an end"),
            counts[Task] > 0 and not undated,
            "planning.work_plan",
        ),
        Step("milestone", _("Set a milestone"), counts[Milestone] > 0, "planning.work_plan"),
        Step("resource", _("List what you need"), counts[Requirement] > 0, "planning.resources"),
        Step(
            "financing", _("Say how it is financed"), counts[FinancingLine] > 0, "planning.finance"
        ),
        Step(
            "balance",
            _("Make financing equal the costs"),
            counts[FinancingLine] > 0 and summary.balanced and summary.total_costs > 0,
            "planning.finance",
        ),
    ]
    return Completeness(tuple(steps))


# --- the schedule ------------------------------------------------------------------------------


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
    points = [d for t in dated for d in (t.start, t.end)] + [m.due for m in milestone_list]
    if not points:
        return Schedule((), (), (), undated)
    first, last = _month(min(points)), _month(max(points))  # type: ignore[type-var]
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


# --- everything a reader may see ------------------------------------------------------------------


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


def load_project_for_plan(number: int) -> Project | None:
    return db.session.scalar(
        select(Project).where(Project.number == number).options(selectinload(Project.memberships))
    )


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
