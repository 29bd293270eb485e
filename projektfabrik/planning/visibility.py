"""Which sections of a plan a person may see; who may edit is ``projects.access``."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.planning.models import (
    PlanSection,
    Section,
)
from projektfabrik.projects import access
from projektfabrik.projects.models import Project


def section_states(project: Project) -> dict[Section, PlanSection]:
    """The project's section rows (missing ones are not created): kept by the
    worker until the project or the town's shared rows change (workercache.town_objects),
    else one query."""
    rows: list[PlanSection] = workercache.town_objects(
        "planning.sections",
        project.id,
        load=lambda: list(
            db.session.scalars(select(PlanSection).where(PlanSection.project_id == project.id))
        ),
        scope=project,
    )
    return {row.section: row for row in rows}


def public_sections(project: Project) -> frozenset[Section]:
    """Kept per project version: the project page's plan tab asks on every view,
    and changing a section's visibility is a change of the project."""
    return workercache.town_result(
        "planning.public",
        project.id,
        build=lambda: frozenset(s for s, row in section_states(project).items() if row.is_public),
        scope=project,
    )


def visible_sections(project: Project, user: User | None) -> frozenset[Section]:
    """Every section for editors; the public ones for everyone else."""
    if access.is_editor(project, user):
        return frozenset(Section)
    return public_sections(project)


def can_view(project: Project, user: User | None, section: Section) -> bool:
    return section in visible_sections(project, user)
