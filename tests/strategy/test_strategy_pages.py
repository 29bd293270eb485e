"""Issue #23: the pages of goals and impact, walked with the test client: the admin's,
the team's, town staff's and the public dashboard with its CSV and feed; every
route refuses another town's refs (404) and shows nothing of another town."""

from __future__ import annotations

import io
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from strategy_helpers import Setup, link, publish, setup

from projektfabrik.extensions import db
from projektfabrik.strategy.models import Contribution, Goal, Indicator, ReportedResult
from projektfabrik.testing import Town, assert_safe_download, login


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(out, "PNG")
    return out.getvalue()


def errors(page: str) -> str:
    """The error messages of a page (beside the fields and flashed)."""
    import re

    return " | ".join(re.findall(r'class="(?:error|flash[^"]*)"[^>]*>([^<]*)<', page))


def client_of(town: Town, email: str) -> FlaskClient:
    client = town.client()
    login(client, email)
    return client


def csrf(client: FlaskClient, path: str) -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    # The test configuration switches CSRF off; with it on, the token is sent.
    return found.group(1) if found else ""


def test_the_admin_adds_a_goal_an_indicator_and_a_target(town_a: Town) -> None:
    setup(town_a)
    admin = client_of(town_a, "admin@example.org")
    page = admin.get("/verwaltung/")
    assert "/verwaltung/ziele" in page.get_data(as_text=True)
    token = csrf(admin, "/verwaltung/ziele")
    response = admin.post(
        "/verwaltung/ziele",
        data={"csrf_token": token, "title": "Bildung", "summary": "Lernen.", "group": ""},
    )
    assert response.status_code == 302
    with town_a.context():
        goal = db.session.scalar(select(Goal).where(Goal.title == "Bildung"))
        assert goal is not None
        ref = goal.ref
    response = admin.post(
        f"/verwaltung/ziele/{ref}/indikatoren",
        data={"csrf_token": token, "name": "Erreichte Menschen", "unit": "Menschen"},
    )
    assert response.status_code == 302
    with town_a.context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.goal_id == goal.id))
        assert indicator is not None
        iref = indicator.ref
    bad = admin.post(
        f"/verwaltung/ziele/{ref}/indikatoren/{iref}/zielwert",
        data={"csrf_token": token, f"t-{iref}-year": "2030", f"t-{iref}-value": "viele"},
    )
    assert bad.status_code == 400
    assert "Das ist keine Zahl" in errors(bad.get_data(as_text=True))
    good = admin.post(
        f"/verwaltung/ziele/{ref}/indikatoren/{iref}/zielwert",
        data={"csrf_token": token, f"t-{iref}-year": "2030", f"t-{iref}-value": "1.500"},
    )
    assert good.status_code == 302
    page = admin.get(f"/verwaltung/ziele/{ref}").get_data(as_text=True)
    assert "1.500" in page and "2030" in page


def test_people_who_are_not_admins_cannot_open_the_admin_pages(strat: Setup) -> None:
    owner = client_of(strat.town, "owner@example.org")
    assert owner.get("/verwaltung/ziele").status_code == 403
    assert strat.town.client().get("/verwaltung/ziele").status_code == 302


