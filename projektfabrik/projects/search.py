"""Search over projects (and plugins' search documents) that works for German.

German builds compound words ("Gemeinschaftsgarten", "Reparaturcafé"), so a
search that matches whole (stemmed) words misses most real queries: "Garten",
"Kino" or the prefix "Gemein" must find the compound. The rules, the same on
PostgreSQL, on SQLite and in Python (docs/search.md):

1. Text and query are *folded* in Python: lower case, accents and umlauts
   dropped (``é`` -> ``e``, ``ä`` -> ``a``), ``ß`` -> ``ss``. A project keeps
   its folded words in ``search_words``: the title's words, ``|``, the other
   words, each word once (`index_text`).
2. Each query word (at most eight) becomes a *term*: its Snowball stem
   ("Gärten" -> ``gart``, "Filme" -> ``film``), or the word itself when the
   stem is shorter than three letters. A project matches when every term is
   found *inside* its words: "Garten" (``gart``) is inside
   ``gemeinschaftsgarten``, "Gemein" is the start of it. Words of one or two
   letters ("am") must be whole words of the project.
3. When no project of the town has every term as typed, a term of 5 to 24
   letters also matches with one small typo inside it (not its first or last
   letter): one letter wrong, missing, extra, or two neighbours swapped
   ("Reperatur", "Bilbiothek"). Query words are cut at 40 letters.
4. Best matches first: a term in the title counts 4, a query word that is a
   whole word of the project 3, a term at the start of a word 2, found at all
   1, only with a typo 0; the sum orders the list (ties: newest first).

All of it is plain ``LIKE`` on one text column: ``_`` stands for one letter,
and since folded words hold only letters and digits no escaping is needed.
The same patterns are matched in Python for documents that are not rows
(`rank_documents`), so results are the same from the outside everywhere.
On PostgreSQL a trigram GIN index (``pg_trgm``, ``gin_trgm_ops``) on
``search_words`` answers the ``LIKE`` patterns for large towns; SQLite scans
the town's rows, which its index on ``(tenant_id, status)`` narrows down.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DDL, ColumnElement, and_, case, event, exists, literal, or_
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from projektfabrik.projects.models import Project
from projektfabrik.searchtext import (  # noqa: F401 - the names search users need
    Term,
    fold,
    index_text,
    rank_documents,
    terms,
    words,
)

#: The PostgreSQL-only extension and index, as migration f3b9d1c7a2e5 creates
#: them. ``metadata.create_all()`` (the test schema) knows only what the models
#: declare, so it runs these around creating ``project``; the migration keeps
#: its own copy because a migration must not change when this module does.
TRIGRAM_EXTENSION_DDL = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
TRIGRAM_INDEX_DDL = (
    "CREATE INDEX ix_project_search_words ON project USING gin (search_words gin_trgm_ops)"
)
event.listen(
    Project.__table__,
    "before_create",
    DDL(TRIGRAM_EXTENSION_DDL).execute_if(dialect="postgresql"),
)
event.listen(
    Project.__table__, "after_create", DDL(TRIGRAM_INDEX_DDL).execute_if(dialect="postgresql")
)


def _column(project: type[Project] | AliasedClass[Project]) -> ColumnElement[str]:
    return project.search_words  # type: ignore[return-value]


def _all_terms(column: ColumnElement[str], found: list[Term], typos: bool) -> ColumnElement[bool]:
    if not typos:
        return and_(*(column.like(t.exact) for t in found))
    per_term: list[ColumnElement[bool]] = []
    for t in found:
        if not t.typos:
            per_term.append(column.like(t.exact))
            continue
        # The halves first: a quick test most rows fail, before the 4n typo patterns.
        halves = or_(*(column.like(p) for p in t.halves))
        per_term.append(and_(halves, or_(*(column.like(p) for p in t.found))))
    return and_(*per_term)


def criterion(
    query: str, project: type[Project] | AliasedClass[Project] = Project
) -> ColumnElement[bool] | None:
    """The search condition for ``query``, or None for a query without words.

    Typos count only when no project of the town has every term without one
    (an uncorrelated ``EXISTS``, evaluated once per statement): a correct word
    is not diluted by its one-letter neighbours, and the many typo patterns
    cost time only when they are needed.

    ``project`` is the entity the statement selects: pass the alias when
    ``Project`` is aliased, so the condition names the alias and not a second,
    unjoined ``project`` in FROM.
    """
    found = terms(query)
    if not found:
        return None
    column = _column(project)
    exact = _all_terms(column, found, typos=False)
    if not any(t.typos for t in found):
        return exact
    other = aliased(Project)
    # The tenant wall covers the alias too (include_aliases): only this town counts.
    somewhere = exists().where(_all_terms(_column(other), found, typos=False))
    return or_(exact, and_(~somewhere, _all_terms(column, found, typos=True)))


@dataclass(frozen=True)
class Arms:
    """The matches of :func:`criterion`, split in two conditions whose rows never overlap."""

    #: Every term as typed (answered from the trigram index on PostgreSQL).
    exact: ColumnElement[bool]
    #: With typos, gated by "no asked project has every term as typed"; None when no
    #: term is long enough for typos.
    typos: ColumnElement[bool] | None


def arms(query: str, asked: Callable[[Any], ColumnElement[bool]]) -> Arms | None:
    """The search for many towns at once (a region): ``criterion``'s matches as two
    conditions, for a statement per condition joined with ``UNION ALL``.

    ``criterion``'s one ``exact OR (NOT somewhere AND typos)`` is right for a
    town's 2,000 rows, but over 100,000 PostgreSQL reads every row: the typo
    half has no trigrams the index could use (``mu_ik``), and an OR is only
    answered from an index when both halves are. Apart, the exact arm is
    answered from the trigram index, and the typo arm starts with
    ``NOT EXISTS (...)``, which names none of its rows: PostgreSQL evaluates
    it once and skips the whole arm while some project has every term as typed
    (a "One-Time Filter" in the plan). ``NOT exact`` keeps the arms apart, so
    together they are exactly ``criterion``'s rows.

    ``asked(alias)`` narrows the projects the typo decision asks about (the
    region: those it shows), so a project nobody sees never changes it.
    None for a query without words.
    """
    found = terms(query)
    if not found:
        return None
    exact = _all_terms(_column(Project), found, typos=False)
    if not any(t.typos for t in found):
        return Arms(exact, None)
    other = aliased(Project)
    somewhere = exists().where(_all_terms(_column(other), found, typos=False), asked(other))
    return Arms(exact, and_(~somewhere, ~exact, _all_terms(_column(Project), found, typos=True)))


def rank(
    query: str, project: type[Project] | AliasedClass[Project] = Project
) -> ColumnElement[int]:
    """Points of a matching project for ``query``, higher is better (rule 4)."""
    column = _column(project)
    total: ColumnElement[int] = literal(0)
    for t in terms(query):
        for pattern, points in t.points:
            total = total + case((column.like(pattern), points), else_=0)
    return total
