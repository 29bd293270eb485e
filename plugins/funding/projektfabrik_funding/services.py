"""What the funding module does, without HTTP. Callers commit.

Every change of an application's state goes through :func:`transition`: it
checks that the change is allowed from that state for that role and writes
the audit row. Approval (:func:`approve`) additionally holds the pot's row
lock while it recomputes the committed sum, so the approved amounts never
exceed the budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from flask import url_for
from sqlalchemy import func, select, update

from projektfabrik.api import (
    Money,
    Refusal,
    Role,
    Sheet,
    Step,
    StepRefused,
    UploadRefused,
    User,
    Workflow,
    _,
    check_upload,
    csv_for_people,
    db,
    emit,
    external_url_for,
    finance_summary,
    format_cents,
    is_project_editor,
    notify,
    plan_snapshot,
    project_team,
    queue_mail,
    resolve_upload,
    store_upload,
    upload_folder,
    utcnow,
    xlsx_workbook,
)
from projektfabrik.api import (
    lazy_gettext as _l,
)
from projektfabrik_funding.models import (
    COMMITTED_STATES,
    Application,
    ApplicationDecided,
    ApplicationSubmitted,
    AuditEntry,
    Body,
    Document,
    DocumentKind,
    Juror,
    Pot,
    PotState,
    Rating,
    State,
)

LEGAL_FORMS = ("private", "association", "company", "initiative")
TEAM, ADMIN = "team", "admin"


def _decidable(application: Application) -> bool:
    """A pot with a jury decides only after the jury has rated."""
    return application.pot.body != Body.JURY or application.state == State.RATING


def _jury_pot(application: Application) -> bool:
    return application.pot.body == Body.JURY


_JURY_FIRST = _l("This pot's jury rates every application before the decision.")

#: The application's workflow: which step leads from which state, who may take it,
#: and the button's label. Views and templates ask it (:func:`next_steps`).
WORKFLOW = Workflow(
    states=list(State),
    steps=[
        Step("einreichen", [State.DRAFT, State.INFO_REQUESTED], State.SUBMITTED,
             roles={TEAM}, label=_l("Submit the application")),
        Step("pruefen", [State.SUBMITTED], State.FORMAL_CHECK,
             roles={ADMIN}, label=_l("Start the formal check")),
        Step("nachfragen", [State.SUBMITTED, State.FORMAL_CHECK], State.INFO_REQUESTED,
             roles={ADMIN}, label=_l("Ask the team for more information")),
        Step("jury", [State.FORMAL_CHECK], State.RATING,
             roles={ADMIN}, label=_l("Hand over to the jury"), guard=_jury_pot),
        Step("bewilligen", [State.FORMAL_CHECK, State.RATING], State.APPROVED,
             roles={ADMIN}, label=_l("Approve"), guard=_decidable, refusal=_JURY_FIRST),
        Step("ablehnen", [State.FORMAL_CHECK, State.RATING], State.REJECTED,
             roles={ADMIN}, label=_l("Reject"), guard=_decidable, refusal=_JURY_FIRST),
        Step("auszahlen", [State.APPROVED], State.PAID,
             roles={ADMIN}, label=_l("Record the payout")),
        Step("nachweis", [State.PAID], State.PROOF_SUBMITTED,
             roles={TEAM}, label=_l("Submit the proof of use")),
        Step("nachweis-pruefen", [State.PROOF_SUBMITTED], State.PROOF_CHECKED,
             roles={ADMIN}, label=_l("The proof of use is checked")),
        Step("abschliessen", [State.PROOF_CHECKED], State.CLOSED,
             roles={ADMIN}, label=_l("Close the application")),
        Step("zurueckfordern", [State.PAID, State.PROOF_CHECKED], State.RECLAIMED,
             roles={ADMIN}, label=_l("Reclaim money")),
    ],
)  # fmt: skip


class FundingError(Refusal):
    """A change the rules refuse; ``message`` is for the person."""


class OverBudget(FundingError):
    pass


# --- labels ----------------------------------------------------------------------


def state_label(state: State | str) -> str:
    return {
        State.DRAFT: _("Draft"),
        State.SUBMITTED: _("Submitted"),
        State.FORMAL_CHECK: _("Formal check"),
        State.INFO_REQUESTED: _("More information requested"),
        State.RATING: _("Jury rating"),
        State.APPROVED: _("Approved"),
        State.REJECTED: _("Rejected"),
        State.PAID: _("Paid out"),
        State.PROOF_SUBMITTED: _("Proof of use submitted"),
        State.PROOF_CHECKED: _("Proof of use checked"),
        State.CLOSED: _("Closed"),
        State.RECLAIMED: _("Money reclaimed"),
    }[State(state)]


def pot_state_label(state: PotState | str) -> str:
    return {
        PotState.INACTIVE: _("Inactive"),
        PotState.ACTIVE: _("Active"),
        PotState.FINISHED: _("Finished"),
    }[PotState(state)]


def body_label(body: Body | str) -> str:
    return {
        Body.ADMIN: _("The town's administration"),
        Body.JURY: _("A jury"),
        Body.COMMITTEE: _("A council committee"),
    }[Body(body)]


def legal_form_label(form: str) -> str:
    return {
        "private": _("Private person"),
        "association": _("Association"),
        "company": _("Company"),
        "initiative": _("Initiative"),
    }.get(form, form)


def profile_labels() -> dict[str, str]:
    return {
        "problem": _("Problem"),
        "goal": _("Goal"),
        "vision": _("Vision"),
        "description": _("Description"),
        "delimitation": _("What the project is not"),
        "target_groups": _("Target groups"),
        "results": _("Expected results"),
        "effects": _("Effects"),
        "local_reference": _("Local reference"),
        "partners": _("Partners"),
    }


def line_label(group: str, key: str) -> str:
    """A finance plan line's name: a cost type (group "costs") or a financing kind."""
    costs = {
        "administrative": _("Administrative costs"),
        "investment": _("Investment"),
        "material": _("Material costs"),
        "personnel": _("Personnel costs"),
        "rent": _("Rent"),
        "travel": _("Travel costs"),
    }
    financing = {
        "own_funds": _("Own funds"),
        "third_party": _("Third-party funds"),
        "donations": _("Donations"),
        "proceeds": _("Proceeds"),
        "requested_funding": _("Requested funding"),
    }
    return (costs if group == "costs" else financing).get(key, key)


