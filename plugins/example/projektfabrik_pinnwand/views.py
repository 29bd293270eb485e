"""The board's pages under /pinnwand. The core answers 404 here while the town has
the plugin switched off, before any of this code runs."""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from projektfabrik.api import (
    Throttle,
    _,
    can,
    client_address,
    current_user,
    db,
    export_formats,
    export_response,
    found_or_404,
    render_template,
)
from projektfabrik_pinnwand import services
from projektfabrik_pinnwand.forms import NoteForm

bp = Blueprint(
    "pinnwand",
    __name__,
    url_prefix="/pinnwand",
    template_folder="templates",
    static_folder="static",
)

EXPORT_SUBJECT = "pinnwand.board"

#: Wrong posting codes: per client address, and for the town's board from all
#: addresses together (the code is one secret per town).
WRONG_CODES_PER_CLIENT = Throttle("pinnwand-code-client", "5 per 15 minutes")
WRONG_CODES_PER_BOARD = Throttle("pinnwand-code-board", "30 per hour")


def board_title() -> str:
    return services.settings()["board_title"] or _("Notice board")


@bp.route("/", methods=["GET", "POST"])
def board() -> ResponseReturnValue:
    return _board(project_ref=None)


@bp.route("/projekt/<project_ref>", methods=["GET", "POST"])
def project_board(project_ref: str) -> ResponseReturnValue:
    if not services.PROJECT_REF.match(project_ref):
        abort(404)
    return _board(project_ref=project_ref)


def _here(project_ref: str | None) -> str:
    if project_ref is None:
        return url_for("pinnwand.board")
    return url_for("pinnwand.project_board", project_ref=project_ref)


def _board(project_ref: str | None) -> ResponseReturnValue:
    config = services.settings()
    # Fail closed: a posting code that cannot be read stops posting altogether.
    paused = services.posting_code_lost()
    may_post = can("pinnwand.post") and not paused
    form = NoteForm()
    if request.method == "POST":
        if not may_post:
            abort(403)
        if form.validate():
            code = config["posting_code"]
            if code and not (
                WRONG_CODES_PER_CLIENT.allowed(client_address())
                and WRONG_CODES_PER_BOARD.allowed("board")
            ):
                # Not even checked: guessing the code stays bounded.
                form.code.errors = [
                    _("Too many wrong codes were tried. Please try again in an hour.")
                ]
                form.code.data = ""
                return _render(project_ref, config, paused, may_post, form), 429
            if code and not hmac.compare_digest((form.code.data or "").encode(), code.encode()):
                WRONG_CODES_PER_CLIENT.hit(client_address())
                WRONG_CODES_PER_BOARD.hit("board")
                form.code.errors = [_("The posting code is not correct.")]
            elif len(form.text.data.strip()) > config["max_length"]:
                form.text.errors = [
                    _("Please keep it to %(count)d characters.", count=config["max_length"])
                ]
            else:
                services.post(form.text.data, current_user, project_ref)
                db.session.commit()
                flash(_("Your note is on the board."), "success")
                return redirect(_here(project_ref))
        form.code.data = ""
    return _render(project_ref, config, paused, may_post, form)


def _render(
    project_ref: str | None, config: dict, paused: bool, may_post: bool, form: NoteForm
) -> str:
    return render_template(
        "pinnwand/board.html",
        title=board_title(),
        project_ref=project_ref,
        notes=services.notes(project_ref),
        form=form if may_post else None,
        paused=paused,
        needs_code=bool(config["posting_code"]),
        max_length=config["max_length"],
        may_moderate=can("pinnwand.moderate"),
        formats=export_formats(EXPORT_SUBJECT) if project_ref is None else [],
        here=_here(project_ref),
    )


@bp.post("/notiz/<ref>/entfernen")
def remove(ref: str) -> ResponseReturnValue:
    note = found_or_404(services.find(ref))
    own = current_user.is_authenticated and note.author_id == current_user.id
    if not (own or can("pinnwand.moderate", note)):
        abort(403)
    target = _here(note.project_ref)
    services.remove(note)
    db.session.commit()
    flash(_("The note is removed."), "success")
    return redirect(target)


@bp.post("/notiz/<ref>/anheften")
def pin(ref: str) -> ResponseReturnValue:
    note = found_or_404(services.find(ref))
    if not can("pinnwand.moderate", note):
        abort(403)
    services.toggle_pin(note)
    db.session.commit()
    return redirect(_here(note.project_ref))


@bp.get("/export/<key>")
def export(key: str) -> ResponseReturnValue:
    return export_response(EXPORT_SUBJECT, key, services.notes(), filename="pinnwand")
