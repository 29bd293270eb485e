"""The plan of a project: ``/projekte/<number>/plan/...``.

Views parse, call a service, render. Whoever may not see a section (another
town, an outsider while the section is not public) gets a 404 whatever number
or ref they send; team members who may not manage get a 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik import madefiles
from projektfabrik.downloads import send_download
from projektfabrik.extensions import db
from projektfabrik.planning import exports, services
from projektfabrik.planning.forms import (
    CostItemForm,
    FinancingForm,
    MilestoneForm,
    OfferForm,
    ProfileForm,
    RequirementForm,
    RestoreForm,
    TaskForm,
    VisibilityForm,
    WorkPackageForm,
)
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Milestone,
    Requirement,
    ResourceKind,
    Section,
    Source,
    Task,
    TaskStatus,
    WorkPackage,
)
from projektfabrik.planning.money import format_input
from projektfabrik.plugins.runtime import export_response
from projektfabrik.projects import access
from projektfabrik.projects.models import Project
from projektfabrik.viewhelpers import found_or_404, show_refusal

bp = Blueprint("planning", __name__, url_prefix="/projekte/<int:number>/plan")

#: Section names in URLs.
SECTION_SLUGS = {
    "profil": Section.PROFILE,
    "arbeitsplan": Section.WORK_PLAN,
    "ressourcen": Section.RESOURCES,
    "finanzen": Section.FINANCE,
}
SLUG_OF = {section: slug for slug, section in SECTION_SLUGS.items()}
SECTION_ENDPOINT = {
    Section.PROFILE: "planning.profile",
    Section.WORK_PLAN: "planning.work_plan",
    Section.RESOURCES: "planning.resources",
    Section.FINANCE: "planning.finance",
}
ITEM_FORMS: dict[type, type[Any]] = {
    WorkPackage: WorkPackageForm,
    Task: TaskForm,
    Milestone: MilestoneForm,
    Requirement: RequirementForm,
    CostItem: CostItemForm,
    FinancingLine: FinancingForm,
}


def _user() -> Any:
    return current_user if current_user.is_authenticated else None


#: The plan's pages ask about the team often: load the memberships with the project.
with_plan = access.with_project(load=access.find_project_with_team)


def _require_view(project: Project, section: Section) -> None:
    if not services.can_view(project, _user(), section):
        abort(404)


def _require_editor(project: Project) -> None:
    if not access.is_editor(project, _user()):
        abort(404)


def _require_manager(project: Project) -> None:
    _require_editor(project)
    if not access.can_manage(project, _user()):
        abort(403)


def _section_or_404(slug: str) -> Section:
    return found_or_404(SECTION_SLUGS.get(slug))


def _render(template: str, project: Project, **context: Any) -> str:
    user = _user()
    states = context.pop("states") if "states" in context else services.section_states(project)
    editor = access.is_editor(project, user)
    context.setdefault("visible", services.visible_sections(project, user))
    return render_template(
        template,
        project=project,
        editor=editor,
        manager=access.can_manage(project, user) if editor else False,
        states=states,
        slug_of=SLUG_OF,
        section_endpoint=SECTION_ENDPOINT,
        section_label=services.section_label,
        status_label=services.task_status_label,
        offer_status_label=services.offer_status_label,
        **context,
    )


def _back(endpoint: str, project: Project, anchor: str = "") -> Response:
    return redirect(url_for(endpoint, number=project.number) + anchor)


# --- overview ------------------------------------------------------------------------------


@bp.get("")
@with_plan
def overview(project: Project) -> ResponseReturnValue:
    user = _user()
    visible = services.visible_sections(project, user)
    editor = access.is_editor(project, user)
    if not visible and not editor:
        abort(404)
    states = services.section_states(project)
    visibility = VisibilityForm(
        formdata=None,
        **{s.value: bool(states.get(s) and states[s].is_public) for s in Section},
    )
    offer_form = None
    if user is not None and not editor:
        offer_form = _offer_form(project, visible, formdata=None)
    summary = services.finance_summary(project) if Section.FINANCE in visible else None
    return _render(
        "planning/overview.html",
        project,
        states=states,
        visible=visible,
        completeness=services.completeness(project, summary) if editor else None,
        summary=summary,
        visibility_form=visibility,
        offer_form=offer_form,
        # The page lists them beside the offer form only (never for the team).
        my_offers=services.offers_by(project, user) if offer_form is not None else [],
        formats=exports.formats_for_page(),
        pdf_available=exports.pdf_available(),
    )


@bp.post("/sichtbarkeit")
@login_required
@with_plan
def visibility(project: Project) -> Response:
    _require_manager(project)
    form = VisibilityForm()
    for section in Section:
        services.set_public(project, section, bool(getattr(form, section.value).data))
    db.session.commit()
    flash(_("Saved who can see the plan."), "success")
    return _back("planning.overview", project)


# --- profile ----------------------------------------------------------------------------------


@bp.route("/profil", methods=["GET", "POST"])
@with_plan
def profile(project: Project) -> ResponseReturnValue:
    _require_view(project, Section.PROFILE)
    user = _user()
    editor = access.is_editor(project, user)
    found = services.profile(project)
    conflict = None
    if request.method == "POST":
        if not editor:
            abort(404)
        form = ProfileForm()
        if form.validate():
            values = {name: getattr(form, name).data or "" for name in services.PROFILE_FIELDS}
            try:
                services.save_profile(project, user, values, form.expected_version)
            except services.StaleEdit as error:
                db.session.rollback()
                if error.current is None:
                    error = services.stale_section(project, Section.PROFILE)
                conflict = _conflict(error, form, values)
            except services.PlanError as error:
                show_refusal(form, error)
            else:
                db.session.commit()
                flash(_("The profile is saved."), "success")
                return _back("planning.profile", project)
        status = 409 if conflict else 400
    else:
        form = ProfileForm(formdata=None, obj=found)
        form.version.data = str(services.section_version(project, Section.PROFILE))
        status = 200
    body = _render(
        "planning/profile.html",
        project,
        form=form,
        profile=found,
        conflict=conflict,
        labels=services.PROFILE_LABELS,
        fields=services.PROFILE_FIELDS,
    )
    return body, status


def _conflict(error: services.StaleEdit, form: Any, typed: dict[str, Any]) -> dict[str, Any]:
    """What the person needs to decide: what differs from what is saved now."""
    form_version = getattr(form, "version", None) or getattr(form, "revision", None)
    if form_version is not None:
        # Sending the form again now means: keep mine.
        form_version.data = str(error.version)
        form_version.raw_data = [str(error.version)]
    differences = []
    for name, value in error.current.items():
        if name in typed and str(typed[name] or "") != str(value or ""):
            differences.append((name, value))
    return {
        "message": error.message,
        "by": error.by,
        "at": error.at,
        "differences": differences,
    }


# --- work plan, schedule -------------------------------------------------------------------------


@bp.get("/arbeitsplan")
@with_plan
def work_plan(project: Project) -> ResponseReturnValue:
    _require_view(project, Section.WORK_PLAN)
    task_list = services.tasks(project)
    by_package: dict[int | None, list[Task]] = {}
    for task in task_list:
        by_package.setdefault(task.work_package_id, []).append(task)
    return _render(
        "planning/work_plan.html",
        project,
        packages=services.work_packages(project),
        by_package=by_package,
        milestones=services.milestones(project),
    )


@bp.get("/zeitplan")
@with_plan
def schedule(project: Project) -> ResponseReturnValue:
    _require_view(project, Section.WORK_PLAN)
    return _render(
        "planning/schedule.html",
        project,
        schedule=services.build_schedule(services.tasks(project), services.milestones(project)),
    )


@bp.get("/zeitplan/meilensteine.ics")
@with_plan
def milestones_ics(project: Project) -> Response:
    _require_view(project, Section.WORK_PLAN)
    content = exports.milestones_ics(project, services.milestones(project))
    return send_download(content, f"projekt-{project.number}-meilensteine.ics", "text/calendar")


# --- resources and offers ---------------------------------------------------------------------------


def _offer_form(project: Project, visible: frozenset[Section], **kwargs: Any) -> OfferForm:
    needs = []
    if Section.RESOURCES in visible:
        needs = [(r.ref, r.description) for r in services.requirements(project)]
    return OfferForm(needs=needs, **kwargs)


@bp.get("/ressourcen")
@with_plan
def resources(project: Project) -> ResponseReturnValue:
    _require_view(project, Section.RESOURCES)
    user = _user()
    editor = access.is_editor(project, user)
    return _render(
        "planning/resources.html",
        project,
        requirements=services.requirements(project),
        covered=services.covered_requirements(project),
        offers=services.offers(project) if editor else [],
        my_offers=services.offers_by(project, user) if user is not None and not editor else [],
        offer_form=(
            _offer_form(project, frozenset({Section.RESOURCES}), formdata=None)
            if user is not None and not editor
            else None
        ),
        labels=_labels(),
    )


@bp.post("/angebote")
@login_required
@with_plan
def offer(project: Project) -> ResponseReturnValue:
    user = _user()
    visible = services.visible_sections(project, user)
    if not visible:
        # With no section public the plan answers 404 (the overview does too):
        # an offer must not tell an outsider that the project has a plan.
        abort(404)
    if access.is_editor(project, user):
        abort(403)  # the team does not offer to itself
    form = _offer_form(project, visible)
    if form.validate_on_submit():
        try:
            services.offer_resource(
                project,
                user,
                services.OfferInput(
                    kind=ResourceKind(form.kind.data),
                    description=form.description.data or "",
                    message=form.message.data or "",
                    requirement=form.requirement.data or "",
                ),
            )
        except services.PlanError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Thank you! The team has been told about your offer."), "success")
            return _back("planning.overview", project, "#angebote")
    return (
        _render(
            "planning/offer.html",
            project,
            offer_form=form,
        ),
        400,
    )


@bp.post("/angebote/<ref>/<decision>")
@login_required
@with_plan
def decide_offer(project: Project, ref: str, decision: str) -> Response:
    _require_editor(project)
    found = services.find_offer(project, ref)
    if found is None or decision not in ("annehmen", "ablehnen"):
        abort(404)
    try:
        services.decide_offer(project, found, current_user, accept=decision == "annehmen")
    except services.PlanError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _("The offer is accepted.") if decision == "annehmen" else _("The offer is declined."),
            "success",
        )
    return _back("planning.resources", project, f"#angebot-{found.ref}")


# --- finance -------------------------------------------------------------------------------------------


@bp.get("/finanzen")
@with_plan
def finance(project: Project) -> ResponseReturnValue:
    _require_view(project, Section.FINANCE)
    requirement_list = services.requirements(project)
    return _render(
        "planning/finance.html",
        project,
        summary=services.finance_summary(project),
        requirements=requirement_list,
        cost_items=services.cost_items(project),
        financing=services.financing_lines(project),
        labels=_labels(),
    )


def _labels() -> dict[str, Any]:
    return {
        "kind": services.kind_label,
        "cost_type": services.cost_type_label,
        "source": services.source_label,
        "financing": services.financing_label,
        "offer_status": services.offer_status_label,
        "cost_types": list(CostType),
        "financing_kinds": list(FinancingKind),
        "sources": list(Source),
    }


# --- list items: add, edit, delete, move --------------------------------------------------------------------


def _item_model(kind: str) -> type:
    try:
        return services.MODEL_OF[services.ItemName(kind)]
    except ValueError:
        abort(404)


def _form_for(project: Project, model: type, **kwargs: Any) -> Any:
    form_class = ITEM_FORMS[model]
    if model in (WorkPackage, Task):
        kwargs["team"] = [(u.ref, u.display_name) for u in access.team(project)]
    if model is Task:
        kwargs["packages"] = [(wp.ref, wp.name) for wp in services.work_packages(project)]
    if model is Requirement:
        kwargs["tasks"] = [(t.ref, t.title) for t in services.tasks(project)]
    return form_class(**kwargs)


def _input(model: type, form: Any) -> Any:
    if model is WorkPackage:
        return services.WorkPackageInput(
            name=form.name.data or "",
            description=form.description.data or "",
            responsible=form.responsible.data or "",
        )
    if model is Task:
        return services.TaskInput(
            title=form.title.data or "",
            description=form.description.data or "",
            expected_result=form.expected_result.data or "",
            work_package=form.work_package.data or "",
            responsible=form.responsible.data or "",
            start=form.start.data,
            end=form.end.data,
            status=TaskStatus(form.status.data),
        )
    if model is Milestone:
        return services.MilestoneInput(
            title=form.title.data or "",
            due=form.due.data,
            description=form.description.data or "",
        )
    if model is Requirement:
        return services.RequirementInput(
            description=form.description.data or "",
            kind=ResourceKind(form.kind.data),
            quantity=form.quantity.data or 1,
            unit=form.unit.data or "",
            cost_cents=form.cost.data or 0,
            cost_type=CostType(form.cost_type.data),
            source=Source(form.source.data),
            task=form.task.data or "",
        )
    if model is CostItem:
        return services.CostItemInput(
            description=form.description.data or "",
            cost_type=CostType(form.cost_type.data),
            amount_cents=form.amount.data,
        )
    return services.FinancingInput(
        kind=FinancingKind(form.kind.data),
        description=form.description.data or "",
        amount_cents=form.amount.data,
    )


def _form_data(item: Any) -> dict[str, Any]:
    """An item's values as its form expects them (refs for links, typed amounts)."""
    values = services.item_values(item)
    data: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("ref", "position"):
            continue
        if name in ("start", "end", "due"):
            data[name] = date.fromisoformat(value) if value else None
        elif name == "cost_cents":
            data["cost"] = value
        elif name == "amount_cents":
            data["amount"] = value
        else:
            data[name] = value
    data["revision"] = str(item.revision)
    return data


