"""The business plan's pages under /businessplan. The core answers 404 here while the
town has the plugin switched off, before any of this code runs.

Who sees what: the project's team (and the town's admins) see and edit the plan;
everyone else sees it only once the team made it public, and gets a 404 before
(the plan's existence is the team's business too).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from projektfabrik.api import (
    XLSX_MIMETYPE,
    _,
    current_user,
    db,
    find_project,
    found_or_404,
    is_project_editor,
    login_required,
    pdf_available,
    pdf_response,
    project_team,
    render_markdown,
    render_template,
    send_download,
)
from projektfabrik_businessplan import charts, services, tables
from projektfabrik_businessplan.forms import (
    ROW_LEGENDS,
    CreateForm,
    NumbersForm,
    OutlineForm,
    SectionForm,
    error_list,
    form_data,
    stored,
)
from projektfabrik_businessplan.models import BusinessPlan

bp = Blueprint(
    "businessplan",
    __name__,
    url_prefix="/businessplan",
    template_folder="templates",
    static_folder="static",
)


def _project(project_ref: str) -> Any:
    return found_or_404(find_project(project_ref))


def _viewable(project_ref: str) -> tuple[Any, BusinessPlan | None, bool]:
    project = _project(project_ref)
    editor = is_project_editor(project, current_user)
    plan = services.find(project)
    if not editor and (plan is None or not plan.is_public):
        abort(404)
    return project, plan, editor


def _numbers_viewable(project_ref: str) -> tuple[Any, BusinessPlan, bool]:
    """The financial plans and the downloads: the team, or everyone when the team made
    the numbers public too; else 404."""
    project, plan, editor = _viewable(project_ref)
    if plan is None or not (editor or plan.numbers_public):
        abort(404)
    return project, plan, editor


def _editable(project_ref: str) -> tuple[Any, BusinessPlan]:
    """For the team: the project and its plan. Others: 403 when the plan is public, else 404."""
    project, plan, editor = _viewable(project_ref)
    if not editor:
        abort(403)
    if plan is None:
        abort(404)
    return project, plan


def _index(project: Any) -> str:
    return url_for("businessplan.index", project_ref=project.ref)


def _outline_choices() -> list[SelectChoice]:
    return [SelectChoice(key, str(label)) for key, label in services.OUTLINE_LABELS.items()]


@bp.get("/projekte/<project_ref>/")
def index(project_ref: str) -> ResponseReturnValue:
    project, plan, editor = _viewable(project_ref)
    if plan is None:
        form = CreateForm(outline="classic")
        form.outline.choices = _outline_choices()
        return render_template("businessplan/start.html", project=project, form=form)
    outline = OutlineForm(outline=plan.outline)
    outline.outline.choices = _outline_choices()
    result = services.compute(plan, project)
    return render_template(
        "businessplan/index.html",
        project=project,
        plan=plan,
        editor=editor,
        sections=services.sections(plan, project),
        outline_form=outline,
        outline_label=services.OUTLINE_LABELS[plan.outline],
        t=tables.Tables(result),
        legal_forms=services.LEGAL_FORMS,
        markdown=render_markdown,
        pdf_on=pdf_available(),
        with_numbers=editor or plan.numbers_public,
        visibility=services.visibility(plan),
    )


@bp.post("/projekte/<project_ref>/anlegen")
@login_required
def create(project_ref: str) -> ResponseReturnValue:
    project = _project(project_ref)
    if not is_project_editor(project, current_user):
        abort(404)
    form = CreateForm()
    form.outline.choices = _outline_choices()
    if not form.validate():
        return render_template("businessplan/start.html", project=project, form=form), 400
    try:
        services.create(project, current_user, form.outline.data)
    except services.PlanError as error:
        flash(error.message, "error")
        return redirect(_index(project))
    db.session.commit()
    flash(
        _("The business plan is started. Its texts come from your project: check each of them."),
        "success",
    )
    return redirect(_index(project))


@bp.post("/projekte/<project_ref>/gliederung")
@login_required
def outline(project_ref: str) -> ResponseReturnValue:
    project, plan = _editable(project_ref)
    form = OutlineForm()
    form.outline.choices = _outline_choices()
    if form.validate():
        services.switch_outline(plan, project, form.outline.data, current_user)
        db.session.commit()
        flash(_("The outline is changed."), "success")
    else:
        flash(_("Please choose an outline."), "error")
    return redirect(_index(project))


@bp.post("/projekte/<project_ref>/sichtbarkeit")
@login_required
def visibility(project_ref: str) -> ResponseReturnValue:
    project, plan = _editable(project_ref)
    choice = request.form.get("visibility", "")
    try:
        services.set_visibility(plan, choice, current_user)
    except services.PlanError as error:
        flash(error.message, "error")
        return redirect(_index(project))
    db.session.commit()
    flash(
        {
            "team": _("The business plan is for the team only now."),
            "texts": _(
                "Everyone can read the business plan's texts now; the numbers stay with the team."
            ),
            "all": _("The business plan is public now: everyone can read it, numbers included."),
        }[choice],
        "success",
    )
    return redirect(_index(project))


@bp.route("/projekte/<project_ref>/abschnitt/<key>", methods=["GET", "POST"])
@login_required
def section(project_ref: str, key: str) -> ResponseReturnValue:
    project, plan = _editable(project_ref)
    found = services.spec(plan, key)
    if found is None:
        abort(404)
    view = next(s for s in services.sections(plan, project) if s.spec.key == key)
    form = (
        SectionForm(
            data={"text": view.text, "version": str(plan.version), "legal_form": view.choice}
        )
        if request.method == "GET"
        else SectionForm()
    )
    form.legal_form.choices = [
        SelectChoice(k, str(label)) for k, (label, _need) in services.LEGAL_FORMS.items()
    ]
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                expected = int(form.version.data or 0) or None
                services.save_section(
                    plan,
                    key,
                    form.text.data or "",
                    current_user,
                    expected=expected,
                    legal_form=form.legal_form.data if key == "legal_form" else None,
                )
            except (services.PlanError, ValueError) as error:
                message = getattr(error, "message", _("Please send the form again."))
                form.text.errors = [message]
                status = 409
            else:
                db.session.commit()
                flash(_("The section “%(title)s” is saved.", title=found.title), "success")
                return redirect(_index(project) + f"#section-{key}")
        else:
            status = 400
    project_text = (
        services.source_text(view.source, services.source_data(project).get(view.source), project)
        if view.source
        else ""
    )
    return render_template(
        "businessplan/section.html",
        project=project,
        plan=plan,
        view=view,
        form=form,
        project_text=project_text,
        legal_forms=services.LEGAL_FORMS,
        markdown=render_markdown,
    ), status


@bp.post("/projekte/<project_ref>/abschnitt/<key>/uebernehmen")
@login_required
def retake(project_ref: str, key: str) -> ResponseReturnValue:
    project, plan = _editable(project_ref)
    try:
        services.retake(plan, project, key, current_user)
    except services.PlanError as error:
        abort(404, error.message)
    db.session.commit()
    flash(_("The text is taken from the project again."), "success")
    return redirect(_index(project) + f"#section-{key}")


@bp.route("/projekte/<project_ref>/zahlen", methods=["GET", "POST"])
@login_required
def numbers(project_ref: str) -> ResponseReturnValue:
    project, plan = _editable(project_ref)
    status = 200
    if request.method == "POST":
        form = NumbersForm()
        if form.validate():
            if (form.version.data or "") != str(plan.version):
                flash(
                    _(
                        "Someone else changed the business plan in the meantime. Your entries "
                        "are still in the form: check them and save again."
                    ),
                    "error",
                )
                form.version.data = str(plan.version)
                status = 409
            else:
                services.save_numbers(plan, stored(form), current_user)
                db.session.commit()
                flash(_("The numbers are saved and the plans computed."), "success")
                return redirect(url_for("businessplan.finances", project_ref=project.ref))
        else:
            status = 400
    else:
        form = NumbersForm(data={**form_data(plan.numbers or {}), "version": str(plan.version)})
    return render_template(
        "businessplan/numbers.html",
        project=project,
        plan=plan,
        form=form,
        errors=error_list(form),
        row_legends=ROW_LEGENDS,
        approved=services.approved_funding(str(project.ref)),
    ), status


@bp.get("/projekte/<project_ref>/finanzplan")
def finances(project_ref: str) -> ResponseReturnValue:
    project, plan, editor = _numbers_viewable(project_ref)
    result = services.compute(plan, project)
    return render_template(
        "businessplan/finances.html",
        project=project,
        plan=plan,
        editor=editor,
        result=result,
        t=tables.Tables(result),
        chart=charts.break_even_svg(result, year=0),
        pdf_on=pdf_available(),
    )


@bp.get("/projekte/<project_ref>/businessplan.pdf")
def pdf(project_ref: str) -> ResponseReturnValue:
    project, plan, editor = _viewable(project_ref)
    if plan is None:
        abort(404)
    # Without the numbers for those who may read only the texts.
    with_numbers = editor or plan.numbers_public
    result = services.compute(plan, project)
    title = _("Business plan: %(title)s", title=project.title)
    return pdf_response(
        "businessplan/plan_pdf.html",
        f"businessplan-{project.ref}",
        title=title,
        stylesheets=[tables.PDF_CSS],
        project=project,
        plan=plan,
        sections=services.sections(plan, project),
        outline_label=services.OUTLINE_LABELS[plan.outline],
        team=[person.display_name for person in project_team(project)],
        legal_forms=services.LEGAL_FORMS,
        markdown=render_markdown,
        result=result,
        t=tables.Tables(result),
        chart=charts.break_even_svg(result, year=0),
        with_numbers=with_numbers,
    )


@bp.get("/projekte/<project_ref>/businessplan.xlsx")
def xlsx(project_ref: str) -> ResponseReturnValue:
    project, plan, editor = _numbers_viewable(project_ref)
    from projektfabrik_businessplan.workbook import workbook

    content = workbook(services.inputs(plan, str(project.ref)), project.title)
    return send_download(content, f"businessplan-{project.ref}.xlsx", XLSX_MIMETYPE)
