"""Permissions declared by plugins; exports and search documents of enabled plugins only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.plugins import runtime, state
from projektfabrik.testing import Town, use_plugin

GATEKEEPER = """
from projektfabrik.api import hookimpl

@hookimpl
def pf_check_permission(user, permission, obj):
    name = getattr(user, "display_name", "")
    if permission == "pinnwand.post" and name.startswith("Troll"):
        return False
    if permission == "pinnwand.moderate" and name == "Helper":
        return True
    return None
"""

LAX = """
from projektfabrik.api import hookimpl

@hookimpl
def pf_check_permission(user, permission, obj):
    return True
"""


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"gatekeeper": GATEKEEPER, "lax": LAX})
    return app_config


def _can(town: Town, permission: str, user: Any) -> bool:
    with town.app.test_request_context(base_url=f"http://{town.host}"), town.context():
        return runtime.can(permission, user=user)


def test_declared_minimum_roles(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    member, moderator = town_a.user(), town_a.user(role=Role.MODERATOR)
    with town_a.app.test_request_context(base_url=f"http://{town_a.host}"), town_a.context():
        assert runtime.can("pinnwand.post") is False  # the guest of this request
    assert _can(town_a, "pinnwand.post", member)
    assert not _can(town_a, "pinnwand.moderate", member)
    assert _can(town_a, "pinnwand.moderate", moderator)
    with pytest.raises(LookupError):
        _can(town_a, "pinnwand.fly", member)


def test_a_disabled_plugins_permissions_are_denied(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    moderator = town_a.user(role=Role.MODERATOR)
    assert not _can(town_a, "pinnwand.post", moderator)


def test_plugin_checks_deny_over_grant_and_only_when_enabled(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    troll, helper = town_a.user(name="Troll 1"), town_a.user(name="Helper")
    assert _can(town_a, "pinnwand.post", troll)  # gatekeeper not enabled here
    use_plugin(town_a, "gatekeeper")
    assert not _can(town_a, "pinnwand.post", troll)
    assert _can(town_a, "pinnwand.moderate", helper)
    use_plugin(town_a, "lax")  # says yes to everything; a "no" still wins
    assert not _can(town_a, "pinnwand.post", troll)


def test_exports_and_search_documents_come_from_enabled_plugins_only(
    app: Flask, town_a: Town
) -> None:
    use_plugin(town_a, "pinnwand")
    with app.test_request_context(base_url=f"http://{town_a.host}"), town_a.context():
        assert [f.key for f in runtime.export_formats("pinnwand.board")] == ["csv"]
        assert runtime.export_formats("project") == []
    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    with app.test_request_context(base_url=f"http://{town_a.host}"), town_a.context():
        assert runtime.export_formats("pinnwand.board") == []
        assert runtime.search_documents() == []
    assert town_a.client().get("/pinnwand/export/csv").status_code == 404
