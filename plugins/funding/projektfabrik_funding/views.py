"""The funding pages under /foerderung. The core answers 404 here while the town has
the plugin switched off, before any of this code runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from wtforms import SelectChoice

from projektfabrik.api import (
    CSV_MIMETYPE,
    FILE_KINDS,
    XLSX_MIMETYPE,
    User,
    _,
    accepts_files,
    admin_required,
    cached_for_visitors,
    current_user,
    db,
    finance_summary,
    find_project,
    format_cents,
    format_input,
    found_or_404,
    is_project_editor,
    login_required,
    parse_cents,
    render_template,
    send_download,
    show_refusal,
    upload_limit_mb,
)
from projektfabrik_funding import pdf, regional, services
from projektfabrik_funding.forms import (
    AmountForm,
    ApplicationForm,
    DecisionForm,
    JurorsForm,
    MessageForm,
    PotForm,
    ProofForm,
    lines,
    parse_criteria,
    parse_questions,
)
from projektfabrik_funding.models import Application, Body, DocumentKind, Pot, PotState, State

bp = Blueprint(
    "funding",
    __name__,
    url_prefix="/foerderung",
    template_folder="templates",
    static_folder="static",
)

COST_TYPES = ("administrative", "investment", "material", "personnel", "rent", "travel")


def _cost_type_choices() -> list[SelectChoice]:
    labels = {
        "administrative": _("Administrative costs"),
        "investment": _("Investment"),
        "material": _("Material costs"),
        "personnel": _("Personnel costs"),
        "rent": _("Rent"),
        "travel": _("Travel costs"),
    }
    return [SelectChoice(key, labels[key]) for key in COST_TYPES]


def _viewable(ref: str) -> Application:
    """The application, for someone logged in (the views say ``login_required``)
    who may see it; 404 for anyone else, as for a ref that names nothing."""
    application = found_or_404(services.find_application(ref))
    if not services.may_view(application, current_user):
        abort(404)
    return application


# --- public --------------------------------------------------------------------


@bp.get("/")
@cached_for_visitors
def index() -> ResponseReturnValue:
    shown = services.pots([PotState.ACTIVE, PotState.FINISHED])
    return render_template(
        "funding/index.html",
        pots=shown,
        services=services,
        neighbour_pots=regional.neighbour_pots(),
    )


@bp.get("/toepfe/<ref>")
@cached_for_visitors
def pot(ref: str) -> ResponseReturnValue:
    found = found_or_404(services.find_pot(ref))
    if found.state == PotState.INACTIVE and not services.is_admin(current_user):
        abort(404)
    funded = services.funded_projects(found) if found.show_funded else []
    return render_template(
        "funding/pot.html",
        pot=found,
        funded=funded,
        services=services,
        is_open=services.is_open(found),
        cost_types={choice.value: choice.label for choice in _cost_type_choices()},
    )


# --- pot administration ---------------------------------------------------------


@bp.get("/verwaltung/")
@admin_required
def admin_index() -> ResponseReturnValue:
    rows = [(p, services.figures(p)) for p in services.pots()]
    return render_template("funding/admin_index.html", rows=rows, services=services)


def _fill_pot_form(form: PotForm) -> None:
    form.eligible_cost_types.choices = _cost_type_choices()
    form.body.choices = [SelectChoice(b.value, services.body_label(b)) for b in Body]
    form.state.choices = [SelectChoice(s.value, services.pot_state_label(s)) for s in PotState]


def _apply_pot(form: PotForm, target: Pot) -> None:
    target.name = form.name.data.strip()
    target.description = form.description.data or ""
    target.sponsor = form.sponsor.data or ""
    target.budget_cents = parse_cents(form.budget.data)
    target.min_grant_cents = parse_cents(form.min_grant.data)
    target.max_grant_cents = parse_cents(form.max_grant.data)
    target.min_own_share_bp = (form.min_own_share.data or 0) * 100
    target.eligible_cost_types = list(form.eligible_cost_types.data or [])
    target.opens_on = form.opens_on.data
    target.closes_on = form.closes_on.data
    target.criteria = form.criteria.data or ""
    target.questions = parse_questions(form.questions.data)
    target.body = Body(form.body.data)
    target.jurors_per_application = form.jurors_per_application.data or 1
    target.ratings_required = form.ratings_required.data or 0
    target.jury_criteria = parse_criteria(form.jury_criteria.data)
    target.rating_ends_on = form.rating_ends_on.data
    target.required_attachments = lines(form.required_attachments.data)
    target.state = PotState(form.state.data)
    target.show_funded = bool(form.show_funded.data)
    if regional.may_open_to_region():
        target.regional = bool(form.regional.data)


def _pot_form_errors(form: PotForm, existing: Pot | None = None) -> bool:
    ok = True
    if existing is not None and not form.budget.errors:
        # Under the pot's row lock, like an approval: no approval slips in between.
        committed = services.committed_cents(services.lock_pot(existing.id))
        if parse_cents(form.budget.data) < committed:
            form.budget.errors = [
                _(
                    "The budget cannot be less than the amounts approved already (%(sum)s).",
                    sum=format_cents(committed),
                )
            ]
            ok = False
    if (
        form.min_grant.data
        and form.max_grant.data
        and parse_cents(form.min_grant.data) > parse_cents(form.max_grant.data)
    ):
        form.max_grant.errors = [_("The maximum must not be below the minimum.")]
        ok = False
    if form.opens_on.data and form.closes_on.data and form.closes_on.data < form.opens_on.data:
        form.closes_on.errors = [_("The period must end after it begins.")]
        ok = False
    return ok


@bp.route("/verwaltung/neu", methods=["GET", "POST"])
@admin_required
def pot_new() -> ResponseReturnValue:
    form = PotForm()
    _fill_pot_form(form)
    if request.method == "GET":
        form.body.data = Body.ADMIN.value
        form.state.data = PotState.INACTIVE.value
    if form.validate_on_submit() and _pot_form_errors(form):
        target = Pot()
        _apply_pot(form, target)
        db.session.add(target)
        db.session.flush()
        regional.publish_pot(target, was_regional=False)
        db.session.commit()
        flash(_("The pot is saved."), "success")
        return redirect(url_for("funding.pot_edit", ref=target.ref))
    return render_template(
        "funding/pot_form.html",
        form=form,
        pot=None,
        jurors_form=None,
        regional_possible=regional.may_open_to_region(),
    )


@bp.route("/verwaltung/toepfe/<ref>", methods=["GET", "POST"])
@admin_required
def pot_edit(ref: str) -> ResponseReturnValue:
    target = found_or_404(services.find_pot(ref))
    form = PotForm()
    _fill_pot_form(form)
    if request.method == "GET":
        form.process(
            data={
                "name": target.name,
                "description": target.description,
                "sponsor": target.sponsor,
                "budget": format_input(target.budget_cents),
                "min_grant": format_input(target.min_grant_cents),
                "max_grant": format_input(target.max_grant_cents),
                "min_own_share": target.min_own_share_bp // 100,
                "eligible_cost_types": target.eligible_cost_types,
                "opens_on": target.opens_on,
                "closes_on": target.closes_on,
                "criteria": target.criteria,
                "questions": "\n".join(
                    f"{q['question']} | {q.get('help', '')} | {q.get('max_length', '')}"
                    for q in target.questions
                ),
                "body": target.body.value,
                "jurors_per_application": target.jurors_per_application,
                "ratings_required": target.ratings_required,
                "jury_criteria": "\n".join(
                    f"{c['name']} | {c.get('weight', 1)}" for c in target.jury_criteria
                ),
                "rating_ends_on": target.rating_ends_on,
                "required_attachments": "\n".join(target.required_attachments),
                "state": target.state.value,
                "show_funded": target.show_funded,
                "regional": target.regional,
            }
        )
    elif form.validate_on_submit() and _pot_form_errors(form, target):
        was_regional = target.regional
        _apply_pot(form, target)
        regional.publish_pot(target, was_regional)
        db.session.commit()
        flash(_("The pot is saved."), "success")
        return redirect(url_for("funding.pot_edit", ref=target.ref))
    jurors_form = JurorsForm(
        formdata=None, emails="\n".join(j.user.email for j in services.jurors(target))
    )
    return render_template(
        "funding/pot_form.html",
        form=form,
        pot=target,
        jurors_form=jurors_form,
        applications=services.applications(target),
        figures=services.figures(target),
        services=services,
        regional_possible=regional.may_open_to_region(),
    )


@bp.post("/verwaltung/toepfe/<ref>/jury")
@admin_required
def pot_jurors(ref: str) -> ResponseReturnValue:
    target = found_or_404(services.find_pot(ref))
    form = JurorsForm()
    people = []
    unknown = []
    for email in lines(form.emails.data):
        person = db.session.scalar(select(User).where(User.email == email.lower()))
        (people.append(person) if person is not None else unknown.append(email))
    if unknown:
        flash(_("No account in this town: %(emails)s", emails=", ".join(unknown)), "error")
    else:
        services.set_jurors(target, people)
        db.session.commit()
        flash(_("The jury is saved."), "success")
    return redirect(url_for("funding.pot_edit", ref=target.ref))


@bp.get("/verwaltung/toepfe/<ref>/antraege.<fmt>")
@admin_required
def pot_export(ref: str, fmt: str) -> ResponseReturnValue:
    target = found_or_404(services.find_pot(ref))
    name = f"foerderantraege-{target.ref}.{fmt}"
    if fmt == "csv":
        return send_download(services.as_csv(target), name, CSV_MIMETYPE)
    if fmt == "xlsx":
        return send_download(services.as_xlsx(target), name, XLSX_MIMETYPE)
    abort(404)


# --- the project's tab ----------------------------------------------------------


@bp.get("/projekte/<project_ref>")
def project_tab(project_ref: str) -> ResponseReturnValue:
    project = found_or_404(find_project(project_ref))
    editor = is_project_editor(project, current_user)
    own = services.applications(project=project) if editor else []
    open_pots = [p for p in services.pots([PotState.ACTIVE]) if services.is_open(p)]
    return render_template(
        "funding/project_tab.html",
        project=project,
        editor=editor,
        applications=own,
        open_pots=open_pots,
        services=services,
        summary=finance_summary(project) if editor else None,
        neighbour_pots=regional.pots_to_apply_to(project) if editor else [],
        regional_applications=regional.regional_applications(project) if editor else [],
        regional=regional,
    )


@bp.post("/projekte/<project_ref>/antrag/<pot_ref>")
@login_required
def start(project_ref: str, pot_ref: str) -> ResponseReturnValue:
    project = found_or_404(find_project(project_ref))
    target = found_or_404(services.find_pot(pot_ref))
    if not is_project_editor(project, current_user):
        abort(403)
    try:
        application = services.start(target, project, current_user)
    except services.FundingError as error:
        flash(error.message, "error")
        return redirect(url_for("funding.project_tab", project_ref=project.ref))
    db.session.commit()
    return redirect(url_for("funding.application", ref=application.ref))


# --- one application ---------------------------------------------------------------


def _application_form(application: Application) -> ApplicationForm:
    form = ApplicationForm()
    form.legal_form.choices = [SelectChoice("", _("Please choose"))] + [
        SelectChoice(key, services.legal_form_label(key)) for key in services.LEGAL_FORMS
    ]
    return form


@bp.route("/antraege/<ref>", methods=["GET", "POST"])
@login_required
def application(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    editable = services.may(found, current_user, "einreichen")
    form = _application_form(found)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate():
            for name in (
                "title",
                "summary",
                "applicant_name",
                "legal_form",
                "address",
                "contact_person",
                "email",
                "phone",
                "signatory",
            ):
                setattr(found, name, (getattr(form, name).data or "").strip())
            iban = services.normalise_iban(form.iban.data or "")
            if iban:
                if services.iban_valid(iban):
                    found.iban = iban
                else:
                    form.iban.errors = [_("The IBAN is not valid (check the digits).")]
            found.declarations = bool(form.declarations.data)
            found.answers = {
                str(i): (request.form.get(f"answer-{i}") or "")[: int(q.get("max_length") or 1000)]
                for i, q in enumerate(found.pot.questions)
            }
            found.attachments = [
                name
                for i, name in enumerate(found.pot.required_attachments)
                if request.form.get(f"attachment-{i}")
            ]
            found.requested_cents = finance_summary(found.project).requested_funding
            if not form.iban.errors:
                if request.form.get("action") == "submit":
                    try:
                        services.submit(found, current_user)
                    except services.FundingError:
                        db.session.commit()  # keep what was typed
                        flash(_("The application cannot be submitted yet."), "error")
                        return redirect(url_for("funding.application", ref=found.ref))
                    db.session.commit()
                    flash(services.done_message("einreichen"), "success")
                else:
                    db.session.commit()
                    flash(_("The application is saved."), "success")
                return redirect(url_for("funding.application", ref=found.ref))
    elif editable:
        _prefill(form, found)
    return _page(found, form, editable=editable)


def _page(
    found: Application,
    form: ApplicationForm | None = None,
    *,
    editable: bool | None = None,
    full_iban: str = "",
    answer: str = "",
    answer_error: str = "",
    proof_form: ProofForm | None = None,
    proof_typed: dict[str, str] | None = None,
    proof_errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The application's page as ``current_user`` may see it."""
    team = services.is_team(found, current_user)
    admin = services.is_admin(current_user)
    if editable is None:
        editable = services.may(found, current_user, "einreichen")
    if form is None:
        form = _application_form(found)
        if editable:
            _prefill(form, found)
    own_rating = services.rating_of(found, current_user)
    steps = services.next_steps(found, current_user)
    step_names = {s.name for s in steps}
    return render_template(
        "funding/application.html",
        application=found,
        pot=found.pot,
        project=found.project,
        form=form,
        editable=editable,
        team=team,
        admin=admin,
        problems=services.problems(found) if editable else [],
        services=services,
        regional=regional,
        history=services.audit(found) if (team or admin) else [],
        own_rating=own_rating,
        ratings=services.ratings(found) if services.may_see_ratings(found, current_user) else [],
        decision_form=DecisionForm(formdata=None),
        message_form=MessageForm(formdata=None),
        amount_form=AmountForm(formdata=None),
        proof_form=proof_form or ProofForm(formdata=None),
        proof_typed=proof_typed or {},
        proof_errors=proof_errors or {},
        impact_fields=services.proof_impact_fields(found) if "nachweis" in step_names else [],
        planned=services.planned_figures(found),
        documents=services.documents(found) if (team or admin) else [],
        pdf_available=pdf.available(),
        upload_mb=upload_limit_mb(),
        admin_steps=[s for s in steps if services.ADMIN in s.roles],
        proof_step=next((s for s in steps if s.name == "nachweis"), None),
        answer_step=next((s for s in steps if s.name == "antworten"), None),
        may_see_iban=services.may_see_iban(found, current_user),
        full_iban=full_iban,
        answer=answer,
        answer_error=answer_error,
    ), status


