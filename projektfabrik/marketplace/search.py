"""Full-text search over projects, the same from the outside on both databases.

PostgreSQL: ``to_tsvector('german', search_text) @@ plainto_tsquery('german', q)``
with a GIN index (created by the migration). SQLite: the same Snowball German
stemmer that PostgreSQL's ``german`` configuration uses, applied in Python
when a project is saved (``search_stems``) and to the query; every query word
must match a whole stemmed word. For simple words both give the same hits
("Gärten" finds "Garten"; "Garten" does not find "Gemeinschaftsgarten" on
either).
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sqlalchemy import ColumnElement, and_, func

from projektfabrik.marketplace.models import Project

WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 8


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


def criterion(query: str, dialect: str) -> ColumnElement[bool] | None:
    query = " ".join(words(query)[:MAX_QUERY_WORDS])
    if not query:
        return None
    if dialect == "postgresql":
        return func.to_tsvector("german", Project.search_text).op("@@")(
            func.plainto_tsquery("german", query)
        )
    return and_(
        *(
            Project.search_stems.contains(f" {stem} ", autoescape=True)
            for stem in dict.fromkeys(stems(query))
        )
    )
