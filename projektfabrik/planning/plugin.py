"""Planning registers itself as an internal plugin: its blueprint, the "Plan" tab on
a project's page and its export formats come in through the same hooks as any
plugin's (like :mod:`projektfabrik.admin.plugin`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext

from projektfabrik.planning import models as _models  # noqa: F401 - the tables
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import ExportFormat, PluginInfo, ProjectTab


class PlanningPlugin:
    """Always on; not listed on the "Module" page."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Project planning"))

    @hookimpl
    def pf_blueprints(self) -> list[Blueprint]:
        from projektfabrik.planning.views import bp

        return [bp]

    @hookimpl
    def pf_init_app(self, app: Flask) -> None:
        from projektfabrik.planning.money import format_share

        # month, date, money, ...: projektfabrik/formatting.py registers them for everyone.
        app.jinja_env.filters["share"] = format_share

    @hookimpl
    def pf_project_tabs(self, project: Any, user: Any) -> list[ProjectTab] | None:
        from projektfabrik.planning import services

        if not services.visible_sections(project, user):
            return None
        return [
            ProjectTab(
                key="plan",
                label=lazy_gettext("Plan"),
                endpoint="planning.overview",
                values={"number": project.number},
                order=10,
            )
        ]

    @hookimpl
    def pf_export_formats(self, subject: str) -> list[ExportFormat] | None:
        from projektfabrik.planning import exports

        if subject != exports.SUBJECT:
            return None
        return exports.formats()
