"""Search works for German: compound parts, prefixes, missing accents, small typos.

Every test here runs on the database of the run (SQLite by default, PostgreSQL
with PROJEKTFABRIK_TEST_DATABASE_URL) and expects the same answers on both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.listing import Filters, filtered, list_projects
from projektfabrik.migrations import runner
from projektfabrik.projects import access, search
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, _base_config

PROJECTS = [
    ("Gemeinschaftsgarten am Hafen", "Wir legen Beete an und ernten zusammen."),
    ("Sommerkino", "Filmabende unter freiem Himmel."),
    ("Reparaturcafé", "Wir reparieren Geräte, jeden Freitag."),
    ("Lesepaten", "Vorlesen in der Stadtbibliothek."),
]


def _publish(town: Town, title: str, pitch: str, description: str = "") -> None:
    author = town.user()
    with town.request_context():
        services.publish_idea(
            author, services.ProjectInput(title=title, pitch=pitch, description_md=description)
        )
        db.session.commit()


@pytest.fixture
def town(town_a: Town) -> Town:
    for title, pitch in PROJECTS:
        _publish(town_a, title, pitch)
    return town_a


def _titles(town: Town, query: str, **filters: Any) -> list[str]:
    with town.context():
        return [c.project.title for c in list_projects(Filters(q=query, **filters)).cards]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Garten", "Gemeinschaftsgarten am Hafen"),  # the end of a compound
        ("Kino", "Sommerkino"),
        ("Reparatur", "Reparaturcafé"),  # the start of a compound
        ("Film", "Sommerkino"),  # "Filmabende"
        ("Gemein", "Gemeinschaftsgarten am Hafen"),  # a prefix
        ("Reparaturcafe", "Reparaturcafé"),  # without the accent
        ("reparaturcafé", "Reparaturcafé"),
        ("Gärten", "Gemeinschaftsgarten am Hafen"),  # inflected, with umlaut
        ("Reperatur", "Reparaturcafé"),  # one letter wrong
        ("Reparatr", "Reparaturcafé"),  # one letter missing
        ("Sommerkkino", "Sommerkino"),  # one letter too many
        ("Bilbiothek", "Lesepaten"),  # two letters swapped
        ("Kino Himmel", "Sommerkino"),  # every word must match
    ],
)
def test_german_queries_find_the_project(town: Town, query: str, expected: str) -> None:
    assert _titles(town, query) == [expected]


@pytest.mark.parametrize("query", ["Kinder", "Garten Kino", "Kini", "am", "Reparaturkaffee"])
def test_what_should_not_match_does_not(town: Town, query: str) -> None:
    # "Kini" is one letter from "Kino", but short words get no typos; "am" is
    # matched as a whole word only (the garden's title), not inside "zusammen".
    expected = ["Gemeinschaftsgarten am Hafen"] if query == "am" else []
    assert _titles(town, query) == expected


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "%_%", "'; --", "\\", "ß" * 300])
def test_odd_input_is_no_error(town: Town, query: str) -> None:
    found = _titles(town, query)
    assert found == ([] if query == "ß" * 300 else _titles(town, ""))  # a word of 200 letters
    page = town.client().get("/projekte", query_string={"suche": query})
    assert page.status_code == 200
    api = town.client().get("/api/v1/projects", query_string={"suche": query})
    # The API keeps its document: a search of more than 200 characters is refused.
    assert api.status_code == (400 if len(query) > 200 else 200)


def test_best_match_first(town_a: Town) -> None:
    # Newest last: the order comes from the points, not from the date.
    _publish(town_a, "Gemeinschaftsgarten", "Ein Garten für alle.")  # title, whole word
    _publish(town_a, "Hofcafé", "Im Gartenhaus hinter der Kirche.")  # start of a word
    _publish(town_a, "Gartenfest", "Im Sommer.")  # title, start of a word
    _publish(town_a, "Nachbarschaft", "Wir treffen uns im Schrebergarten.")  # inside a word
    _publish(town_a, "Stadtgärtnerei", "Gaerten in der Stadt.")
    assert _titles(town_a, "Garten") == [
        "Gemeinschaftsgarten",  # 4 title + 3 whole word + 2 word start + 1 = 10
        "Gartenfest",  # 4 + 2 + 1 = 7
        "Stadtgärtnerei",  # 4 + 1 = 5 ("gart" inside the title's "stadtgartnerei")
        "Hofcafé",  # 2 + 1 = 3
        "Nachbarschaft",  # 1
    ]
    # An explicit sort wins over the points; the newest comes first then.
    assert _titles(town_a, "Garten", sort="newest")[0] == "Stadtgärtnerei"
    page = town_a.client().get("/projekte?suche=Garten").get_data(as_text=True)
    assert '<option value="" selected>Beste Treffer</option>' in page
    assert page.index("Gemeinschaftsgarten") < page.index("Nachbarschaft")
    plain = town_a.client().get("/projekte").get_data(as_text=True)
    assert "Beste Treffer" not in plain  # without a search the first choice is "Neueste"
    assert '<option value="" selected>Neueste</option>' in plain
    # The form sends that empty choice along: a search typed there is best match first.
    typed = town_a.client().get("/projekte?suche=Garten&sortierung=").get_data(as_text=True)
    assert typed.index("Gemeinschaftsgarten") < typed.index("Nachbarschaft")


def test_typos_count_only_when_the_word_as_typed_finds_nothing(town_a: Town) -> None:
    _publish(town_a, "Werkstatt", "Eine Reperatur-Werkstatt, falsch geschrieben.")
    _publish(town_a, "Werkstatt 2", "Reparatur von Rädern.")
    assert _titles(town_a, "Reparatur") == ["Werkstatt 2"]
    assert _titles(town_a, "Reperatur") == ["Werkstatt"]
    assert _titles(town_a, "Reperatur Rädern") == ["Werkstatt 2"]  # together only with a typo


def test_another_towns_words_do_not_switch_typos_off(town: Town, town_b: Town) -> None:
    # Town B has "Reperatur" as typed; town A must still find its Reparaturcafé.
    _publish(town_b, "Reperatur-Treff", "Falsch geschrieben.")
    assert _titles(town, "Reperatur") == ["Reparaturcafé"]
    assert _titles(town_b, "Reperatur") == ["Reperatur-Treff"]


def test_the_api_searches_the_same_way(town: Town) -> None:
    body = town.client().get("/api/v1/projects?suche=Reparaturcafe").get_json()
    assert [p["title"] for p in body["items"]] == ["Reparaturcafé"]
    csv = town.client().get("/projekte.csv?suche=Gemein").get_data(as_text=True)
    assert "Gemeinschaftsgarten" in csv and "Sommerkino" not in csv


def test_another_towns_projects_are_never_found(town: Town, town_b: Town) -> None:
    _publish(town_b, "Gartenfest Oberdorf", "Ein Garten für alle.")
    assert _titles(town, "Gartenfest") == []
    assert _titles(town, "Garten") == ["Gemeinschaftsgarten am Hafen"]
    assert _titles(town_b, "Garten") == ["Gartenfest Oberdorf"]
    body = town.client().get("/api/v1/projects?suche=Oberdorf").get_json()
    assert body["items"] == []
    page = town.client().get("/projekte?suche=Gartenfest").get_data(as_text=True)
    assert "Gartenfest Oberdorf" not in page


def test_changing_a_projects_text_changes_its_hits(town: Town) -> None:
    with town.request_context():
        project = access.find_project(2)
        assert project is not None
        services.update_project(
            project, services.ProjectInput(title="Freiluftbühne", pitch="Theater im Park.")
        )
        db.session.commit()
    assert _titles(town, "Kino") == []
    assert _titles(town, "Buhne") == ["Freiluftbühne"]


def test_the_number_of_queries_does_not_grow_with_the_hits(town_a: Town, count_queries) -> None:  # type: ignore[no-untyped-def]
    def statements(query: str) -> int:
        # Warm first: the worker keeps the town's plugin rows and filter names
        # until the town changes (workercache.py); count the steady state.
        town_a.client().get("/projekte", query_string={"suche": query})
        with count_queries() as counter:
            town_a.client().get("/projekte", query_string={"suche": query})
        return len(counter)

    _publish(town_a, "Gartenfest", "Ein Garten.")
    few = statements("Garten")
    for i in range(30):
        _publish(town_a, f"Garten Nr. {i}", "Noch ein Garten mit Reperatur.")
    assert statements("Garten") == few  # 24 cards instead of one
    assert statements("Reparatur Garten") == few  # two words, with typos


# --- the same rules in Python (plugins' search documents) ----------------------------

QUERIES = ["Garten", "Kino", "Reparatur", "Film", "Gemein", "Reparaturcafe", "Reperatur",
           "Bilbiothek", "am", "Kinder", "Garten Hafen", "himmel"]  # fmt: skip


def test_python_and_the_database_agree(town: Town) -> None:
    for query in QUERIES:
        ranked = search.rank_documents(query, PROJECTS)
        # The database breaks ties newest first, i.e. later in PROJECTS first.
        in_order = sorted(ranked, key=lambda pair: (-pair[1], -pair[0]))
        assert _titles(town, query) == [PROJECTS[i][0] for i, _ in in_order], query


def test_documents_are_searched_and_ranked() -> None:
    docs = [("Termine", "Sommerkino"), ("Gemeinschaftsgarten", ""), ("Termine", "im Garten")]
    assert search.rank_documents("Garten", docs) == [(2, 3 + 2 + 1), (1, 4 + 1)]
    assert search.rank_documents("Kino", docs) == [(0, 1)]
    assert search.rank_documents("Theater", docs) == []
    assert search.rank_documents("Sommerkinno", docs) == [(0, 0)]  # only with a typo
    assert search.rank_documents("", docs) == []


# --- the SQL and the index -----------------------------------------------------------


def test_the_condition_names_the_aliased_project() -> None:
    other = aliased(Project)
    stmt = select(other).where(search.criterion("Gärten", other))
    sql = str(stmt.compile(dialect=postgresql.dialect()))
    assert sql.split("FROM", 1)[1].split("WHERE", 1)[0].strip() == "project AS project_1"
    assert "project_1.search_words LIKE" in sql


def test_the_query_is_plain_like_on_the_stored_words() -> None:
    sql = str(filtered(Filters(q="Garten")).compile(dialect=postgresql.dialect()))
    assert "project.search_words LIKE" in sql and "to_tsvector" not in sql


def test_postgres_can_answer_the_search_from_the_trigram_index(town: Town) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index exists only on PostgreSQL")
    with town.context():
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_indexscan = off"))
        plan = "\n".join(
            db.session.execute(
                text("EXPLAIN SELECT id FROM project WHERE search_words LIKE '%gart%'")
            ).scalars()
        )
        db.session.rollback()
    assert "Bitmap Index Scan on ix_project_search_words" in plan, plan


# --- the migration, both ways, keeping every row -------------------------------------


#: The revision before the one that brings the search words (f3b9d1c7a2e5).
SEARCH_REVISION_BEFORE = "f3a9c1d7e5b2"


@pytest.mark.slow
def test_the_migration_fills_the_words_and_goes_back(
    empty_database_url: str, tmp_path: Path
) -> None:
    def schema() -> tuple[set[str], set[str]]:
        engine = create_engine(empty_database_url)
        try:
            found = inspect(engine)
            columns = {c["name"] for c in found.get_columns("project")}
            indexes = {i["name"] for i in found.get_indexes("project")}
        finally:
            engine.dispose()
        return columns, indexes

    is_postgres = empty_database_url.startswith("postgresql")
    app = create_app(_base_config(empty_database_url, tmp_path, ""))
    with app.app_context():
        runner.upgrade()
        command.downgrade(runner.alembic_config(), SEARCH_REVISION_BEFORE)
        columns, _ = schema()
        assert "search_stems" in columns and "search_words" not in columns
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO tenant (slug, name, default_locale, timezone, primary_color, "
                    "welcome_md, impressum_md, privacy_md, accessibility_md, created_at) "
                    "VALUES ('t', 'T', 'de', 'Europe/Berlin', '#005a9c', '', '', '', '', :now)"
                ),
                {"now": "2026-11-27 10:00:00"},
            )
            tenant = conn.execute(text("SELECT id FROM tenant")).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO project (tenant_id, number, title, pitch, description_md, "
                    "status, looking_for_members, wanted_skills, created_at, last_activity_at, "
                    "support_count, search_text, search_stems) VALUES (:t, 1, 'Reparaturcafé', "
                    "'Wir reparieren.', '', 'idea', false, 'Löten', :now, :now, 0, "
                    "'Reparaturcafé Wir reparieren. Löten', ' reparaturcafé wir repari lot ')"
                ),
                {"t": tenant, "now": "2026-11-27 10:00:00"},
            )

        runner.upgrade()
        columns, indexes = schema()
        assert "search_words" in columns and "search_stems" not in columns
        assert "search_vector" not in columns and "ix_project_search_vector" not in indexes
        assert ("ix_project_search_words" in indexes) is is_postgres
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT search_words FROM project")).scalar_one()
        assert stored == " reparaturcafe | wir reparieren loten "

        command.downgrade(runner.alembic_config(), SEARCH_REVISION_BEFORE)
        columns, indexes = schema()
        assert "search_stems" in columns and "search_words" not in columns
        assert ("search_vector" in columns) is is_postgres
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM project")).scalar_one() == 1
        runner.upgrade()
        db.engine.dispose()