def _list_endpoint(model: type) -> str:
    return SECTION_ENDPOINT[services.ITEM_KINDS[model].section]


def _item_or_404(project: Project, kind: str, ref: str) -> tuple[type, Any]:
    """The list item a URL names, for the team's editors; 404 for everyone else."""
    model = _item_model(kind)
    _require_editor(project)
    return model, found_or_404(services.find_item(model, project, ref))


def _saved(project: Project, model: type, item: Any) -> Response:
    """Commit the added or changed item and go back to it in its list."""
    db.session.commit()
    flash(_("Saved."), "success")
    return _back(_list_endpoint(model), project, f"#eintrag-{item.ref}")


def _posted_number(raw: str | None) -> int:
    """A version or revision a form sent; -1, which matches none, when it is no number."""
    try:
        return int(raw or "-1")
    except ValueError:
        return -1


@bp.route("/eintraege/<kind>/neu", methods=["GET", "POST"])
@login_required
@with_plan
def add_item(project: Project, kind: str) -> ResponseReturnValue:
    model = _item_model(kind)
    _require_editor(project)
    form = _form_for(project, model)
    if form.validate_on_submit():
        try:
            item = services.add_item(project, current_user, model, _input(model, form))
        except services.PlanError as error:
            show_refusal(form, error)
        else:
            return _saved(project, model, item)
    return (
        _render("planning/item_form.html", project, form=form, kind=kind, item=None, conflict=None),
        200 if request.method == "GET" else 400,
    )


