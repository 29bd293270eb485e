"""Rows kept as values and made into a request's objects (projektfabrik/snapshots.py)."""

from __future__ import annotations

import pickle

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload, selectinload

from projektfabrik.accounts.models import LoginSession, User
from projektfabrik.extensions import db
from projektfabrik.projects.models import Membership, Project
from projektfabrik.snapshots import Graph
from projektfabrik.tenancy.models import District, Tenant
from projektfabrik.tenancy.versioning import affects_public_pages
from projektfabrik.testing import Town, signed_in
from tests.workercachekit import publish


def _project_with_team() -> Project:
    found = db.session.scalar(
        select(Project).options(
            joinedload(Project.district),
            selectinload(Project.memberships).joinedload(Membership.user),
        )
    )
    assert found is not None
    return found


def test_attached_rows_bring_their_eager_relationships_without_a_statement(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, _client = signed_in(town_a, name="Ada Autorin")
    author_id = author.id
    publish(town_a, author, "Garten")
    with town_a.request_context():
        graph = pickle.loads(pickle.dumps(Graph.of(_project_with_team(), affects_public_pages)))
        db.session.rollback()
        db.session.expunge_all()
        with count_queries() as attaching:
            project = graph.attach(db.session)
            assert project.title == "Garten" and project.district is None
            assert [m.user.display_name for m in project.memberships] == ["Ada Autorin"]
            assert project.memberships[0].user is db.session.get(User, author_id)
        assert attaching.statements == []
        # Persistent and unchanged, as if loaded: nothing to write, and a change is written.
        assert inspect(project).persistent and not db.session.dirty
        project.title = "Gemeinschaftsgarten"
        db.session.commit()
        assert db.session.scalar(select(Project.title)) == "Gemeinschaftsgarten"


def test_an_object_the_session_holds_stays_as_it_is(town_a: Town) -> None:
    author, _client = signed_in(town_a, name="Ada Autorin")
    author_id = author.id
    publish(town_a, author, "Garten")
    with town_a.request_context():
        graph = Graph.of(_project_with_team(), affects_public_pages)
        db.session.rollback()
        db.session.expunge_all()
        person = db.session.get(User, author_id)
        assert person is not None
        person.display_name = "Ada, noch nicht gespeichert"
        held = db.session.scalar(select(Project))
        assert held is not None
        held.district = db.session.scalar(select(District).where(District.name == "Hafen"))
        project = graph.attach(db.session)
        assert project is held and project.district is not None
        assert project.district.name == "Hafen"
        assert project.memberships[0].user is person
        assert person.display_name == "Ada, noch nicht gespeichert"


def test_a_json_list_is_each_request_s_own(town_a: Town) -> None:
    with town_a.request_context():
        tenant = db.session.get(Tenant, town_a.tenant.id)
        assert tenant is not None
        tenant.admin_edited = ["name"]
        db.session.commit()
        graph = Graph.of(db.session.get(Tenant, town_a.tenant.id), affects_public_pages)
        db.session.expunge_all()
        graph.attach(db.session).admin_edited.append("welcome")
        db.session.rollback()
        db.session.expunge_all()
        assert graph.attach(db.session).admin_edited == ["name"]


def test_rows_of_a_class_not_kept_are_left_out_and_load_as_usual(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    """workercache keeps only rows whose changes raise the town's version (a
    login session's do not: kept, it would outlive a logout); here the people
    stand for such a class."""
    author, _client = signed_in(town_a, name="Ada Autorin")
    author_id = author.id
    publish(town_a, author, "Garten")

    def keep(cls: type) -> bool:
        return cls is not User and affects_public_pages(cls)

    assert not affects_public_pages(LoginSession)
    with town_a.request_context():
        graph = Graph.of(_project_with_team(), keep)
        with pytest.raises(TypeError):
            Graph.of(db.session.get(User, author_id), keep)
        db.session.rollback()
        db.session.expunge_all()
        project = graph.attach(db.session)
        membership = project.memberships[0]
        assert "user" not in membership.__dict__
        with count_queries() as loading:
            assert membership.user.display_name == "Ada Autorin"
        assert len(loading.statements) == 1


def test_none_and_lists_come_back_as_they_went_in(town_a: Town) -> None:
    with town_a.request_context():
        assert Graph.of(None, affects_public_pages).attach(db.session) is None
        assert Graph.of([], affects_public_pages).attach(db.session) == []
