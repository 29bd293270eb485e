"""Rows kept as values, made into a request's own ORM objects without a query.

A worker may keep what it read for one request and hand it to the next
(requestmemo.py keeps the town and the person, workercache.town_objects a
project with its team). It must never hand over the ORM objects themselves:
they belong to one request's session, which expires, changes and closes
them. So what is kept is each row's column values (:class:`Snapshot`), and
for a group of rows read together also which loaded relationship led to
which row (:class:`Graph`). Attaching makes new objects in the request's
session, as if it had loaded them: persistent, unchanged, with those
relationships loaded, so reading them sends no statement and anything not
kept (a deferred column, a relationship nobody loaded) loads as usual.

A JSON column's list or dict is copied on attach: a request that changes it in
place must not change what the next request gets.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached, scoped_session
from sqlalchemy.orm.attributes import set_committed_value

#: The request's session as Flask-SQLAlchemy hands it out, or a plain one.
AnySession = Session | scoped_session[Any]


#: One tuple of column names per class and set of loaded columns, shared by
#: every snapshot of such rows: a dict per row cost 15 % more of a kept
#: project's memory (tracemalloc, docs/benchmarks.md "Fifth step").
_NAMES: dict[tuple[type, tuple[str, ...]], tuple[str, ...]] = {}


@dataclass(frozen=True)
class Snapshot:
    """A row's column values, made into an object of a session without a query."""

    cls: type
    names: tuple[str, ...]
    row: tuple[Any, ...]

    @classmethod
    def of(cls, obj: Any) -> Snapshot:
        state = inspect(obj)
        loaded = tuple(a.key for a in state.mapper.column_attrs if a.key in state.dict)
        names = _NAMES.setdefault((type(obj), loaded), loaded)
        return cls(type(obj), names, tuple(state.dict[name] for name in names))

    def attach(self, session: AnySession) -> Any:
        """The session's object for this row: the one it already holds, else a new
        one with these values."""
        mapper: Mapper[Any] = inspect(self.cls)
        identity = mapper.identity_key_from_primary_key(
            tuple(
                self.row[self.names.index(mapper.get_property_by_column(c).key)]
                for c in mapper.primary_key
            )
        )
        present = session.identity_map.get(identity)
        if present is not None:
            return present
        obj = mapper.class_manager.new_instance()
        obj.__dict__.update(
            (k, copy.deepcopy(v) if isinstance(v, list | dict) else v)
            for k, v in zip(self.names, self.row, strict=True)
        )
        make_transient_to_detached(obj)
        session.add(obj)
        return obj


#: A relationship's value in a :class:`Graph`: no row, one row's index, or a list's.
Link = None | int | tuple[int, ...]


@dataclass(frozen=True)
class Graph:
    """Rows read together, with the relationships that were loaded between them.

    ``Graph.of(project, keep)`` walks every relationship already in memory
    (eager loads: ``joinedload``, ``selectinload``) to rows of classes that
    ``keep`` accepts, and nothing else: it sends no statement. A relationship
    to another class is left out and loads as usual after attaching (the
    caller keeps only rows whose changes it notices). ``attach(session)``
    gives the same shape back: one object, a list of them, or ``None``.
    """

    rows: tuple[Snapshot, ...]
    #: Per row: (relationship name, link) for each loaded relationship.
    links: tuple[tuple[tuple[str, Link], ...], ...]
    root: Link

    @classmethod
    def of(cls, root: Any, keep: Callable[[type], bool]) -> Graph:
        objects: list[Any] = []
        index: dict[int, int] = {}

        def number(obj: Any) -> int:
            found = index.get(id(obj))
            if found is None:
                found = index[id(obj)] = len(objects)
                objects.append(obj)
            return found

        def link(value: Any) -> Link | bool:
            if value is None:
                return None
            if isinstance(value, list):
                if not all(keep(type(item)) for item in value):
                    return False
                return tuple(number(item) for item in value)
            if inspect(value, raiseerr=False) is not None and keep(type(value)):
                return number(value)
            return False  # not kept (another class, a set or dict): loads as usual

        top = link(root)
        if top is False:
            raise TypeError(f"not a kept object or a list of them: {type(root).__name__}")
        links: list[tuple[tuple[str, Link], ...]] = []
        done = 0
        while done < len(objects):  # objects grows while its rows are walked
            state = inspect(objects[done])
            row_links = []
            for rel in state.mapper.relationships:
                if rel.key in state.dict:
                    found = link(state.dict[rel.key])
                    if found is not False:
                        row_links.append((rel.key, found))
            links.append(tuple(row_links))
            done += 1
        return cls(tuple(Snapshot.of(o) for o in objects), tuple(links), top)

    def attach(self, session: AnySession) -> Any:
        objects = [row.attach(session) for row in self.rows]

        def resolve(found: Link) -> Any:
            if found is None:
                return None
            if isinstance(found, tuple):
                return [objects[i] for i in found]
            return objects[found]

        for obj, row_links in zip(objects, self.links, strict=True):
            for key, found in row_links:
                # An object the session held already keeps what it has loaded.
                if key not in obj.__dict__:
                    set_committed_value(obj, key, resolve(found))
        return resolve(self.root)
