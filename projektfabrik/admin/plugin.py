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
        # The admin overview's entries, in the order the overview shows them. The
        # moderation queue lives with the marketplace (moderators use it too); named
        # by endpoint, so the admin area imports nothing of it.
        entries: list[tuple[Any, str, dict[str, str] | None, int]] = [
            (lazy_gettext("Appearance and contact"), "admin.appearance", None, 50),
            (lazy_gettext("Legal pages"), "admin.legal_pages", None, 60),
            (lazy_gettext("Modules"), "admin.modules", None, 100),
            (lazy_gettext("Categories"), "admin.names_page", {"kind": "kategorien"}, 200),
            (lazy_gettext("Districts"), "admin.names_page", {"kind": "ortsteile"}, 210),
            (lazy_gettext("Moderation"), "moderation.queue", None, 300),
            (lazy_gettext("People and roles"), "admin.people_list", None, 305),
            (lazy_gettext("Staff of the administration"), "admin.staff", None, 310),
            (lazy_gettext("Audit log"), "admin.audit_log", None, 320),
            (lazy_gettext("Sign-in and second factor"), "admin.sign_in", None, 325),
            (lazy_gettext("Statistics"), "admin.statistics_page", None, 330),
        ]
        return [
            NavItem(label=lazy_gettext("Administration"), endpoint="admin.index", order=900),
            *(
                NavItem(
                    label=label,
                    endpoint=endpoint,
                    values=values or {},
                    order=order,
                    area=NavArea.ADMIN,
                )
                for label, endpoint, values, order in entries
            ),
        ]
