"""What a worker keeps between requests: per-town values and rendered fragments.

Pages for people who are logged in are built on every request (the page
cache, :mod:`projektfabrik.pagecache`, is for visitors only). Much of what
goes into them changes far less often than per request: the town's plugin
rows, a project's card on the marketplace. This module keeps such things in
the worker's memory and ends them with the town's ``content_version``
(:mod:`projektfabrik.tenancy.versioning`), which every commit that changes
anything of the town raises, and which every request reads with the town
anyway. So, as with the page cache, a change shows on the next request, in
every worker, and costs no extra query to notice.

Five tools. The first four are keyed on the town's id **and** a version (a
town never sees another's entry, and an entry never outlives a change). The
version is the town's ``content_version`` unless the caller names a
``scope``: ``scope=project`` keys the entry on that project's ``version`` and
the town's ``shared_version`` instead, so it outlives changes to the town's
other projects (for what only that project's pages show: its team, its
discussion, its plan); ``scope=SHARED`` on the shared version alone (for what
shows no project's data, a blank form field). tenancy/versioning.py says which
changes raise which version.

* :func:`town_value` -- a Python value per town (``town_plugins`` uses it,
  and the strategy goals of the marketplace filter).
  Never store ORM objects: they belong to one request's session.
* :func:`town_result` -- plain data per town and the caller's parts, e.g. the
  marketplace list's count, page ids and team make-up per filters
  (marketplace/listing.py): a kept list sends no statement.
* :func:`town_objects` -- ORM objects kept as their rows (snapshots.Graph):
  each request gets objects of its own, with the eagerly loaded
  relationships, without a statement (a project with its team).
* :func:`fragment` -- a piece of HTML per town, language and the caller's
  parts (``fragment("project-card", project.id)``); in templates as
  ``{% call cached_fragment("project-card", p.id) %}…{% endcall %}``.
  Only for HTML that is the same for everyone who may see it: nothing about
  the person looking (their name, their membership, an "edit" button, a CSRF
  token) may be inside. Plugins reach ``town_value`` and ``fragment`` through
  :mod:`projektfabrik.api`.
* :func:`person_value` -- a value per town and person, ended by a version the
  caller keeps for that person (the bell's unread count with the person's
  ``notifications_version``, notifications/counting.py).

Results, rows and fragments are kept packed (:func:`pack`: pickled and
compressed): several times as much fits in a
budget, the budget counts the bytes really held, and each request unpacks a
copy of its own.

A request that has changed something of the town and not committed it yet
(pending or flushed ORM changes) neither reads nor stores: it must see its own
changes, and they may still be rolled back. Outside a request (command line,
mail delivery) nothing is kept either.

Bounds (docs/architecture.md, "What a worker keeps"): every entry also ends
after ``WORKER_CACHE_SECONDS`` (default 300; 0 switches all four off), which
limits how long a write that bypasses the ORM (raw SQL) goes unseen. Per
worker at most: values of ``WORKER_CACHE_TOWNS`` towns (default 2,000, four
names each), ``WORKER_CACHE_FRAGMENT_MB`` of packed fragments (default 3),
``WORKER_CACHE_RESULT_MB`` of packed results (default 2),
``WORKER_CACHE_OBJECTS_MB`` of packed rows (default 4: a project page's rows
take about 3 kB packed with the discussion, and they have a budget of their
own so they never push the marketplace's lists out) and
``WORKER_CACHE_PEOPLE`` people's values (default 10,000); the least recently
used entry goes first.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from flask import Flask, current_app, has_app_context, has_request_context
from flask_babel import get_locale
from markupsafe import Markup

from projektfabrik.extensions import db
from projektfabrik.snapshots import Graph
from projektfabrik.tenancy.context import current_tenant_or_none
from projektfabrik.tenancy.versioning import affects_public_pages

EXTENSION = "projektfabrik.workercache"
T = TypeVar("T")


class Lru:
    """A least-recently-used map with an entry or size budget and an age limit
    (also the request memory's people, requestmemo.py)."""

    def __init__(self, max_entries: int, max_bytes: int, seconds: float) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.seconds = seconds
        self._entries: OrderedDict[Any, tuple[float, int, Any]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def set(self, key: Any, value: Any, size: int = 0) -> None:
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, size, value)
            self._size += size
            while self._entries and (
                len(self._entries) > self.max_entries or self._size > self.max_bytes
            ):
                self._drop(next(iter(self._entries)))

    def _drop(self, key: Any) -> None:
        self._size -= self._entries.pop(key)[1]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Any]:
        """The keys, as they were when asked (the map may change meanwhile)."""
        with self._lock:
            return iter(list(self._entries))