def _prefill(form: ApplicationForm, found: Application) -> None:
    form.process(
        data={
            "title": found.title,
            "summary": found.summary,
            "applicant_name": found.applicant_name,
            "legal_form": found.legal_form,
            "address": found.address,
            "contact_person": found.contact_person,
            "email": found.email,
            "phone": found.phone,
            "signatory": found.signatory,
            "declarations": found.declarations,
        }
    )


def _done(found: Application, message: str) -> ResponseReturnValue:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("funding.application", ref=found.ref))


def _refused(found: Application, error: services.FundingError) -> ResponseReturnValue:
    show_refusal(None, error)  # rolls back, flashes the reason
    return redirect(url_for("funding.application", ref=found.ref), code=303)


@bp.post("/antraege/<ref>/schritt/<step>")
@admin_required
def step(ref: str, step: str) -> ResponseReturnValue:
    """The administration's steps on an application."""
    found = found_or_404(services.find_application(ref))
    try:
        if step == "pruefen":
            services.transition(found, State.FORMAL_CHECK, current_user, services.ADMIN)
        elif step == "nachfragen":
            services.request_info(found, current_user, request.form.get("message", ""))
        elif step == "jury":
            services.start_rating(found, current_user)
        elif step == "bewilligen":
            amount = _cents(request.form.get("amount"))
            services.approve(found, current_user, amount, request.form.get("conditions", ""))
        elif step == "ablehnen":
            services.reject(found, current_user, request.form.get("reason", ""))
        elif step == "auszahlen":
            services.record_payout(found, current_user, _cents(request.form.get("amount")))
        elif step == "nachweis-pruefen":
            services.check_proof(found, current_user)
        elif step == "abschliessen":
            services.close(found, current_user)
        elif step == "zurueckfordern":
            services.reclaim(
                found,
                current_user,
                _cents(request.form.get("amount")),
                request.form.get("reason", ""),
            )
        else:
            abort(404)
    except services.FundingError as error:
        return _refused(found, error)
    return _done(found, services.done_message(step))


