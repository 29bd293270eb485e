"""Issue #12: the statistics page: figures per town only, a constant number of
queries however many projects, a CSV of every table."""

from __future__ import annotations

from datetime import timedelta

from projektfabrik.accounts.models import Role, User
from projektfabrik.admin import statistics
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project, Status, StatusChange
from projektfabrik.tenancy.models import District
from projektfabrik.testing import QueryCounter, Town, login


def _projects(
    town: Town, count: int, status: Status = Status.IDEA, district: str | None = None
) -> None:
    with town.context():
        place = None
        if district:
            place = db.session.scalars(db.select(District).where(District.name == district)).one()
        start = db.session.scalar(db.select(db.func.max(Project.number))) or 0
        for i in range(count):
            project = Project(
                number=start + i + 1,
                title=f"Projekt {i}",
                pitch="Eine Idee.",
                status=status,
                district_id=place.id if place else None,
                support_count=2,
            )
            db.session.add(project)
            db.session.flush()
            db.session.add(StatusChange(project_id=project.id, to_status=status))
        db.session.commit()


def _admin(town: Town):  # type: ignore[no-untyped-def]
    town.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    client = town.client()
    login(client, "admin@example.org")
    return client


def test_the_figures_count_this_towns_projects_people_and_districts(
    town_a: Town, town_b: Town
) -> None:
    _projects(town_a, 3, Status.IDEA, "Hafen")
    _projects(town_a, 2, Status.RUNNING)
    _projects(town_b, 7, Status.COMPLETED, "Oberdorf")
    town_a.user("pia@example.org")
    with town_a.context():
        stats = statistics.gather()
    assert dict(stats.by_status)[Status.IDEA] == 3
    assert dict(stats.by_status)[Status.RUNNING] == 2
    assert dict(stats.by_status)[Status.COMPLETED] == 0  # town B's are not counted
    assert stats.total_projects == 5
    assert stats.new_projects[-1] == 5 and sum(stats.new_projects) == 5
    assert stats.new_people[-1] == 1
    assert stats.reached[-1] == {Status.IDEA: 3, Status.RUNNING: 2}
    districts = {name: rest for name, *rest in stats.by_district}
    assert districts["Hafen"] == [3, 6, 0]
    assert districts["Altstadt"] == [0, 0, 0]
    assert districts[""] == [2, 4, 1]
    assert "Oberdorf" not in districts


def test_old_rows_fall_out_of_the_months(town_a: Town) -> None:
    _projects(town_a, 1)
    with town_a.context():
        project = db.session.scalars(db.select(Project)).one()
        project.created_at = utcnow() - timedelta(days=500)
        db.session.commit()
        stats = statistics.gather()
    assert sum(stats.new_projects) == 0 and stats.total_projects == 1
    assert len(stats.months) == 12


def test_the_number_of_queries_does_not_grow_with_the_projects(town_a: Town) -> None:
    def count() -> int:
        with town_a.context(), QueryCounter() as counter:
            statistics.gather()
        return len(counter)

    _projects(town_a, 2, Status.IDEA, "Hafen")
    few = count()
    _projects(town_a, 60, Status.PLANNING, "Altstadt")
    _projects(town_a, 40, Status.RUNNING)
    assert count() == few <= 8


def test_the_page_shows_charts_beside_tables_and_exports_csv(town_a: Town) -> None:
    _projects(town_a, 3, Status.IDEA, "Hafen")
    client = _admin(town_a)
    page = client.get("/verwaltung/statistik")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Four of the core's sections (three drawn) and the marketplace's supports and comments.
    assert html.count('<svg class="chart-svg"') == 4 and html.count("<table") == 5
    assert "Unterstützungen und Kommentare pro Monat" in html
    assert "Projekte nach Status" in html and "Beteiligung nach Ortsteil" in html
    assert "<script" not in html
    csv = client.get("/verwaltung/statistik.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    text = csv.get_data(as_text=True)
    assert "Projekte nach Status" in text and "Hafen;3;6;0" in text


def test_another_towns_admin_and_other_people_get_no_statistics(town_a: Town, town_b: Town) -> None:
    _projects(town_a, 4, Status.IDEA, "Hafen")
    town_b.user("admin@example.org", role=Role.ADMIN)
    admin_b = town_b.client()
    login(admin_b, "admin@example.org")
    html = admin_b.get("/verwaltung/statistik").get_data(as_text=True)
    assert "Hafen" not in html and "4 Projekte" not in html
    assert "Hafen" not in admin_b.get("/verwaltung/statistik.csv").get_data(as_text=True)
    # Town B's session on town A's host is nobody there.
    admin_b.base_url = f"http://{town_a.host}"
    assert admin_b.get("/verwaltung/statistik").status_code == 302
    assert admin_b.get("/verwaltung/statistik.csv").status_code == 302
    member = town_a.user("pia@example.org")
    assert member.role == Role.MEMBER
    client = town_a.client()
    login(client, "pia@example.org")
    assert client.get("/verwaltung/statistik").status_code == 403
    assert client.get("/verwaltung/statistik.csv").status_code == 403
    assert isinstance(member, User)


def test_the_whole_page_sends_as_many_queries_for_many_projects_as_for_few(town_a: Town) -> None:
    client = _admin(town_a)

    def page_queries() -> int:
        client.get("/verwaltung/statistik")  # warm: what a worker keeps after its first page
        with QueryCounter() as counter:
            assert client.get("/verwaltung/statistik").status_code == 200
        return len(counter)

    _projects(town_a, 2, Status.IDEA, "Hafen")
    few = page_queries()
    _projects(town_a, 80, Status.RUNNING, "Altstadt")
    town_a.user("neu@example.org")
    assert page_queries() == few
