"""The request's town and person from the worker's memory, checked in Redis.

Every request first loads its town (from the Host header) and, for someone
logged in, its person (from the login cookie). Those two reads, with taking
a pooled connection, ``BEGIN`` and the ``ROLLBACK`` at the end, were most of
what a logged-in page cost once its content came from the worker's cache
(docs/benchmarks.md): five database round trips. With Redis configured,
each worker remembers both and asks Redis a single question instead: is
the town's **token** still the one I saw when I read them?

The token is a random string per town, in Redis, shared by every worker and
machine. It is renewed after every commit that wrote a row the memory holds,
or that raised the town's content version or a person's notifications
version (the kept pages and counts are keyed on those):

* the town's row and its host names (``Tenant``, ``TenantHost``);
* its people (``User``: blocked, deleted, a new role, a new session token)
  and their login sessions (``LoginSession``: logging out deletes the row).

So a change, a logout, a block shows on the next request, in every worker,
as without the memory. Order makes it safe: a request reads the token
*before* it reads the database, and a writer renews the token *after* its
commit; a memory entry made from rows older than a commit carries the
token from before that commit's renewal, and so is never used again.

What is remembered is each row's column values, never an ORM object: each
request gets objects of its own, attached to its session without a query.

Bounds (docs/architecture.md, "What a worker keeps"):

* Tokens expire after ``REQUEST_MEMO_SECONDS`` (default 60; 0 switches the
  memory off), and every entry made under a token ends with it. That bounds
  how long a change goes unseen when renewing its token failed (Redis went
  away between the commit and the renewal), or when it was written around
  the ORM (raw SQL, another program).
* A Redis failure is logged and the worker reads the database for
  ``outage.OUTAGE_PAUSE_SECONDS`` (10), as the page cache does.
* Per worker at most ``WORKER_CACHE_PEOPLE`` people (least recently used
  first); towns only for host names that exist (anyone can send any Host).

Without Redis nothing changes: every request reads the database.
"""

from __future__ import annotations

import functools
import logging
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import inspect
from sqlalchemy.orm import ORMExecuteState, Session

from projektfabrik.outage import Pause
from projektfabrik.snapshots import AnySession, Snapshot
from projektfabrik.tenancy import versioning
from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.tenancy.models import Tenant, TenantHost
from projektfabrik.workercache import Lru

log = logging.getLogger(__name__)

EXTENSION = "projektfabrik.requestmemo"
#: Key in ``Session.info``: the towns whose token this transaction must renew.
_WRITTEN = "projektfabrik_memo_towns"
#: Stands for every town (a write outside any town, or across towns).
EVERY_TOWN = versioning.EVERY_TOWN

T = TypeVar("T")

# Read each town's token and the deployment's; a missing one is created with
# the random value the caller sends, so one round trip answers every request.
_READ_TOKENS = """
local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('GET', key)
  if not value then
    value = ARGV[i]
    redis.call('SET', key, value, 'EX', ARGV[#KEYS + 1])
  end
  out[i] = value
end
return out
"""


def _key(tenant_id: int) -> str:
    return "pf:memo:every" if tenant_id == EVERY_TOWN else f"pf:memo:town:{tenant_id}"


class TokenBoard:
    """The towns' tokens in Redis."""

    def __init__(self, url: str, seconds: int) -> None:
        import redis

        self.seconds = seconds
        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._read = self._client.register_script(_READ_TOKENS)
        self._pause = Pause(log, "request memo: Redis failed (%s); reading the database for %d s")

    def token(self, tenant_id: int) -> str | None:
        """The town's current token (the deployment's with it); None when Redis fails."""
        if self._pause.resting():
            return None
        keys = [_key(tenant_id), _key(EVERY_TOWN)]
        fresh = [secrets.token_hex(8) for _ in keys]
        try:
            values = self._read(keys=keys, args=[*fresh, self.seconds])
        except Exception:  # noqa: BLE001 - Redis down: read the database
            self._pause.failed("reading")
            return None
        return ":".join(v.decode() if isinstance(v, bytes) else str(v) for v in values)

    def renew(self, tenant_ids: Iterable[int]) -> None:
        """New tokens for these towns: whatever was remembered under the old ones ends."""
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for tenant_id in sorted(set(tenant_ids)):
                    pipe.set(_key(tenant_id), secrets.token_hex(8), ex=self.seconds)
                pipe.execute()
        except Exception:  # noqa: BLE001 - the commit stands; the token's age bounds the lag
            self._pause.failed("renewing")


@dataclass(frozen=True)
class TownEntry:
    tenant_id: int
    is_canonical: bool
    #: None: the host's town is known, its row not yet remembered.
    token: str | None = None
    snapshot: Snapshot | None = None


@dataclass(frozen=True)
class PersonEntry:
    token: str
    snapshot: Snapshot


class RequestMemo:
    """Per worker: hosts → towns, login cookies → people, each with its token."""

    def __init__(self, board: TokenBoard, max_people: int) -> None:
        self.board = board
        # Only hosts that exist (unknown ones are never remembered): one per host.
        self._towns: dict[str, TownEntry] = {}
        # An entry outlives its token by nothing: both end after the token's seconds.
        self._people = Lru(max_people, sys.maxsize, board.seconds)

    # -- towns -------------------------------------------------------------

    def town(self, host: str) -> tuple[TownEntry | None, str | None]:
        """What is remembered of the host, and its town's token now (one round trip)."""
        entry = self._towns.get(host)
        if entry is None:
            return None, None
        return entry, self.board.token(entry.tenant_id)

    def learn_town(self, host: str, tenant: Tenant, is_canonical: bool, token: str | None) -> None:
        """Remember the town a request read, under ``token`` when that was read,
        before the row, for this very town; else only which town the host is."""
        snapshot = Snapshot.of(tenant) if token is not None else None
        self._towns[host] = TownEntry(tenant.id, is_canonical, token, snapshot)

    def forget_town(self, host: str) -> None:
        self._towns.pop(host, None)

    # -- people ------------------------------------------------------------

    def person(self, tenant_id: int, cookie: str, token: str) -> Snapshot | None:
        entry: PersonEntry | None = self._people.get((tenant_id, cookie))
        if entry is None or entry.token != token:
            return None
        return entry.snapshot

    def learn_person(self, tenant_id: int, cookie: str, token: str, person: Any) -> None:
        self._people.set((tenant_id, cookie), PersonEntry(token, Snapshot.of(person)))