def test_the_team_links_a_goal_states_a_contribution_and_reports_a_result(strat: Setup) -> None:
    owner = client_of(strat.town, "owner@example.org")
    number = strat.project.number
    path = f"/projekte/{number}/wirkung"
    token = csrf(owner, path)
    response = owner.post(f"{path}/ziele", data={"csrf_token": token, "goals": [strat.goal_ref]})
    assert response.status_code == 302
    response = owner.post(
        f"{path}/erwartet/{strat.co2_ref}",
        data={
            "csrf_token": token,
            f"i-{strat.co2_ref}-value": "4,8",
            f"i-{strat.co2_ref}-basis": "12 Haushalte × 0,4 t CO₂",
        },
    )
    assert response.status_code == 302
    bad = owner.post(
        f"{path}/erwartet/{strat.co2_ref}",
        data={"csrf_token": token, f"i-{strat.co2_ref}-value": "4.8.1"},
    )
    assert bad.status_code == 400
    assert "4.8.1" in bad.get_data(as_text=True)  # what was typed is kept
    response = owner.post(
        f"{path}/ergebnisse",
        data={
            "csrf_token": token,
            "indicator": strat.trees_ref,
            "value": "7",
            "achieved_on": "01.05.2025",
            "note": "Pflanzaktion",
            "file": (io.BytesIO(png()), "foto.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, errors(response.get_data(as_text=True))
    page = strat.town.client().get(path).get_data(as_text=True)
    assert "4,8" in page and "noch nicht bestätigt" in page
    with strat.town.context():
        result = db.session.scalar(select(ReportedResult))
        assert result is not None and result.file_name
        ref = result.ref
        assert db.session.scalar(select(Contribution.expected)) == Decimal("4.80")
    # A reported file is an attachment with its checked type, like every download.
    assert_safe_download(strat.town.client().get(f"{path}/ergebnisse/{ref}/datei"), "image/png")
    # The project page names the goal; the marketplace filters by it.
    assert "Klimaschutz" in strat.town.client().get(f"/projekte/{number}").get_data(as_text=True)
    listing = strat.town.client().get(f"/projekte?ziel={strat.goal_ref}").get_data(as_text=True)
    assert "Nachbarschaftsgarten" in listing


def test_outsiders_cannot_change_a_projects_contribution(strat: Setup) -> None:
    strat.town.user("other@example.org")
    other = client_of(strat.town, "other@example.org")
    path = f"/projekte/{strat.project.number}/wirkung"
    token = csrf(other, "/konto" if False else path)
    response = other.post(f"{path}/ziele", data={"csrf_token": token, "goals": [strat.goal_ref]})
    assert response.status_code == 403


def test_staff_confirm_and_the_dashboard_counts_it(strat: Setup) -> None:
    link(strat.town, strat.project, strat.goal_ref)
    owner = client_of(strat.town, "owner@example.org")
    path = f"/projekte/{strat.project.number}/wirkung"
    token = csrf(owner, path)
    owner.post(
        f"{path}/ergebnisse",
        data={
            "csrf_token": token,
            "indicator": strat.trees_ref,
            "value": "7",
            "achieved_on": "01.05.2025",
        },
    )
    with strat.town.context():
        ref = db.session.scalar(select(ReportedResult.ref))
    assert (
        owner.post(f"{path}/ergebnisse/{ref}/bestaetigen", data={"csrf_token": token}).status_code
        == 403
    )
    staff = client_of(strat.town, "staff@example.org")
    queue = staff.get("/wirkung/bestaetigen")
    assert queue.status_code == 200 and "Nachbarschaftsgarten" in queue.get_data(as_text=True)
    token = csrf(staff, "/wirkung/bestaetigen")
    response = staff.post(
        f"{path}/ergebnisse/{ref}/bestaetigen", data={"csrf_token": token, "back": "queue"}
    )
    assert response.status_code == 302
    dashboard = strat.town.client().get("/wirkung")
    text = dashboard.get_data(as_text=True)
    assert dashboard.status_code == 200
    assert "Klimaschutz" in text and "<svg" in text and "Bestätigt" in text
    csv = strat.town.client().get("/wirkung/zahlen.csv")
    assert_safe_download(csv, "text/csv")
    assert "Bäume" in csv.get_data(as_text=True)
    feed = strat.town.client().get("/wirkung/ergebnisse.atom")
    assert feed.status_code == 200 and "Nachbarschaftsgarten" in feed.get_data(as_text=True)


def test_headline_figures_on_the_landing_page(strat: Setup) -> None:
    admin = client_of(strat.town, "admin@example.org")
    token = csrf(admin, f"/verwaltung/ziele/{strat.goal_ref}")
    response = admin.post(
        f"/verwaltung/ziele/{strat.goal_ref}/indikatoren/{strat.trees_ref}/startseite",
        data={"csrf_token": token, "on": "1"},
    )
    assert response.status_code == 302
    landing = strat.town.client().get("/").get_data(as_text=True)
    assert "Was die Projekte erreicht haben" in landing


def test_nothing_of_another_town_is_seen_or_reached(town_a: Town, town_b: Town) -> None:
    a = setup(town_a)
    b = setup(town_b, "b-")
    link(town_a, a.project, a.goal_ref)
    with town_b.context():
        db.session.execute(db.update(Goal).values(title="Geheimziel B"))
        db.session.commit()
    admin_a = client_of(town_a, "admin@example.org")
    token = csrf(admin_a, "/verwaltung/ziele")
    for path in (f"/verwaltung/ziele/{b.goal_ref}",):
        assert admin_a.get(path).status_code == 404
    for path in (
        f"/verwaltung/ziele/{b.goal_ref}/loeschen",
        f"/verwaltung/ziele/{b.goal_ref}/hoch",
        f"/verwaltung/ziele/{b.goal_ref}/indikatoren",
        f"/verwaltung/ziele/{a.goal_ref}/indikatoren/{b.trees_ref}/loeschen",
        f"/verwaltung/ziele/{a.goal_ref}/indikatoren/{b.trees_ref}/zielwert",
        f"/verwaltung/ziele/{a.goal_ref}/indikatoren/{b.trees_ref}/startseite",
    ):
        assert admin_a.post(path, data={"csrf_token": token, "on": "1"}).status_code == 404, path
    owner_a = client_of(town_a, "owner@example.org")
    path = f"/projekte/{a.project.number}/wirkung"
    token = csrf(owner_a, path)
    assert (
        owner_a.post(f"{path}/erwartet/{b.trees_ref}", data={"csrf_token": token}).status_code
        == 404
    )
    owner_a.post(f"{path}/ziele", data={"csrf_token": token, "goals": [a.goal_ref, b.goal_ref]})
    with town_b.context():
        assert db.session.scalar(select(db.func.count()).select_from(Contribution)) == 0
    with town_a.context():
        from projektfabrik.strategy.models import ProjectGoal

        assert db.session.scalar(select(db.func.count()).select_from(ProjectGoal)) == 1
    # Town B's project numbers are not town A's pages; B's dashboard, CSV and feed
    # show nothing of A.
    visitor_b = town_b.client()
    for path in ("/wirkung", "/wirkung/zahlen.csv", "/wirkung/ergebnisse.atom", "/"):
        text = visitor_b.get(path).get_data(as_text=True)
        assert "Klimaschutz" not in text, path
    visitor_a = town_a.client()
    for path in ("/wirkung", "/wirkung/zahlen.csv"):
        assert "Geheimziel B" not in visitor_a.get(path).get_data(as_text=True)
    staff_a = client_of(town_a, "staff@example.org")
    with town_b.context():
        db.session.add(
            ReportedResult(
                project_id=b.project.id,
                indicator_id=db.session.scalar(
                    select(Indicator.id).where(Indicator.ref == b.trees_ref)
                ),
                year=2025,
                value=Decimal(3),
                achieved_on=__import__("datetime").date(2025, 1, 1),
            )
        )
        db.session.commit()
        b_ref = db.session.scalar(select(ReportedResult.ref))
    assert "Geheimziel" not in staff_a.get("/wirkung/bestaetigen").get_data(as_text=True)
    token = csrf(staff_a, "/wirkung/bestaetigen")
    response = staff_a.post(
        f"/projekte/{a.project.number}/wirkung/ergebnisse/{b_ref}/bestaetigen",
        data={"csrf_token": token},
    )
    assert response.status_code == 404
    assert (
        visitor_a.get(f"/projekte/{a.project.number}/wirkung/ergebnisse/{b_ref}/datei").status_code
        == 404
    )


def test_the_goals_api_is_in_the_openapi_document_and_per_town(town_a: Town, town_b: Town) -> None:
    a = setup(town_a)
    setup(town_b, "b-")
    with town_b.context():
        db.session.execute(db.update(Goal).values(title="Geheimziel B"))
        db.session.commit()
    link(town_a, a.project, a.goal_ref)
    client = town_a.client()
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/goals" in document["paths"] and "Goal" in document["components"]["schemas"]
    body = client.get("/api/v1/goals").get_json()
    [goal] = body["items"]
    assert goal["title"] == "Klimaschutz" and goal["projects"] == {"idea": 1}
    assert {i["unit"] for i in goal["indicators"]} == {"Bäume", "t CO₂ pro Jahr"}
    assert goal["indicators"][1]["targets"] == {"2030": "500.00"}
    assert "Geheimziel" not in client.get("/api/v1/goals").get_data(as_text=True)


def test_the_whole_dashboard_costs_the_same_queries_at_1_and_12_projects(strat: Setup) -> None:
    from projektfabrik.testing import QueryCounter

    def queries() -> int:
        client = strat.town.client()
        client.get("/wirkung")
        with QueryCounter() as counter:
            assert client.get("/wirkung?x=1").status_code == 200
        return len(counter)

    link(strat.town, strat.project, strat.goal_ref)
    few = queries()
    for i in range(11):
        project = publish(strat.town, strat.owner, f"Projekt {i}")
        link(strat.town, project, strat.goal_ref)
    assert queries() == few