@bp.route("/eintraege/<kind>/<ref>", methods=["GET", "POST"])
@login_required
@with_plan
def edit_item(project: Project, kind: str, ref: str) -> ResponseReturnValue:
    model, item = _item_or_404(project, kind, ref)
    conflict = None
    if request.method == "GET":
        form = _form_for(project, model, formdata=None, data=_form_data(item))
    else:
        form = _form_for(project, model)
        if form.validate():
            try:
                services.update_item(
                    project, current_user, item, _input(model, form), form.expected_revision
                )
            except services.StaleEdit:
                db.session.rollback()
                fresh = services.find_item(model, project, ref)
                if fresh is None:
                    flash(_("Someone else deleted this entry in the meantime."), "error")
                    return _back(_list_endpoint(model), project)
                stale = services.StaleEdit(_form_data(fresh), fresh.revision)
                conflict = _conflict(stale, form, _typed(form))
                conflict["current"] = _readable(project, model, fresh)
            except services.PlanError as error:
                show_refusal(form, error)
            else:
                return _saved(project, model, item)
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return (
        _render(
            "planning/item_form.html", project, form=form, kind=kind, item=item, conflict=conflict
        ),
        status,
    )


def _typed(form: Any) -> dict[str, Any]:
    return {f.name: f.data for f in form if f.name not in ("csrf_token", "revision")}


