"""Regions: what crosses between towns, and only that (docs/architecture.md,
"What crosses between towns, and how")."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

import projektfabrik
from projektfabrik.accounts.models import Role, User
from projektfabrik.audit.models import AuditEntry
from projektfabrik.console.models import OperatorAudit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.marketplace.listing import Filters
from projektfabrik.marketplace.models import Comment
from projektfabrik.planning.models import PlanSection, Profile, Section
from projektfabrik.projects.models import Project, Status
from projektfabrik.regions import config, readmodel, services
from projektfabrik.regions.models import Region
from projektfabrik.teams.models import TeamPost
from projektfabrik.tenancy.isolation import CrossTenantWriteError, these_towns
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.testing import Town, login, make_town, truncate_all

REGION_HOST = "region-test.test"
#: Everything a regional answer may carry of a project. A field added to the read
#: model must be added here, after asking: does the project's public page show it?
MAY_CROSS = {
    "town", "number", "url", "title", "pitch", "description_md", "status", "category",
    "district", "looking_for_members", "wanted_skills", "team_size", "supporters",
    "created_at", "last_activity_at",
}  # fmt: skip
TOWN_FIELDS = {"slug", "name", "url"}
SECRETS = (
    "GEHEIM-PLAN",
    "GEHEIM-KOMMENTAR",
    "GEHEIM-TEAMRAUM",
    "geheim-person@example.org",
    "GEHEIM-ARCHIV",
    "GEHEIM-NICHT-REGIONAL",
)


@pytest.fixture
def town_c(app: Flask) -> Town:
    """A town outside the region."""
    return make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"], ["Mitte"])


@pytest.fixture
def region(town_a: Town, town_b: Town, town_c: Town) -> Region:
    found = config.apply(
        config.RegionConfig(
            slug="testkreis",
            name="Landkreis Test",
            host=REGION_HOST,
            members=("stadt-a", "stadt-b"),
            primary_color="#2e6b30",
            welcome_md="",
        )
    )
    db.session.commit()
    return found


def _admin(town: Town) -> User:
    return town.user(f"admin-{town.slug}@example.org", role=Role.ADMIN)


def _choose(
    town: Town, opted_in: bool = True, by_default: bool = True, section: bool = True
) -> None:
    with town.context():
        admin = db.session.scalar(
            select(User).where(User.email == f"admin-{town.slug}@example.org")
        )
    admin = admin or _admin(town)
    with town.request_context():
        services.set_choice(admin, services.TownChoice(opted_in, by_default, section))
        db.session.commit()


def _publish(town: Town, title: str, **kw: object) -> Project:
    author = town.user()
    with town.request_context():
        project = marketplace.publish_idea(
            author,
            marketplace.ProjectInput(title=title, pitch=f"Pitch von {title}", **kw),  # type: ignore[arg-type]
        )
        db.session.commit()
        return project


def _seed_secrets(town: Town) -> Project:
    """A public project with everything that must stay at home around it."""
    project = _publish(
        town, "Reparaturcafé", wanted_skills="Löten, Nähen", looking_for_members=True
    )
    with town.context():
        project = db.session.get(Project, project.id)
        db.session.add(PlanSection(project_id=project.id, section=Section.PROFILE, is_public=False))
        db.session.add(Profile(project_id=project.id, goal="GEHEIM-PLAN"))
        db.session.add(Comment(project_id=project.id, body="GEHEIM-KOMMENTAR", hidden_at=utcnow()))
        db.session.add(TeamPost(project_id=project.id, body="GEHEIM-TEAMRAUM"))
        db.session.commit()
    town.user("geheim-person@example.org", name="GEHEIM-NAME")
    archived = _publish(town, "GEHEIM-ARCHIV")
    opted_out = _publish(town, "GEHEIM-NICHT-REGIONAL")
    with town.context():
        db.session.execute(
            update(Project).where(Project.id == archived.id).values(status=Status.ARCHIVED)
        )
        db.session.execute(
            update(Project).where(Project.id == opted_out.id).values(shown_in_region=False)
        )
        db.session.commit()
    return project


def _region_client(app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.base_url = f"http://{REGION_HOST}"  # type: ignore[attr-defined]
    return client


def _every_regional_answer(app: Flask) -> dict[str, str]:
    client = _region_client(app)
    paths = [
        "/region/projekte",
        "/region/projekte?suche=Reparatur",
        "/region/projekte?gemeinde=stadt-a",
        "/region/projekte/feed.atom",
        "/api/v1/projects",
        "/api/v1/projects?gemeinde=stadt-a",
        "/api/v1/openapi.json",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = response.get_data(as_text=True)
    return answers


# --- the list of what may cross -----------------------------------------------------


def test_the_read_model_carries_exactly_the_listed_fields() -> None:
    fields = {f.name for f in dataclasses.fields(readmodel.RegionalProject)}
    assert fields == MAY_CROSS
    assert {f.name for f in dataclasses.fields(readmodel.RegionalTown)} == TOWN_FIELDS


def test_only_the_read_model_opens_the_wall_for_several_towns() -> None:
    root = Path(projektfabrik.__file__).parent
    users = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
        if "these_towns" in names or "projektfabrik_these_towns" in strings:
            users.append(str(path.relative_to(root)))
    # isolation.py defines it (and holds the option's name); one module uses it.
    assert users == ["regions/readmodel.py", "tenancy/isolation.py"]


def test_these_towns_never_writes(town_a: Town) -> None:
    with town_a.context(), pytest.raises(CrossTenantWriteError):
        db.session.execute(
            update(Project)
            .values(title="x")
            .execution_options(**these_towns(frozenset({town_a.tenant.id})))
        )
    db.session.rollback()


def test_nothing_but_public_project_data_crosses(
    app: Flask, region: Region, town_a: Town, town_b: Town, town_c: Town
) -> None:
    _choose(town_a)
    _choose(town_b)
    _seed_secrets(town_a)
    _publish(town_b, "Dorfladen")
    _publish(town_c, "GEHEIM-STADT-C")
    answers = _every_regional_answer(app)
    for path, body in answers.items():
        for secret in (*SECRETS, "GEHEIM-STADT-C", "GEHEIM-NAME"):
            assert secret not in body, (path, secret)
    assert "Reparaturcafé" in answers["/region/projekte"]
    assert "Dorfladen" in answers["/region/projekte"]
    assert "Dorfladen" not in answers["/region/projekte?gemeinde=stadt-a"]
    data = json.loads(answers["/api/v1/projects"])
    assert sorted(i["title"] for i in data["items"]) == ["Dorfladen", "Reparaturcafé"]
    item = next(i for i in data["items"] if i["title"] == "Reparaturcafé")
    assert item["url"] == "http://stadt-a.test/projekte/1"
    assert item["municipality"]["name"] == "Stadt A"
    assert item["wanted_skills"] == ["Löten", "Nähen"]
    assert set(item) == {
        "ref", "url", "title", "pitch", "description", "status", "category", "district",
        "looking_for_members", "wanted_skills", "team", "supporters", "created_at",
        "last_activity_at", "municipality",
    }  # fmt: skip
    assert [m["slug"] for m in data["municipalities"]] == ["stadt-a", "stadt-b"]
    # Each card names its town and links to the project on the town's own host.
    page = answers["/region/projekte"]
    assert "http://stadt-a.test/projekte/1" in page and "Stadt B" in page


def test_a_town_outside_the_region_or_not_opted_in_shows_nothing(
    app: Flask, region: Region, town_a: Town, town_b: Town, town_c: Town
) -> None:
    _publish(town_a, "Projekt A")
    _publish(town_c, "Projekt C")
    # Members, but nobody opted in yet: nothing at all.
    assert "Projekt A" not in _region_client(app).get("/region/projekte").get_data(as_text=True)
    _choose(town_a)
    page = _region_client(app).get("/region/projekte").get_data(as_text=True)
    assert "Projekt A" in page and "Projekt C" not in page
    # The town outside cannot be asked for by name either.
    api = _region_client(app).get("/api/v1/projects?gemeinde=stadt-c").get_json()
    assert api["items"] == [] and api["total"] == 0


def test_opting_out_disappears_at_once(
    app: Flask, region: Region, town_a: Town, town_b: Town
) -> None:
    _choose(town_a)
    _choose(town_b)
    _publish(town_a, "Projekt A", wanted_skills="Malen")
    _publish(town_b, "Projekt B")
    client = _region_client(app)
    assert "Projekt A" in client.get("/region/projekte").get_data(as_text=True)
    landing_b = town_b.client().get("/").get_data(as_text=True)
    assert "Projekt A" in landing_b  # the neighbours' section, cached for visitors
    _choose(town_a, opted_in=False)
    assert "Projekt A" not in client.get("/region/projekte").get_data(as_text=True)
    assert "Projekt A" not in client.get("/api/v1/projects").get_data(as_text=True)
    assert "Projekt A" not in client.get("/region/projekte/feed.atom").get_data(as_text=True)
    # The cached landing page of the other town ended with the opt-out.
    assert "Projekt A" not in town_b.client().get("/").get_data(as_text=True)


def test_a_suspended_town_leaves_the_region(app: Flask, region: Region, town_a: Town) -> None:
    _choose(town_a)
    _publish(town_a, "Projekt A")
    db.session.execute(
        update(Tenant).where(Tenant.id == town_a.tenant.id).values(state=TenantState.SUSPENDED)
    )
    db.session.commit()
    assert "Projekt A" not in _region_client(app).get("/region/projekte").get_data(as_text=True)


def test_the_team_decides_for_its_project(app: Flask, region: Region, town_a: Town) -> None:
    _choose(town_a, by_default=False)
    project = _publish(town_a, "Projekt A")
    client = _region_client(app)
    assert "Projekt A" not in client.get("/region/projekte").get_data(as_text=True)
    with town_a.context():
        owner = db.session.get(User, project.created_by_id)
    team = town_a.client()
    login(team, owner.email)
    page = team.get(f"/projekte/{project.number}").get_data(as_text=True)
    assert "/projekte/1/region" in page
    form = team.get("/projekte/1/region")
    assert form.status_code == 200
    response = team.post("/projekte/1/region", data={"shown": "yes"})
    assert response.status_code == 302
    assert "Projekt A" in client.get("/region/projekte").get_data(as_text=True)
    # Someone outside the team may not.
    stranger = town_a.user("fremd@example.org")
    other = town_a.client()
    login(other, stranger.email)
    assert other.post("/projekte/1/region", data={"shown": "no"}).status_code == 403
    with town_a.context():
        entries = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action == "region.project")
        ).all()
    assert entries == ["region.project"]


def test_the_admin_opts_in_and_out_and_it_is_audited(
    app: Flask, region: Region, town_a: Town
) -> None:
    admin = _admin(town_a)
    client = town_a.client()
    login(client, admin.email)
    page = client.get("/verwaltung/region")
    assert page.status_code == 200
    assert "Landkreis Test" in page.get_data(as_text=True)
    assert "/verwaltung/region" in client.get("/verwaltung/").get_data(as_text=True)
    response = client.post(
        "/verwaltung/region", data={"opted_in": "y", "projects_shown_by_default": "y"}
    )
    assert response.status_code == 302
    client.post("/verwaltung/region", data={"projects_shown_by_default": "y"})
    with town_a.context():
        actions = db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("region.%"))
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["region.joined", "region.left"]
    # A member is no admin.
    member = town_a.user("mitglied@example.org")
    other = town_a.client()
    login(other, member.email)
    assert other.get("/verwaltung/region").status_code == 403


def test_a_town_in_no_region_has_no_region_pages(app: Flask, town_c: Town) -> None:
    admin = _admin(town_c)
    client = town_c.client()
    login(client, admin.email)
    assert client.get("/verwaltung/region").status_code == 404
    assert "/verwaltung/region" not in client.get("/verwaltung/").get_data(as_text=True)


def test_region_pages_answer_only_on_the_region_host(
    app: Flask, region: Region, town_a: Town
) -> None:
    client = town_a.client()
    assert client.get("/region/projekte").status_code == 404
    assert client.get("/region/projekte/feed.atom").status_code == 404
    # The town's API stays the town's.
    assert "region" not in client.get("/api/v1/projects").get_json()
    region_client = _region_client(app)
    assert region_client.get("/").status_code == 302
    # The towns' pages do not answer on the region's host.
    for path in ("/anmelden", "/projekte", "/projekte/1", "/verwaltung/", "/api/v1/projects/1"):
        assert region_client.get(path).status_code == 404, path
    # An unknown host still names nobody.
    unknown = app.test_client()
    unknown.base_url = "http://unbekannt.test"  # type: ignore[attr-defined]
    assert unknown.get("/region/projekte").status_code == 404


def test_the_region_sync_is_checked_and_audited(
    app: Flask, town_a: Town, town_b: Town, tmp_path: Path
) -> None:
    folder = tmp_path / "_regions" / "kreis"
    folder.mkdir(parents=True)
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "stadt-a.test"\nmembers = ["stadt-a"]\n', encoding="utf-8"
    )
    with pytest.raises(config.RegionConfigError, match="town's host"):
        config.apply(config.load(folder))
    db.session.rollback()
    app.config["OPERATOR_HOST"] = "kreis.test"
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "kreis.test"\nmembers = ["stadt-a"]\n', encoding="utf-8"
    )
    with pytest.raises(config.RegionConfigError, match="console's host"):
        config.apply(config.load(folder))
    db.session.rollback()
    app.config["OPERATOR_HOST"] = ""
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "kreis.test"\nmembers = ["stadt-x"]\n', encoding="utf-8"
    )
    with pytest.raises(config.RegionConfigError, match="no such town"):
        config.apply(config.load(folder))
    db.session.rollback()
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "kreis.test"\nmembers = ["stadt-a", "stadt-b"]\n',
        encoding="utf-8",
    )
    config.apply(config.load(folder))
    db.session.commit()
    entries = db.session.scalars(select(OperatorAudit.detail)).all()
    assert entries == ["kreis: stadt-a, stadt-b"]


def test_the_regional_marketplace_costs_the_same_queries_for_more_towns(
    app: Flask, region: Region, town_a: Town, town_b: Town, count_queries
) -> None:  # type: ignore[no-untyped-def]
    _choose(town_a)
    for i in range(3):
        _publish(town_a, f"Projekt A{i}")
    client = _region_client(app)
    client.get("/region/projekte")
    # Another address, so the page is built, not taken from the page cache
    # (tests/test_region_cache.py); the second time the towns' versions changed.
    with count_queries() as few:
        assert client.get("/region/projekte?seite=1").status_code == 200
    _choose(town_b)
    for i in range(6):
        _publish(town_b, f"Projekt B{i}")
    with count_queries() as more:
        assert client.get("/region/projekte?seite=1").status_code == 200
    assert len(few) == len(more)
    # Town host (none), region host, towns, choices, count, page: six.
    assert len(more) <= 6, more.statements


def test_neighbours_section_shows_other_towns_only_when_switched_on(
    app: Flask, region: Region, town_a: Town, town_b: Town
) -> None:
    _choose(town_a, section=False)
    _choose(town_b)
    _publish(town_a, "Eigenes Projekt", wanted_skills="Kochen")
    _publish(town_b, "Nachbarprojekt", wanted_skills="Gärtnern")
    _publish(town_b, "Ohne Bedarf", looking_for_members=False)
    landing_a = town_a.client().get("/").get_data(as_text=True)
    assert "Nachbarprojekt" not in landing_a
    _choose(town_a, section=True)
    landing_a = town_a.client().get("/").get_data(as_text=True)
    assert "Nachbarprojekt" in landing_a and "http://stadt-b.test/projekte/1" in landing_a
    assert "Ohne Bedarf" not in landing_a
    landing_b = town_b.client().get("/").get_data(as_text=True)
    nearby = landing_b.split('id="nearby-heading"')[1].split("</section>")[0]
    assert "Eigenes Projekt" in nearby and "Nachbarprojekt" not in nearby


def test_the_read_model_leaves_no_other_town_in_the_session(
    app: Flask, region: Region, town_a: Town, town_b: Town
) -> None:
    _choose(town_a)
    _choose(town_b)
    _publish(town_b, "Nachbarprojekt", wanted_skills="Gärtnern")
    region_id = region.id
    with town_a.request_context():
        db.session.expunge_all()
        found = readmodel.projects(db.session.get(Region, region_id), Filters())
        assert [p.title for p in found.items] == ["Nachbarprojekt"]
        foreign = [
            obj for obj in db.session.identity_map.values()
            if getattr(obj, "tenant_id", town_a.tenant.id) != town_a.tenant.id
        ]  # fmt: skip
        assert foreign == []


def test_crawl_of_a_town_as_its_admin_finds_nothing_of_another_town_but_the_regional_section(
    app: Flask, region: Region, town_a: Town, town_b: Town, town_c: Town
) -> None:
    _choose(town_a)
    _choose(town_b)
    _seed_secrets(town_b)
    _publish(town_c, "GEHEIM-STADT-C")
    with town_a.context():
        admin = db.session.scalar(select(User).where(User.email == "admin-stadt-a@example.org"))
    client = town_a.client()
    login(client, admin.email)
    seen: set[str] = set()
    queue = ["/", "/projekte", "/verwaltung/", "/verwaltung/region", "/api/v1/projects"]
    import re

    while queue and len(seen) < 60:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        body = response.get_data(as_text=True)
        for secret in (*SECRETS, "GEHEIM-STADT-C", "GEHEIM-NAME"):
            assert secret not in body, (path, secret)
        if "nearby-heading" not in body:
            assert "Reparaturcafé" not in body, path
        for link in re.findall(r'href="(/[^"#]*)"', body):
            if not link.startswith(("/static", "/abmelden", "/branding")) and link not in seen:
                queue.append(link)
    assert "/" in seen and "/verwaltung/region" in seen


def test_region_sync_and_list_on_the_command_line(app: Flask, town_a: Town, town_b: Town) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from projektfabrik.cli import main

    folder = Path(app.config["TENANTS_DIR"]) / "_regions" / "kreis"
    folder.mkdir(parents=True)
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "kreis.test"\nmembers = ["stadt-a", "stadt-b"]\n',
        encoding="utf-8",
    )

    def run(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))

    synced = run("region", "sync")
    assert synced.exit_code == 0, synced.output
    assert "synced kreis\tkreis.test" in synced.output
    listed = run("region", "list")
    assert "kreis\tKreis\tkreis.test\tstadt-a, stadt-b" in listed.output
    (folder / "region.toml").write_text(
        'name = "Kreis"\nhost = "kreis.test"\nmembers = ["nirgendwo"]\n', encoding="utf-8"
    )
    refused = run("region", "sync", "kreis")
    assert refused.exit_code != 0 and "no such town: nirgendwo" in refused.output


def test_the_demo_has_its_region_with_both_towns_opted_in(app_config: dict[str, object]) -> None:
    from projektfabrik.app import create_app
    from projektfabrik.config import REPO_ROOT

    demo = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    with demo.app_context():
        try:
            _check_the_demo(demo)
        finally:
            db.session.remove()
            truncate_all()


def _check_the_demo(demo: Flask) -> None:
    from projektfabrik.demo import seed

    lines = list(seed())
    assert any(
        line.startswith("Landkreis Musterkreis: region-musterkreis.localhost") for line in lines
    )
    region = db.session.scalar(select(Region))
    assert region is not None and region.host == "region-musterkreis.localhost"
    taking_part = readmodel.participants(region)
    assert [p.town.slug for p in taking_part] == ["beispielhausen", "musterstadt"]
    client = demo.test_client()
    page = client.get("/region/projekte", base_url="http://region-musterkreis.localhost")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Musterstadt" in body and "Beispielhausen" in body


def test_the_region_api_refuses_what_its_document_forbids(app: Flask, region: Region) -> None:
    client = _region_client(app)
    too_long = client.get("/api/v1/projects?gemeinde=" + "x" * 64)
    assert too_long.status_code == 400 and too_long.get_json()["parameter"] == "gemeinde"
    twice = client.get("/api/v1/projects?gemeinde=stadt-a&gemeinde=stadt-b")
    assert twice.status_code == 400
    assert client.get("/api/v1/projects?seite=0").status_code == 400
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["servers"] == [{"url": f"http://{REGION_HOST}"}]
    assert "/api/v1/projects/{number}" not in document["paths"]
    names = [p["name"] for p in document["paths"]["/api/v1/projects"]["get"]["parameters"]]
    assert "gemeinde" in names


def test_a_teams_choice_changes_only_its_own_towns_project(
    app: Flask, region: Region, town_a: Town, town_b: Town
) -> None:
    _choose(town_a)
    _choose(town_b)
    mine = _publish(town_a, "Projekt A")
    theirs = _publish(town_b, "Projekt B")
    assert mine.number == theirs.number == 1
    with town_a.context():
        owner = db.session.get(User, mine.created_by_id)
    team = town_a.client()
    login(team, owner.email)
    assert team.post("/projekte/1/region", data={"shown": "no"}).status_code == 302
    with town_b.context():
        assert db.session.get(Project, theirs.id).shown_in_region is None
    # Town B's owner has no account in town A: the same path there is a login.
    with town_b.context():
        other_owner = db.session.get(User, theirs.created_by_id)
    foreign = town_a.client()
    response = foreign.post("/anmelden", data={"email": other_owner.email, "password": "x"})
    assert response.status_code != 302
    page = _region_client(app).get("/region/projekte").get_data(as_text=True)
    assert "Projekt B" in page and "Projekt A" not in page
