"""What a worker keeps between requests (workercache.py): never the wrong town,
person or language, and a change shows on the next request."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from markupsafe import Markup

from projektfabrik import workercache
from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, login, page_text, signed_in
from tests.workercachekit import publish


def test_a_card_is_kept_and_shown_again(town_a: Town, app: Flask) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Stadtgarten")
    first = _cards(page_text(client))
    assert workercache.stats()["fragments"] >= 1
    assert _cards(page_text(client)) == first
    assert len(first) == 1 and "Stadtgarten" in first[0]


def test_town_b_never_gets_town_a_s_card(town_a: Town, town_b: Town) -> None:
    # Both towns have a project number 1 with the same row layout: only the
    # town's id in the key keeps them apart.
    author_a, client_a = signed_in(town_a)
    author_b, client_b = signed_in(town_b)
    publish(town_a, author_a, "Garten in A")
    publish(town_b, author_b, "Brunnen in B")
    assert "Garten in A" in page_text(client_a)
    page_b = page_text(client_b)
    assert "Brunnen in B" in page_b and "Garten in A" not in page_b
    assert "Garten in A" not in page_text(town_b.client())  # a visitor of B neither


def test_an_edit_shows_on_the_next_request(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Alter Titel")
    assert "Alter Titel" in page_text(client)
    with town_a.request_context():
        found = db.session.get(Project, project.id)
        assert found is not None
        services.update_project(
            found, services.ProjectInput(title="Neuer Titel", pitch="Neu.", description_md="")
        )
        db.session.commit()
    page = page_text(client)
    assert "Neuer Titel" in page and "Alter Titel" not in page


def test_a_support_by_someone_else_shows_on_the_card_at_once(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Bank am Teich")
    assert "0 Unterstützungen" in page_text(client)
    _fan, fan_client = signed_in(town_a)
    csrf_free = fan_client.post("/projekte/1/unterstuetzen")
    assert csrf_free.status_code == 302
    assert "1 Unterstützung" in page_text(client)


def test_each_language_gets_its_own_card(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Bank am Teich")
    assert "0 Unterstützungen" in page_text(client)
    with town_a.context():
        person = db.session.get(User, author.id)
        assert person is not None
        person.locale = "en"
        db.session.commit()
    page = page_text(client)
    assert "0 supporters" in page and "Unterstützungen" not in page
    # Someone else in German right after, in the same worker.
    _other, german = signed_in(town_a)
    assert "0 Unterstützungen" in page_text(german)


def test_what_depends_on_the_person_is_never_taken_from_another(town_a: Town) -> None:
    owner, owner_client = signed_in(town_a, role=Role.MODERATOR)
    publish(town_a, owner, "Repair-Café")
    _guest, guest_client = signed_in(town_a)
    # The owner first: their page has the edit button.
    assert "/projekte/1/bearbeiten" in page_text(owner_client, "/projekte/1")
    assert "/projekte/1/bearbeiten" not in page_text(guest_client, "/projekte/1")
    # The marketplace: the same cards, each person's own navigation (the
    # moderator's has the moderation queue), in either order.
    owner_list, guest_list = page_text(owner_client), page_text(guest_client)
    assert "Repair-Café" in owner_list and "Repair-Café" in guest_list
    assert 'href="/moderation"' in owner_list and 'href="/moderation"' not in guest_list
    assert 'href="/moderation"' in page_text(owner_client)


def test_nothing_is_kept_while_the_request_has_uncommitted_changes(town_a: Town) -> None:
    author = town_a.user()
    project = publish(town_a, author, "Alt")
    with town_a.request_context():
        built: list[str] = []

        def build() -> str:
            built.append("x")
            return "<p>x</p>"

        assert workercache.fragment("t", 1, build=build) == Markup("<p>x</p>")
        assert workercache.fragment("t", 1, build=build) == Markup("<p>x</p>")
        assert len(built) == 1
        found = db.session.get(Project, project.id)
        assert found is not None
        found.title = "Neu, noch nicht gespeichert"
        workercache.fragment("t", 1, build=build)
        assert len(built) == 2  # pending change: built afresh, not read
        db.session.flush()
        workercache.fragment("t", 1, build=build)
        assert len(built) == 3  # flushed, not committed: still afresh
        db.session.rollback()
        workercache.fragment("t", 1, build=build)
        assert len(built) == 3  # rolled back: the kept one is right again


def test_what_one_request_changes_in_a_kept_result_the_next_does_not_get(
    town_a: Town,
) -> None:
    # Kept results and rows are stored packed: each request unpacks its own copy.
    def build() -> dict[str, list[int]]:
        return {"ids": [1, 2, 3]}

    with town_a.request_context():
        first = workercache.town_result("test.ids", build=build)
        first["ids"].append(99)
    with town_a.request_context():
        assert workercache.town_result("test.ids", build=lambda: {"ids": []}) == {"ids": [1, 2, 3]}


def test_the_budget_counts_the_packed_bytes(town_a: Town, app: Flask) -> None:
    # A fragment of 40,000 repetitive characters is held in far fewer bytes, and
    # the fragments' budget counts those (docs/architecture.md).
    html = "<li>Gemeinschaftsgarten am Hafen – 12 Unterstützende</li>" * 700
    with town_a.request_context():
        assert workercache.fragment("test.long", build=lambda: html) == Markup(html)
        assert workercache.fragment("test.long", build=lambda: "") == Markup(html)
    fragments = app.extensions[workercache.EXTENSION].fragments
    assert 0 < fragments._size < len(html) // 10


def test_town_values_are_per_town_and_end_with_the_version(town_a: Town, town_b: Town) -> None:
    calls: list[int] = []

    def value_of(town: Town) -> Any:
        with town.request_context():
            return workercache.town_value("test.slug", lambda: calls.append(1) or town.slug)

    assert value_of(town_a) == "stadt-a" and value_of(town_b) == "stadt-b"
    assert value_of(town_a) == "stadt-a" and len(calls) == 2
    author = town_a.user()  # a commit in town A raises its version
    assert author is not None
    assert value_of(town_a) == "stadt-a" and len(calls) == 3
    assert value_of(town_b) == "stadt-b" and len(calls) == 3


def test_a_plugin_switch_shows_on_the_next_request(town_a: Town, count_queries) -> None:  # type: ignore[no-untyped-def]
    from projektfabrik.testing import use_plugin

    _admin, client = signed_in(town_a)
    page_text(client)
    # The town's plugin rows come from the worker's memory, no query for them.
    with count_queries() as counter:
        page_text(client)
    assert not any("tenant_plugin" in s for s in counter.statements)
    use_plugin(town_a, "pinnwand", enabled=True)
    with count_queries() as counter:
        page_text(client)
    assert any("tenant_plugin" in s for s in counter.statements)  # read again


def test_switched_off_the_worker_keeps_nothing(app_config: dict[str, Any]) -> None:
    from projektfabrik.app import create_app
    from projektfabrik.testing import make_town

    app = create_app({**app_config, "WORKER_CACHE_SECONDS": 0})
    with app.app_context():
        town = make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])
        with town.request_context():
            assert workercache.fragment("t", build=lambda: "a") == "a"
            assert workercache.fragment("t", build=lambda: "b") == "b"
            assert workercache.stats() == {
                "values": 0,
                "fragments": 0,
                "results": 0,
                "people": 0,
                "objects": 0,
            }
        db.session.remove()


@pytest.mark.parametrize("path", ["/projekte", "/"])
def test_the_card_lists_agree_with_and_without_the_worker_cache(
    town_a: Town, app_config: dict[str, Any], path: str
) -> None:
    """The kept card is byte for byte the card as rendered without the cache."""
    from projektfabrik.app import create_app

    author, client = signed_in(town_a)
    for title in ("Eins", "Zwei", "Drei"):
        publish(town_a, author, title)
    page_text(client, path)
    cached = page_text(client, path)
    plain_app = create_app({**app_config, "WORKER_CACHE_SECONDS": 0})
    plain_app.test_client_class = type(client)
    plain = plain_app.test_client()
    plain.base_url = client.base_url
    with plain_app.app_context():
        login(plain, author.email)
        plain.get("/")
        uncached = page_text(plain, path)
        db.session.remove()
    assert len(_cards(cached)) == 3
    assert _cards(cached) == _cards(uncached)


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="project-card">.*?</article>', html, re.S)


def test_a_new_district_shows_in_the_filter_on_the_next_request(town_a: Town, town_b: Town) -> None:
    from projektfabrik.tenancy.models import District

    _person, client = signed_in(town_a)
    page = page_text(client)
    assert ">Altstadt</option>" in page and ">Oberdorf</option>" not in page
    _other, client_b = signed_in(town_b)
    page_b = page_text(client_b)
    assert ">Oberdorf</option>" in page_b and ">Altstadt</option>" not in page_b
    with town_a.context():
        db.session.add(District(name="Neustadt", position=9))
        db.session.commit()
    assert ">Neustadt</option>" in page_text(client)
    assert ">Neustadt</option>" not in page_text(client_b)
