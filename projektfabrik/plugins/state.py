"""Level 2: which plugins the current town has switched on, and their settings.

Read from the database the first time a request needs them, kept in ``g``
for the rest of that request, and kept by the worker until the town's content
version changes (:mod:`projektfabrik.workercache`): a switch or a saved
setting raises it, so a change made in one gunicorn worker is seen by every
other worker on its next request, and most requests send no query for this.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.extensions import db
from projektfabrik.plugins import secrets
from projektfabrik.plugins.manager import NAME, get_manager
from projektfabrik.plugins.models import TenantPlugin
from projektfabrik.plugins.types import PluginSwitched
from projektfabrik.tenancy.context import (
    current_tenant,
    current_tenant_id_or_none,
    current_tenant_or_none,
)

log = logging.getLogger(__name__)

_CACHE = "_pf_town_plugins"
_SETTINGS_CACHE = "_pf_plugin_settings"


class PluginStateError(ValueError):
    """A switch or a setting that is not possible for this town; the message says why."""


@dataclass(frozen=True)
class TownPlugin:
    """A snapshot of one ``tenant_plugin`` row (secret ``settings`` still encrypted)."""

    name: str
    allowed: bool
    enabled: bool
    defaults: Mapping[str, Any] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)


def town_plugins() -> dict[str, TownPlugin]:
    """The current town's plugin rows (empty without a town), cached for this request."""
    tenant_id = current_tenant_id_or_none()
    if tenant_id is None:
        return {}
    cache: dict[int, dict[str, TownPlugin]] | None = None
    if has_app_context():
        cache = g.setdefault(_CACHE, {})
        if tenant_id in cache:
            return cache[tenant_id]
    # Kept by the worker until the town's content version changes (a switch or
    # a saved setting raises it): no query on most requests.
    rows = workercache.town_value("plugins.rows", _read_rows)
    if cache is not None:
        cache[tenant_id] = rows
    return rows


def _read_rows() -> dict[str, TownPlugin]:
    return {
        row.plugin: TownPlugin(
            name=row.plugin,
            allowed=row.allowed,
            enabled=row.enabled,
            defaults=dict(row.defaults or {}),
            settings=dict(row.settings or {}),
        )
        for row in db.session.scalars(select(TenantPlugin))
    }


def invalidate() -> None:
    """Forget what this request read (after a switch or a settings change)."""
    if has_app_context():
        g.pop(_CACHE, None)
        g.pop(_SETTINGS_CACHE, None)


def enabled_plugins() -> frozenset[str]:
    """Plugins whose request-time hooks run now: the core's internal ones, plus
    the installed plugins the current town may use and has switched on."""
    manager = get_manager()
    names = {
        row.name
        for row in town_plugins().values()
        if row.allowed and row.enabled and manager.is_installed(row.name)
    }
    return manager.internal_names | names


def is_enabled(name: str) -> bool:
    return name in enabled_plugins()


def available_plugins() -> list[TownPlugin]:
    """Installed plugins the current town may use (listed in its tenant.toml), by name."""
    manager = get_manager()
    rows = town_plugins()
    return [
        rows[record.name]
        for record in manager.installed
        if record.name in rows and rows[record.name].allowed
    ]


def settings(name: str) -> dict[str, Any]:
    """The plugin's settings for the current town: declared defaults, then the
    town's tenant.toml, then what the town's admin saved (secrets decrypted).

    A secret that cannot be decrypted counts as never saved by the admin; see
    :func:`unreadable_secrets`.
    """
    return dict(_effective(name)[0])


def unreadable_secrets(name: str) -> frozenset[str]:
    """Secret settings the current town's admin saved that cannot be decrypted
    (``SECRET_KEY`` changed, or the value was copied from another town): the
    admin has to enter them again."""
    return _effective(name)[1]


def _effective(name: str) -> tuple[dict[str, Any], frozenset[str]]:
    record = get_manager().records.get(name)
    if record is None or record.settings is None:
        return {}, frozenset()
    tenant_id = current_tenant_id_or_none()
    # Kept for the request like the rows, so a page that reads the settings
    # several times decrypts (and warns about an unreadable secret) once.
    cache: dict[tuple[int | None, str], tuple[dict[str, Any], frozenset[str]]] | None = None
    if has_app_context():
        cache = g.setdefault(_SETTINGS_CACHE, {})
        if (tenant_id, name) in cache:
            return cache[(tenant_id, name)]
    spec = record.settings
    values = dict(spec.defaults)
    unreadable: set[str] = set()
    row = town_plugins().get(name)
    if row is not None and tenant_id is not None:
        values.update({k: v for k, v in row.defaults.items() if k in values})
        for key, stored in row.settings.items():
            if key not in values:
                continue
            if key in spec.secret:
                try:
                    stored = secrets.decrypt(tenant_id, name, key, stored)
                except secrets.SecretUnreadable:
                    unreadable.add(key)
                    town = current_tenant_or_none()
                    log.warning(
                        "town %s: the stored secret setting %r of plugin %s cannot be "
                        "decrypted (SECRET_KEY changed or copied from another town); "
                        "treated as unset until the town's admin enters it again",
                        town.slug if town is not None else tenant_id,
                        key,
                        name,
                    )
                    continue
            values[key] = stored
    result = (values, frozenset(unreadable))
    if cache is not None:
        cache[(tenant_id, name)] = result
    return result


