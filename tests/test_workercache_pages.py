"""Parts of the project page and the plan overview kept by the worker
(workercache.fragment, workercache.town_result): never another town's or
another person's, and a change shows on the next request."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete

from projektfabrik import workercache
from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Membership, Project, Status, TeamRole
from projektfabrik.testing import Town, page_text, signed_in
from tests.workercachekit import publish, same_version


def _in(town: Town, project: Project) -> Project:
    found = db.session.get(Project, project.id)
    assert found is not None
    return found


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match is not None, heading_id
    return match.group(0)


def _pressed(html: str) -> tuple[str, str]:
    found = re.findall(r'aria-pressed="(true|false)"', _section(html, "support-heading"))
    assert len(found) == 2, found
    return found[0], found[1]


# --- the project page ---------------------------------------------------------------


def test_news_is_kept_and_a_new_item_shows_on_the_next_request(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    reader, reader_client = signed_in(town_a)
    assert "Erste Ernte" not in page_text(reader_client, "/projekte/1")
    kept = workercache.stats()["fragments"]
    page_text(reader_client, "/projekte/1")
    assert workercache.stats()["fragments"] == kept  # taken, not built again
    with town_a.request_context():
        services.post_update(_in(town_a, project), db.session.get(User, author.id), "Erste Ernte")
        db.session.commit()
    assert "Erste Ernte" in _section(page_text(reader_client, "/projekte/1"), "updates-heading")


def test_the_history_and_the_team_show_a_change_on_the_next_request(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    newcomer = town_a.user(name="Nora Neu")
    page = page_text(client, "/projekte/1")
    assert "Nora Neu" not in _section(page, "team-heading")
    history_before = _section(page, "history-heading").count("<li>")
    with town_a.request_context():
        found = _in(town_a, project)
        db.session.add(Membership(project_id=found.id, user_id=newcomer.id, role=TeamRole.MEMBER))
        projects.change_status(found, Status.PLANNING, db.session.get(User, author.id))
        db.session.commit()
    page = page_text(client, "/projekte/1")
    assert "Nora Neu" in _section(page, "team-heading")
    assert _section(page, "history-heading").count("<li>") == history_before + 1


def test_town_b_never_gets_town_a_s_news_team_or_history(town_a: Town, town_b: Town) -> None:
    author_a, client_a = signed_in(town_a)
    author_b, client_b = signed_in(town_b, name="Bert aus B")
    project_a = publish(town_a, author_a, "Garten in A")
    publish(town_b, author_b, "Brunnen in B")
    with town_a.request_context():
        services.post_update(_in(town_a, project_a), db.session.get(User, author_a.id), "News in A")
        services.add_comment(
            _in(town_a, project_a), db.session.get(User, author_a.id), "Kommentar in A"
        )
        db.session.commit()
    # Same project number, and the same content version, in both towns.
    same_version(town_a, town_b)
    page_a = page_text(client_a, "/projekte/1")
    assert "News in A" in page_a and "Kommentar in A" in page_a
    assert "<h1>Garten in A</h1>" in page_a
    page_b = page_text(client_b, "/projekte/1")
    assert "News in A" not in page_b and "Bert aus B" in _section(page_b, "team-heading")
    assert "<h1>Brunnen in B</h1>" in page_b and "Kommentar in A" not in page_b
    assert "Garten in A" in page_text(client_a, "/projekte/1/plan")
    assert "Brunnen in B" in page_text(client_b, "/projekte/1/plan")
    assert "News in A" not in page_text(town_b.client(), "/projekte/1")


def test_a_kept_blank_field_never_hides_what_was_typed(town_a: Town) -> None:
    """The comment field nobody typed into is kept; a comment sent too long comes
    back in the field with its error, never as the kept empty field."""
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    first = _section(page_text(client, "/projekte/1"), "comments-heading")
    assert 'name="body"' in first and "aria-invalid" not in first
    kept = workercache.stats()["fragments"]
    page_text(client, "/projekte/1")
    assert workercache.stats()["fragments"] == kept
    typed = "Lang " * 700  # over the 3,000 characters a comment may have
    response = client.post("/projekte/1/kommentare", data={"body": typed})
    assert response.status_code == 400
    field = _section(response.get_data(as_text=True), "comments-heading")
    assert 'aria-invalid="true"' in field and typed.strip()[:50] in field


def test_the_kept_status_choice_shows_the_new_status(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")

    def chosen() -> str:
        found = re.search(
            r'<option[^>]*selected[^>]*value="(\w+)"|<option[^>]*value="(\w+)"[^>]*selected',
            _section(page_text(client, "/projekte/1"), "manage-heading"),
        )
        assert found is not None
        return found.group(1) or found.group(2)

    assert chosen() == Status.IDEA.value
    assert chosen() == Status.IDEA.value  # kept
    with town_a.request_context():
        projects.change_status(
            _in(town_a, project), Status.PLANNING, db.session.get(User, author.id)
        )
        db.session.commit()
    assert chosen() == Status.PLANNING.value


def test_support_and_follow_are_each_person_s_own(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    other, other_client = signed_in(town_a)
    with town_a.request_context():
        services.toggle_support(_in(town_a, project), db.session.get(User, author.id))
        db.session.commit()
    # The author follows their own idea and now supports it; the other person neither.
    assert _pressed(page_text(client, "/projekte/1")) == ("true", "true")
    assert _pressed(page_text(other_client, "/projekte/1")) == ("false", "false")
    assert _pressed(page_text(other_client, "/projekte/1")) == ("false", "false")
    with town_a.request_context():
        services.toggle_support(_in(town_a, project), db.session.get(User, other.id))
        db.session.commit()
    assert _pressed(page_text(other_client, "/projekte/1")) == ("true", "false")
    assert _pressed(page_text(client, "/projekte/1")) == ("true", "true")


def test_a_kept_project_page_sends_fewer_statements(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    with town_a.request_context():
        services.post_update(_in(town_a, project), db.session.get(User, author.id), "Neu")
        db.session.commit()
    with count_queries() as first:
        page_text(client, "/projekte/1")
    # The project with its team, and the discussion, in a budget of their own.
    assert workercache.stats()["objects"] == 2
    with count_queries() as kept:
        page_text(client, "/projekte/1")
    built, taken = " ".join(first.statements), " ".join(kept.statements)
    tables = ("project_update", "project_status_change", "project_support", "project_follow")
    # The project, its team and its discussion (workercache.town_objects).
    for table in (*tables, "project", "membership", "comment"):
        assert f"FROM {table} " in built, table  # the names are right: the first view reads them
        assert f"FROM {table} " not in taken, table
    assert len(kept.statements) < len(first.statements)


def test_the_kept_project_team_and_discussion_show_a_change_on_the_next_request(
    town_a: Town,
) -> None:
    author, client = signed_in(town_a, name="Ada Autorin")
    project = publish(town_a, author, "Garten")
    reader, reader_client = signed_in(town_a)
    for _ in range(2):  # the second is kept
        page = page_text(reader_client, "/projekte/1")
    assert "<h1>Garten</h1>" in page and "Ada Autorin" in _section(page, "team-heading")
    with town_a.request_context():
        found = _in(town_a, project)
        found.title = "Gemeinschaftsgarten"
        person = db.session.get(User, author.id)
        assert person is not None
        person.display_name = "Ada Neumann"
        services.add_comment(found, person, "Wer hilft beim Graben?")
        db.session.commit()
    page = page_text(reader_client, "/projekte/1")
    assert "<h1>Gemeinschaftsgarten</h1>" in page
    assert "Ada Neumann" in _section(page, "team-heading")
    assert "Wer hilft beim Graben?" in _section(page, "comments-heading")


def test_someone_taken_off_the_team_cannot_edit_the_plan_on_the_next_request(
    town_a: Town,
) -> None:
    """The plan's pages take the project with its team from the worker
    (access.find_project_with_team): a kept team must not outlive a change."""
    author, _client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    helper, helper_client = signed_in(town_a)
    with town_a.request_context():
        db.session.add(
            Membership(project_id=_in(town_a, project).id, user_id=helper.id, role=TeamRole.MEMBER)
        )
        db.session.commit()
    new_package = "/projekte/1/plan/eintraege/arbeitspakete/neu"
    for _ in range(2):  # the second is kept
        assert helper_client.get(new_package).status_code == 200
    with town_a.request_context():
        db.session.execute(delete(Membership).where(Membership.user_id == helper.id))
        db.session.commit()
    assert helper_client.get(new_package).status_code == 404
    response = helper_client.post(new_package, data={"name": "Beete"})
    assert response.status_code == 404


def test_the_strategy_sidebar_shows_a_new_goal_on_the_next_request(town_a: Town) -> None:
    from strategy.strategy_helpers import goal, link

    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    assert "Klimaschutz" not in page_text(client, "/projekte/1")
    goal_ref, _trees, _co2 = goal(town_a)
    link(town_a, project, goal_ref)
    assert "Klimaschutz" in page_text(client, "/projekte/1")


# --- the plan overview --------------------------------------------------------------------


def test_the_plan_overview_counts_a_new_task_on_the_next_request(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    with count_queries() as building:
        first = _steps(page_text(client, "/projekte/1/plan"))
    with count_queries() as kept:
        assert _steps(page_text(client, "/projekte/1/plan")) == first
    built, taken = " ".join(building.statements), " ".join(kept.statements)
    for table in (
        "plan_task",
        "plan_financing",
        "plan_requirement",
        "plan_profile",
        "plan_section",
    ):
        assert f"FROM {table} " in built, table  # the names are right: the first view reads them
        assert f"FROM {table} " not in taken, table
    _plan_work(town_a, client)
    done, total = _steps(page_text(client, "/projekte/1/plan"))
    assert total == first[1] and done == first[0] + 3  # a work package, a task, all dated


def test_the_plan_overview_of_town_b_is_its_own(town_a: Town, town_b: Town) -> None:
    author_a, client_a = signed_in(town_a)
    author_b, client_b = signed_in(town_b)
    publish(town_a, author_a, "Garten in A")
    publish(town_b, author_b, "Brunnen in B")
    _plan_work(town_a, client_a)
    same_version(town_a, town_b)
    steps_a = _steps(page_text(client_a, "/projekte/1/plan"))
    steps_b = _steps(page_text(client_b, "/projekte/1/plan"))
    assert steps_a[0] == steps_b[0] + 3


def _plan_work(town: Town, client: Any) -> None:
    """A work package and a dated task in project 1's plan, through the pages."""
    from sqlalchemy import select

    from projektfabrik.planning.models import WorkPackage

    response = client.post("/projekte/1/plan/eintraege/arbeitspakete/neu", data={"name": "Beete"})
    assert response.status_code == 302, response.status_code
    with town.context():
        package = db.session.scalar(select(WorkPackage.ref))
    response = client.post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "Beete anlegen", "work_package": package, "responsible": "",
              "start": "2027-03-01", "end": "2027-04-30", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 302, response.status_code


def _steps(html: str) -> tuple[int, int]:
    match = re.search(r'<progress id="plan-progress" max="(\d+)" value="(\d+)"', html)
    assert match is not None
    return int(match.group(2)), int(match.group(1))


# --- the marketplace's filter form ----------------------------------------------------------


def test_the_kept_filter_form_is_never_a_person_s_for_a_visitor(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    mine = 'id="fuer-mich"'
    assert mine in page_text(client, "/projekte?status=idea")
    assert mine in page_text(client, "/projekte?status=idea")
    assert mine not in page_text(town_a.client(), "/projekte?status=idea")


def test_the_kept_filter_form_keeps_each_choice_and_language(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    chosen = re.compile(r'<option value="(\w+)" selected>')
    page_text(client, "/projekte?status=idea")
    assert chosen.findall(page_text(client, "/projekte?status=idea"))[:1] == ["idea"]
    assert "idea" not in chosen.findall(page_text(client, "/projekte?status=planning"))
    german = page_text(client, "/projekte?status=idea")
    client.set_cookie("sprache", "en", domain=town_a.host)
    english = page_text(client, "/projekte?status=idea")
    assert "Search and filter" in english and "Search and filter" not in german