def current() -> RequestMemo | None:
    """This app's memory; None when it is off (no Redis, or 0 seconds)."""
    if not has_app_context():
        return None
    return current_app.extensions.get(EXTENSION)


# -- the request's side -------------------------------------------------------

#: ``g`` key: (town id, token) read for this request before its rows.
_TOKEN = "projektfabrik_memo_token"


def resolve_town(
    host: str, read: Callable[[], tuple[Tenant, bool] | None], session: AnySession
) -> tuple[Tenant, bool] | None:
    """The host's town and whether the host is canonical: remembered when its
    token still holds, else ``read()`` from the database (and remembered)."""
    memo = current()
    if memo is None:
        return read()
    entry, token = memo.town(host)
    # The token read for this request, before any row: the person is checked
    # against it too (load_person). Only when it is this host's town's.
    g.pop(_TOKEN, None)
    if entry is not None and token is not None:
        setattr(g, _TOKEN, (entry.tenant_id, token))
        if entry.token == token and entry.snapshot is not None:
            return entry.snapshot.attach(session), entry.is_canonical
    found = read()
    if found is None:
        memo.forget_town(host)
        g.pop(_TOKEN, None)
        return None
    tenant, is_canonical = found
    if entry is None or entry.tenant_id != tenant.id:
        token = None  # read for another town (or none): the host moved, or is new
        g.pop(_TOKEN, None)
    memo.learn_town(host, tenant, is_canonical, token)
    return found


def load_person(
    tenant_id: int | None, cookie: str, read: Callable[[], T | None], session: AnySession
) -> T | Any | None:
    """The person a login cookie names: remembered under the town's token read
    at the start of this request, else ``read()`` (and remembered)."""
    memo = current()
    mark = g.get(_TOKEN)
    if memo is None or mark is None or tenant_id is None or mark[0] != tenant_id:
        return read()
    token = mark[1]
    snapshot = memo.person(tenant_id, cookie, token)
    if snapshot is not None:
        return snapshot.attach(session)
    person = read()
    if person is not None:
        memo.learn_person(tenant_id, cookie, token, person)
    return person


# -- the writer's side --------------------------------------------------------


@functools.cache
def _remembered_classes() -> tuple[type, ...]:
    from projektfabrik.accounts.models import LoginSession, User

    return (Tenant, TenantHost, User, LoginSession)


def _written(session: AnySession) -> set[int]:
    return session.info.setdefault(_WRITTEN, set())


def mark_written(session: AnySession, tenant_ids: set[int]) -> None:
    """Count these towns as written by this transaction, for writes the ORM does
    not see (a town's deletion with Core statements, tenancy/lifecycle.py)."""
    _written(session).update(tenant_ids)


def _note_flush(session: Session, flush_context: Any) -> None:
    remembered = _remembered_classes()
    written = _written(session)
    for obj in chain(session.new, session.dirty, session.deleted):
        if not isinstance(obj, remembered):
            continue
        if isinstance(obj, Tenant):
            written.add(obj.id)
            continue
        # A host name (or a person) moved to another town: both towns' memories.
        history = inspect(obj).attrs.tenant_id.history
        for tenant_id in chain([cast(Any, obj).tenant_id], history.deleted or ()):
            written.add(EVERY_TOWN if tenant_id is None else tenant_id)


def _note_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get("projektfabrik_version_bump"):
        return  # the version keepers name their towns (versioning.note_raised)
    remembered = _remembered_classes()
    if not any(issubclass(m.class_, remembered) for m in state.all_mappers):
        return
    tenant_id = current_tenant_id_or_none()
    across = state.execution_options.get("projektfabrik_all_tenants")
    _written(state.session).add(EVERY_TOWN if tenant_id is None or across else tenant_id)


def _renew_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: nothing is visible to others yet
    towns = session.info.pop(_WRITTEN, set()) | versioning.take_raised(session)
    memo = current()
    if towns and memo is not None:
        memo.board.renew(towns)


def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_WRITTEN, None)
        versioning.take_raised(session)


def install(session_class: type[Session]) -> None:
    """Attach the token renewal to a session class. Safe to call more than once."""
    versioning.attach(
        session_class,
        [
            ("after_flush", _note_flush),
            ("do_orm_execute", _note_bulk_statement),
            ("after_commit", _renew_after_commit),
            ("after_rollback", _forget),
        ],
    )


def init_app(app: Flask) -> None:
    """Switch the memory on when Redis is configured and the seconds are above 0."""
    seconds = int(app.config.get("REQUEST_MEMO_SECONDS", 60))
    url = app.config.get("REDIS_URL")
    if not url or seconds <= 0:
        app.extensions.pop(EXTENSION, None)
        return
    people = int(app.config.get("WORKER_CACHE_PEOPLE", 10000))
    app.extensions[EXTENSION] = RequestMemo(TokenBoard(url, seconds), people)
