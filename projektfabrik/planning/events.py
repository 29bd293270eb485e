"""What happens to project plans, announced to plugins through ``pf_on_event``.

Plain values only: the project's per-town number, the section as its string
value (``"profile"``, ``"work_plan"``, ``"resources"``, ``"finance"``),
version numbers and people's public refs, never row ids. Each is emitted by
:mod:`projektfabrik.planning.services` (one ``emit(...)`` line there, built
with the ``of`` constructors here) and delivered after the transaction
commits, like the teams' events (see docs/plugins.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.planning.models import PlanSection
from projektfabrik.plugins.types import Event


def _section(value: Any) -> str:
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class PlanSectionSaved(Event):
    """A section of a project's plan was saved, which made its version ``version``.

    Every kind of save counts: the profile form, adding, changing, deleting or
    moving an item, and restoring an earlier version (``restored_from`` is
    then that version's number, else ``None``).
    """

    project_number: int
    section: str
    version: int
    author_ref: str
    restored_from: int | None = None

    @classmethod
    def of(cls, project: Any, version: Any, author: Any) -> PlanSectionSaved:
        """From the ``PlanVersion`` row the save wrote."""
        return cls(
            project_number=project.number,
            section=_section(version.section),
            version=version.number,
            author_ref=author.ref,
            restored_from=version.restored_from,
        )


@dataclass(frozen=True)
class PlanVersionRestored(Event):
    """An earlier version (``restored_from``) of a section was brought back as ``version``.

    Comes after the :class:`PlanSectionSaved` of the same save.
    """

    project_number: int
    section: str
    restored_from: int
    version: int
    author_ref: str

    @classmethod
    def of(cls, project: Any, section: Any, restored_from: int, author: Any) -> PlanVersionRestored:
        """After the save: reads the section's version number now."""
        version = db.session.scalar(
            select(PlanSection.version).where(
                PlanSection.project_id == project.id, PlanSection.section == section
            )
        )
        return cls(
            project_number=project.number,
            section=_section(section),
            restored_from=restored_from,
            version=version or 0,
            author_ref=author.ref,
        )
