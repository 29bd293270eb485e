"""Every change makes a version: numbers, snapshots, differences, restoring. Callers commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.planning.errors import PlanError, StaleEdit
from projektfabrik.planning.events import PlanSectionSaved, PlanVersionRestored
from projektfabrik.planning.labels import PROFILE_FIELDS
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Milestone,
    PlanSection,
    PlanVersion,
    Profile,
    Requirement,
    ResourceKind,
    Section,
    Source,
    Task,
    TaskStatus,
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
from projektfabrik.planning.visibility import section_states
from projektfabrik.plugins.events import emit
from projektfabrik.projects.models import Project


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


def set_public(project: Project, section: Section, public: bool) -> None:
    _state(project, section).is_public = public


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
    return dict(db.session.execute(select(User.ref, User.id).where(User.ref.in_(refs))).all())


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
    rows: list[Any] = list(
        db.session.scalars(select(model).where(model.project_id == project.id))  # type: ignore[attr-defined]
    )
    existing = {item.ref: item for item in rows}
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
