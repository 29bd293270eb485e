"""The application factory."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from projektfabrik import config as config_module
from projektfabrik import (
    formerrors,
    i18n,
    inputguard,
    pagecache,
    requestmemo,
    requestsize,
    security,
    storage,
    throttle,
    workercache,
)
from projektfabrik.extensions import Model, csrf, db, limiter, login_manager
from projektfabrik.tenancy import isolation, versioning

AUTOESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg", ".atom", ".rss")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides what the environment says (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config_module.from_environment(app.instance_path))
    if config:
        app.config.update(config)
    config_module.require_settings(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(
        app.config["DATABASE_URL"]
    )
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    # Redis away must not turn a login into a 500 (the fault test showed it did):
    # while it is gone each worker counts in its own memory, and Flask-Limiter
    # goes back to Redis when it answers again. Short timeouts, as the page
    # cache's, so an unreachable Redis does not hold a worker (docs/security.md).
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    if app.config["REDIS_URL"]:
        app.config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        )
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.jinja_env.add_extension("jinja2.ext.do")
    # XML templates of plugins (feeds) are escaped like HTML (docs/security.md).
    app.jinja_env.autoescape = lambda name: name is None or name.endswith(AUTOESCAPED)

    _init_database(app)
    storage.init_app(app)  # where files are kept: a local folder or S3 (storage/)
    from projektfabrik import errorreports, logs, metrics
    from projektfabrik.tenancy import web as tenancy_web

    # Before the town's hook: every answer, a 404 for an unknown host too, is logged.
    logs.init_app(app)
    errorreports.init_app(app)  # only with PROJEKTFABRIK_SENTRY_DSN
    metrics.init_app(app)
    # Then the town: CSRF checks, rate limits and error pages need it.
    tenancy_web.init_app(app)
    requestsize.init_app(app)  # before anything reads a form
    # Next: refuse NUL bytes and broken UTF-8 (400); bound <int:...> URL parts (404).
    inputguard.init_app(app)
    login_manager.init_app(app)
    formerrors.init_app(app)  # before CSRFProtect sets its own defaults
    csrf.init_app(app)
    limiter.init_app(app)
    throttle.init_app(app)
    i18n.init_app(app)
    security.init_app(app)

    from projektfabrik import errors
    from projektfabrik.accounts import (
        deletion_views,  # noqa: F401 - its routes on accounts.bp
        secondfactor_views,  # noqa: F401 - its routes on accounts.bp
    )
    from projektfabrik.accounts import views as accounts_views
    from projektfabrik.console import views as console_views
    from projektfabrik.mail.outbox import deliver_after_request, deliver_after_response
    from projektfabrik.marketplace import moderation, opendata
    from projektfabrik.marketplace import views as marketplace_views
    from projektfabrik.notifications import views as notifications_views
    from projektfabrik.regions import host as regions_host
    from projektfabrik.regions import joining_views
    from projektfabrik.regions import messages as regions_messages
    from projektfabrik.regions import views as regions_views
    from projektfabrik.site import views as site_views
    from projektfabrik.teams import views as teams_views

    app.register_blueprint(site_views.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(marketplace_views.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(opendata.bp)
    app.register_blueprint(notifications_views.bp)
    app.register_blueprint(teams_views.bp)
    # After opendata's: the region's API rules share its paths and are only ever
    # handed a request by regions/host.py on a region's host.
    app.register_blueprint(regions_views.bp)
    app.register_blueprint(regions_views.town_bp)
    app.register_blueprint(joining_views.bp)
    regions_host.init_app(app)
    # After _init_database's teardown, so it runs before the session is removed.
    regions_messages.install(app, FlaskSQLAlchemySession)
    # Under its own prefix: "/" and "/anmelden" belong to the towns' pages.
    app.register_blueprint(console_views.bp, url_prefix="/konsole")
    notifications_views.init_app(app)
    accounts_views.init_login(app)
    errors.init_app(app)
    app.after_request(deliver_after_response)
    app.teardown_request(deliver_after_request)

    from projektfabrik import plugins

    # After the core's blueprints, before the model check: plugins bring models.
    plugins.init_app(app)
    pagecache.init_app(app)
    workercache.init_app(app)
    requestmemo.init_app(app)
    # Last, so it runs first after the view: a bad token's answer is checked before
    # anything else sees it.
    formerrors.init_late(app)

    offenders = isolation.check_models(Model)
    if offenders:
        raise RuntimeError(
            "models without tenant scoping (add TenantScoped or __tenant_global__ = True): "
            + ", ".join(offenders)
        )
    return app


def _init_database(app: Flask) -> None:
    # Import every core model so the metadata is complete before anything uses it.
    from projektfabrik.accounts import models as _accounts  # noqa: F401
    from projektfabrik.admin import models as _admin  # noqa: F401
    from projektfabrik.audit import models as _audit  # noqa: F401
    from projektfabrik.console import models as _console  # noqa: F401
    from projektfabrik.mail import models as _mail  # noqa: F401
    from projektfabrik.marketplace import models as _marketplace  # noqa: F401
    from projektfabrik.notifications import models as _notifications  # noqa: F401
    from projektfabrik.regions import accountlinks as _links  # noqa: F401
    from projektfabrik.regions import handoff as _handoff  # noqa: F401
    from projektfabrik.regions import messages as _town_messages  # noqa: F401
    from projektfabrik.regions import models as _regions  # noqa: F401
    from projektfabrik.teams import models as _teams  # noqa: F401
    from projektfabrik.tenancy import models as _tenancy  # noqa: F401

    db.init_app(app)
    # Runs just before Flask-SQLAlchemy's own teardown (they run in reverse order).
    app.teardown_appcontext(_end_session)
    # Flask-SQLAlchemy builds every scoped session from this class.
    isolation.install(FlaskSQLAlchemySession)
    versioning.install(FlaskSQLAlchemySession)
    formerrors.install(FlaskSQLAlchemySession)
    from projektfabrik.notifications import counting as notification_counting

    notification_counting.install(FlaskSQLAlchemySession)
    from projektfabrik.storage import transaction as storage_transaction

    storage_transaction.install(FlaskSQLAlchemySession)
    requestmemo.install(FlaskSQLAlchemySession)


def _end_session(exc: BaseException | None) -> None:
    """End the request's session; if its connection died with the database
    (restart, failover), drop the session instead of failing the request.

    Closing rolls back on the connection; on a dead one that raises, and from
    Flask-SQLAlchemy's teardown the error would reach gunicorn as a bare 500
    (the fault test with a killed PostgreSQL showed it). The server has rolled
    the transaction back already, and SQLAlchemy has invalidated the connection,
    so the pool opens a new one next time."""
    try:
        db.session.remove()
    except DBAPIError:
        with contextlib.suppress(DBAPIError):
            db.session.remove()  # the second close finds the transaction gone
        db.session.registry.clear()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: enforce foreign keys and let readers run beside one writer."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