def _row(name: str) -> TenantPlugin | None:
    return db.session.scalar(select(TenantPlugin).where(TenantPlugin.plugin == name))


def set_enabled(name: str, enabled: bool) -> bool:
    """Switch a plugin on or off for the current town; return whether anything changed.

    The caller commits. Data the plugin wrote is never touched.
    """
    from projektfabrik.plugins.events import emit

    if not get_manager().is_installed(name):
        raise PluginStateError(f"plugin {name!r} is not installed")
    row = _row(name)
    if row is None or not row.allowed:
        slug = current_tenant().slug
        raise PluginStateError(
            f"plugin {name!r} is not available in {slug}: list it in "
            f"tenants/{slug}/tenant.toml under [plugins.{name}] and run tenant sync"
        )
    if row.enabled == enabled:
        return False
    row.enabled = enabled
    invalidate()
    emit(PluginSwitched(plugin=name, enabled=enabled))
    return True


def save_settings(name: str, values: Mapping[str, Any]) -> None:
    """Store the town admin's values for declared settings (the caller commits).

    Secret settings are stored encrypted, bound to this town, plugin and key
    (:mod:`projektfabrik.plugins.secrets`). A secret given as empty keeps its
    stored value; one stored plain, before encryption existed, is encrypted now.
    """
    record = get_manager().records.get(name)
    if record is None or record.settings is None:
        raise PluginStateError(f"plugin {name!r} has no settings")
    row = _row(name)
    if row is None or not row.allowed:
        raise PluginStateError(f"plugin {name!r} is not available in this town")
    spec = record.settings
    stored = dict(row.settings or {})
    for key, value in values.items():
        if key not in spec.defaults:
            raise PluginStateError(f"plugin {name!r} has no setting {key!r}")
        if key in spec.secret and value in (None, ""):
            continue
        if key in spec.secret:
            value = secrets.encrypt(row.tenant_id, name, key, value)
        stored[key] = value
    for key in spec.secret:
        if key in stored and not secrets.is_encrypted(stored[key]):
            stored[key] = secrets.encrypt(row.tenant_id, name, key, stored[key])
    row.settings = stored  # a new dict: the JSON column sees the change
    invalidate()


# --- tenant.toml -----------------------------------------------------------------


def parse_plugin_table(table: Mapping[str, Any], where: str) -> dict[str, dict[str, Any]]:
    """Check the ``[plugins]`` table of a tenant.toml.

    Format::

        [plugins.pinnwand]
        enabled = true             # the switch's first position (default: false)

        [plugins.pinnwand.settings]
        board_title = "Schwarzes Brett"
    """
    from projektfabrik.tenancy.config_files import TenantConfigError

    parsed: dict[str, dict[str, Any]] = {}
    for name, entry in table.items():
        if not NAME.match(name):
            raise TenantConfigError(f"{where}: invalid plugin name {name!r}")
        if not isinstance(entry, Mapping):
            raise TenantConfigError(f"{where}: [plugins.{name}] must be a table")
        unknown = set(entry) - {"enabled", "settings"}
        if unknown:
            raise TenantConfigError(
                f"{where}: [plugins.{name}] knows only 'enabled' and 'settings', "
                f"not {sorted(unknown)}"
            )
        enabled = entry.get("enabled", False)
        if not isinstance(enabled, bool):
            raise TenantConfigError(f"{where}: plugins.{name}.enabled must be true or false")
        defaults = entry.get("settings", {})
        if not isinstance(defaults, Mapping):
            raise TenantConfigError(f"{where}: [plugins.{name}.settings] must be a table")
        parsed[name] = {"enabled": enabled, "settings": dict(defaults)}
    return parsed


def apply_plugin_table(table: Mapping[str, Any], where: str = "tenant.toml") -> None:
    """Bring the current town's rows in line with its tenant.toml (the caller commits).

    Listed plugins become allowed; a new row starts switched as ``enabled``
    says, an existing row keeps the admin's switch. Unlisted plugins become
    not allowed (so off) but keep their switch, settings and data for the
    day they are listed again.
    """
    from projektfabrik.tenancy.config_files import TenantConfigError

    parsed = parse_plugin_table(table, where)
    manager = get_manager() if has_app_context() else None
    for name, entry in parsed.items():
        record = manager.records.get(name) if manager else None
        if manager is not None and record is None:
            log.warning("%s lists plugin %r, which is not installed", where, name)
        if record is not None and record.internal:
            raise TenantConfigError(f"{where}: {name!r} is part of the core, not a plugin")
        if record is not None:
            declared = record.settings.defaults if record.settings else {}
            unknown = set(entry["settings"]) - set(declared)
            if unknown:
                raise TenantConfigError(
                    f"{where}: plugin {name!r} has no settings {sorted(unknown)}"
                )
    rows = {row.plugin: row for row in db.session.scalars(select(TenantPlugin))}
    for name, entry in parsed.items():
        row = rows.get(name)
        if row is None:
            row = TenantPlugin(plugin=name, enabled=entry["enabled"], settings={})
            db.session.add(row)
        row.allowed = True
        row.defaults = entry["settings"]
    for name, row in rows.items():
        if name not in parsed:
            row.allowed = False
    invalidate()
