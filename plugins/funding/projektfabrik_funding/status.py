"""The project's public status follows its funding: submitted → "funding applied for",
approved → the status the town chose for funded projects (setting ``funded_status``).

Only forwards: a project already further along (running, completed, archived) keeps
its status when it applies again or is funded. Goes through ``projektfabrik.api.set_project_status``,
so the project's status history, its followers and the marketplace filter see it."""

from __future__ import annotations

from projektfabrik.api import ProjectStatus, User, plugin_settings, set_project_status
from projektfabrik_funding.models import Application

#: The statuses a town may choose for funded projects (plugin setting ``funded_status``).
FUNDED_STATUSES = (ProjectStatus.PLANNING, ProjectStatus.RUNNING)
DEFAULT_FUNDED_STATUS = ProjectStatus.RUNNING

_BEFORE_APPLYING = {ProjectStatus.IDEA, ProjectStatus.TEAM_FORMING, ProjectStatus.PLANNING}
_BEFORE_FUNDING = {*_BEFORE_APPLYING, ProjectStatus.FUNDING_APPLIED}


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