class WorkerCache:
    def __init__(
        self,
        seconds: float,
        towns: int,
        fragment_bytes: int,
        result_bytes: int,
        people: int,
        object_bytes: int,
    ) -> None:
        # One entry per (town, name): the version is in the value, so a town's
        # old versions never pile up.
        self.values = Lru(towns * 4, sys.maxsize, seconds)
        self.fragments = Lru(sys.maxsize, fragment_bytes, seconds)
        self.results = Lru(sys.maxsize, result_bytes, seconds)
        self.objects = Lru(sys.maxsize, object_bytes, seconds)
        # One entry per (town, person, name), the version in the value.
        self.people = Lru(people, sys.maxsize, seconds)


#: ``scope=SHARED``: kept until something of the town changes that is not one
#: project's own (``Tenant.shared_version``): for what shows no project's data.
SHARED = "shared"


class Versioned(Protocol):
    """A project as a scope: its id and its version (a ``Project`` is one)."""

    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...


@dataclass(frozen=True)
class ProjectVersion:
    """A project's id and version, read before the project itself (projects/access.py)."""

    id: int
    version: int


#: Whose version ends an entry: the town's (``None``, the default), the town's
#: shared rows' (:data:`SHARED`), or one project's and the shared rows'.
Scope = Versioned | str | None


def _version(tenant: Any, scope: Scope) -> tuple[Any, ...]:
    """The part of a key that a change ends (tenancy/versioning.py)."""
    if scope is None:
        return (tenant.content_version,)
    if scope == SHARED:
        return (SHARED, tenant.shared_version)
    assert not isinstance(scope, str)
    return ("project", tenant.shared_version, scope.id, scope.version)


def _cache() -> WorkerCache | None:
    if not has_request_context():
        return None
    return current_app.extensions.get(EXTENSION)


def _keeper() -> tuple[WorkerCache, Any] | None:
    """The worker's cache and the request's town, when this request may read and
    keep: a worker cache, a town, and no uncommitted change of its own."""
    cache = _cache()
    tenant = current_tenant_or_none()
    if cache is None or tenant is None or not town_is_clean():
        return None
    return cache, tenant


def keeping() -> bool:
    """Whether this request may read and keep anything: a caller can skip work that
    only a kept entry needs."""
    return _keeper() is not None


def town_is_clean() -> bool:
    """No change of this request is pending or flushed but uncommitted."""
    session = db.session()
    if session.new or session.deleted or session.dirty:
        return False
    from projektfabrik.tenancy.versioning import has_uncommitted_changes

    return not has_uncommitted_changes(session)


def town_value(name: str, build: Callable[[], T]) -> T:
    """``build()`` for the current town, kept in this worker until the town changes.

    ``name`` says what it is (prefix a plugin's with the plugin's name). The
    value must not depend on the person, the language or the request; the
    caller must not change it (it is shared by the worker's requests).
    """
    keeper = _keeper()
    if keeper is None:
        return build()
    cache, tenant = keeper
    key = (tenant.id, name)
    version = tenant.content_version
    entry = cache.values.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    cache.values.set(key, (version, value))
    return value


def person_value(name: str, user_id: int, version: int, build: Callable[[], T]) -> T:
    """``build()`` for one person of the current town, kept while ``version`` holds.

    ``version`` must be raised by every commit that changes what ``build``
    reads (notifications/counting.py raises a person's notifications
    version). The key holds the town and the person: nobody gets another's
    value. The caller decides whether its own uncommitted changes forbid
    reading (this does not look at the person's rows).
    """
    cache = _cache()
    tenant = current_tenant_or_none()
    if cache is None or tenant is None:
        return build()
    key = (tenant.id, user_id, name)
    entry = cache.people.get(key)
    if entry is not None and entry[0] == version:
        return cast(T, entry[1])
    value = build()
    cache.people.set(key, (version, value))
    return value


def town_result(name: str, *parts: Any, build: Callable[[], T], scope: Scope = None) -> T:
    """``build()`` kept per town, town version and ``parts`` (e.g. a list's filters).

    For the results of queries that depend on the town's data and the given
    parts alone (a list's count and ids), so a request whose town has not
    changed sends no statement for them. ``parts`` must be hashable; the value
    must be picklable plain data (no ORM objects: they belong to one request's
    session) and must not depend on the person unless ``parts`` name it.
    """
    found, keep = _kept(lambda cache: cache.results, name, parts, scope)
    if found is not None:
        return cast(T, found)
    value = build()
    keep(value)
    return value


