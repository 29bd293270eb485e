"""Optional error reports to Sentry or a self-hosted GlitchTip, without personal data.

Off unless ``PROJEKTFABRIK_SENTRY_DSN`` is set; needs the ``sentry`` extra
(``pip install 'projektfabrik[sentry]'``). What leaves the machine is the
exception, its stack (without local variables: they hold passwords and form
input), the route, the method, the release and the machine's name. The SDK
sends no personal data by its own default (``send_default_pii`` off; the option
is deprecated in sentry-sdk 2.7x in favour of ``data_collection``, and leaving
both unset means "off", which the test checks on the live client);
``scrub`` runs last on every event and takes out what the SDK or a log line
may still carry: the request's body, headers, cookies, query string and
environment, the user, and every e-mail address in any text (docs/operations.md,
"Error reports").
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask

from projektfabrik import __version__

EMAIL = re.compile(r"[^\s@<>\"'(),;:]+@[^\s@<>\"'(),;:]+\.[A-Za-z]{2,}")
EMAIL_MARK = "[e-mail]"
#: The parts of an event's request that may stay: neither names a person.
REQUEST_KEPT = ("method", "url")


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _mask(value: Any) -> Any:
    """Every string inside ``value`` with its e-mail addresses replaced."""
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_MARK, value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(item) for item in value]
    return value


def scrub(event: Any, hint: Any = None) -> Any:
    """The SDK's ``before_send``: the event without personal data.

    Typed loosely: the SDK's ``Event`` type is a TypedDict of an optional package.
    """
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in REQUEST_KEPT if key in request}
        if isinstance(kept.get("url"), str):
            kept["url"] = _without_query(kept["url"])
        event["request"] = kept
    event.pop("user", None)
    for frames in _frame_lists(event):
        for frame in frames:
            frame.pop("vars", None)
    return dict(_mask(event))


def _frame_lists(event: dict[str, Any]) -> list[list[dict[str, Any]]]:
    found = []
    for holder in ("exception", "threads"):
        for entry in (event.get(holder) or {}).get("values") or []:
            frames = (entry.get("stacktrace") or {}).get("frames")
            if isinstance(frames, list):
                found.append(frames)
    return found


def init_app(app: Flask, transport: Any = None) -> bool:
    """Start the SDK when a DSN is set; ``transport`` is for tests (no network)."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError as exc:
        raise RuntimeError(
            "PROJEKTFABRIK_SENTRY_DSN is set, but the Sentry SDK is not installed: "
            "pip install 'projektfabrik[sentry]'"
        ) from exc
    sentry_sdk.init(
        dsn=dsn,
        release=f"projektfabrik@{__version__}",
        include_local_variables=False,
        max_request_body_size="never",
        # Errors only; performance traces would send every route's timings and URLs.
        traces_sample_rate=None,
        before_send=scrub,
        before_send_transaction=lambda event, hint: None,
        transport=transport,
    )
    return True
