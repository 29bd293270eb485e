"""Full-text search over projects, the same from the outside on both databases.

PostgreSQL: ``search_vector @@ plainto_tsquery('german', q)``. ``search_vector``
is a stored generated column, ``to_tsvector('german', coalesce(search_text,
''))``, with the GIN index ``ix_project_search_vector`` (created by the
migration, and for ``create_all()`` by :data:`SEARCH_VECTOR_DDL`). Storing the
vector means a scan of a town's rows compares ready vectors instead of parsing
and stemming every description on every search (docs/benchmarks.md: database
CPU per search request 115 -> 11 ms). The model does not declare the column
because SQLite has no tsvector type.

SQLite: the same Snowball German stemmer that PostgreSQL's ``german``
configuration uses, applied in Python when a project is saved
(``search_stems``) and to the query; every query word must match a whole
stemmed word. For simple words both give the same hits ("Gärten" finds
"Garten"; "Garten" does not find "Gemeinschaftsgarten" on either).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sqlalchemy import DDL, ColumnElement, and_, column, event, func, inspect
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm.util import AliasedClass

from projektfabrik.projects.models import Project

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 8

#: The PostgreSQL-only column and its index, as migration b5e2d8f4c1a6 creates
#: them. ``metadata.create_all()`` (the test schema) knows only what the models
#: declare, so it runs these after creating ``project``; the migration keeps
#: its own copy because a migration must not change when this module does.
SEARCH_VECTOR_DDL = (
    "ALTER TABLE project ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('german', coalesce(search_text, ''))) STORED",
    "CREATE INDEX ix_project_search_vector ON project USING gin (search_vector)",
)
for _statement in SEARCH_VECTOR_DDL:
    event.listen(
        Project.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def index_text(*parts: str) -> tuple[str, str]:
    """``(search_text, search_stems)`` for a project's searchable parts."""
    text = " ".join(p for p in parts if p)
    unique = dict.fromkeys(stems(text))
    return text, " " + " ".join(unique) + " "


def criterion(
    query: str, dialect: str, project: type[Project] | AliasedClass[Project] = Project
) -> ColumnElement[bool] | None:
    """The search condition for ``query``, or None for an empty query.

    ``project`` is the entity the statement selects: pass the alias when
    ``Project`` is aliased, so the condition names the alias and not a second,
    unjoined ``project`` in FROM.
    """
    query = " ".join(words(query)[:MAX_QUERY_WORDS])
    if not query:
        return None
    if dialect == "postgresql":
        # A column clause bound to the entity's table (or alias) stands in for
        # the column the model cannot declare; it renders as
        # "<project or alias>.search_vector".
        vector = column("search_vector", TSVECTOR(), _selectable=inspect(project).selectable)
        return vector.op("@@")(func.plainto_tsquery("german", query))
    return and_(
        *(
            project.search_stems.contains(f" {stem} ", autoescape=True)
            for stem in dict.fromkeys(stems(query))
        )
    )
