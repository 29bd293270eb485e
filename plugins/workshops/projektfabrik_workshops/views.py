"""The workshop pages under /werkstatt. The core answers 404 here while the town has
the plugin switched off, before any of this code runs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from wtforms import SelectChoice

from projektfabrik.api import (
    Throttle,
    User,
    _,
    cached_for_visitors,
    client_address,
    current_user,
    db,
    find_project,
    found_or_404,
    login_required,
    ngettext,
    pdf_available,
    pdf_response,
    render_markdown,
    render_template,
    send_download,
    show_refusal,
    town_zone,
    utcnow,
)
from projektfabrik_workshops import calendar, ideas, services
from projektfabrik_workshops.forms import (
    ButtonForm,
    ItemForm,
    ProtocolForm,
    RegisterForm,
    WorkshopForm,
)
from projektfabrik_workshops.labels import (
    attendance_label,
    item_kind_label,
    repeat_choices,
    state_label,
)
from projektfabrik_workshops.models import (
    Attendance,
    ItemKind,
    Registration,
    RegState,
    Workshop,
    WorkshopState,
)

bp = Blueprint(
    "workshops",
    __name__,
    url_prefix="/werkstatt",
    template_folder="templates",
    static_folder="static",
)

#: Registrations send mail: bounded per client and per address.
REGISTER_LIMIT = Throttle("workshops-register", "20 per hour")


def _visible(ref: str) -> Workshop:
    workshop = found_or_404(services.find(ref))
    if not services.is_visible(workshop, current_user):
        abort(404)
    return workshop


def _moderated(ref: str) -> Workshop:
    """For the workshop's moderator and those who plan; 404 for everyone else."""
    workshop = found_or_404(services.find(ref))
    if not services.may_moderate(workshop, current_user):
        abort(404)
    return workshop


def _manager() -> None:
    if not services.may_manage(current_user):
        abort(403)


# --- public -------------------------------------------------------------------------


@bp.get("/")
@cached_for_visitors
def index() -> ResponseReturnValue:
    upcoming, past = services.listed(services.may_manage(current_user))
    return render_template(
        "workshops/index.html",
        upcoming=upcoming,
        past=past,
        services=services,
        state_label=state_label,
    )


@bp.get("/kalender.ics")
def feed() -> ResponseReturnValue:
    upcoming, past = services.listed(manager=False)
    return send_download(
        calendar.feed(upcoming + past), "werkstatt.ics", "text/calendar", max_age=300, private=False
    )


def _register_form(workshop: Workshop) -> RegisterForm:
    form = RegisterForm()
    choices = []
    if workshop.place:
        choices.append(SelectChoice(Attendance.ONSITE.value, attendance_label(Attendance.ONSITE)))
    if workshop.online_url:
        choices.append(SelectChoice(Attendance.ONLINE.value, attendance_label(Attendance.ONLINE)))
    form.attendance.choices = choices
    if request.method == "GET" and choices:
        form.attendance.data = choices[0].value
    return form


def _show(workshop: Workshop, form: RegisterForm | None = None) -> str:
    mine = services.registration_of(workshop, current_user)
    if form is None and services.is_open(workshop) and mine is None:
        form = _register_form(workshop)
    invited = [p for p in (find_project(ref) for ref in workshop.invited_projects or []) if p]
    return render_template(
        "workshops/workshop.html",
        workshop=workshop,
        form=form,
        mine=mine,
        position=services.waiting_position(mine) if mine else None,
        free=services.free_seats(workshop),
        waiting=services.waiting_count(workshop),
        is_open=services.is_open(workshop),
        is_past=workshop.ends_at < utcnow(),
        may_moderate=services.may_moderate(workshop, current_user),
        invited=invited,
        button=ButtonForm(),
        state_label=state_label,
        protocol_html=render_markdown(workshop.protocol)
        if workshop.protocol_published_at
        else None,
        pdf_ok=pdf_available(),
    )


@bp.get("/<ref>")
def workshop(ref: str) -> ResponseReturnValue:
    return _show(_visible(ref))


