"""A test per hook (Datasette's habit): every hookspec must be called by the core
in a test. A plugin that implements every hookspec, generated from
``hookspecs.py`` and so growing with it, records each call while this test
drives the app through start-up, pages, an event, the search and the demo. A
new hookspec that nothing here reaches fails the test: write a test for it and
add what calls it to the scenario below.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import pytest

from projektfabrik import demo
from projektfabrik.accounts.models import Role
from projektfabrik.api import search_documents
from projektfabrik.extensions import db
from projektfabrik.plugins import hookspecs
from projektfabrik.plugins.manager import iter_hooks
from projektfabrik.tenancy.links import public_url
from projektfabrik.testing import Town, login, use_plugin

MODULE = "pf_test_recorder"


def recorder_source() -> str:
    lines = ["from projektfabrik.api import hookimpl", "", "CALLS = []", ""]
    for name in iter_hooks():
        args = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        lines += ["@hookimpl", f"def {name}({args}):", f"    CALLS.append({name!r})", ""]
    return "\n".join(lines)


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    sys.modules.pop(MODULE, None)  # a fresh CALLS list
    extra_plugins({"recorder": recorder_source()})
    return app_config


def test_the_recorder_implements_every_hookspec() -> None:
    source = recorder_source()
    for name in iter_hooks():
        assert f"def {name}(" in source


def test_every_hookspec_is_called_by_the_core(town_a: Town) -> None:
    from projektfabrik.marketplace import services as marketplace

    calls: list[str] = sys.modules[MODULE].CALLS
    # App assembly hooks ran when the app was built.
    use_plugin(town_a, "recorder")
    use_plugin(town_a, "pinnwand")  # its permission makes the board check pf_check_permission
    member = town_a.user(role=Role.MEMBER)
    with town_a.request_context():
        project = marketplace.publish_idea(
            member, marketplace.ProjectInput(title="Garten", pitch="Wir gärtnern.")
        )
        db.session.commit()
        number = project.number
    client = town_a.client()
    assert client.get("/").status_code == 200  # nav items, slots, assets
    assert client.get(f"/projekte/{number}").status_code == 200  # tabs
    assert client.get("/projekte").status_code == 200  # marketplace filters
    assert client.get("/wirkung").status_code == 200  # impact figures
    assert client.get("/api/v1/openapi.json").status_code == 200  # more API paths
    login(client, member.email)
    assert client.get("/pinnwand/").status_code == 200  # permissions, export formats
    # A note is an event, delivered to every enabled plugin after the commit.
    assert client.post("/pinnwand/", data={"text": "Suche Leiter"}).status_code == 302
    # The settings page lists the enabled plugins' notification kinds.
    assert client.get("/benachrichtigungen/einstellungen").status_code == 200
    # Deleting an account first asks every enabled plugin what it means.
    assert client.get("/konto/loeschen").status_code == 200
    # The personal data export asks every enabled plugin what it adds.
    assert client.get("/konto/daten.json").status_code == 200
    # The admin's statistics page asks every enabled plugin for its figures.
    admin = town_a.user(role=Role.ADMIN)
    admin_client = town_a.client()
    login(admin_client, admin.email)
    assert admin_client.get("/verwaltung/statistik").status_code == 200
    with town_a.context(), town_a.app.test_request_context(base_url=public_url(town_a.tenant, "/")):
        search_documents()
        demo._seed_plugins(town_a.tenant)

    missing = sorted(set(iter_hooks()) - set(calls))
    assert not missing, (
        f"hookspecs no test calls: {missing}. Write a test for each and make this "
        "scenario reach it."
    )
