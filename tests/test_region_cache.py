"""The region's marketplace from the page cache: keyed on every member town's content
version, so whatever takes a project or a town out of the region shows on the next
request (docs/architecture.md, "Freshness and the page cache")."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.pagecache import STATUS_HEADER
from projektfabrik.projects.models import Project
from projektfabrik.regions import services
from projektfabrik.regions.models import Region
from projektfabrik.tenancy import lifecycle
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.testing import Town
from tests.regionkit import REGION_HOST, make_region
from tests.test_regions import _choose, _publish, _region_client

PAGE = "/region/projekte"


@pytest.fixture
def region(town_a: Town, town_b: Town) -> Region:
    return make_region()


@pytest.fixture
def both(region: Region, town_a: Town, town_b: Town) -> Any:
    _choose(town_a)
    _choose(town_b)
    _publish(town_a, "Reparaturcafé")
    _publish(town_b, "Dorfladen")
    return region


def _twice(client: Any) -> str:
    """The page is stored by the first request and served by the second."""
    client.get(PAGE)
    response = client.get(PAGE)
    assert response.headers[STATUS_HEADER] == "hit"
    return response.get_data(as_text=True)


def _fresh(client: Any) -> str:
    response = client.get(PAGE)
    assert response.headers[STATUS_HEADER] == "miss"
    return response.get_data(as_text=True)


def test_a_stored_page_costs_three_statements(app: Flask, both: Region, count_queries: Any) -> None:
    client = _region_client(app)
    client.get(PAGE)
    with count_queries() as hit:
        response = client.get(PAGE)
    assert response.headers[STATUS_HEADER] == "hit"
    assert "Reparaturcafé" in response.get_data(as_text=True)
    # Town host (none), region host, the member towns with their versions.
    assert len(hit) == 3, hit.statements


def test_an_opt_out_shows_on_the_next_request(app: Flask, both: Region, town_a: Town) -> None:
    client = _region_client(app)
    assert "Reparaturcafé" in _twice(client)
    _choose(town_a, opted_in=False)
    assert "Reparaturcafé" not in _fresh(client)


def test_a_teams_no_shows_on_the_next_request(app: Flask, both: Region, town_a: Town) -> None:
    client = _region_client(app)
    assert "Reparaturcafé" in _twice(client)
    with town_a.request_context():
        project = db.session.scalar(select(Project).where(Project.title == "Reparaturcafé"))
        someone = db.session.scalar(select(User))
        assert project is not None and someone is not None
        services.set_project_shown(project, someone, False)
        db.session.commit()
    assert "Reparaturcafé" not in _fresh(client)


def test_a_suspended_town_shows_on_the_next_request(app: Flask, both: Region, town_a: Town) -> None:
    client = _region_client(app)
    assert "Reparaturcafé" in _twice(client)
    tenant = db.session.get(Tenant, town_a.tenant.id)
    assert tenant is not None
    lifecycle.set_state(tenant, TenantState.SUSPENDED)
    db.session.commit()
    page = _fresh(client)
    assert "Reparaturcafé" not in page and "Dorfladen" in page


def test_a_new_project_and_a_new_welcome_show_on_the_next_request(
    app: Flask, both: Region, town_b: Town
) -> None:
    client = _region_client(app)
    _twice(client)
    _publish(town_b, "Neues Dorfprojekt")
    assert "Neues Dorfprojekt" in _fresh(client)
    _twice(client)
    make_region(welcome_md="Neuer Willkommenstext")
    assert "Neuer Willkommenstext" in _fresh(client)


def test_each_language_and_address_is_stored_apart(app: Flask, both: Region) -> None:
    client = _region_client(app)
    _twice(client)
    english = _region_client(app)
    english.set_cookie("sprache", "en", domain=REGION_HOST)
    response = english.get(PAGE)
    assert response.headers[STATUS_HEADER] == "miss"
    assert 'lang="en"' in response.get_data(as_text=True)
    search = client.get(PAGE + "?suche=Dorfladen")
    assert search.headers[STATUS_HEADER] == "miss"
    assert "Reparaturcafé" not in search.get_data(as_text=True)


def test_a_town_outside_the_region_changes_nothing_there(
    app: Flask, both: Region, town_c_outside: Town
) -> None:
    client = _region_client(app)
    _twice(client)
    _publish(town_c_outside, "GEHEIM-STADT-C")
    response = client.get(PAGE)
    assert response.headers[STATUS_HEADER] == "hit"
    assert "GEHEIM-STADT-C" not in response.get_data(as_text=True)


@pytest.fixture
def town_c_outside(app: Flask) -> Town:
    from projektfabrik.testing import make_town

    return make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])
