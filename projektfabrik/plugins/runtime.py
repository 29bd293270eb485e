"""Request-time hooks as the core's pages use them.

Every function here calls only the plugins the current town has enabled
(plus the core's internal ones), isolates each plugin, and sorts what comes
back by ``(order, plugin name)``. Templates reach them as ``nav_items``,
``plugin_slot(...)``, ``plugin_assets()`` and ``project_tabs(project)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, abort, g, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from projektfabrik import searchtext
from projektfabrik.downloads import send_download
from projektfabrik.plugins.manager import get_manager
from projektfabrik.plugins.state import enabled_plugins
from projektfabrik.plugins.types import (
    AccountDeletion,
    Asset,
    AssetKind,
    ExportFormat,
    MarketplaceFilter,
    NavArea,
    NavItem,
    ProjectTab,
    SearchDocument,
    Slot,
    SlotContent,
    StatisticsTable,
)

log = logging.getLogger(__name__)

ROLE_RANK = {"member": 1, "moderator": 2, "admin": 3}


@dataclass(frozen=True)
class Link:
    """A resolved navigation entry or tab, as templates render it."""

    label: str
    url: str
    active: bool
    key: str = ""


class LazyList:
    """A list computed the first time a template iterates it (most renders never do)."""

    def __init__(self, build: Callable[[], list[Any]]) -> None:
        self._build = build
        self._items: list[Any] | None = None

    def _get(self) -> list[Any]:
        if self._items is None:
            self._items = self._build()
        return self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __bool__(self) -> bool:
        return bool(self._get())


def _user() -> Any:
    return current_user._get_current_object() if has_request_context() else None


def _endpoint_enabled(endpoint: str, enabled: frozenset[str]) -> bool:
    """False when the endpoint belongs to a plugin the town has switched off."""
    owner = get_manager().blueprint_owner.get(endpoint.split(".", 1)[0])
    return owner is None or owner in enabled


def _link(
    label: str, endpoint: str, values: Any, enabled: frozenset[str], key: str = ""
) -> Link | None:
    if not _endpoint_enabled(endpoint, enabled):
        return None
    try:
        url = url_for(endpoint, **dict(values))
    except BuildError:
        log.error("no URL for endpoint %s (from a plugin); entry skipped", endpoint)
        return None
    active = has_request_context() and request.endpoint == endpoint
    return Link(label=str(label), url=url, active=bool(active), key=key)


def nav_items(area: NavArea = NavArea.MAIN) -> list[Link]:
    """The navigation entries of an area for the current person and town."""
    if has_request_context() and g.get("tenant") is None:
        return []
    enabled = enabled_plugins()
    items = get_manager().collect("pf_nav_items", NavItem, enabled, user=_user())
    links = []
    for _name, item in items:
        if item.area != area:
            continue
        link = _link(item.label, item.endpoint, item.values, enabled)
        if link is not None:
            links.append(link)
    return links


def render_slot(slot: str | Slot, **context: Any) -> Markup:
    """The HTML the enabled plugins put in a slot. A plugin that raises is left out."""
    slot = Slot(slot)
    parts = []
    for name, content in get_manager().collect(
        "pf_template_slot", SlotContent, enabled_plugins(), slot=slot, context=context
    ):
        # Trusted markup from installed code (see SlotContent); never escaped here,
        # or a plugin's rendered template would show up as text.
        html = Markup(content.html)
        parts.append(Markup('<div class="plugin-slot plugin-slot-{}">{}</div>').format(name, html))
    return Markup("\n").join(parts)


def project_tabs(project: Any) -> list[Link]:
    """The plugins' tabs for a project's page."""
    enabled = enabled_plugins()
    tabs = get_manager().collect(
        "pf_project_tabs", ProjectTab, enabled, project=project, user=_user()
    )
    links = []
    for name, tab in tabs:
        link = _link(tab.label, tab.endpoint, tab.values, enabled, key=f"{name}.{tab.key}")
        if link is not None:
            links.append(link)
    return links


@dataclass(frozen=True)
class AssetLink:
    kind: AssetKind
    url: str


def assets() -> list[AssetLink]:
    """Stylesheets and scripts of the enabled plugins, for the page's ``<head>``."""
    if has_request_context() and g.get("tenant") is None:
        return []
    enabled = enabled_plugins()
    links = []
    for _name, asset in get_manager().collect("pf_assets", Asset, enabled):
        if not _endpoint_enabled(asset.endpoint, enabled):
            continue
        try:
            links.append(
                AssetLink(kind=asset.kind, url=url_for(asset.endpoint, filename=asset.filename))
            )
        except BuildError:
            log.error("no URL for asset %s/%s; skipped", asset.endpoint, asset.filename)
    return links


def export_formats(subject: str) -> list[ExportFormat]:
    """The download formats the enabled plugins offer for ``subject``."""
    return [
        fmt
        for _name, fmt in get_manager().collect(
            "pf_export_formats", ExportFormat, enabled_plugins(), subject=subject
        )
    ]


def export_response(subject: str, key: str, obj: Any, filename: str) -> Response:
    """Render ``obj`` in the format ``key`` as a download; 404 when no enabled plugin offers it."""
    for fmt in export_formats(subject):
        if fmt.key == key:
            return send_download(fmt.render(obj), f"{filename}.{fmt.extension}", fmt.mimetype)
    abort(404)


