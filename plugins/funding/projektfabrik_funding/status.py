"""The project's public status follows its funding: submitted → "funding applied for",
approved → the status the town chose for funded projects (setting ``funded_status``),
rejected → back to the status it had before it applied, unless another of its
applications is still open.

Only forwards on applying and funding: a project already further along (running,
completed, archived) keeps its status when it applies again or is funded. Back only
from "funding applied for": a project the team moved on meanwhile keeps its status. Goes through ``projektfabrik.api.set_project_status``,
so the project's status history, its followers and the marketplace filter see it."""

from __future__ import annotations

from sqlalchemy import func, select

from projektfabrik.api import (
    ProjectStatus,
    User,
    db,
    plugin_settings,
    project_status_before,
    set_project_status,
)
from projektfabrik_funding.models import Application, State

#: The statuses a town may choose for funded projects (plugin setting ``funded_status``).
FUNDED_STATUSES = (ProjectStatus.PLANNING, ProjectStatus.RUNNING)
DEFAULT_FUNDED_STATUS = ProjectStatus.RUNNING

_BEFORE_APPLYING = {ProjectStatus.IDEA, ProjectStatus.TEAM_FORMING, ProjectStatus.PLANNING}
_BEFORE_FUNDING = {*_BEFORE_APPLYING, ProjectStatus.FUNDING_APPLIED}

#: An application in one of these states still keeps its project at "funding applied for".
_PENDING = (State.SUBMITTED, State.FORMAL_CHECK, State.INFO_REQUESTED, State.RATING)


def funded_status() -> ProjectStatus:
    """The town's status for funded projects (``running`` unless it chose otherwise)."""
    value = str(plugin_settings("funding").get("funded_status") or "")
    allowed = {s.value: s for s in FUNDED_STATUSES}
    return allowed.get(value, DEFAULT_FUNDED_STATUS)


def mark_applied(application: Application, by: User) -> None:
    project = application.project
    if project is not None and project.status in _BEFORE_APPLYING:
        set_project_status(project, ProjectStatus.FUNDING_APPLIED, by)


def mark_funded(application: Application, by: User) -> None:
    project = application.project
    if project is not None and project.status in _BEFORE_FUNDING:
        set_project_status(project, funded_status(), by)


def mark_rejected(application: Application, by: User) -> None:
    """Back to the status before applying once no application of the project is pending
    (the planning status when the history does not say: the project applied with a plan)."""
    project = application.project
    if project is None or project.status != ProjectStatus.FUNDING_APPLIED:
        return
    pending = db.session.scalar(
        select(func.count(Application.id)).where(
            Application.project_id == project.id,
            Application.id != application.id,
            Application.state.in_(_PENDING),
        )
    )
    if pending:
        return
    before = project_status_before(project, ProjectStatus.FUNDING_APPLIED)
    set_project_status(
        project, before if before in _BEFORE_APPLYING else ProjectStatus.PLANNING, by
    )
