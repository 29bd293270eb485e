"""A plugin is logged and skipped when it fails, except when the database is
gone: then the request answers the 503 page (tests/test_database_unavailable.py),
not a bare 500 at its next query (docs/operations.md, "PostgreSQL restarts or
is killed")."""

from __future__ import annotations

from typing import Any

import pytest

from projektfabrik.testing import Town, use_plugin

#: A plugin whose hook meets a database that went away mid-request: SQLAlchemy
#: invalidates the connection and raises, as it does on a real disconnect.
OFFLINE = """
import psycopg
from sqlalchemy.exc import OperationalError

from projektfabrik.api import hookimpl
from projektfabrik.extensions import db

@hookimpl
def pf_nav_items(user):
    db.session.connection().invalidate()
    raise OperationalError(
        "SELECT 1", {}, psycopg.OperationalError("server closed the connection unexpectedly"),
        connection_invalidated=True,
    )
"""


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"offline": OFFLINE})
    return app_config


def test_a_plugin_hook_does_not_swallow_a_lost_database(town_a: Town) -> None:
    """Skipping the plugin would leave the request on an invalidated connection:
    its next query raised PendingRollbackError, which ended as a bare 500."""
    use_plugin(town_a, "offline")
    response = town_a.client().get("/projekte")
    assert response.status_code == 503
    assert "Gleich wieder da" in response.get_data(as_text=True)
