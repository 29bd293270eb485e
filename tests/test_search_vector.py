"""PostgreSQL search reads the stored ``project.search_vector`` (migration b5e2d8f4c1a6).

The SQL is checked on either database (compiled for PostgreSQL, not run); what
the database does with it only on PostgreSQL, since SQLite has no tsvector.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Select, create_engine, event, inspect, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.marketplace.listing import Filters, filtered, list_projects
from projektfabrik.migrations import runner
from projektfabrik.projects import access, search, services
from projektfabrik.projects.models import Category, Project
from projektfabrik.testing import Town, _base_config


def _postgres_sql(stmt: Select[Any]) -> str:
    return str(stmt.compile(dialect=postgresql.dialect()))


def _from_clause(sql: str) -> str:
    return sql.split("FROM", 1)[1].split("WHERE", 1)[0].strip()


# --- the SQL, on either database -----------------------------------------------------


def test_the_marketplace_query_compares_the_stored_column() -> None:
    sql = _postgres_sql(filtered(Filters(q="Gärten"), "postgresql"))
    assert "project.search_vector @@ plainto_tsquery(" in sql
    assert "to_tsvector" not in sql  # no vector computed per row and query


def test_the_condition_names_the_joined_or_aliased_project() -> None:
    joined = select(Project).join(Category, Category.id == Project.category_id)
    sql = _postgres_sql(joined.where(search.criterion("Gärten", "postgresql")))
    assert _from_clause(sql) == "project JOIN category ON category.id = project.category_id"
    assert "project.search_vector @@" in sql

    other = aliased(Project)
    for dialect, column in (("postgresql", "search_vector"), ("sqlite", "search_stems")):
        sql = _postgres_sql(select(other).where(search.criterion("Gärten", dialect, other)))
        # The alias, and no second, unjoined "project" in FROM.
        assert _from_clause(sql) == "project AS project_1"
        assert f"project_1.{column}" in sql


# --- what PostgreSQL does with it ----------------------------------------------------


@pytest.fixture
def garden(town_a: Town) -> Town:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the stored tsvector column exists only on PostgreSQL")
    author = town_a.user("a@example.org")
    with town_a.context(), town_a.app.test_request_context(base_url=f"http://{town_a.host}"):
        services.publish_idea(
            author, services.ProjectInput(title="Hofprojekt", pitch="Ein Garten für alle.")
        )
        db.session.commit()
    return town_a


def _titles(town: Town, query: str) -> list[str]:
    with town.context():
        return [c.project.title for c in list_projects(Filters(q=query)).cards]


def test_a_stemmed_word_is_found_through_the_stored_column(garden: Town, count_queries) -> None:  # type: ignore[no-untyped-def]
    with garden.context():
        stored = db.session.scalar(text("SELECT search_vector::text FROM project"))
    assert "'gart'" in stored  # "Garten", stemmed by PostgreSQL when the row was written

    with count_queries() as counter:
        assert _titles(garden, "Gärten") == ["Hofprojekt"]
    searches = [s for s in counter.statements if "plainto_tsquery" in s]
    assert len(searches) == 2, counter.statements  # the count and the page
    assert all("project.search_vector @@" in s and "to_tsvector" not in s for s in searches)


def test_changing_a_projects_text_changes_its_hits(garden: Town) -> None:
    with garden.context(), garden.app.test_request_context(base_url=f"http://{garden.host}"):
        project = access.find_project(1)
        assert project is not None
        services.update_project(
            project, services.ProjectInput(title="Hofprojekt", pitch="Ein Spielplatz für alle.")
        )
        db.session.commit()
    assert _titles(garden, "Gärten") == []
    assert _titles(garden, "Spielplätze") == ["Hofprojekt"]


def test_explain_of_the_search_reads_the_stored_column(garden: Town) -> None:
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if "plainto_tsquery" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        _titles(garden, "Gärten")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(sent) == 2  # the count and the page

    def explain(statement: str, parameters: Any = None) -> str:
        result = db.session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return "\n".join(result.scalars())

    with garden.context():
        # The statements as sent, town condition included. On a table this small
        # the planner walks the town's rows by another index and checks the
        # stored column as a filter, so the plan names the column, not its index.
        for statement, parameters in sent:
            plan = explain(statement, parameters)
            assert "search_vector @@" in plan and "to_tsvector" not in plan, plan
        # With sequential and plain index scans off, only the GIN index can
        # answer the condition: it exists and matches the column.
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_indexscan = off"))
        forced = explain(
            "SELECT id FROM project WHERE search_vector @@ plainto_tsquery('german', 'Gärten')"
        )
        db.session.rollback()
    assert "Bitmap Index Scan on ix_project_search_vector" in forced, forced


# --- the migration, both ways --------------------------------------------------------


@pytest.mark.slow
def test_the_migration_upgrades_and_downgrades(empty_database_url: str, tmp_path: Path) -> None:
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
        columns, indexes = schema()
        assert "ix_project_tenant_status" in indexes and "ix_project_status" not in indexes
        assert ("search_vector" in columns) is is_postgres
        assert ("ix_project_search_vector" in indexes) is is_postgres
        assert "ix_project_search" not in indexes

        command.downgrade(runner.alembic_config(), "a3f1c9e2b7d4")
        columns, indexes = schema()
        assert "ix_project_status" in indexes and "ix_project_tenant_status" not in indexes
        assert "search_vector" not in columns and "ix_project_search_vector" not in indexes
        assert ("ix_project_search" in indexes) is is_postgres

        runner.upgrade()
        assert schema()[1] >= {"ix_project_tenant_status"}
        db.engine.dispose()
