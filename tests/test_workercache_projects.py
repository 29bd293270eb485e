"""What a worker keeps for one project's pages is keyed on that project's version
and the town's shared version (tenancy/versioning.py, workercache ``scope``): a
change to another project leaves it kept, a change to the project or to anything
of the town that is not one project's shows on the next request."""

from __future__ import annotations

import re

from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.projects.models import Category, Project
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import Town, page_text, signed_in
from tests.workercachekit import publish


def _versions(town: Town, *projects: Project) -> tuple[int, int, list[int]]:
    """The town's content and shared versions and the projects' versions, as stored."""
    with town.request_context():
        tenant = db.session.get(Tenant, town.tenant.id)
        assert tenant is not None
        found = [
            db.session.execute(select(Project.version).where(Project.id == p.id)).scalar_one()
            for p in projects
        ]
        return tenant.content_version, tenant.shared_version, found


def _comment(town: Town, project: Project, author: User, text: str) -> None:
    with town.request_context():
        found = db.session.get(Project, project.id)
        person = db.session.get(User, author.id)
        assert found is not None and person is not None
        services.add_comment(found, person, text)
        db.session.commit()


def test_a_comment_raises_its_project_s_version_and_not_the_shared_one(town_a: Town) -> None:
    author = town_a.user()
    garden = publish(town_a, author, "Garten")
    fountain = publish(town_a, author, "Brunnen")
    content, shared, (g, f) = _versions(town_a, garden, fountain)
    _comment(town_a, garden, author, "Wer hilft?")
    assert _versions(town_a, garden, fountain) == (content + 1, shared, [g + 1, f])


def test_a_support_raises_its_project_s_version_and_not_the_shared_one(town_a: Town) -> None:
    author = town_a.user()
    garden = publish(town_a, author, "Garten")
    supporter = town_a.user()
    content, shared, (g,) = _versions(town_a, garden)
    with town_a.request_context():
        found = db.session.get(Project, garden.id)
        person = db.session.get(User, supporter.id)
        assert found is not None and person is not None
        services.toggle_support(found, person)
        db.session.commit()
    assert _versions(town_a, garden) == (content + 1, shared, [g + 1])


def test_a_change_that_is_no_project_s_raises_the_shared_version(town_a: Town) -> None:
    author = town_a.user()
    garden = publish(town_a, author, "Garten")
    content, shared, (g,) = _versions(town_a, garden)
    with town_a.request_context():
        db.session.add(Category(name="Umwelt"))
        db.session.commit()
    assert _versions(town_a, garden) == (content + 1, shared + 1, [g])


def test_another_project_s_comment_leaves_this_page_kept(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a, name="Ada Autorin")
    garden = publish(town_a, author, "Garten")
    publish(town_a, author, "Brunnen")  # number 2
    page_text(client, "/projekte/2")
    _comment(town_a, garden, author, "Wer hilft beim Graben?")
    with count_queries() as after:
        page = page_text(client, "/projekte/2")
    assert "<h1>Brunnen</h1>" in page
    # Still kept: neither the team nor the discussion is read again, only the
    # project's version (the town's changed).
    read = " ".join(after.statements)
    assert "FROM membership " not in read and "FROM comment " not in read
    assert [s for s in after.statements if "FROM project " in s] == [
        next(s for s in after.statements if s.startswith("SELECT project.id, project.version"))
    ]
    # The commented project shows its comment at once.
    assert "Wer hilft beim Graben?" in page_text(client, "/projekte/1")


def test_a_change_of_the_project_or_of_the_town_shows_on_the_next_request(
    town_a: Town,
) -> None:
    author, client = signed_in(town_a, name="Ada Autorin")
    fountain = publish(town_a, author, "Brunnen")
    for _ in range(2):  # the second is kept
        page_text(client, "/projekte/1")
    _comment(town_a, fountain, author, "Das Wasser ist zurück.")
    page = page_text(client, "/projekte/1")
    assert "Das Wasser ist zurück." in page
    # A person's name is the town's, shown on every project they are in.
    with town_a.request_context():
        person = db.session.get(User, author.id)
        assert person is not None
        person.display_name = "Ada Neumann"
        db.session.commit()
    team = re.search(
        r'aria-labelledby="team-heading".*?</section>', page_text(client, "/projekte/1"), re.S
    )
    assert team is not None and "Ada Neumann" in team.group(0)


def test_town_b_never_gets_town_a_s_kept_project(town_a: Town, town_b: Town) -> None:
    author_a, client_a = signed_in(town_a, name="Ada aus A")
    author_b, client_b = signed_in(town_b, name="Bert aus B")
    publish(town_a, author_a, "Garten in A")
    publish(town_b, author_b, "Brunnen in B")
    # One shared version and one project version in both towns: only the town's
    # and the project's ids tell the kept entries apart.
    with town_a.app.app_context():
        db.session.execute(
            Tenant.__table__.update()
            .where(Tenant.id.in_([town_a.tenant.id, town_b.tenant.id]))
            .values(content_version=500, shared_version=500)
        )
        db.session.execute(Project.__table__.update().values(version=7))
        db.session.commit()
    assert "Garten in A" in page_text(client_a, "/projekte/1")
    page_b = page_text(client_b, "/projekte/1")
    assert "Brunnen in B" in page_b and "Bert aus B" in page_b
    assert "Garten in A" not in page_b and "Ada aus A" not in page_b


def test_a_row_moved_to_another_project_raises_the_shared_version(town_a: Town) -> None:
    from projektfabrik.marketplace.models import Comment

    author = town_a.user()
    garden = publish(town_a, author, "Garten")
    fountain = publish(town_a, author, "Brunnen")
    _comment(town_a, garden, author, "Verirrt")
    content, shared, (g, f) = _versions(town_a, garden, fountain)
    with town_a.request_context():
        comment = db.session.scalar(select(Comment))
        assert comment is not None
        comment.project_id = fountain.id
        db.session.commit()
    assert _versions(town_a, garden, fountain)[:2] == (content + 1, shared + 1)
