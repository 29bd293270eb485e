"""Plugins: optional modules, installed once per deployment, switched on per town.

See docs/plugins.md. Plugins import from :mod:`projektfabrik.api` only.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from flask import Flask

from projektfabrik.plugins.manager import PluginError, PluginManager, get_manager

__all__ = ["PluginError", "PluginManager", "get_manager", "init_app"]


def _core_version() -> str:
    try:
        return version("projektfabrik")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return ""


def init_app(app: Flask) -> PluginManager:
    """Register the core's internal plugins and every installed plugin on ``app``.

    Call before the start-up check of models: importing a plugin imports its
    models, and an unscoped one must stop the app from starting.
    """
    from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession

    from projektfabrik.admin.plugin import AdminPlugin
    from projektfabrik.marketplace.plugin import MarketplacePlugin
    from projektfabrik.planning.plugin import PlanningPlugin
    from projektfabrik.plugins import events, i18n, runtime
    from projektfabrik.plugins import models as _models  # noqa: F401 - the table
    from projektfabrik.plugins.manager import EXTENSION
    from projektfabrik.regions.plugin import RegionsPlugin
    from projektfabrik.strategy.plugin import StrategyPlugin
    from projektfabrik.teams.plugin import TeamsPlugin

    manager = PluginManager()
    app.extensions[EXTENSION] = manager
    manager.register("admin", AdminPlugin(), internal=True, version=_core_version())
    manager.register("teams", TeamsPlugin(), internal=True, version=_core_version())
    manager.register("planning", PlanningPlugin(), internal=True, version=_core_version())
    manager.register("marketplace", MarketplacePlugin(), internal=True, version=_core_version())
    manager.register("strategy", StrategyPlugin(), internal=True, version=_core_version())
    manager.register("regions", RegionsPlugin(), internal=True, version=_core_version())
    manager.discover()
    manager.check()
    manager.assemble(app)
    i18n.init_app(app, manager.translation_folders())
    runtime.init_app(app)
    events.install(FlaskSQLAlchemySession)
    # Registered after the mail outbox's teardown, so it runs before it (Flask
    # runs teardowns in reverse): mail a handler queues goes out right away.
    app.teardown_request(events.deliver_at_teardown)
    app.teardown_appcontext(events.deliver_at_teardown)
    return manager
