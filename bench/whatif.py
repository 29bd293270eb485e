"""Measure suggested changes to projektfabrik/ before anyone makes them.

The benchmark must not edit the application, so this module applies the
changes that docs/benchmarks.md suggests as patches, in the gunicorn workers
only, and exposes the patched app:

    .venv/bin/python bench/run.py --whatif translations,labels
    .venv/bin/python bench/whatif.py prepare        # once, for search_vector
    .venv/bin/python bench/run.py --whatif translations,labels,search_vector \\
        --database projektfabrik_bench_whatif

Patches (``BENCH_WHATIF``, comma-separated):

translations
    ``plugins.i18n.MergedDomain.get_translations`` checks the modification
    time of every catalogue file on every ``gettext`` call (hundreds per page).
    Patched: the merged catalogue is looked up once per request and kept in
    ``flask.g``.
labels
    ``marketplace.services.status_label`` translates all seven labels to
    return one. Patched: it translates only the one asked for.
search_vector
    Search filters on ``to_tsvector('german', search_text)``; when the planner
    walks the town's rows instead of the GIN index (common words), it parses
    and stems every description. Patched: a stored generated ``tsvector``
    column with its own GIN index (``prepare`` makes a copy of the database
    with it), and the criterion uses the column.

Remove this file once the changes are in projektfabrik/ (or rejected).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import snapshot

PATCHES = {p.strip() for p in os.environ.get("BENCH_WHATIF", "").split(",") if p.strip()}
KNOWN = {"translations", "labels", "search_vector"}


def _patch_translations() -> None:
    from flask import g, has_request_context

    from projektfabrik.plugins import i18n

    original = i18n.MergedDomain.get_translations

    def get_translations(self: Any) -> Any:
        if not has_request_context():
            return original(self)
        cached = g.get("_whatif_translations")
        if cached is None:
            cached = g._whatif_translations = original(self)
        return cached

    i18n.MergedDomain.get_translations = get_translations  # type: ignore[method-assign]


LABELS = {
    "idea": "Idea",
    "team_forming": "Team forming",
    "planning": "Planning",
    "funding_applied": "Funding applied for",
    "running": "Running",
    "completed": "Completed",
    "archived": "Archived",
}


def _status_label(status: Any) -> str:
    from flask_babel import gettext

    from projektfabrik.marketplace.models import Status

    return gettext(LABELS[Status(status).value])


def _patch_labels_module() -> None:
    from projektfabrik.marketplace import services

    services.status_label = _status_label  # type: ignore[assignment]


def _patch_search_vector() -> None:
    from sqlalchemy import func, literal_column

    from projektfabrik.marketplace import search

    original = search.criterion

    def criterion(query: str, dialect: str) -> Any:
        if dialect != "postgresql":
            return original(query, dialect)
        query = " ".join(search.words(query)[: search.MAX_QUERY_WORDS])
        if not query:
            return None
        return literal_column("project.search_vector").op("@@")(
            func.plainto_tsquery("german", query)
        )

    search.criterion = criterion  # type: ignore[assignment]


def build() -> Any:
    snapshot.isolate_from_environment()
    unknown = PATCHES - KNOWN
    if unknown:
        raise SystemExit(f"unknown BENCH_WHATIF patches {sorted(unknown)}; known: {sorted(KNOWN)}")
    if "translations" in PATCHES:
        _patch_translations()
    if "labels" in PATCHES:
        _patch_labels_module()
    if "search_vector" in PATCHES:
        _patch_search_vector()
    from projektfabrik.app import create_app

    application = create_app()
    if "labels" in PATCHES:
        # The blueprint registered the original as a template global.
        application.jinja_env.globals["status_label"] = _status_label
    return application


def prepare(source: str, target: str, server: str) -> None:
    """Copy the seeded database and add the stored search column with its index."""
    import psycopg

    with psycopg.connect(server + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    with psycopg.connect(server + target, autocommit=True) as conn:
        conn.execute(
            "ALTER TABLE project ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('german', search_text)) STORED"
        )
        conn.execute("CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)")
        conn.execute("VACUUM ANALYZE project")
    print(f"{target}: copy of {source} with project.search_vector")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Prepare the database for --whatif search_vector")
    parser.add_argument("command", choices=["prepare"])
    parser.add_argument("--source", default="projektfabrik_bench")
    parser.add_argument("--target", default="projektfabrik_bench_whatif")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/")
    args = parser.parse_args()
    prepare(args.source, args.target, args.server)
    sys.exit(0)
else:
    app = build()
