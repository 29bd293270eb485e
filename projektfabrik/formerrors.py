"""Failed forms, the same way on every page (WCAG 3.3.1, 4.1.3, 2.2.1; docs/accessibility.md).

* A page that shows a form's errors says so in its title ("Fehler: ..."): the
  error summary macro (``_forms.html``) calls :func:`note_form_errors`, and
  ``base.html`` renders the page's content before its ``<title>``.
* A form whose CSRF token is no longer valid (the session that issued it is
  gone) is not answered with a bare error page that loses what was typed. The
  check does not stop the request; it marks it (:class:`RerenderingCSRFProtect`)
  and lets the view run once, with every write to the database refused. The
  view's form fails its own token check, so the view shows the form again, as
  typed, with a fresh token and the message "send it again". Only if that
  happened (the summary showed the token's message) is the answer kept;
  anything else (a redirect, a view without a form, a refused write) is thrown
  away, the session put back as it was, and the plain "form expired" page
  shown instead. So no action ever runs without a valid token.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, session
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.wrappers import Response


def note_form_errors(csrf: bool = False) -> str:
    """Called by the error summary: this page shows a form's errors (and the token's)."""
    g.page_has_form_errors = True
    if csrf:
        g.csrf_message_shown = True
    return ""


def page_has_form_errors() -> bool:
    return bool(g.get("page_has_form_errors"))


class CSRFRerenderRefused(CSRFError):
    """A view tried to write while answering a request whose token was invalid."""


class RerenderingCSRFProtect(CSRFProtect):
    """CSRFProtect that marks a request with a bad token instead of stopping it at once."""

    def protect(self, apply_exemptions: bool = False) -> None:
        try:
            super().protect(apply_exemptions=apply_exemptions)
        except CSRFError as error:
            g.csrf_failed = error
            g.csrf_saved_session = dict(session)


def _rerendering() -> bool:
    return has_request_context() and g.get("csrf_failed") is not None


def _refuse_flush(db_session: Session, flush_context: Any, instances: Any) -> None:
    if _rerendering() and (db_session.new or db_session.dirty or db_session.deleted):
        raise CSRFRerenderRefused("write refused: the form's token is not valid")


def _refuse_writes(state: ORMExecuteState) -> None:
    if _rerendering() and (state.is_insert or state.is_update or state.is_delete):
        raise CSRFRerenderRefused("write refused: the form's token is not valid")


def install(session_class: type[Session]) -> None:
    """Refuse every ORM write while a request with a bad token is answered."""
    if not event.contains(session_class, "before_flush", _refuse_flush):
        event.listen(session_class, "before_flush", _refuse_flush)
        event.listen(session_class, "do_orm_execute", _refuse_writes)


def discard_attempt() -> None:
    """Undo what a request with a bad token did: no writes, the session as it came."""
    from projektfabrik.extensions import db

    db.session.rollback()
    _put_session_back()


def _put_session_back() -> None:
    saved = g.pop("csrf_saved_session", None)
    if saved is not None:
        session.clear()
        session.update(saved)
    g.csrf_failed = None


def _keep_or_replace(response: Response) -> Response:
    """The form shown again as typed is kept; anything else becomes the plain error page."""
    error = g.get("csrf_failed")
    if error is None:
        return response
    if response.status_code == 503:
        # "Not available just now" stands, above all the database's 503 page
        # (errors.handle_database_unavailable), which has rolled back already:
        # the "form expired" page needs the town's look, that is the database,
        # and in an outage it ended as a 500 (PostgreSQL killed, two machines).
        # Anything else, a 500 included, still becomes the "form expired" page.
        _put_session_back()
        return response
    if g.get("csrf_message_shown"):
        # Shown again as typed; still an answer to a request that was refused.
        if response.status_code < 300:
            response.status_code = 400
        return response
    from projektfabrik.errors import handle_csrf

    replacement = handle_csrf(error)
    if isinstance(replacement, Response):
        return replacement
    body, code = replacement
    return Response(body, status=code, mimetype="text/html")


def init_app(app: Flask) -> None:
    # Tokens live as long as the session that holds their secret: no silent
    # time limit on typing (docs/security.md, "CSRF").
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.jinja_env.globals["note_form_errors"] = note_form_errors
    app.jinja_env.globals["page_has_form_errors"] = page_has_form_errors


def init_late(app: Flask) -> None:
    """Register last, so this runs first among the after-request hooks (reverse order)."""
    app.after_request(_keep_or_replace)
