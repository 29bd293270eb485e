"""How large a request body may be: small everywhere, the town's upload limit
on the routes that take files.

``PROJEKTFABRIK_MAX_REQUEST_MB`` (default 1) is Flask's ``MAX_CONTENT_LENGTH``
for every request, so a body larger than that is refused with 413 before it
is read, also when gunicorn runs without nginx in front. A view that takes
files says so with :func:`accepts_files`; its requests may carry the town's
upload limit (``uploads.max_upload_mb``) plus 1 MB for the form around it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, g, request

MB = 1024 * 1024
FORM_ALLOWANCE = 1 * MB
_ATTRIBUTE = "_pf_accepts_files"

F = TypeVar("F", bound=Callable[..., object])


def accepts_files(view: F) -> F:
    """Mark a view whose requests may carry files up to the town's upload limit.
    Put it below the route decorator."""
    setattr(view, _ATTRIBUTE, True)
    return view


def _takes_files() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    while view is not None:
        if getattr(view, _ATTRIBUTE, False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def _allow_files() -> None:
    if g.get("tenant") is None or not _takes_files():
        return
    from projektfabrik.uploads import max_upload_mb

    request.max_content_length = max_upload_mb() * MB + FORM_ALLOWANCE


def init_app(app: Flask) -> None:
    """Set the limit; call after the town is resolved and before CSRF reads the form."""
    app.config["MAX_CONTENT_LENGTH"] = int(app.config.get("MAX_REQUEST_MB") or 1) * MB
    app.before_request(_allow_files)
