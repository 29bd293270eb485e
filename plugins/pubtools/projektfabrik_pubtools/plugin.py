"""The hook implementations of the Kneipentools (entry point ``pubtools``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from projektfabrik.api import (
    Asset,
    NavArea,
    NavItem,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    hookimpl,
    is_project_editor,
    lazy_gettext,
)
from projektfabrik_pubtools import models  # noqa: F401  (models load with the plugin)
from projektfabrik_pubtools.forms import SettingsForm
from projektfabrik_pubtools.sheets import SHEETS

HERE = Path(__file__).resolve().parent


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


@hookimpl
def pf_blueprints() -> list[Any]:
    from projektfabrik_pubtools.views import bp

    return [bp]


@hookimpl
def pf_migrations() -> Path:
    return HERE / "migrations" / "versions"


@hookimpl
def pf_translations() -> Path:
    return HERE / "translations"


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
    items = [NavItem(label=lazy_gettext("Pub tools"), endpoint="pubtools.index", order=60)]
    if getattr(user, "is_authenticated", False) and getattr(user, "is_admin", False):
        items.append(
            NavItem(
                label=lazy_gettext("Idea postcards"),
                endpoint="pubtools.postcards",
                order=60,
                area=NavArea.ADMIN,
            )
        )
    return items


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    if not is_project_editor(project, user):
        return []
    return [
        ProjectTab(
            key="pubtools",
            label=lazy_gettext("Pub tools"),
            endpoint="pubtools.project_tab",
            values={"ref": str(project.ref)},
            order=70,
        )
    ]
