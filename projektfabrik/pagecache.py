"""Whole-page cache for visitors who are not logged in.

Most people who open a town's marketplace are not logged in, and for them the
page is the same for everyone: same town, same address, same language. Such a
page is rendered once and then served from the cache until the town's content
changes or ``PAGE_CACHE_SECONDS`` pass (default 60).

Correctness rests on the key. It holds

* the town's id — a page of one town is never served to another;
* the town's ``content_version``, raised by every commit that changes the town
  (:mod:`projektfabrik.tenancy.versioning`), so a change shows on the next
  request, on every worker;
* the language, the scheme, host, path and query string;
* the code's build (core and plugin versions), so a deployment never serves
  a page its predecessor rendered.

A page is only stored when rendering it left no trace of the visitor: status
200, no cookie set, an empty session that was not written (a CSRF token or a
flashed message writes it). A request is only answered from the cache when it
is a GET or HEAD from someone anonymous with an empty session.

Answering from the cache happens in the first ``before_request`` hook, before
the town is loaded, when the request carries no session or remember cookie:
a hit then costs no ORM work at all. For that, each worker keeps what it needs
of each host (town id, content version, default language) and reads it again
from the database when it is older than ``PAGE_CACHE_RECHECK_SECONDS``
(default 2): a change reaches visitors who are not logged in within that
time, and at once everyone who is logged in (they never get cached pages).
With 0 the town's row is read on every request, as the rest of the app does.

The store is Redis when ``PROJEKTFABRIK_REDIS_URL`` is set (shared by every
worker and machine) and otherwise a bounded in-process LRU. A Redis failure
is logged and the page is rendered as if nothing was cached.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol

from flask import Flask, current_app, g, request, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from projektfabrik.extensions import db
from projektfabrik.i18n import visitor_locale
from projektfabrik.outage import Pause
from projektfabrik.tenancy.models import Tenant, TenantHost
from projektfabrik.tenancy.resolver import normalise_host

log = logging.getLogger(__name__)

EXTENSION = "projektfabrik.pagecache"
#: Response header saying how a page was served: "hit" or "miss". For tests,
#: the benchmark and operators reading logs; it reveals nothing about anyone.
STATUS_HEADER = "X-Page-Cache"


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl: float) -> None: ...


class LocalStore:
    """A least-recently-used map with a byte budget and an age limit, per process."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes, ttl: float) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + ttl, value)
            self._size += len(value)
            while self._size > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        _, value = self._entries.pop(key)
        self._size -= len(value)


class RedisStore:
    """Entries in Redis with an expiry; shared by every worker and machine.

    Each worker also keeps a copy of the pages it served last
    (``copy_bytes``, ``PAGE_CACHE_WORKER_MB``), until the Redis entry's own
    expiry: a page's key names everything it depends on (the town's content
    version among it), so a copy is as right as the entry, and a hit on the
    copy costs no round trip (0.32 ms of CPU for a marketplace page in process
    against 0.59 with the Redis GET, docs/benchmarks.md, "Sixth step"). What it
    cannot see: an entry deleted in Redis by hand, which a worker's copy outlives
    by up to ``PAGE_CACHE_SECONDS``.
    """

    def __init__(self, url: str, copy_bytes: int = 0) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._copy = LocalStore(copy_bytes) if copy_bytes > 0 else None

    def get(self, key: str) -> bytes | None:
        if self._copy is None:
            return self._client.get(key)  # type: ignore[return-value]
        page = self._copy.get(key)
        if page is not None:
            return page
        with self._client.pipeline(transaction=False) as pipe:
            pipe.get(key)
            pipe.pttl(key)
            found, left_ms = pipe.execute()
        if found is None:
            return None
        if left_ms > 0:
            self._copy.set(key, found, left_ms / 1000)
        return bytes(found)

    def set(self, key: str, value: bytes, ttl: float) -> None:
        self._client.set(key, value, ex=int(ttl))
        if self._copy is not None:
            self._copy.set(key, value, ttl)


