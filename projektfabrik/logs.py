"""Log lines as JSON, one per line, without personal data.

Every line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``;
inside a request also ``request_id``, ``town`` (its slug), ``route`` (the URL
*rule*, e.g. ``/passwort-neu/<token>``: never the path, which may hold a token,
and never the query string). One line per request (logger
``projektfabrik.request``) adds ``method``, ``status`` and ``duration_ms``.
Client addresses and e-mail addresses are not logged; gunicorn's own access
log is off (``deploy/gunicorn.conf.py``) because it would log both.

The request id comes from the proxy's ``X-Request-ID`` (nginx: ``$request_id``)
when it looks like one, else it is made here; the answer carries it back, so
a person's "it failed at 10:32" can be found in the log.

:func:`init_app` gives the root logger a JSON handler on stderr unless
something (gunicorn's ``logconfig_dict``, pytest) has configured logging
already; without it, Python drops every line below WARNING, including the
audit lines of admins' actions.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import inspect
from werkzeug.wrappers import Response

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("projektfabrik.request")


def _context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    tenant = g.get("tenant")
    return {
        "request_id": g.get("request_id"),
        # What is loaded only: a log line must not query a database that may be
        # the very thing that failed (the 503 handler logs after a rollback).
        "town": inspect(tenant).dict.get("slug") if tenant is not None else None,
        "route": request.url_rule.rule if request.url_rule is not None else None,
    }


class JsonFormatter(logging.Formatter):
    """``{"time": ..., "level": ..., "logger": ..., "message": ..., ...}``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in _context().items() if v is not None})
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _start() -> None:
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if REQUEST_ID.match(sent) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    """The request's log line and metrics. Also for pages the page cache answered
    in its own first hook, before :func:`_start` ran (no duration then)."""
    from projektfabrik import metrics
    from projektfabrik.pagecache import STATUS_HEADER

    if "request_id" not in g:
        _start()
        started = None
    else:
        started = g.get("request_started")
    seconds = time.perf_counter() - started if started is not None else 0.0
    response.headers["X-Request-ID"] = g.request_id
    route = request.url_rule.rule if request.url_rule is not None else None
    cache = response.headers.get(STATUS_HEADER)
    metrics.observe(route, request.method, response.status_code, seconds, cache)
    fields: dict[str, Any] = {"method": request.method, "status": response.status_code}
    if started is not None:
        fields["duration_ms"] = round(seconds * 1000, 1)
    if cache:
        fields["page_cache"] = cache
    request_log.info("request", extra={"fields": fields})
    return response


#: Libraries whose INFO lines say nothing an operator needs (alembic lists its plugins).
QUIET = ("alembic",)


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger()
    if not root.handlers and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
        root.setLevel(app.config.get("LOG_LEVEL", "INFO").upper())
