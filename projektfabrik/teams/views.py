"""A project's team page (public in the town) and its team space (members only).

Routes never show row ids: projects by their per-town number, people by
their ref, everything else by a random ref. Outside the team, every page of
the team space, its files and its meetings answer 404, whatever the address;
a guest is sent to the login page before anything is looked up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import segno
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.downloads import send_download
from projektfabrik.extensions import db, limiter, login_manager
from projektfabrik.projects import access
from projektfabrik.projects.models import Membership, Project, Status
from projektfabrik.requestsize import accepts_files
from projektfabrik.teams import board as space
from projektfabrik.teams import files, meetings, services
from projektfabrik.teams.forms import (
    CodeForm,
    DecisionForm,
    FileForm,
    InviteForm,
    JoinRequestForm,
    MeetingForm,
    NeedForm,
    PostForm,
    TaskForm,
    TeamMailForm,
    WantedForm,
)
from projektfabrik.teams.models import TeamMeeting
from projektfabrik.teams.tokens import TeamTokenError
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import public_url
from projektfabrik.uploads import UploadRefused
from projektfabrik.viewhelpers import found_or_404, show_refusal

bp = Blueprint("teams", __name__)

CODE_LIMIT = "10 per 15 minutes"
INVITE_LIMIT = "30 per hour"

T = TypeVar("T")
Item = TypeVar("Item")


def with_team_project(view):  # type: ignore[no-untyped-def]
    """The project by its per-town number, and the person's membership (or None)."""

    @wraps(view)
    def wrapper(number: int, **kwargs: Any) -> ResponseReturnValue:
        project = access.project_or_404(number)
        return view(project, access.membership(project, current_user), **kwargs)

    return wrapper