# --- IBAN --------------------------------------------------------------------------

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def normalise_iban(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def iban_valid(text: str) -> bool:
    """ISO 13616 check: the format, then mod-97 of the rearranged digits is 1."""
    iban = normalise_iban(text)
    if not _IBAN.match(iban):
        return False
    if iban.startswith("DE") and len(iban) != 22:
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def mask_iban(text: str) -> str:
    """``DE89 •••• •••• •••• •••• 00``: country, check digits and the last two only."""
    iban = normalise_iban(text)
    if len(iban) < 8:
        return "•" * len(iban)
    hidden = iban[:4] + "•" * (len(iban) - 6) + iban[-2:]
    return " ".join(hidden[i : i + 4] for i in range(0, len(hidden), 4))


# --- pots -----------------------------------------------------------------------------


def pots(states: Sequence[PotState] | None = None) -> list[Pot]:
    stmt = select(Pot).order_by(Pot.created_at.desc(), Pot.id.desc())
    if states is not None:
        stmt = stmt.where(Pot.state.in_(list(states)))
    return list(db.session.scalars(stmt))


def find_pot(ref: str) -> Pot | None:
    return db.session.scalar(select(Pot).where(Pot.ref == ref))


def is_open(pot: Pot, today: date | None = None) -> bool:
    today = today or date.today()
    if pot.state != PotState.ACTIVE:
        return False
    if pot.opens_on and today < pot.opens_on:
        return False
    return not (pot.closes_on and today > pot.closes_on)


def jurors(pot: Pot) -> list[Juror]:
    return list(db.session.scalars(select(Juror).where(Juror.pot_id == pot.id).order_by(Juror.id)))


def set_jurors(pot: Pot, users: Sequence[User]) -> None:
    wanted = {u.id for u in users}
    for juror in jurors(pot):
        if juror.user_id not in wanted:
            db.session.delete(juror)
        else:
            wanted.discard(juror.user_id)
    for user_id in sorted(wanted):
        db.session.add(Juror(pot_id=pot.id, user_id=user_id))
    db.session.flush()


@dataclass(frozen=True)
class PotFigures:
    budget: int
    committed: int
    paid: int
    reclaimed: int
    by_state: dict[State, int]

    @property
    def remaining(self) -> int:
        return self.budget - self.committed


def committed_cents(pot: Pot) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Application.approved_cents), 0)).where(
                Application.pot_id == pot.id, Application.state.in_(COMMITTED_STATES)
            )
        )
        or 0
    )


