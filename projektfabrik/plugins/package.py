"""The hooks every plugin laid out like the repository's plugins writes the same way,
written once: its blueprint, migrations and translations found by the package's layout,
its navigation (a public link, and one on the admin overview for those who manage it)
and a tab on the project's page.

A plugin's ``plugin.py`` says::

    pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)

and returns ``nav_links(...)`` and ``project_tab(...)`` from its own ``pf_nav_items``
and ``pf_project_tabs``, which keep the plugin's own conditions (who sees the tab).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Blueprint

from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import NavArea, NavItem, ProjectTab

PackageHooks = tuple[
    Callable[[], Iterable[Blueprint]],
    Callable[[], Path],
    Callable[[], Path],
]


def package_hooks(plugin_module: str) -> PackageHooks:
    """``pf_blueprints``, ``pf_migrations`` and ``pf_translations`` for the plugin whose
    ``plugin.py`` is ``plugin_module`` (pass ``__name__``): the blueprint ``bp`` of the
    package's ``views`` module (imported when the app asks, not at registration), and
    the package's ``migrations/versions`` and ``translations`` folders."""
    package = plugin_module.rpartition(".")[0]
    if not package:
        raise ValueError(f"{plugin_module!r} is not a module inside a plugin package")
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ValueError(f"the package {package!r} is not importable")
    here = Path(spec.origin).resolve().parent

    @hookimpl
    def pf_blueprints() -> list[Blueprint]:
        return [importlib.import_module(f"{package}.views").bp]

    @hookimpl
    def pf_migrations() -> Path:
        return here / "migrations" / "versions"

    @hookimpl
    def pf_translations() -> Path:
        return here / "translations"

    return pf_blueprints, pf_migrations, pf_translations


def nav_links(
    user: Any,
    *,
    order: int,
    label: str,
    endpoint: str,
    admin_label: str | None = None,
    admin_endpoint: str | None = None,
    manages: Callable[[Any], bool] | None = None,
) -> list[NavItem]:
    """The plugin's navigation: a link in the main navigation for everyone and, with
    ``admin_label`` and ``admin_endpoint``, one on the admin overview (``/verwaltung/``)
    for a logged-in person who manages the plugin: a town admin, or whom
    ``manages(user)`` names (called only for a logged-in person)."""
    items = [NavItem(label=label, endpoint=endpoint, order=order)]
    if admin_label is None or admin_endpoint is None:
        return items
    if getattr(user, "is_authenticated", False):
        allowed = manages(user) if manages is not None else bool(getattr(user, "is_admin", False))
        if allowed:
            items.append(
                NavItem(label=admin_label, endpoint=admin_endpoint, order=order, area=NavArea.ADMIN)
            )
    return items


def project_tab(
    project: Any, *, key: str, label: str, endpoint: str, order: int, param: str = "project_ref"
) -> list[ProjectTab]:
    """One tab on the project's page, linking to ``endpoint`` with the project's
    reference as ``param``."""
    return [
        ProjectTab(
            key=key, label=label, endpoint=endpoint, values={param: str(project.ref)}, order=order
        )
    ]