@bp.get("/<ref>/kalender.ics")
def workshop_ics(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    return send_download(calendar.feed([found]), f"werkstatt-{found.ref}.ics", "text/calendar")


@bp.post("/<ref>/anmelden")
def register(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    form = _register_form(found)
    user = current_user if current_user.is_authenticated else None
    if user is None:
        if not form.name.data or not form.name.data.strip():
            form.name.errors = [_("Please enter your name.")]
        if not form.email.data:
            form.email.errors = [_("Please enter your e-mail address.")]
    if not form.validate_on_submit() or form.name.errors or form.email.errors:
        return _show(found, form), 422
    email = user.email if user is not None else form.email.data
    if not REGISTER_LIMIT.hit(client_address()) or not REGISTER_LIMIT.hit(email.lower()):
        flash(_("Too many registrations from here. Please try again later."), "error")
        return _show(found, form), 429
    try:
        registration = services.register(
            found,
            user=user,
            name=form.name.data or "",
            email=email,
            attendance=Attendance(form.attendance.data),
            needs=form.needs.data or "",
            named_in_protocol=bool(form.named_in_protocol.data),
        )
    except services.WorkshopError as error:
        show_refusal(form, error)
        return _show(found, form), 422
    db.session.commit()
    if registration.state == RegState.UNCONFIRMED:
        flash(
            _("Almost done: please confirm your address with the link we have just mailed you."),
            "success",
        )
    elif registration.state == RegState.CONFIRMED:
        flash(_("You are registered."), "success")
    else:
        flash(_("The workshop is full: you are on the waiting list."), "success")
    return redirect(url_for("workshops.workshop", ref=found.ref))


@bp.post("/<ref>/abmelden")
@login_required
def withdraw(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    form = ButtonForm()
    mine = services.registration_of(found, current_user)
    if form.validate_on_submit() and mine is not None:
        services.withdraw(mine)
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("workshops.workshop", ref=found.ref))


@bp.route("/teilnahme/<token>", methods=["GET", "POST"])
def manage(token: str) -> ResponseReturnValue:
    """The link in every mail: confirm the address, or cancel with one press."""
    registration = found_or_404(services.by_token(token))
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action")
        try:
            if action == "confirm":
                services.confirm(registration)
                db.session.commit()
                flash(_("Your address is confirmed."), "success")
            elif action == "cancel":
                services.withdraw(registration)
                db.session.commit()
                flash(_("Your registration is cancelled."), "success")
        except services.WorkshopError as error:
            show_refusal(None, error)
        return redirect(url_for("workshops.manage", token=token))
    return render_template(
        "workshops/manage.html",
        registration=registration,
        workshop=registration.workshop,
        position=services.waiting_position(registration),
        form=form,
        token=token,
    )


@bp.get("/<ref>/protokoll.pdf")
def protocol_pdf(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    if found.protocol_published_at is None:
        abort(404)
    return pdf_response(
        "workshops/protocol_pdf.html",
        f"protokoll-{found.ref}",
        title=_("Protocol: %(title)s", title=found.title),
        workshop=found,
        protocol_html=render_markdown(found.protocol),
    )


# --- planning ----------------------------------------------------------------------------


@bp.get("/verwaltung/")
@login_required
def admin_index() -> ResponseReturnValue:
    _manager()
    upcoming, past = services.listed(manager=True)
    return render_template(
        "workshops/admin_index.html",
        upcoming=upcoming,
        past=past,
        services=services,
        state_label=state_label,
    )


def _workshop_form(target: Workshop | None) -> WorkshopForm:
    form = WorkshopForm(obj=None)
    form.repeat.choices = repeat_choices()
    if request.method == "GET" and target is not None:
        zone = town_zone()
        starts = target.starts_at.astimezone(zone)
        form.title.data = target.title
        form.description.data = target.description
        form.day.data = starts.date()
        form.start.data = starts.time()
        form.end.data = target.ends_at.astimezone(zone).time()
        form.place.data = target.place
        form.accessibility.data = target.accessibility
        form.online_url.data = target.online_url
        form.capacity.data = target.capacity
        form.deadline_days.data = (
            (target.starts_at - target.registration_deadline).days
            if target.registration_deadline
            else None
        )
        form.topics.data = target.topics
        form.invited_projects.data = ", ".join(target.invited_projects or [])
        form.moderator_email.data = target.moderator.email if target.moderator else ""
    elif request.method == "GET":
        form.capacity.data = 20
        form.count.data = 1
    return form


def _details(form: WorkshopForm) -> services.Details | None:
    """The form's values, or ``None`` with the errors put beside the fields."""
    ok = True
    moderator = None
    if form.moderator_email.data:
        moderator = db.session.scalar(
            select(User).where(func.lower(User.email) == form.moderator_email.data.lower())
        )
        if moderator is None:
            form.moderator_email.errors = [
                _("No one in this town has an account with this address.")
            ]
            ok = False
    elif current_user.is_authenticated:
        moderator = db.session.get(User, current_user.id)
    invited = []
    for part in (form.invited_projects.data or "").replace(";", ",").split(","):
        part = part.strip().lstrip("#")
        if not part:
            continue
        if find_project(part) is None:
            form.invited_projects.errors = [
                _("There is no project with the number %(ref)s.", ref=part)
            ]
            ok = False
        else:
            invited.append(part)
    if not ok:
        return None
    return services.Details(
        title=form.title.data.strip(),
        description=form.description.data or "",
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        place=(form.place.data or "").strip(),
        accessibility=form.accessibility.data or "",
        online_url=(form.online_url.data or "").strip(),
        capacity=form.capacity.data,
        deadline_days=form.deadline_days.data,
        topics=form.topics.data or "",
        invited_projects=invited,
        moderator=moderator,
    )


@bp.route("/verwaltung/neu", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    _manager()
    form = _workshop_form(None)
    if form.validate_on_submit():
        details = _details(form)
        if details is not None:
            try:
                made = services.create(details, form.repeat.data, form.count.data or 1)
            except services.WorkshopError as error:
                show_refusal(form, error)
            else:
                db.session.commit()
                flash(
                    _("Saved as a draft. Publish it when it is ready.")
                    if len(made) == 1
                    else ngettext(
                        "%(num)d date saved as a draft.",
                        "%(num)d dates saved as drafts.",
                        len(made),
                    ),
                    "success",
                )
                return redirect(url_for("workshops.edit", ref=made[0].ref))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/form.html", form=form, workshop=None), status


@bp.route("/verwaltung/<ref>", methods=["GET", "POST"])
@login_required
def edit(ref: str) -> ResponseReturnValue:
    _manager()
    target = found_or_404(services.find(ref))
    form = _workshop_form(target)
    if form.validate_on_submit():
        details = _details(form)
        if details is not None:
            try:
                moved = services.change(target, details, current_user)
            except services.WorkshopError as error:
                show_refusal(form, error)
            else:
                db.session.commit()
                flash(
                    _("Saved. Everyone registered has been told what changed.")
                    if moved and target.state == WorkshopState.PUBLISHED
                    else _("Saved."),
                    "success",
                )
                return redirect(url_for("workshops.edit", ref=target.ref))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "workshops/form.html",
        form=form,
        workshop=target,
        button=ButtonForm(),
        series=services.series_of(target),
        state_label=state_label,
    ), status


@bp.post("/verwaltung/<ref>/veroeffentlichen")
@login_required
def publish(ref: str) -> ResponseReturnValue:
    _manager()
    target = found_or_404(services.find(ref))
    if ButtonForm().validate_on_submit():
        try:
            services.publish(target)
            db.session.commit()
            flash(_("The workshop is published."), "success")
        except services.WorkshopError as error:
            show_refusal(None, error)
    return redirect(url_for("workshops.edit", ref=target.ref))


@bp.post("/verwaltung/<ref>/absagen")
@login_required
def cancel(ref: str) -> ResponseReturnValue:
    _manager()
    target = found_or_404(services.find(ref))
    if ButtonForm().validate_on_submit():
        try:
            told = services.cancel(target)
            db.session.commit()
            flash(
                ngettext(
                    "The workshop is cancelled; %(num)d person was told.",
                    "The workshop is cancelled; %(num)d people were told.",
                    told,
                ),
                "success",
            )
        except services.WorkshopError as error:
            show_refusal(None, error)
    return redirect(url_for("workshops.edit", ref=target.ref))


# --- for the moderator ------------------------------------------------------------------------


@bp.get("/<ref>/teilnehmende")
@login_required
def participants(ref: str) -> ResponseReturnValue:
    """The check-in list: printable, with needs (only the organisers see it)."""
    found = _moderated(ref)
    return render_template(
        "workshops/participants.html",
        workshop=found,
        rows=services.registrations(found),
        services=services,
        attendance_label=attendance_label,
        button=ButtonForm(),
    )


@bp.post("/<ref>/teilnehmende/<reg_ref>")
@login_required
def check_in(ref: str, reg_ref: str) -> ResponseReturnValue:
    found = _moderated(ref)
    registration = found_or_404(
        db.session.scalar(
            select(Registration).where(
                Registration.ref == reg_ref, Registration.workshop_id == found.id
            )
        )
    )
    if ButtonForm().validate_on_submit():
        services.check_in(registration, request.form.get("present") == "1")
        db.session.commit()
    return redirect(
        url_for("workshops.participants", ref=found.ref, _anchor=f"p-{registration.ref}")
    )


def _board(found: Workshop, form: ItemForm | None = None) -> str:
    may_post = services.may_post_to_board(found, current_user)
    if form is None and may_post:
        form = _item_form(found)
    return render_template(
        "workshops/board.html",
        workshop=found,
        items=services.items(found),
        form=form,
        may_post=may_post,
        item_kind_label=item_kind_label,
        kinds=list(ItemKind),
        may_moderate=services.may_moderate(found, current_user),
        seated=ideas.seated(found) if services.may_moderate(found, current_user) else [],
        button=ButtonForm(),
    )


def _item_form(found: Workshop) -> ItemForm:
    form = ItemForm()
    kinds = list(ItemKind) if services.may_moderate(found, current_user) else [ItemKind.NOTE]
    form.kind.choices = [SelectChoice(k.value, item_kind_label(k)) for k in kinds]
    return form


@bp.get("/<ref>/tafel")
@login_required
def board(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    if not services.may_post_to_board(found, current_user):
        abort(404)
    return _board(found)


@bp.post("/<ref>/tafel")
@login_required
def board_post(ref: str) -> ResponseReturnValue:
    found = _visible(ref)
    if not services.may_post_to_board(found, current_user):
        abort(404)
    form = _item_form(found)
    if form.project_ref.data and find_project(form.project_ref.data.strip()) is None:
        form.project_ref.errors = [
            _("There is no project with the number %(ref)s.", ref=form.project_ref.data)
        ]
    if form.validate_on_submit() and not form.project_ref.errors:
        try:
            services.capture(
                found,
                ItemKind(form.kind.data),
                form.text.data,
                db.session.get(User, current_user.id),
                owner=form.owner.data or "",
                project_ref=form.project_ref.data or "",
            )
        except services.WorkshopError as error:
            show_refusal(form, error)
            return _board(found, form), 422
        db.session.commit()
        return redirect(url_for("workshops.board", ref=found.ref, _anchor="board"))
    return _board(found, form), 422


@bp.route("/<ref>/protokoll", methods=["GET", "POST"])
@login_required
def protocol(ref: str) -> ResponseReturnValue:
    found = _moderated(ref)
    form = ProtocolForm()
    if request.method == "GET":
        form.text.data = found.protocol or services.protocol_draft(found)
    if form.validate_on_submit():
        try:
            mailed = services.publish_protocol(found, form.text.data)
        except services.WorkshopError as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "The protocol is published and mailed to %(num)d person.",
                    "The protocol is published and mailed to %(num)d people.",
                    mailed,
                )
                if mailed
                else _("The protocol is saved and published."),
                "success",
            )
            return redirect(url_for("workshops.workshop", ref=found.ref, _anchor="protocol"))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/protocol_form.html", workshop=found, form=form), status


@bp.post("/<ref>/tafel/<item_ref>/projekt")
@login_required
def offer_project(ref: str, item_ref: str) -> ResponseReturnValue:
    """The moderator offers an idea from the board to the person who had it."""
    found = _moderated(ref)
    item = found_or_404(ideas.item_by_ref(found, item_ref))
    if ButtonForm().validate_on_submit():
        registration = db.session.scalar(
            select(Registration).where(
                Registration.ref == request.form.get("person", ""),
                Registration.workshop_id == found.id,
            )
        )
        try:
            if registration is None:
                raise services.WorkshopError(_("Please choose a person who has a seat."))
            ideas.offer_project(item, registration)
        except services.WorkshopError as error:
            show_refusal(None, error)
        else:
            db.session.commit()
            flash(
                _("%(name)s gets a mail to make the idea a project.", name=registration.name),
                "success",
            )
    return redirect(url_for("workshops.board", ref=found.ref, _anchor=f"item-{item.ref}"))


@bp.route("/projektidee/<token>", methods=["GET", "POST"])
def draft(token: str) -> ResponseReturnValue:
    """The link in the mail: the person makes the idea their project (logged in)."""
    found = found_or_404(ideas.draft_by_token(token))
    form = ButtonForm()
    if request.method == "POST" and current_user.is_authenticated and form.validate_on_submit():
        person = found_or_404(db.session.get(User, current_user.id))
        try:
            project = ideas.confirm_draft(found, person)
        except services.WorkshopError as error:
            show_refusal(None, error)
        else:
            db.session.commit()
            flash(_("Your project is published. Now find people and plan it."), "success")
            return redirect(url_for("marketplace.project", number=int(project.ref)))
    project = find_project(found.project_ref) if found.project_ref else None
    return render_template(
        "workshops/draft.html",
        draft=found,
        project=project,
        form=form,
        token=token,
        for_me=current_user.is_authenticated
        and str(current_user.email).lower() == found.email.lower(),
    )
