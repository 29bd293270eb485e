"""Search across a region: the marketplace's rules (compound parts, prefixes, accents,
typos) over several towns, in the form that stays fast over many (search.arms)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, current_app
from sqlalchemy import select, update

from projektfabrik import searchtext
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace.listing import Filters
from projektfabrik.projects.models import Project, Status
from projektfabrik.regions import readmodel
from projektfabrik.regions.models import Region
from projektfabrik.tenancy.isolation import these_towns
from projektfabrik.testing import Town
from tests.regionkit import REGION_HOST, make_region
from tests.test_regions import _choose, _publish, _region_client

TOWN_A = ["Gemeinschaftsgarten am Hafen", "Straßenfest", "Bibliothek der Dinge"]
TOWN_B = ["Reparaturcafé", "Gartenhaus für alle", "Fahrradwerkstatt", "Kinoabend"]
QUERIES = [
    "Garten",  # a part of compounds in both towns
    "Gemein",  # a prefix
    "Cafe",  # without the accent
    "Strasse",  # ß folded
    "Reperatur",  # one letter wrong: typos, since nothing has it as typed
    "Bilbiothek",  # two letters swapped
    "garten fest",  # two terms, nothing has both
    "Kino",
]


@pytest.fixture
def region(town_a: Town, town_b: Town) -> Region:
    return make_region()


@pytest.fixture
def seeded(app: Flask, region: Region, town_a: Town, town_b: Town) -> Region:
    _choose(town_a)
    _choose(town_b)
    for town, titles in ((town_a, TOWN_A), (town_b, TOWN_B)):
        for title in titles:
            _publish(town, title, description_md=f"Mehr über {title}.")
    return region


def _search(region: Region, filters: Filters, **kw: object) -> readmodel.RegionalPage:
    # The read model builds each project's link on its town's host: a request is needed.
    with current_app.test_request_context(base_url=f"http://{REGION_HOST}"):
        return readmodel.projects(region, filters, **kw)  # type: ignore[arg-type]


def _expected(query: str, towns: frozenset[int]) -> list[str]:
    """The rules in plain Python (searchtext), over what the region shows of ``towns``:
    every term as typed, typos only when no shown project has them all; best first."""
    rows = db.session.execute(
        select(Project.title, Project.search_words, Project.created_at, Project.id)
        .where(Project.status != Status.ARCHIVED, Project.shown_in_region.is_not(False))
        .execution_options(**these_towns(towns))
    ).all()
    found = [r for r in rows if searchtext.matches(query, r.search_words, typos=False)]
    if not found:
        found = [r for r in rows if searchtext.matches(query, r.search_words, typos=True)]
    found.sort(
        key=lambda r: (searchtext.points(query, r.search_words), r.created_at, r.id),
        reverse=True,
    )
    return [r.title for r in found]


@pytest.mark.parametrize("query", QUERIES)
def test_the_region_finds_what_the_rules_say(seeded: Region, query: str) -> None:
    page = _search(seeded, Filters(q=query))
    towns = frozenset(p.tenant_id for p in readmodel.participants(seeded))
    assert [p.title for p in page.items] == _expected(query, towns)
    assert page.total == len(page.items)


def test_the_rules_find_across_both_towns(seeded: Region) -> None:
    # Not an empty list compared with an empty list: the queries find something.
    found = {q: [p.title for p in _search(seeded, Filters(q=q)).items] for q in QUERIES}
    assert set(found["Garten"]) == {"Gemeinschaftsgarten am Hafen", "Gartenhaus für alle"}
    assert found["Gemein"] == ["Gemeinschaftsgarten am Hafen"]
    assert found["Cafe"] == ["Reparaturcafé"]
    assert found["Strasse"] == ["Straßenfest"]
    assert found["Reperatur"] == ["Reparaturcafé"]
    assert found["Bilbiothek"] == ["Bibliothek der Dinge"]
    assert found["garten fest"] == []


def test_the_typo_decision_asks_only_what_the_region_shows(seeded: Region, town_a: Town) -> None:
    # A project the team keeps out of the region has "Fahrad" as typed. Before, it
    # made the region's search refuse typos (and then find nothing it could show).
    hidden = _publish(town_a, "Fahrad-Tausch")
    with town_a.context():
        db.session.execute(
            update(Project).where(Project.id == hidden.id).values(shown_in_region=False)
        )
        db.session.commit()
    titles = [p.title for p in _search(seeded, Filters(q="Fahrad")).items]
    assert titles == ["Fahrradwerkstatt"]
    # An archived project asks nothing either.
    with town_a.context():
        db.session.execute(
            update(Project)
            .where(Project.id == hidden.id)
            .values(shown_in_region=None, status=Status.ARCHIVED)
        )
        db.session.commit()
    titles = [p.title for p in _search(seeded, Filters(q="Fahrad")).items]
    assert titles == ["Fahrradwerkstatt"]


def test_a_town_filter_and_paging_work_with_typos(app: Flask, seeded: Region, town_b: Town) -> None:
    for i in range(3):
        _publish(town_b, f"Reparaturtreff {i}")
    with town_b.context():
        # Distinct ages: ties would be ordered by id, the same either way.
        for i, project in enumerate(db.session.scalars(select(Project).order_by(Project.id))):
            project.created_at = utcnow() - timedelta(days=i)
        db.session.commit()
    filters = Filters(q="Reperatur")
    first = _search(seeded, filters, town="stadt-b", page_size=2)
    second = _search(seeded, Filters(q="Reperatur", page=2), town="stadt-b", page_size=2)
    assert first.total == second.total == 4 and first.pages == 2
    titles = [p.title for p in first.items + second.items]
    assert titles == _expected("Reperatur", frozenset({town_b.tenant.id}))
    assert len(set(titles)) == 4  # the two arms never give a project twice


@pytest.mark.parametrize("query", ["Garten", "Gartn"])
def test_a_regional_search_costs_the_same_statements_for_more_towns(
    app: Flask, region: Region, town_a: Town, town_b: Town, count_queries, query: str
) -> None:  # type: ignore[no-untyped-def]
    _choose(town_a)
    _publish(town_a, "Gemeinschaftsgarten")
    client = _region_client(app)
    client.get(f"/region/projekte?suche={query}")
    # Another address than the warm-up's: built, not served from the page cache.
    with count_queries() as few:
        page = client.get(f"/region/projekte?suche={query}&seite=1")
    assert "Gemeinschaftsgarten" in page.get_data(as_text=True)
    _choose(town_b)
    for i in range(4):
        _publish(town_b, f"Gartenprojekt {i}")
    with count_queries() as more:
        page = client.get(f"/region/projekte?suche={query}&seite=1")
    assert "Gartenprojekt 3" in page.get_data(as_text=True)
    assert len(few) == len(more) <= 6, more.statements
