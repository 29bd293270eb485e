"""The role gates of projektfabrik.api behave like the core's own admin pages:
a visitor is sent to log in (and comes back), a person without the role gets 403."""

from __future__ import annotations

from typing import Any

import pytest

from projektfabrik.accounts.models import Role
from projektfabrik.testing import Town, login, use_plugin

GATED = """
from flask import Blueprint
from projektfabrik.api import admin_required, found_or_404, hookimpl, moderator_required

bp = Blueprint("gated", __name__, url_prefix="/gated")
THINGS = {"a1": "first thing"}


@bp.get("/admin")
@admin_required
def for_admins():
    return "admins only"


@bp.post("/moderate")
@moderator_required
def for_moderators():
    return "moderators only"


@bp.get("/thing/<ref>")
def thing(ref):
    return found_or_404(THINGS.get(ref))


@hookimpl
def pf_blueprints():
    return [bp]
"""


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"gated": GATED})
    return app_config


@pytest.fixture
def gated(town_a: Town) -> Town:
    use_plugin(town_a, "gated")
    return town_a


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/gated/admin"), ("post", "/gated/moderate"), ("get", "/verwaltung/")],
)
def test_a_visitor_is_sent_to_log_in_and_comes_back(gated: Town, method: str, path: str) -> None:
    response = getattr(gated.client(), method)(path)
    assert response.status_code == 302
    assert response.location.startswith("/anmelden?next=")
    assert path.replace("/", "%2F") in response.location


@pytest.mark.parametrize(
    ("role", "admin_page", "moderator_page"),
    [
        (Role.MEMBER, 403, 403),
        (Role.MODERATOR, 403, 200),
        (Role.ADMIN, 200, 200),
    ],
)
def test_a_person_without_the_role_gets_403(
    gated: Town, role: Role, admin_page: int, moderator_page: int
) -> None:
    client = gated.client()
    login(client, gated.user(role=role).email)
    assert client.get("/gated/admin").status_code == admin_page
    assert client.get("/verwaltung/").status_code == admin_page  # the core's pages alike
    assert client.post("/gated/moderate").status_code == moderator_page


def test_found_or_404(gated: Town) -> None:
    assert gated.client().get("/gated/thing/a1").get_data(as_text=True) == "first thing"
    assert gated.client().get("/gated/thing/b2").status_code == 404