def _cents(text: str | None) -> int:
    try:
        return parse_cents(text)
    except Exception as error:
        raise services.FundingError(str(error)) from error


@bp.post("/antraege/<ref>/bewertung")
@login_required
def rate(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    scores = {}
    try:
        for i, criterion in enumerate(found.pot.jury_criteria):
            raw = request.form.get(f"score-{i}", "")
            if not raw.strip().isdigit():
                raise services.FundingError(_("Please give every criterion a score from 0 to 10."))
            scores[criterion["name"]] = int(raw)
        services.rate(found, current_user, scores, request.form.get("comment", ""))
    except services.FundingError as error:
        return _refused(found, error)
    return _done(found, _("Your rating is saved."))


@bp.post("/antraege/<ref>/verwendungsnachweis")
@login_required
def proof(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    form = ProofForm()
    actuals: dict[str, dict[str, int]] = {"costs": {}, "financing": {}}
    impact = {
        key.removeprefix("impact-"): value
        for key, value in request.form.items()
        if key.startswith("impact-")
    }
    try:
        if not form.validate():
            raise services.FundingError(_("Please write the report."))
        for group in ("costs", "financing"):
            for key in services.planned_figures(found)[group]:
                raw = request.form.get(f"{group}-{key}", "").strip()
                actuals[group][key] = _cents(raw) if raw else 0
        services.submit_proof(
            found, current_user, form.report.data, form.participants.data, actuals, impact
        )
    except services.FundingError as error:
        # The whole proof is refused and shown again as typed, the reason beside
        # the achieved value it concerns (or at the top).
        field = error.field or ""
        if field.startswith("impact-"):
            db.session.rollback()
            errors = {field: error.message}
        else:
            show_refusal(None, error)
            errors = {}
        typed = {key: value for key, value in request.form.items() if key != "csrf_token"}
        return _page(found, proof_form=form, proof_typed=typed, proof_errors=errors, status=422)
    return _done(found, services.done_message("nachweis"))


@bp.post("/antraege/<ref>/antwort")
@login_required
def answer(ref: str) -> ResponseReturnValue:
    """The team's answer to the town's question: text and files, no new submission."""
    found = _viewable(ref)
    text = request.form.get("answer", "")
    files = [(f.filename, f.stream) for f in request.files.getlist("files") if f and f.filename]
    try:
        services.answer_info_request(found, current_user, text, files)
    except services.FundingError as error:
        db.session.rollback()
        # Shown beside the field, with what was typed kept.
        return _page(found, answer=text, answer_error=error.message, status=422)
    return _done(found, services.done_message("antworten"))


@bp.post("/antraege/<ref>/iban")
@admin_required
def iban(ref: str) -> ResponseReturnValue:
    """The full IBAN for the clerk who records the payout; the view is logged."""
    found = found_or_404(services.find_application(ref))
    try:
        shown = services.reveal_iban(found, current_user)
    except services.FundingError as error:
        return _refused(found, error)
    db.session.commit()
    return _page(found, full_iban=shown)


@bp.get("/antraege/<ref>/antrag.pdf")
@login_required
def application_pdf(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    if not found.snapshot or found.project_id is None:  # regional: shown on the page
        abort(404)
    return pdf.response(
        "funding/application_pdf.html",
        f"foerderantrag-{found.ref}",
        title=_("Funding application") + ": " + found.snapshot.get("title", found.title),
        application=found,
        services=services,
        profile_labels=services.profile_labels(),
        submitted=datetime.fromisoformat(found.snapshot["submitted_at"]),
    )


@bp.get("/antraege/<ref>/bescheid.pdf")
@login_required
def notice(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    if found.decided_at is None or found.project_id is None:  # regional: its town tells
        abort(404)
    return pdf.response(
        "funding/notice_pdf.html",
        f"bescheid-{found.ref}",
        title=_("Decision notice") + ": " + found.title,
        application=found,
        services=services,
    )


@bp.get("/jury/")
@login_required
def jury() -> ResponseReturnValue:
    return render_template(
        "funding/jury.html",
        applications=services.juror_applications(current_user),
        services=services,
    )


@bp.post("/antraege/<ref>/dateien")
@accepts_files
@login_required
def upload(ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    if not services.is_team(found, current_user):
        abort(403)
    file = request.files.get("file")
    kind = (
        DocumentKind.RECEIPT if request.form.get("kind") == "receipt" else DocumentKind.ATTACHMENT
    )
    try:
        if file is None or not file.filename:
            raise services.FundingError(_("Please choose a file."))
        services.add_document(
            found,
            current_user,
            kind,
            request.form.get("label", ""),
            file.filename,
            file.stream,
        )
    except services.FundingError as error:
        return _refused(found, error)
    return _done(found, _("The file is uploaded."))


@bp.get("/antraege/<ref>/dateien/<doc_ref>")
@login_required
def download(ref: str, doc_ref: str) -> ResponseReturnValue:
    found = _viewable(ref)
    document = services.find_document(found, doc_ref)
    stored = services.stored_document(document) if document is not None else None
    if document is None or stored is None:
        abort(404)
    return send_download(stored, document.original_name, _document_type(document))


def _document_type(document: Any) -> str:
    """What the stored file is: its extension was set from its checked content."""
    kinds = {k.extension: k.mimetype for k in FILE_KINDS.values()}
    return kinds.get(document.stored_name.rsplit(".", 1)[-1], "application/octet-stream")


from projektfabrik_funding import regional_views  # noqa: E402,F401 - its routes on bp