def members_only(view):  # type: ignore[no-untyped-def]
    """Team space: guests log in first; anyone outside the team gets 404."""

    @wraps(view)
    def wrapper(number: int, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        project = access.project_or_404(number)
        member = access.membership(project, current_user)
        if member is None:
            abort(404)
        return view(project, member, **kwargs)

    return wrapper


def owners_only(view):  # type: ignore[no-untyped-def]
    """Team management: 404 outside the team, 403 for members who are not owners."""

    @wraps(view)
    @members_only
    def wrapper(project: Project, member: Membership, **kwargs: Any) -> ResponseReturnValue:
        if not member.is_owner:
            abort(403)
        return view(project, member, **kwargs)

    return wrapper


def _committed(change: Callable[[], object]) -> bool:
    """Run a change and commit it; when the service refuses it, flash why and save nothing."""
    try:
        change()
    except services.TeamError as error:
        flash(error.message, "error")
        return False
    db.session.commit()
    return True


def _to_team(project: Project, anchor: str = "") -> Response:
    return redirect(url_for("teams.team", number=project.number) + anchor)


def _to_board(project: Project, anchor: str = "") -> Response:
    return redirect(url_for("teams.board", number=project.number) + anchor)


# --- the team page ----------------------------------------------------------------


@bp.get("/projekte/<int:number>/team")
@with_team_project
def team(project: Project, member: Membership | None) -> str:
    return _render_team(project, member)


def _render_team(project: Project, member: Membership | None, **forms: Any) -> str:
    user = current_user if current_user.is_authenticated else None
    is_owner = member is not None and member.is_owner
    if is_owner and services.access_or_none(project) is None:
        # The join code is made the first time an owner looks; saved before
        # anything else is loaded, so the commit expires nothing the page uses.
        services.access(project)
        db.session.commit()
    context: dict[str, Any] = {
        "project": project,
        "member": member,
        "is_owner": is_owner,
        "team": access.memberships(project),
        "needs": services.needs(project),
        "my_request": services.pending_request(project, user),
        "closed": project.status == Status.ARCHIVED,
        "join_form": JoinRequestForm(formdata=None, skills=user.skills if user is not None else ""),
    }
    if is_owner:
        context.update(
            requests=services.pending_requests(project),
            decision_form=DecisionForm(formdata=None),
            invite_form=InviteForm(formdata=None),
            wanted_form=WantedForm(
                formdata=None,
                wanted_skills=project.wanted_skills,
                looking_for_members=project.looking_for_members,
            ),
            need_form=NeedForm(formdata=None),
            access=services.access(project),
            matches=services.findable_people(project),
            owner_count=sum(1 for m in context["team"] if m.is_owner),
        )
    context.update(forms)
    return render_template("teams/team.html", **context)


@bp.post("/projekte/<int:number>/team/anfragen")
@login_required
@with_team_project
def ask(project: Project, member: Membership | None) -> ResponseReturnValue:
    form = JoinRequestForm()
    if form.validate_on_submit() and _request_to_join(project, form, invited=False):
        return _to_team(project)
    return _render_team(project, member, join_form=form), 400


def _request_to_join(project: Project, form: JoinRequestForm, *, invited: bool) -> bool:
    """Send the person's request from the team page or an invitation link.

    False when the service refuses it; the form then says why.
    """
    try:
        services.request_to_join(
            project, current_user, form.motivation.data, form.skills.data or "", invited=invited
        )
    except services.TeamError as error:
        show_refusal(form, error)
        return False
    db.session.commit()
    flash(_("Your request is sent. The owners will answer soon."), "success")
    return True


@bp.post("/projekte/<int:number>/team/anfragen/<ref>/zurueckziehen")
@login_required
@with_team_project
def withdraw(project: Project, member: Membership | None, ref: str) -> Response:
    item = services.request_by_ref(project, ref)
    if item is None or item.user_id != current_user.id:
        abort(404)
    if _committed(lambda: services.withdraw_request(item, current_user)):
        flash(_("Your request is withdrawn."), "success")
    return _to_team(project)


@bp.post("/projekte/<int:number>/team/anfragen/<ref>/entscheiden")
@owners_only
def decide(project: Project, member: Membership, ref: str) -> ResponseReturnValue:
    item = found_or_404(services.request_by_ref(project, ref))
    form = DecisionForm()
    decision = request.form.get("decision")
    if decision not in ("accept", "decline"):
        abort(400)
    if form.validate_on_submit():
        try:
            services.decide(
                project, item, current_user, decision == "accept", form.message.data or ""
            )
        except services.TeamError as error:
            flash(error.message, "error")
            db.session.rollback()
        else:
            db.session.commit()
            if decision == "accept":
                flash(
                    _("%(name)s is a member of the team now.", name=item.user.display_name),
                    "success",
                )
            else:
                flash(
                    _("The request is declined; %(name)s is told.", name=item.user.display_name),
                    "success",
                )
        return _to_team(project, "#anfragen")
    return _render_team(project, member, decision_form=form), 400


@bp.post("/projekte/<int:number>/team/einladen")
@limiter.limit(INVITE_LIMIT)
@owners_only
def invite(project: Project, member: Membership) -> ResponseReturnValue:
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite_by_email(
                project, current_user, form.email.data, form.message.data or ""
            )
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The invitation is sent to %(email)s.", email=form.email.data), "success")
            return _to_team(project, "#einladen")
    return _render_team(project, member, invite_form=form), 400


@bp.post("/projekte/<int:number>/team/leute/<ref>/einladen")
@limiter.limit(INVITE_LIMIT)
@owners_only
def invite_person(project: Project, member: Membership, ref: str) -> Response:
    person = next(
        (m.person for m in services.findable_people(project) if m.person.ref == ref), None
    )
    if person is None:
        abort(404)
    if _committed(lambda: services.invite_person(project, current_user, person)):
        flash(_("%(name)s is invited.", name=person.display_name), "success")
    return _to_team(project, "#gefunden")


@bp.route("/projekte/<int:number>/team/einladung/<token>", methods=["GET", "POST"])
@with_team_project
def invitation(project: Project, member: Membership | None, token: str) -> ResponseReturnValue:
    try:
        services.check_invitation(project, token)
    except TeamTokenError as error:
        return render_template("teams/invitation_invalid.html", reason=error.reason), 400
    if not current_user.is_authenticated:
        return render_template("teams/invitation.html", project=project, form=None)
    if member is not None:
        flash(_("You are already a member of this team."), "success")
        return _to_team(project)
    pending = services.pending_request(project, current_user)
    form = JoinRequestForm(
        formdata=request.form if request.method == "POST" else None, skills=current_user.skills
    )
    if (
        request.method == "POST"
        and pending is None
        and form.validate_on_submit()
        and _request_to_join(project, form, invited=True)
    ):
        return _to_team(project)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "teams/invitation.html", project=project, form=form, pending=pending
    ), status


@bp.get("/projekte/<int:number>/team/code")
@owners_only
def code(project: Project, member: Membership) -> str:
    access = services.access(project)
    db.session.commit()
    join_url = public_url(current_tenant(), url_for("teams.join_by_code", code=access.display_code))
    qr = segno.make(join_url, error="m")
    return render_template(
        "teams/code.html",
        project=project,
        access=access,
        join_url=join_url,
        join_page=public_url(current_tenant(), url_for("teams.join_by_code")),
        qr=qr.svg_data_uri(scale=6, border=2, dark="#000", light="#fff"),
    )


