"""The council motion pages under /antraege. The core answers 404 here while the town
has the plugin switched off, before any of this code runs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from projektfabrik.api import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Throttle,
    UploadRefused,
    _,
    accepts_files,
    cached_for_visitors,
    check_upload,
    client_address,
    current_user,
    db,
    find_project,
    found_or_404,
    is_project_editor,
    login_required,
    render_template,
    send_download,
    show_refusal,
    store_upload,
    stored_upload,
    upload_limit_mb,
)
from projektfabrik_councilmotion import exports, pdf, services
from projektfabrik_councilmotion.forms import (
    ListForm,
    MotionForm,
    PaperForm,
    StepForm,
    SupportForm,
    TakeOnForm,
)
from projektfabrik_councilmotion.models import PUBLIC_STATES, Motion, State

bp = Blueprint(
    "councilmotion",
    __name__,
    url_prefix="/antraege",
    template_folder="templates",
    static_folder="static",
)

#: Wrong or right, every look-up of a group's link counts: a token is a secret.
TOKEN_TRIES = Throttle("councilmotion.token", "30 per hour")
SCANS = "councilmotion"


def _viewable(ref: str) -> Motion:
    motion = found_or_404(services.find_motion(ref))
    if not services.may_view(motion, current_user):
        abort(404)
    return motion


def _team_only(ref: str) -> Motion:
    motion = found_or_404(services.find_motion(ref))
    if not services.is_team(motion, current_user):
        abort(404 if motion.state not in PUBLIC_STATES else 403)
    return motion


def _clerk_only(ref: str) -> Motion:
    if not services.is_clerk(current_user):
        abort(403)
    return found_or_404(services.find_motion(ref))


# --- public ------------------------------------------------------------------------------


@bp.get("/")
@cached_for_visitors
def index() -> ResponseReturnValue:
    wanted = request.args.get("stand", "")
    state = State(wanted) if wanted in {s.value for s in PUBLIC_STATES} else None
    return render_template(
        "councilmotion/index.html",
        motions=services.public_motions(state),
        states=services.marketplace_states(),
        chosen=state,
        services=services,
    )


@bp.get("/<ref>")
def motion(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    return _motion_page(found, SupportForm())


def _motion_page(
    found: Motion, support_form: SupportForm, status: int = 200
) -> ResponseReturnValue:
    team = services.is_team(found, current_user)
    return render_template(
        "councilmotion/motion.html",
        motion=found,
        project=found.project,
        team=team,
        clerk=services.is_clerk(current_user),
        services=services,
        settings=services.settings(),
        counts=services.counts(found),
        problems=services.problems(found) if team and found.state == State.DRAFT else [],
        next_steps=[s for s in services.next_steps(found, current_user) if "team" in s.roles],
        groups=services.groups(),
        requests=services.group_requests(found),
        support_form=support_form,
        supported=services.own_support(found, current_user) is not None,
        pdf_ok=pdf.available(),
    ), status


@bp.post("/<ref>/unterstuetzen")
@login_required
def support(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    form = SupportForm()
    if not form.validate_on_submit():
        return _motion_page(found, form, 400)
    try:
        services.support(
            found,
            current_user,
            family_name=form.family_name.data or "",
            first_name=form.first_name.data or "",
            birth_date=form.birth_date.data,
            address=form.address.data or "",
        )
    except services.MotionError as error:
        show_refusal(form, error)
        return _motion_page(found, form, 400)
    db.session.commit()
    flash(_("Thank you: your online support is counted."), "success")
    return redirect(url_for("councilmotion.motion", ref=found.ref))


@bp.get("/<ref>/antrag.pdf")
def motion_pdf(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    show_lists = services.is_clerk(current_user) or services.is_team(found, current_user)
    return pdf.motion(found, with_counts=show_lists)


@bp.get("/<ref>/unterschriftenliste.pdf")
def signature_list(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    if found.state != State.COLLECTING and not services.is_team(found, current_user):
        abort(404)
    return pdf.signature_list(found)


# --- the project's tab and the team ---------------------------------------------------------


@bp.get("/projekt/<project_ref>")
def project_tab(project_ref: str) -> ResponseReturnValue:
    project = found_or_404(find_project(project_ref))
    found = services.motion_of(project)
    editor = is_project_editor(project, current_user)
    if found is not None and not services.may_view(found, current_user):
        found = None
    return render_template(
        "councilmotion/project_tab.html",
        project=project,
        motion=found,
        editor=editor,
        services=services,
        counts=services.counts(found) if found is not None else None,
    )


@bp.post("/projekt/<project_ref>/entwurf")
@login_required
def start(project_ref: str) -> ResponseReturnValue:
    project = found_or_404(find_project(project_ref))
    if not is_project_editor(project, current_user):
        abort(403)
    found = services.start_draft(project, current_user)
    db.session.commit()
    return redirect(url_for("councilmotion.edit", ref=found.ref))


@bp.route("/<ref>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(ref: str) -> ResponseReturnValue:
    found = _team_only(ref)
    if found.state != State.DRAFT:
        flash(_("The motion has left the draft stage and can no longer be changed."), "error")
        return redirect(url_for("councilmotion.motion", ref=found.ref))
    form = MotionForm(data={**services.text_of(found), "version": found.version})
    status = 200
    if request.method == "POST":
        form = MotionForm()
        if form.validate_on_submit():
            try:
                typed = str(form.version.data or "")
                version = int(typed) if typed.isdigit() and len(typed) < 9 else -1
                changed = services.save_text(found, current_user, dict(form.data), version)
            except services.MotionError as error:
                show_refusal(form, error)
                status = 409
            else:
                db.session.commit()
                flash(
                    _("The motion is saved as version %(number)s.", number=found.version)
                    if changed
                    else _("Nothing has changed."),
                    "success",
                )
                return redirect(url_for("councilmotion.motion", ref=found.ref))
        else:
            status = 400
    return render_template(
        "councilmotion/edit.html",
        motion=found,
        project=found.project,
        form=form,
        problems=services.problems(found),
        settings=services.settings(),
    ), status


@bp.get("/<ref>/versionen")
@login_required
def versions(ref: str) -> ResponseReturnValue:
    found = _team_only(ref)
    return render_template(
        "councilmotion/versions.html",
        motion=found,
        project=found.project,
        versions=services.versions(found),
        services=services,
    )


@bp.post("/<ref>/versionen/<int:number>")
@login_required
def restore(ref: str, number: int) -> ResponseReturnValue:
    found = _team_only(ref)
    typed = request.form.get("version", "")
    expected = int(typed) if typed.isdigit() and len(typed) < 9 else -1
    try:
        services.restore(found, current_user, number, expected)
    except services.MotionError as error:
        show_refusal(None, error)
        return redirect(url_for("councilmotion.versions", ref=found.ref))
    db.session.commit()
    flash(_("Version %(number)s is back as the current text.", number=number), "success")
    return redirect(url_for("councilmotion.motion", ref=found.ref))


@bp.post("/<ref>/fraktionen")
@login_required
def send(ref: str) -> ResponseReturnValue:
    found = _team_only(ref)
    try:
        services.send(found, current_user, request.form.getlist("groups"))
    except services.MotionError as error:
        show_refusal(None, error)
        return redirect(url_for("councilmotion.motion", ref=found.ref))
    db.session.commit()
    flash(_("The motion is on its way to the council groups you chose."), "success")
    return redirect(url_for("councilmotion.motion", ref=found.ref))


@bp.post("/<ref>/schritt")
@login_required
def team_step(ref: str) -> ResponseReturnValue:
    found = _team_only(ref)
    wanted = request.form.get("state", "")
    if wanted not in (State.COLLECTING.value, State.FILED.value, State.DRAFT.value):
        abort(400)
    try:
        if wanted == State.COLLECTING.value:
            services.start_collecting(found, current_user)
        else:
            services.take_step(found, current_user, State(wanted))
    except services.MotionError as error:
        show_refusal(None, error)
        return redirect(url_for("councilmotion.motion", ref=found.ref))
    db.session.commit()
    flash(services.state_label(found.state), "success")
    return redirect(url_for("councilmotion.motion", ref=found.ref))


# --- a council group's link (no account) ----------------------------------------------------


@bp.route("/fraktion/<token>", methods=["GET", "POST"])
def group_view(token: str) -> ResponseReturnValue:
    if not TOKEN_TRIES.hit(client_address()):
        abort(429)
    found_request = found_or_404(services.find_group_request(token))
    found = found_or_404(db.session.get(Motion, found_request.motion_id))
    form = TakeOnForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.take_on(found_request, form.name.data or "")
            except services.MotionError as error:
                show_refusal(form, error)
                status = 400
            else:
                db.session.commit()
                flash(_("Thank you: the team sees that your group carries the motion."), "success")
                return redirect(request.path)
        else:
            status = 400
    return render_template(
        "councilmotion/group.html",
        motion=found,
        group_request=found_request,
        form=form,
        services=services,
        settings=services.settings(),
    ), status


# --- the town's clerks ----------------------------------------------------------------------


@bp.get("/verwaltung/")
@login_required
def clerk_index() -> ResponseReturnValue:
    if not services.is_clerk(current_user):
        abort(403)
    return render_template(
        "councilmotion/clerk_index.html",
        motions=services.public_motions(),
        services=services,
    )


def _clerk_page(found: Motion, status: int = 200, **forms: Any) -> ResponseReturnValue:
    return render_template(
        "councilmotion/clerk_motion.html",
        motion=found,
        project=found.project,
        services=services,
        steps=services.clerk_steps(found, current_user),
        step_form=forms.get("step_form") or StepForm(),
        paper_form=forms.get("paper_form")
        or PaperForm(data={"paper_reference": found.paper_reference, "paper_url": found.paper_url}),
        list_form=forms.get("list_form") or ListForm(),
        counts=services.counts(found),
        lists=services.lists_of(found),
        signatures=services.signatures(found),
        duplicates=services.duplicates(found),
        purge_date=services.purge_date(found),
        upload_mb=upload_limit_mb(),
        settings=services.settings(),
    ), status


@bp.get("/verwaltung/<ref>")
@login_required
def clerk_motion(ref: str) -> ResponseReturnValue:
    return _clerk_page(_clerk_only(ref))


@bp.post("/verwaltung/<ref>/schritt")
@login_required
def clerk_step(ref: str) -> ResponseReturnValue:
    found = _clerk_only(ref)
    form = StepForm()
    if not form.validate_on_submit():
        return _clerk_page(found, 400, step_form=form)
    if form.state.data not in {s.target for s in services.clerk_steps(found, current_user)}:
        form.state.errors = [_("This step is not possible now.")]
        return _clerk_page(found, 400, step_form=form)
    try:
        services.take_step(
            found,
            current_user,
            State(form.state.data),
            on=form.on.data,
            note=form.note.data or "",
            link=form.link.data or "",
        )
    except services.MotionError as error:
        show_refusal(form, error)
        return _clerk_page(found, 400, step_form=form)
    db.session.commit()
    flash(_("Recorded: %(state)s.", state=services.state_label(found.state)), "success")
    return redirect(url_for("councilmotion.clerk_motion", ref=found.ref))


@bp.post("/verwaltung/<ref>/vorlage")
@login_required
def clerk_paper(ref: str) -> ResponseReturnValue:
    found = _clerk_only(ref)
    form = PaperForm()
    if not form.validate_on_submit():
        return _clerk_page(found, 400, paper_form=form)
    try:
        services.set_paper(found, form.paper_reference.data or "", form.paper_url.data or "")
    except services.MotionError as error:
        show_refusal(form, error)
        return _clerk_page(found, 400, paper_form=form)
    db.session.commit()
    flash(_("The council's paper is saved."), "success")
    return redirect(url_for("councilmotion.clerk_motion", ref=found.ref))


@bp.post("/verwaltung/<ref>/listen")
@login_required
@accepts_files
def clerk_list(ref: str) -> ResponseReturnValue:
    found = _clerk_only(ref)
    form = ListForm()
    if not form.validate_on_submit():
        return _clerk_page(found, 400, list_form=form)
    scan = None
    upload = request.files.get("scan")
    if upload is not None and upload.filename:
        try:
            checked = check_upload(
                upload.stream, ["pdf", "png", "jpeg"], original_name=upload.filename, field="scan"
            )
            # A failing storage refuses the same way; a later refusal's rollback removes the file.
            scan = (
                store_upload(SCANS, checked, field="scan"),
                checked.display_name,
                checked.kind.mimetype,
            )
        except UploadRefused as refused:
            flash(refused.message, "error")
            return _clerk_page(found, 400, list_form=form)
    try:
        services.add_list(found, current_user, form.count.data or 0, form.signers.data or "", scan)
    except services.MotionError as error:
        show_refusal(form, error)
        return _clerk_page(found, 400, list_form=form)
    db.session.commit()
    flash(_("The list is entered."), "success")
    return redirect(url_for("councilmotion.clerk_motion", ref=found.ref))


@bp.get("/verwaltung/<ref>/unterschriften.<fmt>")
@login_required
def clerk_export(ref: str, fmt: str) -> ResponseReturnValue:
    found = _clerk_only(ref)
    name = f"unterschriften-{found.ref}.{fmt}"
    if fmt == "csv":
        return send_download(exports.as_csv(found), name, CSV_MIMETYPE)
    if fmt == "xlsx":
        return send_download(exports.as_xlsx(found), name, XLSX_MIMETYPE)
    abort(404)


@bp.get("/verwaltung/<ref>/listen/<list_ref>/scan")
@login_required
def clerk_scan(ref: str, list_ref: str) -> ResponseReturnValue:
    found = _clerk_only(ref)
    entry = found_or_404(services.find_list(found, list_ref))
    stored = found_or_404(stored_upload(SCANS, entry.scan_name))
    return send_download(stored, entry.scan_display_name or "scan", entry.scan_kind)
