"""The hooks a plugin may implement. Each one is documented in docs/plugins.md.

Two kinds:

* App assembly hooks run once when the app is built, for every installed
  plugin (whether or not any town has it switched on).
* Request-time hooks run only for the plugins the current town has enabled
  (and the core's internal plugins). Their results are sorted by ``order``;
  a plugin that raises is logged and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from projektfabrik.plugins.types import (
    Asset,
    Event,
    ExportFormat,
    ImpactFigure,
    MarketplaceFilter,
    NavItem,
    NotificationKind,
    OpenApiPaths,
    Permission,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    SearchDocument,
    Slot,
    SlotContent,
    StatisticsTable,
)

if TYPE_CHECKING:  # only for the annotations: importing them here would be circular
    import click
    from flask import Blueprint, Flask
    from flask_login import AnonymousUserMixin

    from projektfabrik.accounts.models import User
    from projektfabrik.projects.models import Project
    from projektfabrik.tenancy.models import Tenant

PROJECT_NAME = "projektfabrik"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: Hooks called once per app for every installed plugin.
ASSEMBLY_HOOKS = (
    "pf_plugin_info",
    "pf_blueprints",
    "pf_migrations",
    "pf_cli",
    "pf_translations",
    "pf_tenant_settings",
    "pf_permissions",
    "pf_init_app",
)

#: Hooks called per request for the town's enabled plugins only.
REQUEST_HOOKS = (
    "pf_nav_items",
    "pf_template_slot",
    "pf_project_tabs",
    "pf_check_permission",
    "pf_on_event",
    "pf_export_formats",
    "pf_search_documents",
    "pf_assets",
    "pf_demo",
    "pf_notification_kinds",
    "pf_account_deletion",
    "pf_personal_data",
    "pf_marketplace_filters",
    "pf_admin_statistics",
    "pf_impact_indicators",
    "pf_openapi_paths",
)


# --- app assembly ------------------------------------------------------------


@hookspec
def pf_plugin_info() -> PluginInfo | None:
    """Return a ``PluginInfo`` (title and description for the "Module" page)."""


@hookspec
def pf_blueprints() -> Iterable[Blueprint] | None:
    """Return the plugin's Flask blueprints; each needs its own ``url_prefix``."""


@hookspec
def pf_migrations() -> str | Path | None:
    """Return the folder of the plugin's Alembic revisions (branch label = plugin name)."""


@hookspec
def pf_cli() -> Iterable[click.Command] | None:
    """Return click commands; they appear as ``projektfabrik <plugin> <command>``."""


@hookspec
def pf_translations() -> str | Path | None:
    """Return the plugin's translations folder (``<locale>/LC_MESSAGES/messages.po``)."""


@hookspec
def pf_tenant_settings() -> PluginSettings | None:
    """Return a ``PluginSettings``: per-town settings with defaults, a form, secret keys."""


@hookspec
def pf_permissions() -> Iterable[Permission] | None:
    """Return the ``Permission`` declarations the plugin checks with ``api.can``."""


@hookspec
def pf_init_app(app: Flask) -> None:
    """Last step of building the app: template filters, extra config, anything else."""


# --- request time ----------------------------------------------------------------


@hookspec
def pf_nav_items(user: User | AnonymousUserMixin) -> Iterable[NavItem] | None:
    """Return ``NavItem`` entries for the main navigation or the admin overview."""


@hookspec
def pf_template_slot(slot: Slot, context: Mapping[str, Any]) -> Iterable[SlotContent] | None:
    """Return ``SlotContent`` for the named ``Slot`` of a page, or ``None``."""


@hookspec
def pf_project_tabs(
    project: Project, user: User | AnonymousUserMixin
) -> Iterable[ProjectTab] | None:
    """Return ``ProjectTab`` entries for a project's page."""


@hookspec(firstresult=True)
def pf_check_permission(
    user: User | AnonymousUserMixin, permission: str, obj: object
) -> bool | None:
    """Return ``False`` to deny, ``True`` to grant, ``None`` to leave it to the default."""


@hookspec
def pf_on_event(event: Event) -> None:
    """React to an ``Event`` after the transaction that caused it was committed."""


@hookspec
def pf_export_formats(subject: str) -> Iterable[ExportFormat] | None:
    """Return ``ExportFormat`` entries for a kind of thing (``subject``)."""


@hookspec
def pf_search_documents() -> Iterable[SearchDocument] | None:
    """Return the current town's ``SearchDocument`` entries for the search index."""


@hookspec
def pf_assets() -> Iterable[Asset] | None:
    """Return ``Asset`` entries (stylesheets, scripts) to load on the town's pages."""


@hookspec
def pf_demo(town: Tenant) -> None:
    """Add the plugin's demo content to ``town`` (in context) for ``projektfabrik demo``.

    Must be safe to run again: add only what is missing. The core commits.
    """


@hookspec
def pf_notification_kinds() -> Iterable[NotificationKind] | None:
    """Return the ``NotificationKind`` entries the plugin sends with ``api.notify``."""


@hookspec
def pf_account_deletion(user: Any) -> Any:
    """Return an ``AccountDeletion``: what blocks deleting ``user``'s account, what
    the town keeps, what goes, and how to delete it (errors are not swallowed)."""


@hookspec
def pf_personal_data(user: Any) -> Mapping[str, Any] | None:
    """Return what the plugin keeps about ``user`` beyond its tables' rows that point
    at the person (those are in the export already), as JSON-ready data."""


@hookspec
def pf_marketplace_filters() -> Iterable[MarketplaceFilter] | None:
    """Return ``MarketplaceFilter`` entries: more choices for the project marketplace."""


@hookspec
def pf_admin_statistics() -> Iterable[StatisticsTable] | None:
    """Return ``StatisticsTable`` entries for the town admin's statistics page:
    a fixed number of queries, whatever the town's size."""


@hookspec
def pf_impact_indicators() -> Iterable[ImpactFigure] | None:
    """Return ``ImpactFigure`` entries for the town's impact dashboard (``/wirkung``):
    a fixed number of queries, whatever the town's size."""


@hookspec
def pf_openapi_paths() -> Iterable[OpenApiPaths] | None:
    """Return ``OpenApiPaths``: more paths of the open-data API's OpenAPI document."""