@bp.post("/projekte/<int:number>/team/code/neu")
@owners_only
def new_code(project: Project, member: Membership) -> Response:
    services.regenerate_code(project, current_user)
    db.session.commit()
    flash(
        _(
            "The project has a new join code. The old code and earlier invitation links no longer work."
        ),
        "success",
    )
    return redirect(url_for("teams.code", number=project.number))


@bp.route("/beitreten", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, methods=["POST"])
@login_required
def join_by_code() -> ResponseReturnValue:
    form = CodeForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[:20]
    if request.method == "POST" and form.validate_on_submit():
        try:
            project = services.join_with_code(form.code.data, current_user)
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Welcome to the team of “%(title)s”!", title=project.title), "success")
            return _to_board(project)
    status = 400 if request.method == "POST" else 200
    return render_template("teams/join_code.html", form=form), status


@bp.post("/projekte/<int:number>/team/verlassen")
@members_only
def leave(project: Project, member: Membership) -> Response:
    if not _committed(lambda: services.leave(project, current_user)):
        return _to_team(project, "#mein-platz")
    flash(_("You have left the team of “%(title)s”.", title=project.title), "success")
    return redirect(url_for("marketplace.project", number=project.number))


def _change_member(
    project: Project, ref: str, change: Callable[[Project, Any, str], Any], done: LazyString
) -> Response:
    """Remove a member, make them an owner or hand the project over to them.

    ``done`` is lazy so that it is translated after the commit, as before.
    """
    found_or_404(services.member_by_ref(project, ref))
    try:
        person = change(project, current_user, ref)
    except services.TeamError as error:
        flash(error.message, "error")
        db.session.rollback()
        return _to_team(project, "#mitglieder")
    db.session.commit()
    flash(done % {"name": person.display_name}, "success")
    return _to_team(project, "#mitglieder")


@bp.post("/projekte/<int:number>/team/mitglieder/<ref>/entfernen")
@owners_only
def remove(project: Project, member: Membership, ref: str) -> Response:
    return _change_member(
        project, ref, services.remove, _l("%(name)s is no longer a member of the team.")
    )


@bp.post("/projekte/<int:number>/team/mitglieder/<ref>/mitinhaber")
@owners_only
def make_owner(project: Project, member: Membership, ref: str) -> Response:
    return _change_member(
        project, ref, services.make_owner, _l("%(name)s is an owner of the project now.")
    )


@bp.post("/projekte/<int:number>/team/mitglieder/<ref>/uebergeben")
@owners_only
def hand_over(project: Project, member: Membership, ref: str) -> Response:
    return _change_member(
        project,
        ref,
        services.hand_over,
        _l("You handed the project over to %(name)s. You are a member now."),
    )


@bp.post("/projekte/<int:number>/team/mitglieder/<ref>/aufgabe")
@members_only
def set_task(project: Project, member: Membership, ref: str) -> Response:
    target = found_or_404(services.member_by_ref(project, ref))
    if target.user_id != current_user.id and not member.is_owner:
        abort(403)
    form = TaskForm()
    if not form.validate_on_submit():
        flash(_("The task may have at most 120 characters."), "error")
        return _to_team(project, "#mitglieder")
    services.set_task(project, current_user, ref, form.task.data or "")
    db.session.commit()
    flash(_("The task is saved."), "success")
    return _to_team(project, "#mitglieder")


@bp.post("/projekte/<int:number>/team/abgeben")
@owners_only
def step_down(project: Project, member: Membership) -> Response:
    if _committed(lambda: services.step_down(project, current_user)):
        flash(_("You are a member of the team now; the other owners lead it."), "success")
    return _to_team(project, "#mein-platz")


@bp.post("/projekte/<int:number>/team/schliessen")
@owners_only
def close(project: Project, member: Membership) -> Response:
    services.close_project(project, current_user)
    db.session.commit()
    flash(
        _("The project is closed (archived). You can reopen it by changing its status."), "success"
    )
    return redirect(url_for("marketplace.project", number=project.number))


@bp.post("/projekte/<int:number>/team/gesucht")
@owners_only
def wanted(project: Project, member: Membership) -> ResponseReturnValue:
    form = WantedForm()
    if form.validate_on_submit():
        services.set_wanted_skills(
            project,
            current_user,
            form.wanted_skills.data or "",
            bool(form.looking_for_members.data),
        )
        db.session.commit()
        flash(_("Saved: what the team is looking for."), "success")
        return _to_team(project, "#gesucht")
    return _render_team(project, member, wanted_form=form), 400