def town_objects(name: str, *parts: Any, load: Callable[[], T], scope: Scope = None) -> T:
    """``load()``'s ORM objects, kept per town, town version and ``parts`` as their
    rows, with the relationships ``load`` loaded eagerly (snapshots.Graph).

    Each request gets objects of its own in its session, as if it had loaded
    them, without a statement (the project page's project and team). Only rows
    whose changes raise the town's version are kept (versioning.affects_public_pages);
    a relationship to anything else loads as usual. ``load`` must return such an
    object, a list of them or ``None``, and must not depend on the person.
    """
    found, keep = _kept(lambda cache: cache.objects, name, parts, scope)
    if found is not None:
        return cast(T, found.attach(db.session))
    value = load()
    keep(Graph.of(value, affects_public_pages))
    return value


#: What an entry costs besides its packed bytes: its key (a tuple of the
#: town, version, name and parts; a list's page ids make it larger), the
#: map's node and the age stamp. tracemalloc over a soak of 1,000 towns: 7,258
#: entries held 3.6 MB besides their bytes (docs/benchmarks.md "Seventh step").
_ENTRY_BYTES = 500


def pack(value: Any) -> bytes:
    """A kept value as compressed bytes (:func:`unpack` gives it back).

    What a worker keeps for results, rows and fragments is stored packed:
    zlib at its fastest level takes an HTML fragment to a fifth and a marketplace
    list of cards to a tenth, so the same budget keeps several times as much, the
    budget counts the bytes really held, and no request can change what the
    next one gets. Unpacking costs microseconds (docs/benchmarks.md).
    """
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def unpack(packed: bytes) -> Any:
    return pickle.loads(zlib.decompress(packed))


def _kept(
    store: Callable[[WorkerCache], Lru], name: str, parts: tuple[Any, ...], scope: Scope
) -> tuple[Any | None, Callable[[Any], None]]:
    """What ``store`` (the results, the rows or the fragments) holds for this town,
    version, name and parts, and how to keep a new value there (a no-op when nothing may
    be kept)."""
    keeper = _keeper()
    if keeper is None:
        return None, lambda value: None
    cache, tenant = keeper
    lru = store(cache)
    key = (tenant.id, *_version(tenant, scope), name, *parts)

    def keep(value: Any) -> None:
        packed = pack(value)
        lru.set(key, packed, _ENTRY_BYTES + sys.getsizeof(packed))

    packed = lru.get(key)
    return (None if packed is None else unpack(packed)), keep


def fragment(name: str, *parts: Any, build: Callable[[], str], scope: Scope = None) -> Markup:
    """HTML the same for everyone, kept per town, version (``scope``), language and
    ``parts``.

    ``parts`` name the thing (a project's id); whatever else the HTML shows
    must come from the town's data (covered by its version) or the language.
    """
    found, keep = _kept(lambda cache: cache.fragments, name, (str(get_locale()), *parts), scope)
    if found is not None:
        return Markup(found)
    html = Markup(build())
    keep(str(html))
    return html


def cached_fragment(
    name: str, *parts: Any, caller: Callable[[], str], scope: Scope = None
) -> Markup:
    """The template form: ``{% call cached_fragment("name", id) %}html{% endcall %}``
    (``cached_fragment("name", scope=project)`` for one project's)."""
    return fragment(name, *parts, build=caller, scope=scope)


def init_app(app: Flask) -> None:
    seconds = float(app.config["WORKER_CACHE_SECONDS"])
    app.jinja_env.globals["cached_fragment"] = cached_fragment
    if seconds <= 0:
        app.extensions.pop(EXTENSION, None)
        return
    app.extensions[EXTENSION] = WorkerCache(
        seconds,
        int(app.config["WORKER_CACHE_TOWNS"]),
        int(app.config["WORKER_CACHE_FRAGMENT_MB"]) * 1024 * 1024,
        int(app.config["WORKER_CACHE_RESULT_MB"]) * 1024 * 1024,
        int(app.config["WORKER_CACHE_PEOPLE"]),
        int(app.config["WORKER_CACHE_OBJECTS_MB"]) * 1024 * 1024,
    )


def stats() -> dict[str, int]:
    """How many entries this worker holds (for the benchmark and tests)."""
    cache = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if cache is None:
        return {"values": 0, "fragments": 0, "results": 0, "people": 0, "objects": 0}
    return {
        "values": len(cache.values),
        "fragments": len(cache.fragments),
        "results": len(cache.results),
        "people": len(cache.people),
        "objects": len(cache.objects),
    }