def _readable(project: Project, model: type, item: Any) -> list[tuple[str, str]]:
    """The saved item as label/value pairs, for the conflict notice."""
    form = _form_for(project, model, formdata=None, data=_form_data(item))
    pairs = []
    for f in form:
        if f.name in ("csrf_token", "revision"):
            continue
        if f.type == "SelectField":
            labels = {choice.value: choice.label for choice in f.choices}
            value = labels.get(f.data or "", "")
        elif f.type == "MoneyField":
            value = format_input(f.data)
        else:
            value = "" if f.data is None else str(f.data)
        pairs.append((str(f.label.text), value))
    return pairs


@bp.post("/eintraege/<kind>/<ref>/loeschen")
@login_required
@with_plan
def delete_item(project: Project, kind: str, ref: str) -> Response:
    model, item = _item_or_404(project, kind, ref)
    revision = _posted_number(request.form.get("revision"))
    try:
        services.delete_item(project, current_user, item, revision)
    except services.StaleEdit:
        db.session.rollback()
        flash(
            _(
                "Someone else changed this entry in the meantime; it was not deleted. Please look again."
            ),
            "error",
        )
    else:
        db.session.commit()
        flash(_("Deleted."), "success")
    return _back(_list_endpoint(model), project)


@bp.post("/eintraege/<kind>/<ref>/verschieben")
@login_required
@with_plan
def move_item(project: Project, kind: str, ref: str) -> Response:
    model, item = _item_or_404(project, kind, ref)
    step = -1 if request.form.get("richtung") == "hoch" else 1
    try:
        services.move_item(project, current_user, item, step)
    except services.StaleEdit:
        db.session.rollback()
        flash(_("Someone else changed the list in the meantime. Please try again."), "error")
    else:
        db.session.commit()
    return _back(_list_endpoint(model), project, f"#eintrag-{item.ref}")