@bp.post("/projekte/<int:number>/team/gesucht/neu")
@owners_only
def add_need(project: Project, member: Membership) -> ResponseReturnValue:
    form = NeedForm()
    if form.validate_on_submit():
        try:
            services.add_need(
                project, current_user, form.kind.data, form.title.data, form.note.data or ""
            )
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            return _to_team(project, "#gesucht")
    return _render_team(project, member, need_form=form), 400


@bp.post("/projekte/<int:number>/team/gesucht/<ref>/loeschen")
@owners_only
def remove_need(project: Project, member: Membership, ref: str) -> Response:
    try:
        services.remove_need(project, current_user, ref)
    except services.TeamError:
        abort(404)
    db.session.commit()
    return _to_team(project, "#gesucht")


# --- the team space: board and team mail ---------------------------------------------


def _delete_or_403(delete: Callable[[Project, Item, Any], T], project: Project, item: Item) -> T:
    """Delete what a member shared and commit; only its author or an owner may (403)."""
    try:
        result = delete(project, item, current_user)
    except services.TeamError:
        abort(403)
    db.session.commit()
    return result


def _page_arg() -> int:
    raw = request.args.get("seite", "1")
    return int(raw) if raw.isdigit() and len(raw) < 6 else 1


@bp.get("/projekte/<int:number>/teamraum")
@members_only
def board(project: Project, member: Membership) -> str:
    return _render_board(project, member)


def _render_board(project: Project, member: Membership, **forms: Any) -> str:
    page = _page_arg()
    items, more = space.posts(project, page)
    upcoming, _past = meetings.meetings(project)
    context: dict[str, Any] = {
        "project": project,
        "member": member,
        "posts": items,
        "page": page,
        "more": more,
        "upcoming": upcoming[:3],
        "can_edit_post": lambda item: space.can_edit_post(item, current_user),
        "post_form": PostForm(formdata=None),
        "mail_form": TeamMailForm(formdata=None),
    }
    context.update(forms)
    return render_template("teams/board.html", **context)


@bp.post("/projekte/<int:number>/teamraum/beitraege")
@members_only
def add_post(project: Project, member: Membership) -> ResponseReturnValue:
    form = PostForm()
    if form.validate_on_submit():
        try:
            item = space.post(project, current_user, form.body.data)
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            return _to_board(project, f"#beitrag-{item.ref}")
    return _render_board(project, member, post_form=form), 400


@bp.post("/projekte/<int:number>/teamraum/beitraege/<ref>/loeschen")
@members_only
def delete_post(project: Project, member: Membership, ref: str) -> Response:
    item = found_or_404(space.post_by_ref(project, ref))
    _delete_or_403(space.delete_post, project, item)
    flash(_("The post is deleted."), "success")
    return _to_board(project)


@bp.route("/projekte/<int:number>/teamraum/beitraege/<ref>/bearbeiten", methods=["GET", "POST"])
@members_only
def edit_post(project: Project, member: Membership, ref: str) -> ResponseReturnValue:
    """The author changes their post's text within the window (403 for anyone else).

    A text sent after the window closed is refused beside the field and shown
    again as typed, so nothing typed is lost.
    """
    item = found_or_404(space.post_by_ref(project, ref))
    if not space.is_own_post(item, current_user) or (
        request.method == "GET" and not space.can_edit_post(item, current_user)
    ):
        abort(403)
    form = PostForm() if request.method == "POST" else PostForm(formdata=None, obj=item)
    if form.validate_on_submit():
        try:
            space.edit_post(project, item, current_user, form.body.data)
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Your post is changed."), "success")
            return _to_board(project, f"#beitrag-{item.ref}")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "teams/post_edit.html", project=project, member=member, item=item, form=form
    ), status


@bp.post("/projekte/<int:number>/teamraum/mail")
@limiter.limit("20 per hour")
@members_only
def team_mail(project: Project, member: Membership) -> ResponseReturnValue:
    form = TeamMailForm()
    if form.validate_on_submit():
        try:
            item = space.send_team_mail(project, current_user, form.subject.data, form.body.data)
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Your mail is on its way to the team."), "success")
            return _to_board(project, f"#beitrag-{item.ref}")
    return _render_board(project, member, mail_form=form), 400


@bp.post("/projekte/<int:number>/teamraum/mail/neue-adresse")
@members_only
def new_reply_address(project: Project, member: Membership) -> ResponseReturnValue:
    space.rotate_reply_address(project, current_user)
    db.session.commit()
    flash(_("Your reply address is new. Answers to older team mails are refused."), "success")
    return _to_board(project, "#teammail")


# --- files ---------------------------------------------------------------------------


