"""Prometheus metrics at ``/metrics``, for the deployment's monitoring only.

- ``projektfabrik_request_duration_seconds`` (histogram): per route *rule*,
  method and status class (``2xx`` …); never a path, a town or a person;
- ``projektfabrik_page_cache_total`` (counter): visitors' pages served from
  the page cache (``hit``) or rendered (``miss``);
- ``projektfabrik_mail_waiting`` and ``projektfabrik_mail_oldest_waiting_seconds``
  (gauges, read from the outbox at scrape time);
- ``projektfabrik_worker_exits_total`` (counter): gunicorn workers that ended
  (recycled after ``max_requests``, or crashed), from the master's hook.

Under gunicorn the numbers of all workers are added up (prometheus-client's
multiprocess mode: ``deploy/gunicorn.conf.py`` sets ``PROMETHEUS_MULTIPROC_DIR``
before anything imports the library). The endpoint answers only with
``Authorization: Bearer <PROJEKTFABRIK_METRICS_TOKEN>``, on any host; without a
token configured it does not exist (404).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from projektfabrik.db import utcnow
from projektfabrik.extensions import db

REQUESTS = Histogram(
    "projektfabrik_request_duration_seconds",
    "Time to answer a request, by route rule, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "projektfabrik_page_cache", "Visitors' pages: from the cache or rendered.", ["result"]
)
WORKER_EXITS = Counter("projektfabrik_worker_exits", "gunicorn workers that ended.")


def observe(route: str | None, method: str, status: int, seconds: float, cache: str | None) -> None:
    REQUESTS.labels(route or "(none)", method, f"{status // 100}xx").observe(seconds)
    if cache in ("hit", "miss"):
        PAGE_CACHE.labels(cache).inc()


class OutboxCollector(Collector):
    """Mail waiting to go out, read when Prometheus asks (every worker sees the same)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from projektfabrik.mail.models import OutboxMessage
        from projektfabrik.mail.outbox import MAX_ATTEMPTS
        from projektfabrik.tenancy.context import tenant_context
        from projektfabrik.tenancy.isolation import ALL_TENANTS

        with tenant_context(None):
            count, oldest = db.session.execute(
                select(func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                .execution_options(**ALL_TENANTS)
            ).one()
        db.session.rollback()
        waiting = GaugeMetricFamily("projektfabrik_mail_waiting", "Mail not sent yet.")
        waiting.add_metric([], count)
        yield waiting
        age = GaugeMetricFamily(
            "projektfabrik_mail_oldest_waiting_seconds", "Age of the oldest mail not sent yet."
        )
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        age.add_metric([], (utcnow() - oldest).total_seconds() if oldest else 0.0)
        yield age


def _registry() -> Any:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):  # noqa: SLF001 - copy the defaults
            registry.register(collector)
    registry.register(OutboxCollector())
    return registry


def metrics() -> Response:
    token = current_app.config.get("METRICS_TOKEN") or ""
    if not token:
        abort(404)
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        abort(404)  # do not even say that it exists
    return Response(generate_latest(_registry()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.add_url_rule("/metrics", "metrics", metrics)
