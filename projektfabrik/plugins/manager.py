"""Find, register and call plugins. One manager per app, in ``app.extensions``.

Level 1 ("installed") happens here: every distribution with an entry point in
the group ``projektfabrik.plugins`` is loaded and registered when the app is
built, with its blueprints, migrations, translations, settings, permissions
and CLI commands. Level 2 ("enabled per town") is :mod:`projektfabrik.plugins.state`;
this module only filters request-time calls by the set it is given.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TypeVar

import click
import pluggy
from flask import Blueprint, Flask, abort, current_app
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from wtforms.fields.core import UnboundField

from projektfabrik.dbfaults import connection_lost
from projektfabrik.plugins import apiversion, hookspecs
from projektfabrik.plugins.types import Permission, PluginInfo, PluginSettings

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "projektfabrik.plugins"
EXTENSION = "projektfabrik.plugins"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
#: Names a plugin cannot take: core command groups and core areas.
RESERVED_NAMES = frozenset(
    {"admin", "api", "core", "db", "demo", "mail", "plugins", "routes", "run", "shell"}
    | {"static", "tenant", "user"}
)
ROLES = (None, "member", "moderator", "admin")

T = TypeVar("T")


class PluginError(RuntimeError):
    """A plugin is refused at start-up; the message says which and why."""


@dataclass
class PluginRecord:
    """What the core knows about one registered plugin."""

    name: str
    obj: object
    internal: bool = False
    version: str = ""
    distribution: str | None = None
    info: PluginInfo | None = None
    blueprints: list[str] = field(default_factory=list)
    translations: Path | None = None
    migrations: Path | None = None
    settings: PluginSettings | None = None
    permissions: list[Permission] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.info.title) if self.info else self.name

    @property
    def description(self) -> str:
        return str(self.info.description) if self.info else ""


class PluginManager:
    """A pluggy manager plus what the core learned from each plugin at start-up."""

    def __init__(self) -> None:
        self.hooks = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.hooks.add_hookspecs(hookspecs)
        self.records: dict[str, PluginRecord] = {}
        #: Top-level blueprint name -> plugin name (for the 404 gate).
        self.blueprint_owner: dict[str, str] = {}
        #: Permission name -> (plugin name, declaration).
        self.permissions: dict[str, tuple[str, Permission]] = {}

    # --- registration -----------------------------------------------------------

    def discover(self) -> None:
        """Register every plugin installed in the environment (sorted by name)."""
        found: dict[str, Any] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            earlier = found.get(ep.name)
            if earlier is not None and earlier.value != ep.value:
                raise PluginError(
                    f"two installed plugins are called {ep.name!r}: {earlier.value} and {ep.value}"
                )
            found[ep.name] = ep
        for name in sorted(found):
            ep = found[name]
            try:
                obj = ep.load()
            except Exception as exc:
                raise PluginError(f"plugin {name!r} ({ep.value}) cannot be loaded: {exc}") from exc
            dist = ep.dist
            self.register(
                name,
                obj,
                version=dist.version if dist is not None else "",
                distribution=dist.name if dist is not None else None,
            )

    def register(
        self,
        name: str,
        obj: object,
        *,
        internal: bool = False,
        version: str = "",
        distribution: str | None = None,
    ) -> PluginRecord:
        if not NAME.match(name):
            raise PluginError(
                f"invalid plugin name {name!r}: lower-case letters, digits and _, 2 to 40"
            )
        if name in RESERVED_NAMES and not internal:
            raise PluginError(f"plugin name {name!r} is reserved for the core")
        if name in self.records:
            raise PluginError(f"a plugin called {name!r} is registered already")
        if isinstance(obj, type):
            obj = obj()
        self.hooks.register(obj, name=name)
        for caller in self.hooks.get_hookcallers(obj) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is obj and (impl.wrapper or impl.hookwrapper):
                    raise PluginError(
                        f"plugin {name!r}: {caller.name} may not be a wrapper; "
                        "the core calls every implementation on its own"
                    )
        record = PluginRecord(
            name=name, obj=obj, internal=internal, version=version, distribution=distribution
        )
        self.records[name] = record
        return record

    def check(self) -> None:
        """Refuse hook implementations for hooks that do not exist (typos)."""
        try:
            self.hooks.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(str(exc)) from exc

    # --- app assembly -------------------------------------------------------------

    def assemble(self, app: Flask) -> None:
        """Call the app assembly hooks of every plugin, internal ones first."""
        ordered = sorted(self.records.values(), key=lambda r: (not r.internal, r.name))
        for record in ordered:
            self._read_info(record)
            self._read_translations(record)
            self._read_settings(record)
            self._read_permissions(record)
            self._read_migrations(record)
        for record in ordered:
            self._register_blueprints(app, record)
            self._register_cli(app, record)
        for record in ordered:
            self.call_one(record.name, "pf_init_app", app=app)

    def call_one(self, name: str, hook_name: str, **kwargs: Any) -> Any:
        """Call one plugin's implementation of a hook (``None`` when it has none)."""
        caller = getattr(self.hooks.hook, hook_name)
        for impl in caller.get_hookimpls():
            if impl.plugin_name == name:
                return impl.function(*(kwargs[arg] for arg in impl.argnames))
        return None

    def _read_info(self, record: PluginRecord) -> None:
        info = self.call_one(record.name, "pf_plugin_info")
        if info is not None and not isinstance(info, PluginInfo):
            raise PluginError(f"plugin {record.name!r}: pf_plugin_info must return PluginInfo")
        record.info = info
        if not record.internal:
            self._check_api(record)

    def _check_api(self, record: PluginRecord) -> None:
        """Refuse a plugin written for a plugin API this core does not provide."""
        required = record.info.api if record.info is not None else None
        if required is None:
            log.warning(
                "plugin %s declares no plugin API version (PluginInfo(api=...)); taken to need %s",
                record.name,
                apiversion.ASSUMED_API,
            )
            required = apiversion.ASSUMED_API
        try:
            fits = apiversion.fits(required)
        except ValueError as exc:
            raise PluginError(f"plugin {record.name!r}: PluginInfo(api=...): {exc}") from exc
        if not fits:
            where = f" ({record.distribution} {record.version})" if record.distribution else ""
            raise PluginError(
                f"plugin {record.name!r}{where} needs plugin API {required}, but this "
                f"Projektfabrik provides plugin API {apiversion.API_VERSION} "
                "(it fits the same major version with the same or a higher minor one); "
                "install a version of the plugin made for this Projektfabrik, or remove it"
            )

    def _folder(self, record: PluginRecord, hook_name: str) -> Path | None:
        value = self.call_one(record.name, hook_name)
        if value is None:
            return None
        folder = Path(value)
        if not folder.is_dir():
            raise PluginError(f"plugin {record.name!r}: {hook_name} names no folder: {folder}")
        return folder

    def _read_translations(self, record: PluginRecord) -> None:
        record.translations = self._folder(record, "pf_translations")

    def _read_migrations(self, record: PluginRecord) -> None:
        record.migrations = self._folder(record, "pf_migrations")

    def _read_settings(self, record: PluginRecord) -> None:
        spec = self.call_one(record.name, "pf_tenant_settings")
        if spec is None:
            return
        if not isinstance(spec, PluginSettings):
            raise PluginError(
                f"plugin {record.name!r}: pf_tenant_settings must return PluginSettings"
            )
        unknown = set(spec.secret) - set(spec.defaults)
        if unknown:
            raise PluginError(f"plugin {record.name!r}: secret keys without default: {unknown}")
        if spec.form is not None:
            fields = {
                attr
                for attr in dir(spec.form)
                if isinstance(getattr(spec.form, attr, None), UnboundField)
            }
            extra = fields - set(spec.defaults)
            if extra:
                raise PluginError(
                    f"plugin {record.name!r}: settings form fields without default: {sorted(extra)}"
                )
        record.settings = spec

    def _read_permissions(self, record: PluginRecord) -> None:
        for permission in _as_list(self.call_one(record.name, "pf_permissions")):
            if not isinstance(permission, Permission):
                raise PluginError(f"plugin {record.name!r}: pf_permissions must return Permission")
            if not permission.name.startswith(record.name + "."):
                raise PluginError(
                    f"plugin {record.name!r}: permission {permission.name!r} must start with "
                    f"'{record.name}.'"
                )
            if permission.min_role not in ROLES:
                raise PluginError(
                    f"plugin {record.name!r}: permission {permission.name!r} has unknown "
                    f"min_role {permission.min_role!r}"
                )
            if permission.name in self.permissions:
                raise PluginError(f"permission {permission.name!r} is declared twice")
            self.permissions[permission.name] = (record.name, permission)
            record.permissions.append(permission)

    def _register_blueprints(self, app: Flask, record: PluginRecord) -> None:
        for bp in _as_list(self.call_one(record.name, "pf_blueprints")):
            if not isinstance(bp, Blueprint):
                raise PluginError(f"plugin {record.name!r}: pf_blueprints must return Blueprints")
            prefix = (bp.url_prefix or "").strip("/")
            if not prefix:
                raise PluginError(
                    f"plugin {record.name!r}: blueprint {bp.name!r} needs a url_prefix"
                )
            if _path_taken(app, "/" + prefix):
                raise PluginError(
                    f"plugin {record.name!r}: the URL prefix /{prefix} is taken already"
                )
            app.register_blueprint(bp)
            self.blueprint_owner[bp.name] = record.name
            record.blueprints.append(bp.name)
            if not record.internal:
                # Before the blueprint's own before_request functions: a switched-off
                # plugin answers 404, not "please log in".
                app.before_request_funcs.setdefault(bp.name, []).insert(0, _gate(record.name))

    def _register_cli(self, app: Flask, record: PluginRecord) -> None:
        commands = _as_list(self.call_one(record.name, "pf_cli"))
        if not commands:
            return
        group = click.Group(name=record.name, help=f"{record.title} ({record.name} plugin)")
        for command in commands:
            if not isinstance(command, click.Command):
                raise PluginError(f"plugin {record.name!r}: pf_cli must return click commands")
            group.add_command(command)
        app.cli.add_command(group)

    # --- what the rest of the core asks -------------------------------------------------

    @property
    def installed(self) -> list[PluginRecord]:
        """Plugins from installed distributions (not the core's internal ones), by name."""
        return [r for _n, r in sorted(self.records.items()) if not r.internal]

    @property
    def internal_names(self) -> frozenset[str]:
        return frozenset(n for n, r in self.records.items() if r.internal)

    def is_installed(self, name: str) -> bool:
        record = self.records.get(name)
        return record is not None and not record.internal

    def migration_locations(self) -> dict[str, Path]:
        return {r.name: r.migrations for r in self.installed if r.migrations is not None}

    def translation_folders(self) -> list[Path]:
        return [r.translations for r in self.installed if r.translations is not None]

    # --- request-time calls -----------------------------------------------------------

    def impls(self, hook_name: str, enabled: Iterable[str]) -> list[Any]:
        """The hook's implementations by the given plugins, sorted by plugin name."""
        allowed = set(enabled)
        caller = getattr(self.hooks.hook, hook_name)
        found = [impl for impl in caller.get_hookimpls() if impl.plugin_name in allowed]
        return sorted(found, key=lambda impl: impl.plugin_name)

    def call(self, hook_name: str, enabled: Iterable[str], **kwargs: Any) -> list[tuple[str, Any]]:
        """Call a hook for the given plugins only, each call isolated.

        A plugin that raises is logged and skipped; the others still answer.
        Not when the database is gone: the request's connection is invalidated,
        so the rest of the request cannot go on; the error goes to the 503 page.
        Returns ``(plugin name, list of what it returned)`` pairs.
        """
        results = []
        for impl in self.impls(hook_name, enabled):
            try:
                value = _as_list(impl.function(*(kwargs[arg] for arg in impl.argnames)))
            except Exception as error:
                if connection_lost(error):
                    raise
                log.exception("plugin %s failed in %s; skipped", impl.plugin_name, hook_name)
                continue
            results.append((impl.plugin_name, value))
        return results

    def collect(
        self, hook_name: str, kind: type[T], enabled: Iterable[str], **kwargs: Any
    ) -> list[tuple[str, T]]:
        """The items of type ``kind`` the plugins returned, sorted by ``(order, plugin)``."""
        items: list[tuple[Any, str, int, T]] = []
        for name, values in self.call(hook_name, enabled, **kwargs):
            for position, item in enumerate(values):
                if not isinstance(item, kind):
                    log.error(
                        "plugin %s returned %r from %s, not %s; skipped",
                        name,
                        type(item).__name__,
                        hook_name,
                        kind.__name__,
                    )
                    continue
                order = getattr(item, "order", 0)
                if not isinstance(order, int):
                    log.error("plugin %s gave %s an order that is no int; skipped", name, hook_name)
                    continue
                items.append((order, name, position, item))
        items.sort(key=lambda entry: entry[:3])
        return [(name, item) for _order, name, _position, item in items]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _path_taken(app: Flask, path: str) -> bool:
    adapter = app.url_map.bind("localhost")
    for candidate in (path, path + "/", path + "/x"):
        try:
            adapter.match(candidate)
        except NotFound:
            continue
        except (MethodNotAllowed, RequestRedirect):
            return True
        return True
    return False


def _gate(name: str):  # type: ignore[no-untyped-def]
    def plugin_enabled_or_404() -> None:
        from projektfabrik.plugins.state import enabled_plugins

        if name not in enabled_plugins():
            abort(404)

    plugin_enabled_or_404.__name__ = f"plugin_gate_{name}"
    return plugin_enabled_or_404


def get_manager(app: Flask | None = None) -> PluginManager:
    return (app or current_app).extensions[EXTENSION]


def iter_hooks() -> Iterator[str]:
    """Every hookspec name (the documentation test reads this)."""
    for attr in dir(hookspecs):
        if attr.startswith("pf_"):
            yield attr
