"""The marketplace, project pages and what people do on them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from projektfabrik.downloads import send_download
from projektfabrik.extensions import db
from projektfabrik.images import ImageError, stored_image
from projektfabrik.marketplace import services
from projektfabrik.marketplace.forms import (
    CommentForm,
    NewIdeaForm,
    ProjectForm,
    ReportForm,
    StatusForm,
    UpdateForm,
)
from projektfabrik.marketplace.listing import Filters, list_projects
from projektfabrik.marketplace.models import Comment
from projektfabrik.markup import render_markdown
from projektfabrik.pagecache import cached_for_visitors
from projektfabrik.plugins.runtime import LazyList, marketplace_filters
from projektfabrik.projects import access
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Project, Status
from projektfabrik.requestsize import accepts_files
from projektfabrik.tenancy.districts import district_names, districts
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.viewhelpers import show_refusal

bp = Blueprint("marketplace", __name__)
bp.add_app_template_global(projects.status_label, "status_label")


def _choices(form: ProjectForm) -> None:
    form.category.choices = [SelectChoice("", _("No category"))] + [
        SelectChoice(c.name) for c in projects.categories()
    ]
    form.district.choices = [SelectChoice("", _("Whole town"))] + [
        SelectChoice(d.name) for d in districts()
    ]


def _input(form: ProjectForm) -> services.ProjectInput:
    return services.ProjectInput(
        title=form.title.data or "",
        pitch=form.pitch.data or "",
        description_md=form.description_md.data or "",
        category=form.category.data or "",
        district=form.district.data or "",
        wanted_skills=form.wanted_skills.data or "",
        looking_for_members=bool(form.looking_for_members.data),
        image_alt=form.image_alt.data or "",
    )


def _show_error(form: Any, error: services.MarketplaceError | ImageError) -> None:
    db.session.rollback()
    name = getattr(error, "field", None) or ("image" if isinstance(error, ImageError) else None)
    field = getattr(form, name, None) if name else None
    message = getattr(error, "message", str(error))
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        flash(message, "error")


def _back(project: Project, anchor: str = "") -> Response:
    return redirect(url_for("marketplace.project", number=project.number) + anchor)


# --- the list ------------------------------------------------------------------


@bp.get("/projekte")
@cached_for_visitors
def index() -> str:
    user = current_user if current_user.is_authenticated else None
    plugin_filters = marketplace_filters()
    filters = Filters.from_args(request.args, plugin_filters).for_person(user)
    return render_template(
        "marketplace/index.html",
        filters=filters,
        page=list_projects(filters, plugin_filters=plugin_filters),
        plugin_filters=plugin_filters,
        categories=projects.category_names(),
        districts=district_names(),
        # Translated only when the filter form is built or a status chip shown:
        # most requests take the form from the worker's memory (workercache.py).
        statuses=LazyList(lambda: [(s.value, projects.status_label(s)) for s in Status]),
    )


# --- publishing and editing ------------------------------------------------------


@bp.route("/projekte/neu", methods=["GET", "POST"])
@accepts_files
@login_required
def new() -> ResponseReturnValue:
    form = NewIdeaForm()
    _choices(form)
    if form.validate_on_submit():
        try:
            project = services.publish_idea(
                current_user,
                _input(form),
                lead=bool(form.lead.data),
                image=form.image.data.stream if form.image.data else None,
            )
        except (services.MarketplaceError, ImageError) as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your idea is published."), "success")
            return _back(project)
    return render_template("marketplace/edit.html", form=form, project=None)


@bp.route("/projekte/<int:number>/bearbeiten", methods=["GET", "POST"])
@accepts_files
@login_required
@access.with_project
def edit(project: Project) -> ResponseReturnValue:
    if not access.can_manage(project, current_user):
        abort(404 if not access.is_member(project, current_user) else 403)
    form = ProjectForm(obj=project if request.method == "GET" else None)
    _choices(form)
    if request.method == "GET":
        form.category.data = project.category.name if project.category else ""
        form.district.data = project.district.name if project.district else ""
    if form.validate_on_submit():
        try:
            services.update_project(
                project,
                _input(form),
                image=form.image.data.stream if form.image.data else None,
                remove_image=bool(form.remove_image.data),
            )
        except (services.MarketplaceError, ImageError) as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(_("The project is saved."), "success")
            return _back(project)
    return render_template("marketplace/edit.html", form=form, project=project)


# --- the project page ------------------------------------------------------------


@bp.get("/projekte/<int:number>")
@cached_for_visitors
def project(number: int) -> str:
    return _render_project(
        access.project_or_404(number, access.find_project_for_page), "marketplace/project.html"
    )


@bp.get("/projekte/<int:number>/drucken")
@cached_for_visitors
def print_view(number: int) -> str:
    return _render_project(
        access.project_or_404(number, access.find_project_for_page), "marketplace/print.html"
    )


def _render_project(project: Project, template: str, **forms: Any) -> str:
    user = current_user if current_user.is_authenticated else None
    member = next((m for m in project.memberships if user and m.user_id == user.id), None)
    marks = services.marks(project, user)
    context = {
        "project": project,
        "description": render_markdown(project.description_md),
        "team": project.memberships,
        "member": member,
        "can_edit": access.can_manage_as(user, member),
        "has_owner": any(m.is_owner for m in project.memberships),
        "supported": marks.supported,
        "following": marks.following,
        # Read only when a template shows them and the worker has not kept the
        # HTML (cached_fragment in marketplace/project.html).
        "updates": LazyList(
            lambda: [(u, render_markdown(u.body_md)) for u in services.updates(project)]
        ),
        "comments": services.comments(project),
        "history": LazyList(lambda: projects.status_history(project)),
        "can_edit_comment": lambda c: services.can_edit_comment(c, user),
        "share_url": external_url_for("marketplace.project", number=project.number),
    }
    if user is not None:
        # Only people who are logged in see forms. Building one writes a CSRF
        # token into the session, which would keep a visitor's page out of the
        # page cache.
        context["comment_form"] = CommentForm(formdata=None)
        context["update_form"] = UpdateForm(formdata=None)
        # Built only where the page does not take the status choice from the
        # worker's memory (cached_fragment in marketplace/project.html).
        context["build_status_form"] = lambda: _status_form(project)
    context.update(forms)
    return render_template(template, **context)


def _status_form(project: Project) -> StatusForm:
    form = StatusForm(formdata=None, status=project.status.value)
    form.status.choices = [SelectChoice(s.value, projects.status_label(s)) for s in Status]
    return form


@bp.get("/projekte/<int:number>/bild/<filename>")
@access.with_project
def image(project: Project, filename: str) -> Response:
    if project.image_file != filename:
        abort(404)
    stored = stored_image(services.IMAGE_AREA, filename)
    if stored is None:
        abort(404)
    return send_download(
        stored, filename, "image/webp", inline_image=True, max_age=86400, private=False
    )


# --- actions ---------------------------------------------------------------------


@bp.post("/projekte/<int:number>/unterstuetzen")
@login_required
@access.with_project
def support(project: Project) -> Response:
    now = services.toggle_support(project, current_user)
    db.session.commit()
    flash(_("Thank you for your support!") if now else _("Your support is withdrawn."), "success")
    return _back(project, "#unterstuetzung")


@bp.post("/projekte/<int:number>/folgen")
@login_required
@access.with_project
def follow(project: Project) -> Response:
    now = projects.toggle_follow(project, current_user)
    db.session.commit()
    flash(
        _("You follow this project and will hear about news.")
        if now
        else _("You no longer follow this project."),
        "success",
    )
    return _back(project, "#unterstuetzung")


@bp.post("/projekte/<int:number>/uebernehmen")
@login_required
@access.with_project
def adopt(project: Project) -> Response:
    try:
        services.adopt(project, current_user)
    except services.MarketplaceError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("You lead this project now. Good luck!"), "success")
    return _back(project)


@bp.post("/projekte/<int:number>/status")
@login_required
@access.with_project
def change_status(project: Project) -> Response:
    if not access.can_manage(project, current_user):
        abort(403)
    value = request.form.get("status", "")
    if value not in {s.value for s in Status}:
        abort(400)
    projects.change_status(project, Status(value), current_user)
    db.session.commit()
    flash(_("The status is now: %(status)s", status=projects.status_label(value)), "success")
    return _back(project)


@bp.post("/projekte/<int:number>/neuigkeiten")
@login_required
@access.with_project
def post_update(project: Project) -> ResponseReturnValue:
    if not access.is_member(project, current_user) and not access.can_manage(project, current_user):
        abort(403)
    form = UpdateForm()
    if form.validate_on_submit():
        item = services.post_update(project, current_user, form.body.data)
        db.session.commit()
        flash(_("Your news is published."), "success")
        return _back(project, f"#neuigkeit-{item.ref}")
    return _render_project(project, "marketplace/project.html", update_form=form), 400


@bp.post("/projekte/<int:number>/kommentare")
@login_required
@access.with_project
def comment(project: Project) -> ResponseReturnValue:
    form = CommentForm()
    if form.validate_on_submit():
        parent = _comment_by_ref(project, form.parent.data) if form.parent.data else None
        try:
            item = services.add_comment(
                project, current_user, form.body.data, parent.id if parent else None
            )
        except services.MarketplaceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            return _back(project, f"#kommentar-{item.ref}")
    return _render_project(project, "marketplace/project.html", comment_form=form), 400


def _comment_by_ref(project: Project, ref: str) -> Comment:
    found = db.session.scalar(
        select(Comment).where(Comment.ref == ref, Comment.project_id == project.id)
    )
    if found is None:
        abort(404)
    return found


@bp.route("/projekte/<int:number>/kommentare/<ref>/bearbeiten", methods=["GET", "POST"])
@login_required
@access.with_project
def edit_comment(project: Project, ref: str) -> ResponseReturnValue:
    item = _comment_by_ref(project, ref)
    if not services.can_edit_comment(item, current_user):
        abort(403)
    form = CommentForm(obj=item if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_comment(item, current_user, form.body.data)
        except services.MarketplaceError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            return _back(project, f"#kommentar-{item.ref}")
    return render_template("marketplace/edit_comment.html", form=form, project=project, item=item)


@bp.route("/projekte/<int:number>/neuigkeiten/<ref>/melden", methods=["GET", "POST"])
@login_required
@access.with_project
def report_update(project: Project, ref: str) -> ResponseReturnValue:
    item = services.find_update(project, ref)
    if item is None or item.is_hidden:
        abort(404)
    form = ReportForm()
    form.reason.label.text = _("What is wrong with this news?")
    if form.validate_on_submit():
        try:
            services.report_update(item, current_user, form.reason.data)
        except services.MarketplaceError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. The moderators will look at it."), "success")
            return _back(project, f"#neuigkeit-{item.ref}")
    return render_template(
        "marketplace/report.html", form=form, project=project, item=item, is_news=True
    ), (400 if form.errors else 200)


@bp.route("/projekte/<int:number>/kommentare/<ref>/melden", methods=["GET", "POST"])
@login_required
@access.with_project
def report(project: Project, ref: str) -> ResponseReturnValue:
    item = _comment_by_ref(project, ref)
    if item.is_hidden:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report_comment(item, current_user, form.reason.data)
        except services.MarketplaceError as error:
            db.session.rollback()
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. The moderators will look at it."), "success")
            return _back(project, f"#kommentar-{item.ref}")
        return render_template(
            "marketplace/report.html", form=form, project=project, item=item
        ), 400
    return render_template("marketplace/report.html", form=form, project=project, item=item)
