"""The Kneipentools' pages under /kneipentools. The core answers 404 here while the
town has the plugin switched off, before any of this code runs.

Blank sheets and their print views are for everyone (no account needed). A
project's prefilled sheets, its photos and its pub evening kit are for its team
(and the town's admins, as the plan is): anyone else gets 404, as for a project
that is not there.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from projektfabrik.api import (
    Refusal,
    Throttle,
    UploadRefused,
    _,
    accepts_files,
    admin_required,
    client_address,
    current_user,
    db,
    external_url_for,
    find_project,
    found_or_404,
    is_project_editor,
    login_required,
    pdf_available,
    render_template,
    send_download,
    show_refusal,
    team_file_url,
    team_join_code,
    upload_limit_mb,
)
from projektfabrik_pubtools import codes, documents, services, sheets
from projektfabrik_pubtools.forms import CodeForm, InviteForm, PhotoForm, PostcardForm

bp = Blueprint(
    "pubtools",
    __name__,
    url_prefix="/kneipentools",
    template_folder="templates",
    static_folder="static",
)

#: Wrong codes typed or opened: per client, so codes cannot be guessed in bulk.
WRONG_CODES = Throttle("pubtools-code-client", "20 per 15 minutes")
#: Invitations sent from sign-in lists, per client (the core limits each address too).
INVITES_PER_CLIENT = Throttle("pubtools-invite-client", "80 per hour")


def _kind_or_404(step: str) -> sheets.SheetKind:
    kind = found_or_404(sheets.SHEETS.get(step))
    if kind not in sheets.offered(services.settings()):
        abort(404)
    return kind


def _size_or_404(size: str) -> str:
    if size not in sheets.SIZES:
        abort(404)
    return size


def _team_project(ref: str) -> Any:
    """The project, for its team and the town's admins; 404 for everyone else."""
    project = found_or_404(find_project(ref))
    if not is_project_editor(project, current_user):
        abort(404)
    return project


def _pdf(content: bytes, filename: str) -> ResponseReturnValue:
    return send_download(content, f"{filename}.pdf", "application/pdf")


def _no_pdf() -> ResponseReturnValue:
    return (
        render_template(
            "pubtools/no_pdf.html",
            message=_("PDF files cannot be made on this server at the moment."),
        ),
        503,
    )


def _size_label(size: str) -> str:
    return _("A3 poster") if size == "a3" else _("A4 sheet")


# --- the overview and blank sheets ---------------------------------------------------


@bp.get("/")
def index() -> str:
    return render_template(
        "pubtools/index.html",
        kinds=sheets.offered(services.settings()),
        pdf_ok=pdf_available(),
    )


def _blank_context(step: str, size: str) -> tuple[sheets.SheetKind, dict[str, Any]]:
    kind = _kind_or_404(step)
    return kind, documents.sheet_context(kind, size, sheets.blank(), codes.blank_code())


@bp.get("/bogen/<step>/<size>")
def blank_print(step: str, size: str) -> str:
    kind, context = _blank_context(step, _size_or_404(size))
    other = "a4" if size == "a3" else "a3"
    return documents.print_view(
        context,
        trail=[(_("Pub tools"), url_for("pubtools.index"))],
        pdf_url=url_for("pubtools.blank_pdf", step=step, size=size) if pdf_available() else None,
        other_size_url=url_for("pubtools.blank_print", step=step, size=other),
        other_size_label=_("Show as %(size)s", size=_size_label(other)),
        back_url=url_for("pubtools.index"),
        back_label=_("All sheets"),
    )


@bp.get("/bogen/<step>/<size>.pdf")
def blank_pdf(step: str, size: str) -> ResponseReturnValue:
    kind, context = _blank_context(step, _size_or_404(size))
    if not pdf_available():
        return _no_pdf()
    content = documents.pdf(context, str(kind.title), size)
    return _pdf(content, f"kneipentools-{kind.key}-{size}")


# --- codes --------------------------------------------------------------------------------