@dataclass(frozen=True)
class HostInfo:
    """What the cache needs to know of the town behind a host."""

    tenant_id: int
    is_canonical: bool
    content_version: int
    default_locale: str
    read_at: float


class HostMemo:
    """Per worker: host → :class:`HostInfo`, read again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._hosts: dict[str, HostInfo] = {}

    def get(self, host: str) -> HostInfo | None:
        info = self._hosts.get(host)
        if info is None or time.monotonic() - info.read_at >= self.seconds:
            info = self._read(host)
        return info

    def note(self, host: str, tenant: Tenant) -> None:
        """Remember the town the request loaded anyway: as fresh as it gets."""
        self._hosts[host] = HostInfo(
            tenant.id, True, tenant.content_version, tenant.default_locale, time.monotonic()
        )

    def _read(self, host: str) -> HostInfo | None:
        row = db.session.execute(
            select(
                TenantHost.tenant_id,
                TenantHost.is_canonical,
                Tenant.content_version,
                Tenant.default_locale,
            )
            .join(Tenant, Tenant.id == TenantHost.tenant_id)
            .where(TenantHost.host == host)
        ).first()
        if row is None:
            # Unknown hosts are not remembered: anyone can send any Host header.
            self._hosts.pop(host, None)
            return None
        info = HostInfo(*row, read_at=time.monotonic())
        self._hosts[host] = info
        return info


class PageCache:
    def __init__(self, store: Store, seconds: int, build: str, recheck_seconds: float) -> None:
        self.store = store
        self.seconds = seconds
        self.build = build
        self.hosts = HostMemo(recheck_seconds)
        # Leave the store alone for a while after a failure: otherwise every
        # request would wait for the connect timeout twice while Redis is down.
        self._pause = Pause(log, "page cache unavailable (%s); not used for %d s")

    def key(self, tenant_id: int | str, content_version: int | str, locale: str) -> str:
        parts = [
            self.build,
            str(tenant_id),
            str(content_version),
            locale,
            request.scheme,
            request.host,
            request.path,
            request.query_string.decode("latin-1"),
        ]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        # The town's id in clear too, so an operator can find (and drop) a town's pages.
        return f"pf:page:{tenant_id}:{digest}"

    def get(self, key: str) -> bytes | None:
        if self._pause.resting():
            return None
        try:
            return self.store.get(key)
        except Exception:  # noqa: BLE001 - a cache outage must not take pages down
            self._pause.failed("rendering")
            return None

    def set(self, key: str, value: bytes) -> None:
        if self._pause.resting():
            return
        try:
            self.store.set(key, value, self.seconds)
        except Exception:  # noqa: BLE001
            self._pause.failed("page not stored")


def _cache() -> PageCache | None:
    return current_app.extensions.get(EXTENSION)


def _anonymous_request() -> bool:
    if request.method not in ("GET", "HEAD") or g.get("tenant") is None:
        return False
    # Flask-Login looks at the session and the remember cookie here.
    if current_user.is_authenticated:
        return False
    return not session


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not response.is_streamed
        and "Set-Cookie" not in response.headers
        and not session.modified
        and not session
    )


def _html_response(body: bytes, status: str) -> Response:
    response = current_app.response_class(body, mimetype="text/html")
    response.headers[STATUS_HEADER] = status
    # The page differs for people with a session cookie (logged in).
    response.vary.add("Cookie")
    return _revalidated(response, body)


def _revalidated(response: Response, body: bytes) -> Response:
    """Let the browser keep the page and ask again with its ETag.

    A visitor on a phone who comes back to the marketplace then gets a 304
    instead of the whole page when nothing changed. The tag is the hash of
    the bytes, so it changes exactly when the page does. ``no-cache`` means
    "store, but check first": never shown stale.
    """
    response.set_etag(hashlib.blake2b(body, digest_size=16).hexdigest())
    response.cache_control.no_cache = True
    return response.make_conditional(request)


def cached_for_visitors(view: Callable[..., ResponseReturnValue]) -> Callable[..., Any]:
    """Serve an HTML view from the page cache to visitors who are not logged in."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        cache = _cache()
        if cache is None or not _anonymous_request():
            return view(*args, **kwargs)
        tenant = g.tenant
        cache.hosts.note(normalise_host(request.host), tenant)
        key = cache.key(tenant.id, tenant.content_version, str(get_locale()))
        return _through(cache, key, lambda: view(*args, **kwargs))

    wrapper.cached_for_visitors = True  # type: ignore[attr-defined]
    return wrapper


