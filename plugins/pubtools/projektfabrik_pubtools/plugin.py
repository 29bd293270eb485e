"""The hook implementations of the Kneipentools (entry point ``pubtools``)."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import (
    Asset,
    NavItem,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    hookimpl,
    is_project_editor,
    lazy_gettext,
    nav_links,
    package_hooks,
    project_tab,
)
from projektfabrik_pubtools import models  # noqa: F401  (models load with the plugin)
from projektfabrik_pubtools.forms import SettingsForm
from projektfabrik_pubtools.sheets import SHEETS


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Pub tools"),
        description=lazy_gettext(
            "Printable worksheets for each planning step, blank or prefilled, with a QR code "
            "that leads back to the right form; a kit for pub evenings and idea postcards."
        ),
        api="1.1",
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_tenant_settings() -> PluginSettings:
    defaults: dict[str, Any] = {"footer_text": "", "contact_line": ""}
    defaults.update({f"offer_{key}": True for key in SHEETS})
    return PluginSettings(defaults=defaults, form=SettingsForm)


@hookimpl
def pf_assets() -> list[Asset]:
    return [
        Asset(endpoint="pubtools.static", filename="pubtools.css", order=60),
    ]


@hookimpl
def pf_nav_items(user: Any) -> list[NavItem]:
    return nav_links(
        user,
        order=60,
        label=lazy_gettext("Pub tools"),
        endpoint="pubtools.index",
        admin_label=lazy_gettext("Idea postcards"),
        admin_endpoint="pubtools.postcards",
    )


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    if not is_project_editor(project, user):
        return []
    return project_tab(
        project,
        key="pubtools",
        label=lazy_gettext("Pub tools"),
        endpoint="pubtools.project_tab",
        order=70,
        param="ref",
    )
