"""A town's choices about its region, and a team's about its project. Never commits.

Each change lets the cached pages of every member town expire (their landing
pages may show this town's projects among the neighbours); the region's own
pages are not cached at all, so the change shows there on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.refusal import Refusal
from projektfabrik.regions import readmodel
from projektfabrik.regions.models import Region, RegionalChoice
from projektfabrik.tenancy import versioning
from projektfabrik.tenancy.context import current_tenant


@dataclass(frozen=True)
class TownChoice:
    opted_in: bool
    projects_shown_by_default: bool
    neighbours_section: bool


def region() -> Region | None:
    """The region the operator counts the current town in."""
    return readmodel.region_of(current_tenant().id)


def choice() -> RegionalChoice | None:
    """The current town's own row (behind the wall)."""
    return db.session.scalar(select(RegionalChoice))


def current_choice() -> TownChoice:
    row = choice()
    if row is None:
        return TownChoice(opted_in=False, projects_shown_by_default=True, neighbours_section=False)
    return TownChoice(row.opted_in, row.projects_shown_by_default, row.neighbours_section)


def set_choice(actor: User, wanted: TownChoice) -> None:
    """The admin's decision, audited; refused when the town belongs to no region."""
    found = region()
    if found is None:
        raise Refusal(_("Your town belongs to no region. The operator decides that."))
    row = choice()
    if row is None:
        row = RegionalChoice(opted_in=False)
        db.session.add(row)
    was_in = bool(row.opted_in)
    row.opted_in = wanted.opted_in
    row.projects_shown_by_default = wanted.projects_shown_by_default
    row.neighbours_section = wanted.neighbours_section
    row.changed_at = utcnow()
    action = "region.settings"
    if wanted.opted_in != was_in:
        action = "region.joined" if wanted.opted_in else "region.left"
    audit.record(
        action,
        actor=actor,
        target=found.slug,
        detail={
            "region": found.name,
            "projects_shown_by_default": wanted.projects_shown_by_default,
            "neighbours_section": wanted.neighbours_section,
        },
    )
    _expire_neighbours(found)


def set_project_shown(project: Project, actor: User, shown: bool | None) -> None:
    """The team's choice for its project; ``None``: as the town sets."""
    found = region()
    if found is None:
        raise Refusal(_("Your town belongs to no region."))
    project.shown_in_region = shown
    audit.record(
        "region.project",
        actor=actor,
        target=str(project.number),
        detail={"shown": {True: "yes", False: "no", None: "town"}[shown]},
    )
    _expire_neighbours(found)


def _expire_neighbours(found: Region) -> None:
    versioning.mark_changed(db.session, {m.town_id for m in found.members})
