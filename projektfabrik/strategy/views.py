"""The goals' pages: the admin's (``/verwaltung/ziele``), a project's contribution
page (``/projekte/<number>/wirkung``), the staff's confirmation queue and the public
dashboard (``/wirkung``) with its CSV and feed. Views parse, call a service, render."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from projektfabrik.accounts import permissions
from projektfabrik.accounts.forms import ButtonForm
from projektfabrik.downloads import send_download
from projektfabrik.exports import CSV_MIMETYPE, csv_for_people
from projektfabrik.extensions import db
from projektfabrik.pagecache import cached_for_visitors
from projektfabrik.projects import access
from projektfabrik.projects.models import Project
from projektfabrik.refusal import Refusal
from projektfabrik.requestsize import accepts_files
from projektfabrik.strategy import contributions, feed, figures, services
from projektfabrik.strategy.forms import (
    ExpectedForm,
    GoalForm,
    GroupForm,
    IndicatorForm,
    ProjectGoalsForm,
    ResultForm,
    TargetForm,
)
from projektfabrik.strategy.models import Goal
from projektfabrik.strategy.values import parse_value, show_input
from projektfabrik.uploads import FILE_KINDS, check_upload, stored_file
from projektfabrik.viewhelpers import found_or_404, show_refusal

admin_bp = Blueprint("strategy_admin", __name__, url_prefix="/verwaltung/ziele")
bp = Blueprint("strategy", __name__, url_prefix="/wirkung")
project_bp = Blueprint("strategy_project", __name__, url_prefix="/projekte/<int:number>/wirkung")


@admin_bp.before_request
def only_admins() -> ResponseReturnValue | None:
    return permissions.gate(permissions.is_admin)


# --- admin: goals, fields of action, indicators, targets ------------------------------


def _goal_form(goal: Goal | None = None, formdata: Any = None) -> GoalForm:
    form = GoalForm(formdata=formdata, obj=goal)
    form.group.choices = [SelectChoice("", _("No field of action"))] + [
        SelectChoice(group.ref, group.name) for group in services.groups()
    ]
    if formdata is None and goal is not None:
        form.group.data = goal.group.ref if goal.group else ""
    return form


def _render_index(
    goal_form: GoalForm, group_form: GroupForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "strategy/admin_index.html",
        goals=services.goals(),
        groups=services.groups(),
        goal_form=goal_form,
        group_form=group_form,
        button=ButtonForm(),
    ), status


@admin_bp.get("")
def admin_index() -> ResponseReturnValue:
    return _render_index(_goal_form(), GroupForm(prefix="group"))


def _save_goal(goal: Goal | None, form: GoalForm) -> Goal:
    return services.save_goal(
        goal,
        title=form.title.data or "",
        summary=form.summary.data or "",
        source_url=form.source_url.data or "",
        group=services.find_group(form.group.data) if form.group.data else None,
        actor=current_user,
    )


@admin_bp.post("")
def add_goal() -> ResponseReturnValue:
    form = _goal_form(formdata=request.form)
    if form.validate():
        try:
            goal = _save_goal(None, form)
        except Refusal as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(
                _("The goal “%(goal)s” is added. Now add its indicators.", goal=goal.title),
                "success",
            )
            return redirect(url_for("strategy_admin.goal_page", ref=goal.ref))
    return _render_index(form, GroupForm(prefix="group"), 400)


@admin_bp.post("/handlungsfelder")
def add_group() -> ResponseReturnValue:
    form = GroupForm(prefix="group")
    if form.validate_on_submit():
        try:
            group = services.add_group(form.name.data or "", actor=current_user)
        except Refusal as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("“%(name)s” is added.", name=group.name), "success")
            return redirect(url_for("strategy_admin.admin_index") + "#handlungsfelder")
    return _render_index(_goal_form(), form, 400)


@admin_bp.post("/handlungsfelder/<ref>/loeschen")
def remove_group(ref: str) -> ResponseReturnValue:
    group = found_or_404(services.find_group(ref))
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.remove_group(group, actor=current_user)
    db.session.commit()
    flash(_("“%(name)s” is removed.", name=group.name), "success")
    return redirect(url_for("strategy_admin.admin_index") + "#handlungsfelder")


def _render_goal(goal: Goal, form: GoalForm | None = None, indicator_form: IndicatorForm | None = None,
                 target_form: TargetForm | None = None, target_for: str = "", status: int = 200) -> ResponseReturnValue:  # fmt: skip
    return render_template(
        "strategy/admin_goal.html",
        goal=goal,
        form=form or _goal_form(goal),
        indicator_form=indicator_form or IndicatorForm(formdata=None),
        target_forms={
            indicator.ref: target_form
            if target_form is not None and target_for == indicator.ref
            else TargetForm(formdata=None, prefix=f"t-{indicator.ref}-")
            for indicator in goal.indicators
        },
        target_for=target_for,
        button=ButtonForm(),
        show_input=show_input,
    ), status


@admin_bp.route("/<ref>", methods=["GET", "POST"])
def goal_page(ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    if request.method == "GET":
        return _render_goal(goal)
    form = _goal_form(goal, formdata=request.form)
    if form.validate():
        try:
            _save_goal(goal, form)
        except Refusal as refused:
            show_refusal(form, refused)
            goal = found_or_404(services.find_goal(ref))
        else:
            db.session.commit()
            flash(_("The goal is saved."), "success")
            return redirect(url_for("strategy_admin.goal_page", ref=goal.ref))
    return _render_goal(goal, form=form, status=400)


@admin_bp.post("/<ref>/loeschen")
def remove_goal(ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.remove_goal(goal, actor=current_user)
    db.session.commit()
    flash(_("The goal “%(goal)s” is removed.", goal=goal.title), "success")
    return redirect(url_for("strategy_admin.admin_index"))


@admin_bp.post("/<ref>/<any(hoch, runter):direction>")
def move_goal(ref: str, direction: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.move_goal(goal, -1 if direction == "hoch" else 1, actor=current_user)
    db.session.commit()
    return redirect(url_for("strategy_admin.admin_index") + f"#ziel-{goal.ref}")


@admin_bp.post("/<ref>/indikatoren")
def add_indicator(ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            indicator = services.add_indicator(
                goal, name=form.name.data or "", unit=form.unit.data or "", actor=current_user
            )
        except Refusal as refused:
            show_refusal(form, refused)
            goal = found_or_404(services.find_goal(ref))
        else:
            db.session.commit()
            flash(_("The indicator “%(name)s” is added.", name=indicator.name), "success")
            return redirect(url_for("strategy_admin.goal_page", ref=goal.ref) + "#indikatoren")
    return _render_goal(goal, indicator_form=form, status=400)


def _indicator_of(goal: Goal, indicator_ref: str) -> Any:
    indicator = services.find_indicator(indicator_ref)
    if indicator is None or indicator.goal_id != goal.id:
        abort(404)
    return indicator


@admin_bp.post("/<ref>/indikatoren/<indicator_ref>/loeschen")
def remove_indicator(ref: str, indicator_ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    indicator = _indicator_of(goal, indicator_ref)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.remove_indicator(indicator, actor=current_user)
    db.session.commit()
    flash(_("The indicator “%(name)s” is removed.", name=indicator.name), "success")
    return redirect(url_for("strategy_admin.goal_page", ref=goal.ref) + "#indikatoren")


@admin_bp.post("/<ref>/indikatoren/<indicator_ref>/zielwert")
def set_target(ref: str, indicator_ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    indicator = _indicator_of(goal, indicator_ref)
    form = TargetForm(prefix=f"t-{indicator.ref}-")
    if form.validate_on_submit():
        try:
            value = parse_value(form.value.data) if (form.value.data or "").strip() else None
            services.set_target(indicator, int(form.year.data or 0), value, actor=current_user)
        except Refusal as refused:
            show_refusal(form, refused)
            goal = found_or_404(services.find_goal(ref))
        else:
            db.session.commit()
            flash(_("The target is saved."), "success")
            return redirect(url_for("strategy_admin.goal_page", ref=goal.ref) + "#indikatoren")
    return _render_goal(goal, target_form=form, target_for=indicator_ref, status=400)


# --- a project's contribution ----------------------------------------------------------


def _may_edit(project: Project) -> bool:
    return access.is_editor(project, current_user)


def _render_project(project: Project, *, goals_form: ProjectGoalsForm | None = None,
                    expected_forms: dict[int, ExpectedForm] | None = None,
                    result_form: ResultForm | None = None, status: int = 200) -> ResponseReturnValue:  # fmt: skip
    linked = contributions.linked_goals(project)
    expected = contributions.contributions(project)
    editor = _may_edit(project)
    all_goals = services.goals() if editor else []
    if editor and goals_form is None:
        goals_form = ProjectGoalsForm(formdata=None)
        goals_form.goals.data = [goal.ref for goal in linked]
    if goals_form is not None:
        goals_form.goals.choices = [SelectChoice(goal.ref, goal.title) for goal in all_goals]
    forms = dict(expected_forms or {})
    indicators = [indicator for goal in linked for indicator in goal.indicators]
    if editor:
        for indicator in indicators:
            if indicator.id in forms:
                forms[indicator.id].value.label.text = _(
                    "Expected contribution (%(unit)s)", unit=indicator.unit
                )
            else:
                row = expected.get(indicator.id)
                form = ExpectedForm(formdata=None, prefix=f"i-{indicator.ref}-")
                form.value.label.text = _("Expected contribution (%(unit)s)", unit=indicator.unit)
                form.value.data = show_input(row.expected) if row else ""
                form.basis.data = row.basis if row else ""
                forms[indicator.id] = form
        if result_form is None:
            result_form = ResultForm(formdata=None)
        result_form.indicator.choices = [
            SelectChoice(i.ref, f"{i.name} ({i.unit})") for i in indicators
        ]
    return render_template(
        "strategy/project.html",
        project=project,
        linked=linked,
        expected=expected,
        results=contributions.results(project),
        editor=editor,
        may_confirm=contributions.may_confirm(current_user),
        goals_form=goals_form,
        expected_forms=forms,
        result_form=result_form,
        button=ButtonForm(),
        has_goals=bool(all_goals) or bool(linked),
    ), status


@project_bp.get("")
@access.with_project
def page(project: Project) -> ResponseReturnValue:
    return _render_project(project)


def _editor_or_403(project: Project) -> None:
    if not current_user.is_authenticated:
        abort(404 if not access.is_member(project, current_user) else 403)
    if not _may_edit(project):
        abort(403)


@project_bp.post("/ziele")
@access.with_project
def save_goals(project: Project) -> ResponseReturnValue:
    _editor_or_403(project)
    form = ProjectGoalsForm()
    if not form.validate_on_submit():
        abort(400)
    by_ref = {goal.ref: goal.id for goal in services.goals()}
    chosen = {by_ref[ref] for ref in form.goals.data or [] if ref in by_ref}
    try:
        contributions.set_goals(project, chosen, actor=current_user)
    except Refusal as refused:
        show_refusal(None, refused)
        return redirect(url_for("strategy_project.page", number=project.number) + "#ziele")
    db.session.commit()
    flash(_("The project's goals are saved."), "success")
    return redirect(url_for("strategy_project.page", number=project.number) + "#beitraege")


@project_bp.post("/erwartet/<indicator_ref>")
@access.with_project
def save_expected(project: Project, indicator_ref: str) -> ResponseReturnValue:
    _editor_or_403(project)
    indicator = found_or_404(contributions.indicator_of(project, indicator_ref))
    form = ExpectedForm(prefix=f"i-{indicator.ref}-")
    if form.validate_on_submit():
        try:
            text = (form.value.data or "").strip()
            value = parse_value(text) if text else None
            contributions.set_expected(
                project, indicator, value, form.basis.data or "", actor=current_user
            )
        except Refusal as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The expected contribution is saved."), "success")
            return redirect(
                url_for("strategy_project.page", number=project.number) + f"#i-{indicator.ref}"
            )
    return _render_project(project, expected_forms={indicator.id: form}, status=400)


@project_bp.post("/ergebnisse")
@accepts_files
@access.with_project
def report_result(project: Project) -> ResponseReturnValue:
    _editor_or_403(project)
    form = ResultForm()
    indicators = {i.ref: i for goal in contributions.linked_goals(project) for i in goal.indicators}
    form.indicator.choices = [
        SelectChoice(ref, f"{i.name} ({i.unit})") for ref, i in indicators.items()
    ]
    if form.validate_on_submit():
        try:
            value = parse_value(form.value.data)
            upload = None
            if form.file.data:
                upload = check_upload(
                    form.file.data,
                    contributions.FILE_KINDS,
                    original_name=form.file.data.filename or "",
                )
            contributions.report(
                project,
                indicators[form.indicator.data],
                value=value,
                achieved_on=form.achieved_on.data,
                note=form.note.data or "",
                upload=upload,
                actor=current_user,
            )
        except Refusal as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("The result is reported. Town staff will confirm it."), "success")
            return redirect(url_for("strategy_project.page", number=project.number) + "#ergebnisse")
    return _render_project(project, result_form=form, status=400)


@project_bp.get("/ergebnisse/<ref>/datei")
@access.with_project
def result_file(project: Project, ref: str) -> ResponseReturnValue:
    result = found_or_404(contributions.find_result(project, ref))
    stored = stored_file(contributions.UPLOAD_AREA, result.file_name)
    if stored is None or not result.file_name:
        abort(404)
    suffix = result.file_name.rsplit(".", 1)[-1]
    kind = next((k for k in FILE_KINDS.values() if k.extension == suffix), None)
    return send_download(
        stored, result.file_title or result.file_name, kind.mimetype if kind else ""
    )


@project_bp.post("/ergebnisse/<ref>/bestaetigen")
@access.with_project
def confirm_result(project: Project, ref: str) -> ResponseReturnValue:
    refused = permissions.gate(contributions.may_confirm)
    if refused is not None:
        return refused
    result = found_or_404(contributions.find_result(project, ref))
    if not ButtonForm().validate_on_submit():
        abort(400)
    contributions.confirm(result, actor=current_user)
    db.session.commit()
    flash(_("The result is confirmed."), "success")
    back = request.form.get("back") == "queue"
    if back:
        return redirect(url_for("strategy.queue"))
    return redirect(url_for("strategy_project.page", number=project.number) + "#ergebnisse")


@bp.get("/bestaetigen")
def queue() -> ResponseReturnValue:
    refused = permissions.gate(contributions.may_confirm)
    if refused is not None:
        return refused
    return render_template(
        "strategy/queue.html", results=contributions.unconfirmed(), button=ButtonForm()
    )


# --- the public dashboard ----------------------------------------------------------------


@bp.get("")
@cached_for_visitors
def dashboard() -> ResponseReturnValue:
    return render_template(
        "strategy/dashboard.html", goals=figures.gather(), extra=figures.plugin_figures()
    )


@bp.get("/zahlen.csv")
def dashboard_csv() -> Response:
    rows = figures.csv_rows(figures.gather())
    return send_download(csv_for_people(rows), "wirkung.csv", CSV_MIMETYPE)


@bp.get("/ergebnisse.atom")
def results_feed() -> Response:
    language = get_locale().language if get_locale() else "de"
    return current_app.response_class(
        feed.results_feed(g.tenant, language), mimetype="application/atom+xml"
    )


@admin_bp.post("/<ref>/indikatoren/<indicator_ref>/startseite")
def set_headline(ref: str, indicator_ref: str) -> ResponseReturnValue:
    goal = found_or_404(services.find_goal(ref))
    indicator = _indicator_of(goal, indicator_ref)
    if not ButtonForm().validate_on_submit() or request.form.get("on") not in ("0", "1"):
        abort(400)
    services.set_headline(indicator, request.form["on"] == "1", actor=current_user)
    db.session.commit()
    flash(_("The landing page is changed."), "success")
    return redirect(url_for("strategy_admin.goal_page", ref=goal.ref) + f"#ind-{indicator.ref}")