def figures(pot: Pot) -> PotFigures:
    rows = db.session.execute(
        select(
            Application.state,
            func.count(),
            func.coalesce(func.sum(Application.paid_cents), 0),
        )
        .where(Application.pot_id == pot.id)
        .group_by(Application.state)
    ).all()
    by_state = {State(state): int(count) for state, count, _paid in rows}
    paid = sum(int(p) for _s, _c, p in rows)
    reclaimed = int(
        db.session.scalar(
            select(func.coalesce(func.sum(Application.reclaimed_cents), 0)).where(
                Application.pot_id == pot.id
            )
        )
        or 0
    )
    return PotFigures(pot.budget_cents, committed_cents(pot), paid, reclaimed, by_state)


def funded_projects(pot: Pot) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.pot_id == pot.id, Application.state.in_(COMMITTED_STATES))
            .order_by(Application.decided_at)
        )
    )


# --- applications ----------------------------------------------------------------


def find_application(ref: str) -> Application | None:
    return db.session.scalar(select(Application).where(Application.ref == ref))


def applications(pot: Pot | None = None, project: Any = None) -> list[Application]:
    stmt = select(Application).order_by(Application.created_at, Application.id)
    if pot is not None:
        stmt = stmt.where(Application.pot_id == pot.id)
    if project is not None:
        stmt = stmt.where(Application.project_id == project.id)
    return list(db.session.scalars(stmt))


def project_of(application: Application) -> Any:
    return application.project


def is_team(application: Application, user: Any) -> bool:
    """Team members (and town admins, who may help) act for the applicant."""
    project = project_of(application)
    return project is not None and is_project_editor(project, user)


def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def rating_of(application: Application, user: Any) -> Rating | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Rating).where(Rating.application_id == application.id, Rating.juror_id == user.id)
    )


def may_view(application: Application, user: Any) -> bool:
    return (
        is_admin(user)
        or is_team(application, user)
        or (application.state != State.DRAFT and rating_of(application, user) is not None)
    )


def start(pot: Pot, project: Any, by: User) -> Application:
    """A draft application, prefilled from the project's profile and finance plan."""
    if not is_open(pot):
        raise FundingError(_("This pot takes no applications at the moment."))
    plan = plan_snapshot(project)
    profile = plan["profile"]
    summary = "\n\n".join(
        part
        for part in (project.pitch, profile.get("goal", ""), profile.get("description", ""))
        if part
    )
    application = Application(
        pot_id=pot.id,
        project_id=project.id,
        title=project.title,
        summary=summary,
        requested_cents=finance_summary(project).requested_funding,
        applicant_name=by.display_name or "",
        contact_person=by.display_name or "",
        email=by.email,
        created_by_id=by.id,
    )
    db.session.add(application)
    db.session.flush()
    return application


