"""The teams area registers itself as an internal plugin: its project tabs come
in through ``pf_project_tabs`` like any plugin's.

Its blueprint is registered by the app factory, not through ``pf_blueprints``:
its pages live below ``/projekte/<number>/``, a prefix the marketplace owns,
and a plugin blueprint needs a prefix of its own.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext

from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import PluginInfo, ProjectTab


def _is_member(project: Any, user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    # The project page loads the memberships with the project: no query here.
    return any(m.user_id == user.id for m in project.memberships)


class TeamsPlugin:
    """Always on; not listed on the "Module" page."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Teams"))

    @hookimpl
    def pf_project_tabs(self, project: Any, user: Any) -> list[ProjectTab]:
        tabs = [
            ProjectTab(
                key="team",
                label=lazy_gettext("Team"),
                endpoint="teams.team",
                order=10,
                values={"number": project.number},
            )
        ]
        if _is_member(project, user):
            tabs.append(
                ProjectTab(
                    key="space",
                    label=lazy_gettext("Team space"),
                    endpoint="teams.board",
                    order=20,
                    values={"number": project.number},
                )
            )
        return tabs
