"""The console's regions page: regions, their hosts, member towns, who opted in, how
many projects each shows; only for operators, only on the console's host."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from projektfabrik.console import services
from projektfabrik.console.models import OperatorAudit
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.projects.models import Project
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.testing import Town, login, make_town
from tests.operations.test_console import CONSOLE, console, signed_in
from tests.regionkit import REGION_HOST, make_region, opt_in


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "OPERATOR_HOST": CONSOLE}


@pytest.fixture
def operator(app: Flask) -> services.NewOperator:
    new = services.create_operator("betrieb@example.org", "ein-langes-passwort")
    db.session.commit()
    return new


@pytest.fixture
def kreis(app: Flask, town_a: Town, town_b: Town) -> Town:
    """Stadt A and B in one region, Stadt C outside; A opted in with two projects
    (one its team keeps out), B is a member that has not opted in."""
    town_c = make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])
    make_region()
    opt_in(town_a)
    author = town_a.user()
    for title in ("Reparaturcafé", "Dorffest", "Nur für uns"):
        with town_a.request_context():
            marketplace.publish_idea(author, marketplace.ProjectInput(title=title, pitch="P"))
            db.session.commit()
    with town_a.context():
        db.session.execute(
            update(Project).where(Project.title == "Nur für uns").values(shown_in_region=False)
        )
        db.session.commit()
    return town_c


def _row(page: str, town: str) -> str:
    return page.split(f">{town}</a></th>")[1].split("</tr>")[0]


def test_the_operator_sees_each_region_its_members_and_what_they_show(
    app: Flask, operator: services.NewOperator, kreis: Town
) -> None:
    client = signed_in(app, operator)
    audited = db.session.scalar(select(func.count()).select_from(OperatorAudit))
    response = client.get("/konsole/regionen")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Landkreis Test" in page
    assert 'href="http://region-test.test/region/projekte"' in page
    assert "2 Mitgliedsgemeinden" in page and "1 davon macht mit" in page
    assert "region sync" in page  # says how to change it
    row_a, row_b = _row(page, "Stadt A"), _row(page, "Stadt B")
    assert "<td>ja</td>" in row_a and "<td>2</td>" in row_a  # the team's "no" is not counted
    assert "<td>nein</td>" in row_b and "<td>0</td>" in row_b
    assert "Stadt C" not in page  # not a member
    # Nothing of the projects themselves, and reading changed nothing.
    assert "Reparaturcafé" not in page
    assert db.session.scalar(select(func.count()).select_from(OperatorAudit)) == audited


def test_a_suspended_member_shows_nothing_in_the_region(
    app: Flask, operator: services.NewOperator, kreis: Town, town_a: Town
) -> None:
    db.session.execute(
        update(Tenant).where(Tenant.slug == "stadt-a").values(state=TenantState.SUSPENDED)
    )
    db.session.commit()
    page = signed_in(app, operator).get("/konsole/regionen").get_data(as_text=True)
    row_a = _row(page, "Stadt A")
    assert "Abgeschaltet" in row_a and "<td>0</td>" in row_a


def test_the_page_costs_the_same_queries_for_more_member_towns(
    app: Flask, operator: services.NewOperator, kreis: Town, town_b: Town, count_queries: Any
) -> None:
    client = signed_in(app, operator)
    client.get("/konsole/regionen")
    with count_queries() as few:
        assert client.get("/konsole/regionen").status_code == 200
    opt_in(town_b)
    make_region(members=("stadt-a", "stadt-b", "stadt-c"))
    with count_queries() as more:
        assert client.get("/konsole/regionen").status_code == 200
    assert len(few) == len(more)


def test_nobody_but_an_operator_sees_the_regions(
    app: Flask, operator: services.NewOperator, kreis: Town, town_a: Town
) -> None:
    # A visitor on the console's host is sent to sign in.
    response = console(app).get("/konsole/regionen")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/konsole/anmelden"
    )
    # A town's admin, on the town's host or the region's, finds no such page.
    admin = town_a.client()
    login(admin, "admin-stadt-a@example.org")
    assert admin.get("/konsole/regionen").status_code == 404
    region = app.test_client()
    assert region.get("/konsole/regionen", base_url=f"http://{REGION_HOST}").status_code == 404


def test_the_page_in_english(app: Flask, operator: services.NewOperator, kreis: Town) -> None:
    client = signed_in(app, operator)
    client.set_cookie("sprache", "en", domain=CONSOLE)
    page = client.get("/konsole/regionen").get_data(as_text=True)
    assert "2 member towns" in page and "1 of them opted in" in page
    assert "<td>yes</td>" in _row(page, "Stadt A")
