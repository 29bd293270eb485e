"""The teams area registers itself as an internal plugin: its project tabs come
in through ``pf_project_tabs`` like any plugin's.

Its blueprint is registered by the app factory, not through ``pf_blueprints``:
its pages live below ``/projekte/<number>/``, a prefix the marketplace owns,
and a plugin blueprint needs a prefix of its own.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext, lazy_gettext

from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import AccountDeletion, Consequence, PluginInfo, ProjectTab


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

    @hookimpl
    def pf_account_deletion(self, user: Any) -> AccountDeletion:
        """A project the person leads alone must be handed over or closed first."""
        from projektfabrik.teams.services import projects_led_alone

        blockers = tuple(
            Consequence(
                text=gettext(
                    "You lead “%(title)s” alone. Hand the lead over to a member of its team, "
                    "or close the project.",
                    title=project.title,
                ),
                link=url_for("teams.team", number=project.number, _anchor="mein-platz"),
                link_label=gettext("Hand over or close “%(title)s”", title=project.title),
            )
            for project in projects_led_alone(user)
        )
        keeps = (
            Consequence(
                gettext(
                    "Projects, team posts and comments you wrote stay, "
                    "shown as written by a deleted account."
                )
            ),
        )
        return AccountDeletion(order=10, blockers=blockers, keeps=keeps)