@bp.route("/code", methods=["GET", "POST"])
def enter_code() -> ResponseReturnValue:
    """Type in the code from a sheet (for people without a QR scanner)."""
    form = CodeForm(formdata=request.form if request.method == "POST" else None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.validate_on_submit():
        code = codes.normalise(form.code.data)
        if not WRONG_CODES.allowed(client_address()):
            # Not even looked up: guessing stays bounded.
            form.code.errors = [_("Too many wrong codes. Please wait a quarter of an hour.")]
            status = 429
        elif services.resolve(code) is None:
            WRONG_CODES.hit(client_address())
            form.code.errors = [
                _("This code does not belong to any sheet of this town. Please check it.")
            ]
        else:
            return redirect(url_for("pubtools.open_code", code=code))
    return render_template("pubtools/code.html", form=form), status


@bp.get("/k/<code>")
def open_code(code: str) -> ResponseReturnValue:
    """Where a sheet's QR code leads: "new idea" for a blank sheet; for a prefilled one
    the page to type it in (its team only)."""
    if not WRONG_CODES.allowed(client_address()):
        abort(429)
    resolved = services.resolve(code)
    if resolved is None:
        WRONG_CODES.hit(client_address())
        abort(404)
    if resolved.is_blank:
        return redirect(url_for("marketplace.new"))
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    project = resolved.project
    if not is_project_editor(project, current_user):
        abort(404)
    assert resolved.sheet is not None
    kind = sheets.SHEETS[resolved.sheet.step]
    form = _photo_form(step=kind.key)
    return render_template(
        "pubtools/landing.html",
        project=project,
        kind=kind,
        sheet=resolved.sheet,
        changes=services.changes_since(resolved.sheet, project),
        target=kind.target_path(project),
        finance=kind.finance_path(project),
        form=form,
        limit_mb=upload_limit_mb(),
    )


# --- a project's tab: prefilled sheets, photos, the pub evening kit ------------------------


def _photo_form(**values: Any) -> PhotoForm:
    form = PhotoForm(**values)
    form.step.choices = [
        SelectChoice(k.key, str(k.title)) for k in sheets.offered(services.settings())
    ]
    return form


def _project_page(project: Any, **context: Any) -> str:
    photos = services.photos(project)
    return render_template(
        "pubtools/project.html",
        project=project,
        kinds=sheets.offered(services.settings()),
        photos=[(p, team_file_url(project, p.file_ref, p.filename)) for p in photos],
        titles={k: str(v.title) for k, v in sheets.SHEETS.items()},
        form=context.pop("form", None) or _photo_form(),
        limit_mb=upload_limit_mb(),
        pdf_ok=pdf_available(),
        join_code=team_join_code(project),
        is_owner=services.is_owner(project, current_user),
        **context,
    )


@bp.get("/projekt/<ref>/")
@login_required
def project_tab(ref: str) -> str:
    return _project_page(_team_project(ref))


def _prefilled(ref: str, step: str, size: str) -> tuple[Any, sheets.SheetKind, dict[str, Any]]:
    project = _team_project(ref)
    kind = _kind_or_404(step)
    size = _size_or_404(size)
    sheet = services.issue_sheet(kind, project, current_user)
    db.session.commit()
    data = sheets.prefilled(kind, project)
    return project, kind, documents.sheet_context(kind, size, data, sheet.code)


@bp.get("/projekt/<ref>/bogen/<step>/<size>")
@login_required
def sheet_print(ref: str, step: str, size: str) -> str:
    project, kind, context = _prefilled(ref, step, size)
    other = "a4" if size == "a3" else "a3"
    tab = url_for("pubtools.project_tab", ref=project.ref)
    return documents.print_view(
        context,
        trail=[
            (project.title, url_for("marketplace.project", number=project.number)),
            (_("Pub tools"), tab),
        ],
        pdf_url=url_for("pubtools.sheet_making", ref=ref, step=step, size=size)
        if pdf_available()
        else None,
        other_size_url=url_for("pubtools.sheet_print", ref=ref, step=step, size=other),
        other_size_label=_("Show as %(size)s", size=_size_label(other)),
        back_url=tab,
        back_label=_("Back to the pub tools of the project"),
    )


@bp.get("/projekt/<ref>/bogen/<step>/<size>/pdf")
@login_required
def sheet_making(ref: str, step: str, size: str) -> str:
    """A page that says the sheet is being made and starts the download (a large plan
    takes a second or two as A3: bench/pubtools_sheet.py), so nobody stares at a
    page that seems to hang. Works without JavaScript (an immediate meta refresh)."""
    project = _team_project(ref)
    kind = _kind_or_404(step)
    size = _size_or_404(size)
    return render_template(
        "pubtools/making.html",
        project=project,
        kind=kind,
        size_label=_size_label(size),
        pdf_url=url_for("pubtools.sheet_pdf", ref=project.ref, step=kind.key, size=size),
    )


@bp.get("/projekt/<ref>/bogen/<step>/<size>.pdf")
@login_required
def sheet_pdf(ref: str, step: str, size: str) -> ResponseReturnValue:
    project, kind, context = _prefilled(ref, step, size)
    if not pdf_available():
        return _no_pdf()
    content = documents.pdf(context, f"{kind.title}: {project.title}", size)
    return _pdf(content, f"kneipentools-{project.number}-{kind.key}-{size}")


@bp.post("/projekt/<ref>/fotos")
@accepts_files
@login_required
def add_photo(ref: str) -> ResponseReturnValue:
    project = _team_project(ref)
    form = _photo_form()
    back = request.form.get("zurueck", "")
    if form.validate_on_submit():
        upload = form.photo.data
        try:
            services.attach_photo(
                project, current_user, form.step.data, upload.stream, upload.filename or ""
            )
        except (UploadRefused, Refusal) as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The photo is kept with the team's files."), "success")
            if back.startswith("/kneipentools/k/") and codes.well_formed(back.rsplit("/", 1)[-1]):
                return redirect(back)
            return redirect(url_for("pubtools.project_tab", ref=project.ref) + "#fotos")
    return _project_page(project, form=form), 400


# --- the pub evening kit (Stammtisch-Kit) ------------------------------------------------

KIT = {
    "aufsteller": "pubtools/_tent.html",
    "anmeldeliste": "pubtools/_signin.html",
    "ablauf": "pubtools/_agenda.html",
}


def _kit_title(key: str) -> str:
    return {
        "aufsteller": _("Table tent"),
        "anmeldeliste": _("Sign-in list"),
        "ablauf": _("Agenda for the evening"),
    }[key]


def _kit_context(project: Any, key: str) -> dict[str, Any]:
    join = team_join_code(project)
    values: dict[str, Any] = {"project": project}
    code = None
    if key == "aufsteller":
        values["join_code"] = join
        values["join_page"] = external_url_for("teams.join_by_code").split("://", 1)[-1]
        if join:
            url = codes.join_url(join)
            values["join_url"] = url
            values["join_qr"] = codes.qr_svg(url, _("QR code that opens %(url)s", url=url))
    elif key == "ablauf":
        values.update(services.agenda(project))
    elif key == "anmeldeliste":
        values["rows"] = 16
    return documents.kit_context(KIT[key], _kit_title(key), code, **values)


@bp.get("/projekt/<ref>/stammtisch/<key>")
@login_required
def kit_print(ref: str, key: str) -> str:
    project = _team_project(ref)
    if key not in KIT:
        abort(404)
    tab = url_for("pubtools.project_tab", ref=project.ref)
    return documents.print_view(
        _kit_context(project, key),
        trail=[
            (project.title, url_for("marketplace.project", number=project.number)),
            (_("Pub tools"), tab),
        ],
        pdf_url=url_for("pubtools.kit_pdf", ref=ref, key=key) if pdf_available() else None,
        back_url=tab,
        back_label=_("Back to the pub tools of the project"),
    )


@bp.get("/projekt/<ref>/stammtisch/<key>.pdf")
@login_required
def kit_pdf(ref: str, key: str) -> ResponseReturnValue:
    project = _team_project(ref)
    if key not in KIT:
        abort(404)
    if not pdf_available():
        return _no_pdf()
    content = documents.pdf(_kit_context(project, key), f"{_kit_title(key)}: {project.title}")
    return _pdf(content, f"stammtisch-{project.number}-{key}")


@bp.route("/projekt/<ref>/stammtisch/einladen", methods=["GET", "POST"])
@login_required
def invite(ref: str) -> ResponseReturnValue:
    """Type in the sign-in list; each person gets the team's invitation by mail."""
    project = _team_project(ref)
    if not services.is_owner(project, current_user):
        abort(403)
    form = InviteForm()
    result: tuple[list[services.Entry], list[services.LineProblem]] | None = None
    if form.validate_on_submit():
        try:
            entries, problems = services.parse_signin_list(form.people.data)
        except Refusal as error:
            show_refusal(form, error)
        else:
            if not all(INVITES_PER_CLIENT.hit(client_address()) for _entry in entries):
                form.people.errors = [
                    _("Too many invitations from here. Please try again in an hour.")
                ]
            elif not entries:
                form.people.errors = [_("No line of the list has a valid e-mail address.")]
                result = ([], problems)
            else:
                sent, refused = services.invite_all(
                    project, current_user, entries, form.message.data or ""
                )
                db.session.commit()
                result = (sent, problems + refused)
                if sent and not result[1]:
                    flash(
                        _(
                            "Invitations sent: %(n)d. Each person joins by confirming the mail.",
                            n=len(sent),
                        ),
                        "success",
                    )
                    return redirect(
                        url_for("pubtools.project_tab", ref=project.ref) + "#stammtisch"
                    )
    status = 400 if request.method == "POST" and result is None else 200
    return render_template(
        "pubtools/invite.html", project=project, form=form, result=result
    ), status


# --- idea postcards (the town's admins) --------------------------------------------------


@bp.route("/verwaltung/postkarten", methods=["GET", "POST"])
@admin_required
def postcards() -> ResponseReturnValue:
    form = PostcardForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        if not pdf_available():
            return _no_pdf()
        context = documents.kit_context(
            "pubtools/_cards.html",
            _("Idea postcards"),
            codes.blank_code(),
            pages=form.pages.data,
        )
        content = documents.pdf(context, _("Idea postcards"))
        return _pdf(content, "ideen-postkarten")
    status = 400 if request.method == "POST" else 200
    preview = documents.kit_context(
        "pubtools/_cards.html", _("Idea postcards"), codes.blank_code(), pages=1
    )
    return render_template(
        "pubtools/postcards.html", form=form, pdf_ok=pdf_available(), **preview
    ), status
