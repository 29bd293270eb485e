"""The admin area registers itself as an internal plugin: its blueprint and its
navigation entries come in through the same hooks as any plugin's."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext

from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import NavArea, NavItem, PluginInfo


def _is_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_admin)


class AdminPlugin:
    """Always on; not listed on the "Module" page and cannot be switched off."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Administration"))

    @hookimpl
    def pf_blueprints(self) -> list[Blueprint]:
        from projektfabrik.admin.views import bp

        return [bp]

    @hookimpl
    def pf_nav_items(self, user: Any) -> list[NavItem] | None:
        if not _is_admin(user):
            return None
        return [
            NavItem(label=lazy_gettext("Administration"), endpoint="admin.index", order=900),
            NavItem(
                label=lazy_gettext("Modules"),
                endpoint="admin.modules",
                order=100,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Categories"),
                endpoint="admin.names_page",
                values={"kind": "kategorien"},
                order=200,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Districts"),
                endpoint="admin.names_page",
                values={"kind": "ortsteile"},
                order=210,
                area=NavArea.ADMIN,
            ),
            # The queue lives with the marketplace (moderators use it too); named
            # by endpoint, so the admin area imports nothing of it.
            NavItem(
                label=lazy_gettext("Moderation"),
                endpoint="moderation.queue",
                order=300,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Staff of the administration"),
                endpoint="admin.staff",
                order=310,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Sign-in and second factor"),
                endpoint="admin.sign_in",
                order=325,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Appearance and contact"),
                endpoint="admin.appearance",
                order=50,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Legal pages"),
                endpoint="admin.legal_pages",
                order=60,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("People and roles"),
                endpoint="admin.people_list",
                order=305,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Statistics"),
                endpoint="admin.statistics_page",
                order=330,
                area=NavArea.ADMIN,
            ),
            NavItem(
                label=lazy_gettext("Audit log"),
                endpoint="admin.audit_log",
                order=320,
                area=NavArea.ADMIN,
            ),
        ]