def _file_form() -> FileForm:
    form = FileForm()
    form.file.description = _(
        "PDF, pictures (PNG, JPEG, WebP), OpenDocument, Word, Excel or plain text; "
        "at most %(mb)d MB.",
        mb=files.max_bytes() // (1024 * 1024),
    )
    return form


@bp.route("/projekte/<int:number>/teamraum/dateien", methods=["GET", "POST"])
@accepts_files
@members_only
def files_page(project: Project, member: Membership) -> ResponseReturnValue:
    form = _file_form()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            item = space.add_file(project, current_user, upload.stream, upload.filename or "")
        except (UploadRefused, services.TeamError) as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("“%(name)s” is shared with the team.", name=item.filename), "success")
            return redirect(url_for("teams.files_page", number=project.number))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "teams/files.html",
        project=project,
        member=member,
        form=form,
        files=space.team_files(project),
        accept=files.ACCEPT,
    ), status


@bp.get("/projekte/<int:number>/teamraum/dateien/<ref>/<path:filename>")
@members_only
def download(project: Project, member: Membership, ref: str, filename: str) -> Response:
    item = found_or_404(space.file_by_ref(project, ref))
    stored = files.stored(item.stored_name)
    if stored is None:
        abort(404)
    return send_download(stored, item.filename, item.mimetype)


@bp.post("/projekte/<int:number>/teamraum/dateien/<ref>/loeschen")
@members_only
def delete_file(project: Project, member: Membership, ref: str) -> Response:
    item = found_or_404(space.file_by_ref(project, ref))
    stored_name = _delete_or_403(space.delete_file, project, item)
    files.delete(stored_name)  # after the commit: a rollback must not lose the file
    flash(_("The file is deleted."), "success")
    return redirect(url_for("teams.files_page", number=project.number))


# --- meetings ----------------------------------------------------------------------


def _meeting_input(form: MeetingForm) -> meetings.MeetingInput:
    return meetings.MeetingInput(
        title=form.title.data,
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        place=form.place.data or "",
        video_url=form.video_url.data or "",
        description=form.description.data or "",
    )


def _to_meeting(project: Project, meeting: TeamMeeting) -> Response:
    return redirect(
        url_for("teams.meetings_page", number=project.number) + f"#treffen-{meeting.ref}"
    )


@bp.route("/projekte/<int:number>/teamraum/treffen", methods=["GET", "POST"])
@members_only
def meetings_page(project: Project, member: Membership) -> ResponseReturnValue:
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = meetings.create(project, current_user, _meeting_input(form))
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The meeting is planned; the team is told."), "success")
            return _to_meeting(project, meeting)
    upcoming, past = meetings.meetings(project)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "teams/meetings.html",
        project=project,
        member=member,
        form=form,
        upcoming=upcoming,
        past=past,
    ), status


@bp.get("/projekte/<int:number>/teamraum/treffen/<ref>.ics")
@members_only
def meeting_ics(project: Project, member: Membership, ref: str) -> Response:
    meeting = found_or_404(meetings.by_ref(project, ref))
    return send_download(
        meetings.to_ics(project, meeting), f"treffen-{meeting.ref}.ics", "text/calendar"
    )


@bp.route("/projekte/<int:number>/teamraum/treffen/<ref>/bearbeiten", methods=["GET", "POST"])
@members_only
def edit_meeting(project: Project, member: Membership, ref: str) -> ResponseReturnValue:
    """Reschedule or change a meeting: its planner or an owner (403 for other members)."""
    meeting = found_or_404(meetings.by_ref(project, ref))
    if not meetings.may_change(project, meeting, current_user):
        abort(403)
    if request.method == "POST":
        form = MeetingForm()
    else:
        form = MeetingForm(formdata=None, obj=meetings.input_of(meeting))
    if form.validate_on_submit():
        try:
            changed = meetings.update(project, meeting, current_user, _meeting_input(form))
        except services.TeamError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            if changed:
                flash(_("The meeting is changed."), "success")
            return _to_meeting(project, meeting)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "teams/meeting_edit.html", project=project, member=member, meeting=meeting, form=form
    ), status


@bp.post("/projekte/<int:number>/teamraum/treffen/<ref>/absagen")
@members_only
def delete_meeting(project: Project, member: Membership, ref: str) -> Response:
    """Cancel a meeting (its planner or an owner, 403 for other members); the team is told."""
    meeting = found_or_404(meetings.by_ref(project, ref))
    _delete_or_403(meetings.cancel, project, meeting)
    flash(_("The meeting is cancelled; the team is told."), "success")
    return redirect(url_for("teams.meetings_page", number=project.number))