def problems(application: Application, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, in plain words."""
    pot = application.pot
    project = project_of(application)
    found: list[str] = []
    if not is_open(pot, today):
        found.append(_("The pot takes no applications at the moment (the period is closed)."))
    summary = finance_summary(project)
    requested = summary.requested_funding
    if requested != application.requested_cents:
        found.append(
            _(
                "The requested amount (%(asked)s) differs from the finance plan's "
                "“requested funding” (%(plan)s). Please update the finance plan.",
                asked=format_cents(application.requested_cents),
                plan=format_cents(requested),
            )
        )
    if requested < pot.min_grant_cents or (pot.max_grant_cents and requested > pot.max_grant_cents):
        found.append(
            _(
                "The requested funding of %(asked)s is outside this pot's limits "
                "(%(low)s to %(high)s).",
                asked=format_cents(requested),
                low=format_cents(pot.min_grant_cents),
                high=format_cents(pot.max_grant_cents),
            )
        )
    if summary.total_costs == 0:
        found.append(_("The finance plan has no costs yet."))
    elif not summary.balanced:
        found.append(
            _(
                "The finance plan is not balanced: costs %(costs)s, financing %(fin)s.",
                costs=format_cents(summary.total_costs),
                fin=format_cents(summary.total_financing),
            )
        )
    if pot.min_own_share_bp and (summary.own_share_bp or 0) < pot.min_own_share_bp:
        found.append(
            _(
                "The own contribution is too low: %(have)s %% of the costs, at least "
                "%(need)s %% are needed.",
                have=f"{(summary.own_share_bp or 0) / 100:g}",
                need=f"{pot.min_own_share_bp / 100:g}",
            )
        )
    if pot.eligible_cost_types:
        other = [
            str(t)
            for t, cents in summary.costs_by_type.items()
            if cents and str(t) not in pot.eligible_cost_types
        ]
        if other and requested > sum(
            cents for t, cents in summary.costs_by_type.items() if str(t) in pot.eligible_cost_types
        ):
            found.append(_("The requested funding is larger than the costs this pot pays for."))
    missing = [
        label
        for label, value in (
            (_("Applicant"), application.applicant_name),
            (_("Legal form"), application.legal_form),
            (_("Address"), application.address),
            (_("Contact person"), application.contact_person),
            (_("E-mail"), application.email),
            (_("Authorised signatory"), application.signatory),
            (_("IBAN"), application.iban),
            (_("Project title"), application.title),
            (_("Summary"), application.summary),
        )
        if not (value or "").strip()
    ]
    if missing:
        found.append(_("Please fill in: %(fields)s.", fields=", ".join(missing)))
    if application.iban and not iban_valid(application.iban):
        found.append(_("The IBAN is not valid."))
    for index, question in enumerate(pot.questions):
        answer = (application.answers or {}).get(str(index), "").strip()
        if not answer:
            found.append(_("Please answer the question “%(q)s”.", q=question["question"]))
        elif len(answer) > int(question.get("max_length") or 0 or 10**6):
            found.append(
                _(
                    "The answer to “%(q)s” is longer than %(n)d characters.",
                    q=question["question"],
                    n=int(question["max_length"]),
                )
            )
    absent = [a for a in pot.required_attachments if a not in (application.attachments or [])]
    if absent:
        found.append(_("Attachments missing: %(names)s.", names=", ".join(absent)))
    if not application.declarations:
        found.append(_("Please confirm the declarations."))
    return found


def roles_of(application: Application, user: Any) -> set[str]:
    """The workflow roles ``user`` holds for the application: ``team``, ``admin``."""
    roles = set()
    if is_admin(user):
        roles.add(ADMIN)
    if is_team(application, user):
        roles.add(TEAM)
    return roles


def next_steps(application: Application, user: Any) -> list[Step]:
    """The steps ``user`` may take on the application now (one button each)."""
    return WORKFLOW.next_steps(application.state, roles_of(application, user), application)


def may(application: Application, user: Any, step: str) -> bool:
    return WORKFLOW.may(application.state, step, roles_of(application, user), application)


def transition(
    application: Application, to: State, actor: User, role: str, note: str = ""
) -> AuditEntry:
    """The one way to change an application's state: checked against :data:`WORKFLOW`
    (``role``: the role the actor acts in), then written to the audit trail."""
    before = State(application.state)
    roles = roles_of(application, actor) & {role}
    try:
        WORKFLOW.check(before, to, roles, subject=application)
    except StepRefused as refused:
        if refused.reason == "state":
            message = _(
                "This step is not possible now (%(from)s → %(to)s).",
                **{"from": state_label(before), "to": state_label(to)},
            )
        elif refused.reason == "role" and refused.step and ADMIN in refused.step.roles:
            message = _("Only the town's administration may do this.")
        elif refused.reason == "role":
            message = _("Only the project's team may do this.")
        else:
            message = refused.message
        raise FundingError(message) from refused
    # An atomic compare-and-set: two clicks at once cannot both leave the same state.
    changed = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.state == before)
        .values(state=to)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        raise FundingError(_("Someone else changed this application in the meantime."))
    application.state = to
    entry = AuditEntry(
        application_id=application.id,
        actor_id=actor.id,
        from_state=before.value,
        to_state=to.value,
        note=note,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def audit(application: Application) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.application_id == application.id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def freeze(application: Application) -> dict[str, Any]:
    """The application as submitted: later plan edits do not change it."""
    project = project_of(application)
    summary = finance_summary(project)
    return {
        "submitted_at": utcnow().isoformat(),
        "pot": {"ref": application.pot.ref, "name": application.pot.name},
        "project": {"ref": project.ref, "title": project.title},
        "title": application.title,
        "summary": application.summary,
        "requested_cents": application.requested_cents,
        "applicant": {
            "name": application.applicant_name,
            "legal_form": application.legal_form,
            "address": application.address,
            "contact_person": application.contact_person,
            "email": application.email,
            "phone": application.phone,
            "signatory": application.signatory,
            "iban_masked": mask_iban(application.iban),
        },
        "answers": [
            {"question": q["question"], "answer": (application.answers or {}).get(str(i), "")}
            for i, q in enumerate(application.pot.questions)
        ],
        "attachments": list(application.attachments or []),
        "plan": plan_snapshot(project),
        "finance": {
            "costs_by_type": {str(k): v for k, v in summary.costs_by_type.items()},
            "financing_by_kind": {str(k): v for k, v in summary.financing_by_kind.items()},
            "total_costs": summary.total_costs,
            "total_financing": summary.total_financing,
            "own_share_bp": summary.own_share_bp,
            "requested_funding": summary.requested_funding,
        },
    }


#: Notification kinds (declared in plugin.py): news of a team's own application, and
#: new submissions for the town's admins.
TEAM_KIND, ADMIN_KIND = "funding.application", "funding.submitted"


def _tell_team(
    application: Application,
    subject: Callable[[], str],
    body: Callable[[], str],
    endpoint: str = "funding.application",
) -> None:
    """Notify the team as each member chose (bell, mail now, daily, none), in their
    language. The application's contact address, when it is no team member's,
    is the applicant's formal address without a person or settings behind it:
    it gets the mail directly, in the language of the moment."""
    project = project_of(application)
    people = project_team(project)
    link = url_for(endpoint, ref=application.ref)
    notify(people, TEAM_KIND, subject, link, details=body)
    contact = (application.email or "").strip()
    if contact and contact.lower() not in {(u.email or "").lower() for u in people}:
        url = external_url_for(endpoint, ref=application.ref)
        queue_mail(contact, subject(), f"{body()}\n\n{url}\n")


def submit(application: Application, by: User) -> None:
    """Submit (or resubmit) the application: checks, frozen snapshot, receipt mail, event."""
    found = problems(application)
    if found:
        raise FundingError(" ".join(found))
    resubmission = application.state == State.INFO_REQUESTED
    transition(application, State.SUBMITTED, by, TEAM)
    if application.snapshot:
        application.earlier_snapshots = [
            *(application.earlier_snapshots or []),
            application.snapshot,
        ]
    application.snapshot = freeze(application)
    application.submitted_at = utcnow()
    application.submissions += 1
    _tell_team(
        application,
        lambda: _("Your funding application has arrived: %(title)s", title=application.title),
        lambda: _(
            "We have received the application “%(title)s” to the pot “%(pot)s” "
            "(requested: %(amount)s). We will let you know how it goes on.",
            title=application.title,
            pot=application.pot.name,
            amount=format_cents(application.requested_cents),
        ),
    )
    emit(
        ApplicationSubmitted(
            application_ref=application.ref,
            pot_ref=application.pot.ref,
            project_ref=project_of(application).ref,
            resubmission=resubmission,
        )
    )


def request_info(application: Application, by: User, message: str) -> None:
    if not message.strip():
        raise FundingError(_("Please say what information is missing."))
    transition(application, State.INFO_REQUESTED, by, ADMIN, note=message.strip())
    application.info_request = message.strip()
    _tell_team(
        application,
        lambda: _("More information needed: %(title)s", title=application.title),
        lambda: (
            _("The town asks for more information about your application:")
            + f"\n\n{message.strip()}"
        ),
    )


def start_rating(application: Application, by: User) -> None:
    """Hand the application to the jury: assign the jurors with the fewest open ratings."""
    pot = application.pot
    pool = jurors(pot)
    if len(pool) < pot.jurors_per_application:
        raise FundingError(
            _(
                "This pot needs %(n)d jurors per application; assign them on the pot's page first.",
                n=pot.jurors_per_application,
            )
        )
    load = dict(
        db.session.execute(
            select(Rating.juror_id, func.count())
            .where(Rating.submitted_at.is_(None))
            .group_by(Rating.juror_id)
        ).all()
    )
    chosen = sorted(pool, key=lambda j: (load.get(j.user_id, 0), j.id))[
        : pot.jurors_per_application
    ]
    transition(application, State.RATING, by, ADMIN)
    for juror in chosen:
        db.session.add(Rating(application_id=application.id, juror_id=juror.user_id, scores={}))
    db.session.flush()


def ratings(application: Application) -> list[Rating]:
    return list(
        db.session.scalars(
            select(Rating).where(Rating.application_id == application.id).order_by(Rating.id)
        )
    )


def rate(application: Application, juror: User, scores: dict[str, int], comment: str) -> None:
    rating = rating_of(application, juror)
    if rating is None:
        raise FundingError(_("You are not a juror of this application."))
    if application.state != State.RATING:
        raise FundingError(_("The rating of this application has ended."))
    if rating.submitted_at is not None:
        raise FundingError(_("You have rated this application already."))
    ends = application.pot.rating_ends_on
    if ends is not None and date.today() > ends:
        raise FundingError(_("The rating period of this pot has ended."))
    names = [c["name"] for c in application.pot.jury_criteria]
    if sorted(scores) != sorted(names) or any(not 0 <= s <= 10 for s in scores.values()):
        raise FundingError(_("Please give every criterion a score from 0 to 10."))
    rating.scores = dict(scores)
    rating.comment = comment.strip()
    rating.submitted_at = utcnow()
    db.session.flush()


def weighted_score(application: Application, rating: Rating) -> float | None:
    criteria = application.pot.jury_criteria
    weights = sum(int(c.get("weight") or 1) for c in criteria)
    if rating.submitted_at is None or not weights:
        return None
    total = sum(int(c.get("weight") or 1) * rating.scores.get(c["name"], 0) for c in criteria)
    return round(total / weights, 2)


def may_see_ratings(application: Application, user: Any) -> bool:
    """Admins always; a juror only after submitting their own rating."""
    if is_admin(user):
        return True
    own = rating_of(application, user)
    return own is not None and own.submitted_at is not None


def juror_applications(user: Any) -> list[Application]:
    return list(
        db.session.scalars(
            select(Application)
            .join(Rating, Rating.application_id == Application.id)
            .where(Rating.juror_id == user.id)
            .order_by(Application.submitted_at)
        )
    )


def lock_pot(pot_id: int) -> Pot:
    """The pot's row, locked until the transaction ends (``SELECT … FOR UPDATE``).

    On SQLite the clause is dropped; the database has one writer at a time, and
    the UPDATE below makes this transaction that writer before it counts.
    """
    bind = db.session.get_bind()
    if bind.dialect.name == "sqlite":
        db.session.execute(
            update(Pot)
            .where(Pot.id == pot_id)
            .values(budget_cents=Pot.budget_cents)
            .execution_options(synchronize_session=False)
        )
    pot = db.session.scalar(
        select(Pot)
        .where(Pot.id == pot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert pot is not None
    return pot


def approve(application: Application, by: User, amount_cents: int, conditions: str = "") -> None:
    """Approve ``amount_cents`` unless the pot's approved sum would then exceed its budget."""
    if amount_cents <= 0:
        raise FundingError(_("Please enter the approved amount."))
    if amount_cents > application.requested_cents:
        raise FundingError(_("The approved amount cannot exceed the requested amount."))
    pot = lock_pot(application.pot_id)
    committed = committed_cents(pot)
    if committed + amount_cents > pot.budget_cents:
        raise OverBudget(
            _(
                "Not enough money left in the pot: %(left)s remain, %(asked)s were to be approved.",
                left=format_cents(pot.budget_cents - committed),
                asked=format_cents(amount_cents),
            )
        )
    application.approved_cents = amount_cents
    application.conditions = conditions.strip()
    application.decided_at = utcnow()
    transition(
        application,
        State.APPROVED,
        by,
        ADMIN,
        note=_("Approved: %(amount)s", amount=format_cents(amount_cents)),
    )
    _decision_mail(application, approved=True)


def reject(application: Application, by: User, reason: str) -> None:
    if not reason.strip():
        raise FundingError(_("Please give the reason for the rejection."))
    application.rejection_reason = reason.strip()
    application.decided_at = utcnow()
    transition(application, State.REJECTED, by, ADMIN, note=reason.strip())
    _decision_mail(application, approved=False)


def _decision_mail(application: Application, approved: bool) -> None:
    def text() -> str:
        if approved:
            said = _(
                "Your application “%(title)s” is approved: %(amount)s.",
                title=application.title,
                amount=format_cents(application.approved_cents),
            )
            if application.conditions:
                said += "\n\n" + _("Conditions:") + "\n" + application.conditions
        else:
            said = (
                _("Your application “%(title)s” is rejected.", title=application.title)
                + f"\n\n{application.rejection_reason}"
            )
        return said + "\n\n" + _("The decision notice:")

    _tell_team(
        application,
        lambda: _("Decision on your funding application: %(title)s", title=application.title),
        text,
        endpoint="funding.notice",
    )
    emit(
        ApplicationDecided(
            application_ref=application.ref,
            pot_ref=application.pot.ref,
            approved=approved,
            amount_cents=application.approved_cents or 0,
        )
    )


def record_payout(application: Application, by: User, amount_cents: int) -> None:
    if amount_cents <= 0 or amount_cents > (application.approved_cents or 0):
        raise FundingError(_("The payout must be between 0 and the approved amount."))
    application.paid_cents = amount_cents
    application.paid_at = utcnow()
    transition(
        application, State.PAID, by, ADMIN, note=_("Paid: %(a)s", a=format_cents(amount_cents))
    )


def planned_figures(application: Application) -> dict[str, dict[str, int]]:
    finance = (application.snapshot or {}).get("finance", {})
    return {
        "costs": dict(finance.get("costs_by_type", {})),
        "financing": dict(finance.get("financing_by_kind", {})),
    }


def submit_proof(
    application: Application,
    by: User,
    report: str,
    participants: int | None,
    actuals: dict[str, dict[str, int]],
) -> None:
    if not report.strip():
        raise FundingError(_("Please write the report: what happened, which goals were reached."))
    application.proof_report = report.strip()
    application.proof_participants = participants
    application.proof_actuals = actuals
    transition(application, State.PROOF_SUBMITTED, by, TEAM)


def check_proof(application: Application, by: User) -> None:
    transition(application, State.PROOF_CHECKED, by, ADMIN)


def close(application: Application, by: User) -> None:
    transition(application, State.CLOSED, by, ADMIN)


def reclaim(application: Application, by: User, amount_cents: int, reason: str) -> None:
    if amount_cents <= 0 or amount_cents > (application.paid_cents or 0):
        raise FundingError(_("The amount reclaimed must be between 0 and the amount paid."))
    application.reclaimed_cents = amount_cents
    transition(
        application,
        State.RECLAIMED,
        by,
        ADMIN,
        note=_("Reclaimed: %(a)s", a=format_cents(amount_cents))
        + (f" – {reason}" if reason else ""),
    )


# --- exports ---------------------------------------------------------------------------


def export_columns() -> list[str]:
    """The export's header in the reader's language."""
    return [
        _("Reference number"),
        _("Project"),
        _("Title"),
        _("State"),
        _("Submitted"),
        _("Requested (€)"),
        _("Approved (€)"),
        _("Paid (€)"),
        _("Reclaimed (€)"),
    ]


def _money(cents: int | None) -> Money | None:
    return None if cents is None else Money(cents)


def export_rows(pot: Pot) -> list[list[Any]]:
    """One row per application: translated state, real dates, amounts as Money."""
    rows: list[list[Any]] = []
    for a in applications(pot):
        project = project_of(a)
        rows.append(
            [
                a.ref,
                project.ref if project else "",
                a.title,
                state_label(a.state),
                a.submitted_at,
                _money(a.requested_cents),
                _money(a.approved_cents),
                _money(a.paid_cents),
                _money(a.reclaimed_cents),
            ]
        )
    return rows


def as_csv(pot: Pot) -> str:
    """For people: the core's export writer (German: ``;``, decimal comma, BOM)."""
    return csv_for_people([export_columns(), *export_rows(pot)])


def as_xlsx(pot: Pot) -> bytes:
    """Amounts as numbers with a euro format, dates as dates (the core's export writer)."""
    return xlsx_workbook(
        [Sheet(title=_("Applications"), rows=[export_columns(), *export_rows(pot)])]
    )


def notify_admins(event: ApplicationSubmitted) -> None:
    application = find_application(event.application_ref)
    if application is None:
        return
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN)).all()
    notify(
        admins,
        ADMIN_KIND,
        lambda: (
            _("Funding application resubmitted: %(title)s", title=application.title)
            if event.resubmission
            else _("New funding application: %(title)s", title=application.title)
        ),
        url_for("funding.application", ref=application.ref),
        details=lambda: _("Pot: %(pot)s", pot=application.pot.name),
    )


