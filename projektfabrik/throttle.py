"""Counters of attempts, per town: the one way to bound how often something happens.

Flask-Limiter's decorators count every request to a view by the client's
address. Some limits need more: count only *failed* attempts (a wrong
password, a wrong posting code), count per *target* (the e-mail address typed
into a form, an account, a comment) rather than per client, or decide inside
a service whether to send a mail at all. :class:`Throttle` does that::

    GUESSES = Throttle("login-account", "10 per hour")
    if not GUESSES.allowed(email):
        ...  # refuse without checking the password
    if wrong:
        GUESSES.hit(email)

The counters live in Redis when ``PROJEKTFABRIK_REDIS_URL`` is set, so every
worker and machine shares them, else in the memory of each worker process
(one machine, one worker: exact; several workers: each counts on its own,
so the bound is multiplied by the number of workers). Keys carry the town's
id and the throttle's name; the parts (e-mail addresses among them) are
hashed with the app's secret key, so Redis holds no personal data.

``RATELIMIT_ENABLED = False`` (the test suite's default) lets everything
through, like Flask-Limiter.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from projektfabrik.tenancy.context import current_tenant_id_or_none

_EXTENSION = "pf_throttle"
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    uri = app.config.get("REDIS_URL") or "memory://"
    # Short timeouts: an unreachable Redis (not only a stopped one) must not hold
    # a worker for the client library's default of no timeout at all.
    options = (
        {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if uri.startswith("redis") else {}
    )
    app.extensions[_EXTENSION] = MovingWindowRateLimiter(storage_from_string(uri, **options))


def _strategy() -> MovingWindowRateLimiter:
    return current_app.extensions[_EXTENSION]


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def client_address() -> str:
    """The client's address as the app sees it (behind nginx: with PROXY_FIX)."""
    return get_remote_address() or "-"


def _ask(question: Callable[[], bool]) -> bool:
    # A Redis outage must not lock a whole town out: log it and let the attempt through.
    try:
        return question()
    except Exception:  # noqa: BLE001 - redis, connection or storage errors alike
        log.exception("throttle storage failed; allowing the attempt")
        return True


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` (``"10 per hour"``, limits' notation) per town and key.

    Every method takes the key's parts: an account's e-mail address, a
    client address, a person's ref and an item's ref, and so on.
    """

    name: str
    limit: str
    _item: RateLimitItem = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_item", parse(self.limit))

    @property
    def amount(self) -> int:
        return self._item.amount

    def _key(self, parts: tuple[Any, ...]) -> str:
        secret = str(current_app.config["SECRET_KEY"]).encode()
        raw = "\x1f".join(str(part).strip().lower() for part in parts).encode()
        digest = hmac.new(secret, raw, hashlib.sha256).hexdigest()[:32]
        return f"pf:t{current_tenant_id_or_none() or '-'}:{self.name}:{digest}"

    def allowed(self, *parts: Any) -> bool:
        """Whether one more attempt is within the limit (counts nothing)."""
        if not _enabled():
            return True
        return _ask(lambda: _strategy().test(self._item, self._key(parts)))

    def hit(self, *parts: Any) -> bool:
        """Count one attempt; ``False`` when it was over the limit."""
        if not _enabled():
            return True
        return _ask(lambda: _strategy().hit(self._item, self._key(parts)))

    def remaining(self, *parts: Any) -> int:
        if not _enabled():
            return self.amount
        stats = _strategy().get_window_stats(self._item, self._key(parts))
        return int(stats.remaining)

    def clear(self, *parts: Any) -> None:
        if _enabled():
            _strategy().clear(self._item, self._key(parts))
