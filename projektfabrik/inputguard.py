"""Bad input never reaches a view: refused at the door with 400 or 404, never a 500.

Two pieces, both installed by ``create_app`` before any blueprint:

* **Integer URL parts are bounded** to the database's ``INTEGER`` range
  (PostgreSQL's 32-bit signed integer; SQLite stores up to 64 bits, the
  smaller range holds for both). ``<int:number>`` in any rule, the core's or a
  plugin's, uses :class:`BoundedIntegerConverter`, so ``/projekte/99999999999``
  does not match the rule and answers 404 like any unknown address; negative
  numbers never matched (``int`` is unsigned).
* **A guard** (the ``before_request`` hook right after the town is resolved,
  so the error page is in the town's look and the visitor's language) answers
  400 when the path, a query parameter, a form field or an uploaded file's name
  contains a NUL byte (PostgreSQL refuses NUL in text, and no person types one),
  or when the path, the query string or a URL-encoded form body is not valid
  UTF-8 (Werkzeug would silently turn such bytes into U+FFFD). Multipart forms
  are checked for NUL only: their text fields are decoded by Werkzeug, which
  replaces invalid bytes, and the files in them are binary by nature.

Other control characters (CR, LF, tab) are legitimate in text fields; where
they would be harmful — a redirect target — the code that uses the value
refuses them (``projektfabrik.urls.safe_next_url``).
"""

from __future__ import annotations

import builtins
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map, ValidationError

#: The largest value of a PostgreSQL ``INTEGER`` column (and of SQLite's too, a fortiori).
DB_INT_MAX = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only numbers a database ``INTEGER`` column can hold."""

    def __init__(
        self,
        map: Map,  # noqa: A002 - Werkzeug's parameter names
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = None,  # noqa: A002
        signed: bool = False,
    ) -> None:
        upper = DB_INT_MAX if max is None else builtins.min(max, DB_INT_MAX)
        lower = (
            (-DB_INT_MAX - 1 if signed else 0)
            if min is None
            else builtins.max(min, -DB_INT_MAX - 1)
        )
        super().__init__(map, fixed_digits=fixed_digits, min=lower, max=upper, signed=signed)

    def to_python(self, value: str) -> int:
        # Far more digits than any number in range: no need to convert them at all.
        if len(value.lstrip("-").lstrip("0")) > len(str(DB_INT_MAX)):
            raise ValidationError()
        return super().to_python(value)


class BadInput(BadRequest):
    """Input the application cannot process at all (NUL bytes, bytes that are not UTF-8)."""

    description = "bad input"


def _has_nul(text: str) -> bool:
    return "\x00" in text


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _urlencoded_is_utf8(data: bytes) -> bool:
    for pair in data.split(b"&"):
        for part in pair.split(b"=", 1):
            if not _valid_utf8(unquote_to_bytes(part.replace(b"+", b" "))):
                return False
    return True


def problem() -> str | None:
    """What is wrong with this request's input, or ``None`` (for logs and tests)."""
    environ = request.environ
    # WSGI hands the path over as latin-1 decoded bytes; undo that to see the bytes.
    raw_path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    if not _valid_utf8(unquote_to_bytes(raw_path)):
        return "path is not UTF-8"
    if _has_nul(request.path):
        return "NUL in path"
    raw_query = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
    if raw_query and not _urlencoded_is_utf8(raw_query):
        return "query string is not UTF-8"
    for key, value in request.args.items(multi=True):
        if _has_nul(key) or _has_nul(value):
            return f"NUL in query parameter {key!r}"
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype == "application/x-www-form-urlencoded":
            body = request.get_data(cache=True)  # the form is parsed from this copy
            if not _urlencoded_is_utf8(body):
                return "form is not UTF-8"
        for key, value in request.form.items(multi=True):
            if _has_nul(key) or _has_nul(value):
                return f"NUL in form field {key!r}"
        for key, upload in request.files.items(multi=True):
            if _has_nul(key) or _has_nul(upload.filename or ""):
                return f"NUL in the name of uploaded file {key!r}"
    return None


def _guard() -> None:
    found = problem()
    if found is not None:
        raise BadInput(found)


def install_converters(app: Flask) -> None:
    """Before any rule is added: every ``<int:...>`` in the app is bounded."""
    app.url_map.converters["int"] = BoundedIntegerConverter


def init_app(app: Flask) -> None:
    install_converters(app)
    app.before_request(_guard)