# --- history ------------------------------------------------------------------------------------------


@bp.get("/<slug>/versionen")
@login_required
@with_plan
def history(project: Project, slug: str) -> ResponseReturnValue:
    section = _section_or_404(slug)
    _require_editor(project)
    found = services.versions(project, section)
    entries = []
    for index, version in enumerate(found):
        before = found[index + 1].snapshot if index + 1 < len(found) else None
        entries.append((version, services.changes(before, version.snapshot)))
    return _render_versions("planning/history.html", project, section, entries=entries)


@bp.get("/<slug>/versionen/<int:version>")
@login_required
@with_plan
def show_version(project: Project, slug: str, version: int) -> ResponseReturnValue:
    section = _section_or_404(slug)
    _require_editor(project)
    found = found_or_404(services.get_version(project, section, version))
    return _render_versions("planning/version.html", project, section, version=found)


def _render_versions(template: str, project: Project, section: Section, **context: Any) -> str:
    """The history and a single version: both offer to bring a version back."""
    return _render(
        template,
        project,
        section=section,
        current=services.section_version(project, section),
        restore_form=RestoreForm(formdata=None),
        list_names=services.LIST_NAMES,
        labels=services.PROFILE_LABELS,
        **context,
    )


@bp.post("/<slug>/versionen/<int:version>/wiederherstellen")
@login_required
@with_plan
def restore(project: Project, slug: str, version: int) -> Response:
    section = _section_or_404(slug)
    _require_manager(project)
    found_or_404(services.get_version(project, section, version))
    expected = _posted_number(RestoreForm().version.data)
    try:
        services.restore(project, current_user, version, section, expected)
    except services.StaleEdit:
        db.session.rollback()
        flash(
            _("Someone else saved this section in the meantime. Please look at the history again."),
            "error",
        )
    else:
        db.session.commit()
        flash(_("Version %(number)d is back.", number=version), "success")
    return redirect(url_for("planning.history", number=project.number, slug=slug))


# --- print view and exports ---------------------------------------------------------------------------------


@bp.get("/drucken")
@with_plan
def print_view(project: Project) -> ResponseReturnValue:
    view = services.plan_view(project, _user())
    if not view.sections:
        abort(404)
    return render_template("planning/print.html", **exports.document_context(view))


@bp.get("/export/pdf/erstellen")
@with_plan
def export_making(project: Project) -> ResponseReturnValue:
    """A page that says the PDF is being made and starts the download: a full
    plan takes seconds to lay out the first time (docs/benchmarks.md, "Plan
    PDF"), and nobody should stare at a page that seems to hang. A PDF already
    made for this version of the town is sent at once."""
    view = services.plan_view(project, _user())
    if not view.sections:
        abort(404)
    pdf_url = url_for("planning.export", number=project.number, key="pdf")
    if not exports.pdf_available() or madefiles.is_made("plan", exports.pdf_parts(view), ".pdf"):
        return redirect(pdf_url)
    return _render("planning/pdf_making.html", project, pdf_url=pdf_url)


@bp.get("/export/<key>")
@with_plan
def export(project: Project, key: str) -> ResponseReturnValue:
    view = services.plan_view(project, _user())
    if not view.sections:
        abort(404)
    if key == "pdf" and not exports.pdf_available():
        return (
            _render(
                "planning/no_pdf.html",
                project,
            ),
            503,
        )
    return export_response(exports.SUBJECT, key, view, filename=f"projektplan-{project.number}")