# --- documents ---------------------------------------------------------------------------

UPLOAD_AREA = "funding"
#: What attachments and receipts may be (checked by content; the size limit is the town's).
DOCUMENT_KINDS = ("pdf", "jpeg", "png")


def documents(application: Application, kind: DocumentKind | None = None) -> list[Document]:
    stmt = select(Document).where(Document.application_id == application.id)
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    return list(db.session.scalars(stmt.order_by(Document.uploaded_at, Document.id)))


def find_document(application: Application, ref: str) -> Document | None:
    return db.session.scalar(
        select(Document).where(Document.application_id == application.id, Document.ref == ref)
    )


def add_document(
    application: Application,
    by: User,
    kind: DocumentKind,
    label: str,
    filename: str,
    data: IO[bytes] | bytes,
) -> Document:
    """Store an uploaded file (PDF, JPEG or PNG, within the town's limit) with the application."""
    if kind == DocumentKind.ATTACHMENT:
        if application.state not in (State.DRAFT, State.INFO_REQUESTED):
            raise FundingError(_("Attachments are added while the application is being written."))
        if label not in application.pot.required_attachments:
            raise FundingError(_("Please choose which attachment this is."))
    elif application.state != State.PAID:
        raise FundingError(_("Receipts are uploaded with the proof of use."))
    if not is_team(application, by):
        raise FundingError(_("Only the project's team may do this."))
    try:
        checked = check_upload(data, DOCUMENT_KINDS, original_name=filename)
    except UploadRefused as refused:
        raise FundingError(refused.message) from refused
    stored = store_upload(UPLOAD_AREA, checked)
    document = Document(
        application_id=application.id,
        kind=kind,
        label=label if kind == DocumentKind.ATTACHMENT else "",
        original_name=checked.display_name[:200],
        stored_name=stored,
        size=checked.size,
        uploaded_by_id=by.id,
    )
    db.session.add(document)
    if kind == DocumentKind.ATTACHMENT and label not in (application.attachments or []):
        application.attachments = [*(application.attachments or []), label]
    db.session.flush()
    return document


def document_path(document: Document) -> Path | None:
    return resolve_upload(upload_folder(UPLOAD_AREA), document.stored_name)
