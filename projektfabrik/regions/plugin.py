"""The regions' part in hooks shared with plugins, registered as an internal plugin
like :mod:`projektfabrik.admin.plugin`: the admin's entry "Region", the section
"projects nearby looking for help" on the landing page and a team's choice on
its project's page. All of it only for a town the operator counts in a region."""

from __future__ import annotations

from typing import Any

from flask import g, render_template
from flask_babel import lazy_gettext

from projektfabrik import workercache
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import NavArea, NavItem, PluginInfo, Slot, SlotContent


def _in_region() -> bool:
    from projektfabrik.regions import services

    if g.get("tenant") is None:
        return False
    if "in_region" not in g:
        # Kept per town version: joining or leaving a region marks every
        # member town changed (regions/config.py, versioning.mark_changed).
        g.in_region = workercache.town_value(
            "regions.in_region", lambda: services.region() is not None
        )
    return bool(g.in_region)


class RegionsPlugin:
    """Always on; not listed on the "Module" page."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Region"))

    @hookimpl
    def pf_nav_items(self, user: Any) -> list[NavItem] | None:
        if not (user is not None and user.is_authenticated and user.is_admin):
            return None
        if not _in_region():
            return None
        return [
            NavItem(
                label=lazy_gettext("Region"),
                endpoint="regional.town_settings",
                order=215,
                area=NavArea.ADMIN,
            )
        ]

    @hookimpl
    def pf_template_slot(self, slot: Slot, context: dict[str, Any]) -> SlotContent | None:
        if slot == Slot.LANDING_MAIN:
            return self._neighbours()
        if slot == Slot.PROJECT_SIDEBAR and context.get("project") is not None:
            return self._project_choice(context["project"]) or self._join_from_neighbour(
                context["project"]
            )
        if slot == Slot.ACCOUNT_PAGE and context.get("user") is not None:
            return self._town_links(context["user"])
        return None

    def _neighbours(self) -> SlotContent | None:
        from projektfabrik.regions import readmodel

        tenant = g.get("tenant")
        if tenant is None:
            return None
        nearby = readmodel.neighbours_looking_for_help(tenant.id)
        if nearby is None or not nearby.items:
            return None
        return SlotContent(html=render_template("region/_neighbours.html", nearby=nearby), order=60)

    def _project_choice(self, project: Any) -> SlotContent | None:
        from flask_login import current_user

        from projektfabrik.projects import access
        from projektfabrik.regions import services

        if not current_user.is_authenticated or not access.can_manage(project, current_user):
            return None
        if not _in_region():
            return None
        html = render_template(
            "region/_project_sidebar.html",
            project=project,
            town=services.current_choice(),
        )
        return SlotContent(html=html, order=80)

    def _join_from_neighbour(self, project: Any) -> SlotContent | None:
        """For visitors not logged in here: "join with my account from <town>"."""
        from flask_login import current_user

        from projektfabrik.regions import joining

        if current_user.is_authenticated or not _in_region():
            return None
        towns = joining.offered_towns(project)
        if not towns:
            return None
        html = render_template("region/_join_from_neighbour.html", project=project, towns=towns)
        return SlotContent(html=html, order=85)

    def _town_links(self, user: Any) -> SlotContent | None:
        """The person's links with neighbouring towns, each with a way to end it. Shown
        even when the town has left the region since: ending must stay possible."""
        from projektfabrik.regions.accountlinks import of_user

        links = [link for link in of_user(user) if link.active]
        if not links:
            return None
        return SlotContent(
            html=render_template("region/_account_links.html", links=links), order=50
        )