def marketplace_filters() -> list[MarketplaceFilter]:
    """The filters the enabled plugins add to the project marketplace, by ``order``;
    a second filter with a parameter already taken is left out."""
    found: dict[str, MarketplaceFilter] = {}
    for name, item in get_manager().collect(
        "pf_marketplace_filters", MarketplaceFilter, enabled_plugins()
    ):
        if item.param in found or item.param in RESERVED_MARKETPLACE_PARAMS:
            log.error("plugin %s: marketplace parameter %r is taken; skipped", name, item.param)
            continue
        found[item.param] = item
    return list(found.values())


#: The marketplace's own URL parameters (marketplace/listing.py), not for plugins.
RESERVED_MARKETPLACE_PARAMS = frozenset(
    {
        "suche",
        "status",
        "kategorie",
        "ortsteil",
        "sucht",
        "faehigkeit",
        "sortierung",
        "seite",
        "fuer-mich",
    }
)


def search_documents(query: str = "") -> list[tuple[str, SearchDocument]]:
    """Everything the current town's enabled plugins want found, as (plugin, document).

    With ``query``: only the documents it finds, best match first, by the
    same rules as the project search (projects/search.py, docs/search.md).
    """
    docs = get_manager().collect("pf_search_documents", SearchDocument, enabled_plugins())
    docs = sorted(docs, key=lambda pair: (pair[0], pair[1].kind, pair[1].key))
    if not searchtext.terms(query):
        return docs
    ranked = searchtext.rank_documents(query, [(d.title, d.text) for _, d in docs])
    return [docs[i] for i, _ in ranked]


@dataclass(frozen=True)
class DeletionPlan:
    """What deleting an account means, gathered from every enabled plugin."""

    blockers: tuple[Any, ...]
    keeps: tuple[Any, ...]
    deletes: tuple[Any, ...]
    actions: tuple[Callable[[], None], ...]

    def run(self) -> None:
        """Delete what the plugins said goes (in the caller's transaction)."""
        for action in self.actions:
            action()


def account_deletion(user: Any) -> DeletionPlan:
    """Ask every enabled plugin (internal ones included) about deleting ``user``.

    Not isolated, like permission checks: a plugin that raises stops the
    deletion, so nothing a plugin had to settle or delete is skipped silently.
    """
    manager = get_manager()
    found: list[tuple[int, str, AccountDeletion]] = []
    for impl in manager.impls("pf_account_deletion", enabled_plugins()):
        arguments = {"user": user}
        for item in _listed(impl.function(*(arguments[arg] for arg in impl.argnames))):
            if not isinstance(item, AccountDeletion):
                raise TypeError(
                    f"plugin {impl.plugin_name} returned {type(item).__name__} "
                    "from pf_account_deletion, not AccountDeletion"
                )
            found.append((item.order, impl.plugin_name, item))
    found.sort(key=lambda entry: entry[:2])
    parts = [item for _order, _name, item in found]
    return DeletionPlan(
        blockers=tuple(c for p in parts for c in p.blockers),
        keeps=tuple(c for p in parts for c in p.keeps),
        deletes=tuple(c for p in parts for c in p.deletes),
        actions=tuple(p.delete for p in parts if p.delete is not None),
    )


def personal_data(user: Any) -> dict[str, Any]:
    """What each enabled plugin adds to ``user``'s data export (``pf_personal_data``).

    Not isolated, like the deletion: a plugin that fails stops the export
    rather than leaving its part out unnoticed.
    """
    manager = get_manager()
    found: dict[str, Any] = {}
    for impl in manager.impls("pf_personal_data", enabled_plugins()):
        arguments = {"user": user}
        data = impl.function(*(arguments[arg] for arg in impl.argnames))
        if data:
            found[impl.plugin_name] = dict(data)
    return found


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def can(permission: str, obj: Any = None, user: Any = None) -> bool:
    """Whether ``user`` (default: the current person) has ``permission`` here.

    False when the plugin that declared it is switched off in this town. Any
    enabled plugin's ``pf_check_permission`` answering ``False`` denies, else
    any ``True`` grants, else the declared ``min_role`` decides. A plugin that
    raises here is not skipped: the error goes up, so a broken check denies.
    """
    manager = get_manager()
    declared = manager.permissions.get(permission)
    if declared is None:
        raise LookupError(f"no plugin declares the permission {permission!r}")
    owner, spec = declared
    enabled = enabled_plugins()
    if owner not in enabled:
        return False
    if user is None:
        user = _user()
    answers = []
    for impl in manager.impls("pf_check_permission", enabled):
        arguments = {"user": user, "permission": permission, "obj": obj}
        answers.append(impl.function(*(arguments[arg] for arg in impl.argnames)))
    if False in answers:
        return False
    if True in answers:
        return True
    if spec.min_role is None:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    role = getattr(user.role, "value", user.role)
    return ROLE_RANK.get(role, 0) >= ROLE_RANK[spec.min_role]


def _context() -> dict[str, Any]:
    return {"nav_items": LazyList(nav_items)}


def init_app(app: Flask) -> None:
    app.context_processor(_context)
    app.jinja_env.globals.update(
        plugin_slot=render_slot,
        plugin_assets=assets,
        project_tabs=project_tabs,
        plugin_enabled=lambda name: name in enabled_plugins(),
        can=can,
    )


def admin_statistics() -> list[StatisticsTable]:
    """The statistics the town's enabled plugins (internal ones included) add to
    the admin's statistics page, sorted by ``(order, plugin)``; a plugin that
    raises is left out."""
    return [
        table
        for _name, table in get_manager().collect(
            "pf_admin_statistics", StatisticsTable, enabled_plugins()
        )
    ]