def cached_beyond_a_town(
    owner: str, version: str, render: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    """The page cache for a page that is no single town's (a region's marketplace).

    ``owner`` names whose page it is ("region-3"); ``version`` must change with
    everything the page shows (the region's: every member town's content
    version). The same store, the same rules for what is stored and who gets a
    stored page; no early answer before the town is resolved (there is none).
    """
    cache = _cache()
    if (
        cache is None
        or request.method not in ("GET", "HEAD")
        or current_user.is_authenticated
        or session
    ):
        return render()
    return _through(cache, cache.key(owner, version, str(get_locale())), render)


def _through(
    cache: PageCache, key: str, render: Callable[[], ResponseReturnValue]
) -> ResponseReturnValue:
    body = cache.get(key)
    if body is not None:
        return _html_response(body, "hit")
    response = current_app.make_response(render())
    response.headers[STATUS_HEADER] = "miss"
    if _storable(response) and response.mimetype == "text/html":
        body = response.get_data()
        cache.set(key, body)
        return _revalidated(response, body)
    return response


def _serve_early() -> Response | None:
    """First ``before_request`` hook: a hit for a cookie-less visitor, before anything else.

    Anything unusual (a cookie, an alias or unknown host, a miss) falls through
    to the normal path, which resolves the town and may still hit or store.
    """
    cache = _cache()
    if cache is None or request.method not in ("GET", "HEAD"):
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "cached_for_visitors", False):
        return None
    config = current_app.config
    cookies = request.cookies
    if (
        config["SESSION_COOKIE_NAME"] in cookies
        or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies
    ):
        return None
    host = normalise_host(request.host)
    info = cache.hosts.get(host) if host else None
    if info is None or not info.is_canonical:
        return None
    locale = visitor_locale(info.default_locale)
    body = cache.get(cache.key(info.tenant_id, info.content_version, locale))
    if body is None:
        return None
    return _html_response(body, "hit")


def _build_id(app: Flask) -> str:
    from projektfabrik.plugins import get_manager

    with app.app_context():
        versions = sorted(f"{r.name}={r.version}" for r in get_manager().installed)
    return hashlib.sha256(" ".join(versions).encode()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    """Set up the cache; ``PAGE_CACHE_SECONDS = 0`` switches it off."""
    seconds = int(app.config["PAGE_CACHE_SECONDS"])
    if seconds <= 0:
        app.extensions.pop(EXTENSION, None)
        return
    recheck = float(app.config["PAGE_CACHE_RECHECK_SECONDS"])
    if app.config.get("REDIS_URL"):
        copy_mb = int(app.config["PAGE_CACHE_WORKER_MB"])
        store: Store = RedisStore(app.config["REDIS_URL"], copy_mb * 1024 * 1024)
    else:
        store = LocalStore(int(app.config["PAGE_CACHE_MAX_MB"]) * 1024 * 1024)
    app.extensions[EXTENSION] = PageCache(store, seconds, _build_id(app), recheck)
    # Before the town is resolved: the whole point is to skip that work.
    app.before_request_funcs.setdefault(None, []).insert(0, _serve_early)
