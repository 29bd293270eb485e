"""Error pages in the town's look and language; a bare page where no town is known."""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Flask, Response, current_app, g, make_response, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from werkzeug.exceptions import HTTPException, InternalServerError

from projektfabrik.dbfaults import connection_lost
from projektfabrik.extensions import db
from projektfabrik.i18n import DEFAULT_LOCALE, LOCALE_COOKIE, LOCALES
from projektfabrik.inputguard import BadInput
from projektfabrik.storage import StorageUnavailable

#: Paths whose errors are JSON (the open-data API), as its OpenAPI document says.
API_PREFIX = "/api/"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        403: (_("Not allowed"), _("You are not allowed to do this.")),
        404: (_("Page not found"), _("There is no page at this address.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (
            _("Too large"),
            _(
                "What you sent is larger than this page accepts (files: at most %(mb)d MB). "
                "Nothing was saved. Please go back and send a smaller file or less text.",
                mb=_upload_mb(),
            ),
        ),
        429: (
            _("Too many attempts"),
            _("Please wait a few minutes before you try again."),
        ),
        500: (
            _("Something went wrong"),
            _("An error occurred on our side. Nothing you entered was saved half-way."),
        ),
    }


def _upload_mb() -> int:
    from projektfabrik.uploads import max_upload_mb

    return max_upload_mb() if g.get("tenant") is not None else 0


def _render(
    code: int, title: str | None = None, text: str | None = None
) -> tuple[str, int] | Response:
    if request.path.startswith(API_PREFIX):
        return _json_error(code, text)
    if g.get("tenant") is None:
        # Unknown host: say nothing about which towns this deployment serves.
        return render_template("errors/bare.html", code=code), code
    default_title, default_text = _messages().get(code, (_("Error"), ""))
    return (
        render_template(
            "errors/error.html", code=code, title=title or default_title, text=text or default_text
        ),
        code,
    )


def handle_http(error: HTTPException) -> Response:
    """The page in the town's look; the error's own headers kept (``Allow`` on 405)."""
    response = make_response(_render(error.code or 500))
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def _json_error(code: int, text: str | None) -> Response:
    """``{"error": ...}`` in English, like the API's field names (not translated)."""
    names = {400: "bad request", 404: "not found", 405: "method not allowed", 500: "server error"}
    response: Response = current_app.json.response(  # type: ignore[assignment]
        {"error": text or names.get(code, "error")}
    )
    response.status_code = code
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def handle_bad_input(error: BadInput) -> tuple[str, int] | Response:
    if request.path.startswith(API_PREFIX):
        return _json_error(400, error.description)
    return _render(
        400,
        _("Characters that cannot be used"),
        _(
            "The address or the form contained characters that we cannot process."
            " Please go back, check what you entered and try again."
        ),
    )


def handle_csrf(error: CSRFError) -> tuple[str, int] | Response:
    """Only where the form could not be shown again as typed (formerrors.py)."""
    from projektfabrik.formerrors import discard_attempt

    discard_attempt()
    return _render(
        400,
        _("The form has expired"),
        _(
            "Nothing was saved. Please go back: what you typed is usually still in the form."
            " Copy it before you reload the page, then send the form again."
        ),
    )


def town_suspended() -> tuple[str, int] | Response:
    """The operator has suspended the town's site (nothing is deleted)."""
    return _render(
        503,
        _("This site is paused"),
        _(
            "The municipality's participation site is not available at the moment. "
            "Nothing has been deleted. For questions, please contact the town hall."
        ),
    )


def town_read_only() -> tuple[str, int] | Response:
    """The town's site can be read but nothing can be changed."""
    return _render(
        403,
        _("This site can only be read"),
        _(
            "The municipality's participation site can still be read, but nobody can "
            "sign in or change anything any more. What you sent was not saved."
        ),
    )


def handle_storage_down(error: StorageUnavailable) -> tuple[str, int] | Response:
    """A file could not be read (disk, S3): the page says so; the rest of the site works."""
    current_app.logger.error("storage unavailable: %s", error)
    db.session.rollback()
    return _render(
        503,
        _("File not available just now"),
        _("The file cannot be loaded at the moment. Nothing is lost. Please try again later."),
    )


def handle_crash(error: Exception) -> tuple[str, int] | Response:
    original = getattr(error, "original_exception", None)
    if isinstance(original, (DBAPIError, PendingRollbackError)) and connection_lost(original):
        # The database went away where no handler of ours is asked: in an
        # after-request hook, say (Flask sends what they raise here).
        return handle_database_unavailable(original)
    with contextlib.suppress(Exception):
        db.session.rollback()
    try:
        return _render(500)
    except Exception:  # noqa: BLE001 - the town's page needs what may be broken (the database)
        current_app.logger.exception("the error page failed too; sending the plain one")
        text = _l("An error occurred on our side. Nothing you entered was saved half-way.")
        return make_response(_plain_page(_l("Something went wrong"), text), 500)


def _plain_page(title: Any, text: Any) -> str:
    """A page that needs no database and no signed-in person: no town's look, the
    visitor's chosen language, else German (the town's own default is in the database).
    ``title`` and ``text`` are lazy strings: translated here, in that language, never
    through the locale selector (it reads the town and the person)."""
    chosen = request.cookies.get(LOCALE_COOKIE)
    locale = chosen if chosen in LOCALES else DEFAULT_LOCALE
    with force_locale(locale):
        # Straight from the Jinja environment: render_template would run the
        # context processors, and some read the signed-in person, whose rows a
        # rollback expired (loading them needs the database).
        return current_app.jinja_env.get_template("errors/unavailable.html").render(
            lang=locale, title=str(title), text=str(text)
        )


#: Seconds a browser or load balancer is asked to wait before trying again
#: (a PostgreSQL restart or failover takes a few seconds: docs/operations.md).
RETRY_AFTER_SECONDS = 5


def handle_database_unavailable(error: DBAPIError | PendingRollbackError) -> Response:
    """The database cannot be reached (restart, failover): 503 with a page that
    needs no database, instead of a traceback. Errors of the statement itself
    (an integrity error, a bad query) stay bugs: they are raised on (500).

    ``PendingRollbackError`` too: the request's connection was invalidated by a
    disconnect whose error something caught, and its next query says so."""
    if not connection_lost(error):
        raise error
    # What still runs for this request (the CSRF page, the language) must not
    # ask the database again. A rollback expires every object of the session,
    # and reading the town's language would then load it again: so the objects
    # leave the session first, as they are (the town may have come from the
    # worker's memory, requestmemo.py, and the outage begun only now). For the
    # rest of this request nobody is logged in (the login itself stays).
    with contextlib.suppress(Exception):
        db.session.expunge_all()
        db.session.rollback()
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    cause = getattr(error, "orig", None) or error
    current_app.logger.warning("database unavailable: %s", str(cause).strip()[:200])
    if request.path.startswith(API_PREFIX):
        response = _json_error(503, "database unavailable")
    else:
        page = _plain_page(
            _l("Back in a moment"),
            _l(
                "The site cannot reach its database at the moment. Please try again "
                "in a few seconds. If you sent a form, it was not saved: send it again."
            ),
        )
        response = make_response(page, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, handle_database_unavailable)
    app.register_error_handler(PendingRollbackError, handle_database_unavailable)
    app.register_error_handler(BadInput, handle_bad_input)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_crash)
    app.register_error_handler(StorageUnavailable, handle_storage_down)
