"""The strategy registers itself as an internal plugin (like :mod:`projektfabrik.admin.plugin`):
its blueprints, the admin's entry, the project's "Impact" tab, the marketplace's
"Projects for ..." filter and the landing page's headline figures come in through
the same hooks as any plugin's. Always on: the goals are the town's own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import (
    MarketplaceFilter,
    NavArea,
    NavItem,
    OpenApiPaths,
    PluginInfo,
    ProjectTab,
    Slot,
    SlotContent,
)
from projektfabrik.strategy import models as _models  # noqa: F401 - the tables


class StrategyPlugin:
    """Always on; not listed on the "Module" page."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Goals and impact"))

    @hookimpl
    def pf_blueprints(self) -> list[Blueprint]:
        from projektfabrik.strategy.opendata import api_bp
        from projektfabrik.strategy.views import admin_bp, bp, project_bp

        return [admin_bp, bp, project_bp, api_bp]

    @hookimpl
    def pf_nav_items(self, user: Any) -> list[NavItem] | None:
        items = [
            NavItem(label=lazy_gettext("Goals and impact"), endpoint="strategy.dashboard", order=30)
        ]
        if user is not None and user.is_authenticated and user.is_admin:
            items.append(
                NavItem(
                    label=lazy_gettext("Goals and impact"),
                    endpoint="strategy_admin.admin_index",
                    order=220,
                    area=NavArea.ADMIN,
                )
            )
        return items

    @hookimpl
    def pf_project_tabs(self, project: Any, user: Any) -> list[ProjectTab] | None:
        return [
            ProjectTab(
                key="strategy",
                label=lazy_gettext("Contribution to goals"),
                endpoint="strategy_project.page",
                values={"number": project.number},
                order=20,
            )
        ]

    @hookimpl
    def pf_openapi_paths(self) -> list[OpenApiPaths]:
        from projektfabrik.strategy.opendata import openapi_paths

        return [openapi_paths()]

    @hookimpl
    def pf_demo(self, town: Any) -> None:
        from projektfabrik.strategy import demo

        demo.seed(town)

    @hookimpl
    def pf_marketplace_filters(self) -> list[MarketplaceFilter] | None:
        from projektfabrik.strategy import services
        from projektfabrik.strategy.models import Goal, ProjectGoal

        goals = services.goal_choices()
        if not goals:
            return None

        def project_ids(ref: str) -> Any:
            return (
                select(ProjectGoal.project_id)
                .join(Goal, Goal.id == ProjectGoal.goal_id)
                .where(Goal.ref == ref)
            )

        return [
            MarketplaceFilter(
                param="ziel",
                label=_("Projects for"),
                choices=tuple(goals),
                project_ids=project_ids,
                order=20,
            )
        ]

    @hookimpl
    def pf_template_slot(self, slot: Any, context: dict[str, Any]) -> SlotContent | None:
        from projektfabrik.strategy import contributions, figures

        if slot == Slot.PROJECT_SIDEBAR and context.get("project") is not None:
            project = context["project"]

            def sidebar() -> str:
                goals = contributions.linked_goals(project)
                if not goals:
                    return ""
                return render_template("strategy/_sidebar.html", project=project, goals=goals)

            # The same for everyone: kept per project version and language (the
            # goals and their links are the town's shared rows).
            html = workercache.fragment("strategy-sidebar", build=sidebar, scope=project)
            return SlotContent(html=html, order=30) if html else None
        if slot == Slot.LANDING_MAIN:
            headlines = figures.headlines()
            if not headlines:
                return None
            return SlotContent(
                html=render_template("strategy/_headlines.html", headlines=headlines), order=20
            )
        return None
