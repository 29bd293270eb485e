"""The rules of search, in plain Python: folding, terms, ``LIKE`` patterns, points.

``projects/search.py`` turns them into SQL for projects; `rank_documents`
applies them to documents that are not rows (plugins' search documents).
Both use the same patterns, so results are the same from the outside.
See docs/search.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

#: Letters and digits; underscore (a ``LIKE`` wildcard) separates words.
WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_WORDS = 8
#: Shorter terms are matched without typos: too many words are one letter apart.
TYPO_MIN_LENGTH = 5
#: Longer terms get no typos either (the patterns grow with the length).
TYPO_MAX_LENGTH = 24
#: A query word is cut here; German's long compounds fit ("Donaudampfschifffahrt...").
MAX_WORD_LENGTH = 40
#: Stems shorter than this are too unspecific; the word itself is the term.
MIN_TERM_LENGTH = 3
#: Separates the title's words from the others in ``search_words``.
TITLE_END = "|"

# Points per term (projects/search.py, rule 4).
IN_TITLE, WHOLE_WORD, WORD_START, FOUND = 4, 3, 2, 1


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower case without accents: "Reparaturcafé Straße" -> "reparaturcafe strasse"."""
    text = (text or "").lower().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return WORD.findall(fold(text))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def index_text(title: str, *parts: str) -> tuple[str, str]:
    """``(search_text, search_words)`` for a project's title and other searchable parts."""
    rest = " ".join(p for p in parts if p)
    text = " ".join(p for p in (title, rest) if p)
    title_words = _unique(words(title))
    return text, " " + " ".join([*title_words, TITLE_END, *_unique(words(rest))]) + " "


def _typo_patterns(term: str) -> list[str]:
    """``LIKE`` fragments within one edit of ``term`` (without the term itself).

    Only inside the term: an edit of its first or last letter would make it a
    shorter substring ("gartenf" -> "garten") or let ``_`` match the space
    after a word.
    """
    found: list[str] = []
    for i in range(1, len(term)):
        found.append(term[:i] + "_" + term[i:])  # one letter missing in the query
    for i in range(1, len(term) - 1):
        found.append(term[:i] + "_" + term[i + 1 :])  # one letter wrong
        found.append(term[:i] + term[i + 1 :])  # one letter too many in the query
        if i + 2 < len(term) and term[i] != term[i + 1]:
            found.append(term[:i] + term[i + 1] + term[i] + term[i + 2 :])  # swapped
    return [p for p in _unique(found) if p != term and len(p.replace("_", "")) >= 4]


@dataclass(frozen=True)
class Term:
    """One query word: what is looked for, and the patterns that score it."""

    word: str  # the folded query word
    term: str  # its stem (or the word)
    typos: tuple[str, ...]

    @property
    def exact(self) -> str:
        """The ``LIKE`` pattern of the term without typos."""
        if len(self.term) < MIN_TERM_LENGTH:
            return f"% {self.term} %"  # "am", "5": whole words only
        return f"%{self.term}%"

    @property
    def found(self) -> list[str]:
        """``LIKE`` patterns of which one must match, typos allowed."""
        return [self.exact, *(f"%{p}%" for p in self.typos)]

    @property
    def halves(self) -> list[str]:
        """Patterns one of which every typo match contains (a quick test before the typos).

        One edit inside the term leaves either its first half or the part after
        the half's next letter as it is.
        """
        half = len(self.term) // 2
        return [f"%{self.term[:half]}%", f"%{self.term[half + 1 :]}%"]

    @property
    def points(self) -> list[tuple[str, int]]:
        """``(LIKE pattern, points)`` for ranking; a match is worth at least nothing."""
        return [
            (f"%{self.term}%{TITLE_END}%", IN_TITLE),
            (f"% {self.word} %", WHOLE_WORD),
            (f"% {self.term}%", WORD_START),
            (f"%{self.term}%", FOUND),
        ]


def terms(query: str) -> list[Term]:
    """The terms of a query (at most eight); empty for a query without words."""
    return list(_terms(query))


@lru_cache(maxsize=256)
def _terms(query: str) -> tuple[Term, ...]:
    # A request asks several times (filters, condition, order); stemming is pure Python.
    found = []
    for word in _unique(w[:MAX_WORD_LENGTH] for w in words(query))[:MAX_QUERY_WORDS]:
        stem = _stemmer().stemWord(word)
        term = stem if len(stem) >= MIN_TERM_LENGTH else word
        typo_range = TYPO_MIN_LENGTH <= len(term) <= TYPO_MAX_LENGTH
        typos = tuple(_typo_patterns(term)) if typo_range else ()
        found.append(Term(word=word, term=term, typos=typos))
    return tuple(found)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def like(value: str, pattern: str) -> bool:
    """SQL ``LIKE`` (case-sensitive, no escape character) in Python."""
    return _regex(pattern).fullmatch(value) is not None


def matches(query: str, stored: str, typos: bool) -> bool:
    """Whether ``search_words``-style ``stored`` text has every term (with typos or not)."""
    return all(
        any(like(stored, p) for p in (t.found if typos else [t.exact])) for t in terms(query)
    )


def points(query: str, stored: str) -> int:
    return sum(p for t in terms(query) for pattern, p in t.points if like(stored, pattern))


def rank_documents(query: str, documents: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """``(index, points)`` of the ``(title, text)`` documents that ``query`` finds, best first.

    The same rules as for projects: typos count only when no document has
    every term without one. A query without words finds nothing here.
    """
    if not terms(query):
        return []
    stored = [index_text(title, text)[1] for title, text in documents]
    found = [i for i, s in enumerate(stored) if matches(query, s, typos=False)]
    if not found and any(t.typos for t in terms(query)):
        found = [i for i, s in enumerate(stored) if matches(query, s, typos=True)]
    return sorted(((i, points(query, stored[i])) for i in found), key=lambda pair: -pair[1])
