"""The hook implementations: everything the core learns about business plans comes from here."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import (
    Asset,
    PluginInfo,
    ProjectTab,
    hookimpl,
    is_project_editor,
    lazy_gettext,
    package_hooks,
    project_tab,
)
from projektfabrik_businessplan import models as _models  # noqa: F401 - the tables


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Business plan"),
        description=lazy_gettext(
            "Teams turn their project plan into a business plan for a bank or a foundation: "
            "texts prefilled from the project, capital need, profitability and liquidity "
            "for three years, as PDF and spreadsheet."
        ),
        api="1.1",
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_assets() -> list[Asset]:
    return [Asset(endpoint="businessplan.static", filename="businessplan.css", order=70)]


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    """The tab for the team always; for everyone else once the team made the plan public."""
    from projektfabrik_businessplan import services

    if not is_project_editor(project, user):
        plan = services.find(project)
        if plan is None or not plan.is_public:
            return []
    return project_tab(
        project,
        key="businessplan",
        label=lazy_gettext("Business plan"),
        endpoint="businessplan.index",
        order=70,
    )


@hookimpl
def pf_on_event(event: Any) -> None:
    from projektfabrik_businessplan import services

    services.on_funding_event(event)


@hookimpl
def pf_demo(town: Any) -> None:
    from projektfabrik_businessplan.demo import seed

    seed(town)
