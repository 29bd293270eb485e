"""The application's states and steps, declared once (:data:`WORKFLOW`), and the one way to
change a state (:func:`transition`), which writes the audit trail. Callers commit."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult

from projektfabrik.api import (
    Step,
    StepRefused,
    User,
    Workflow,
    _,
    db,
)
from projektfabrik.api import lazy_gettext as _l
from projektfabrik_funding.access import ADMIN, TEAM, roles_of
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.labels import state_label
from projektfabrik_funding.models import (
    Application,
    AuditEntry,
    Body,
    Rating,
    State,
)


def ratings_needed(application: Application) -> tuple[int, int]:
    """(submitted, needed): the jury ratings in, and how many the pot wants before a
    decision (its ``ratings_required``; 0 there means every assigned juror)."""
    rows = db.session.execute(
        select(Rating.submitted_at).where(Rating.application_id == application.id)
    ).all()
    submitted = sum(1 for (at,) in rows if at is not None)
    needed = application.pot.ratings_required or len(rows) or application.pot.jurors_per_application
    return submitted, max(needed, 1)


def _decidable(application: Application) -> bool:
    """The pot's rule for deciding: a jury pot decides only in the jury rating, and
    only once the ratings it requires are in; the other bodies after the formal check."""
    if application.pot.body != Body.JURY:
        return True
    if application.state != State.RATING:
        return False
    submitted, needed = ratings_needed(application)
    return submitted >= needed


def _jury_pot(application: Application) -> bool:
    return application.pot.body == Body.JURY


def _has_team(application: Application) -> bool:
    """A regional application's team has no account here to answer a question."""
    return application.project_id is not None


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
             roles={ADMIN}, label=_l("Ask the team for more information"), guard=_has_team),
        Step("antworten", [State.INFO_REQUESTED], State.FORMAL_CHECK,
             roles={TEAM}, label=_l("Send the answer to the town")),
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

#: What the person is told after taking a step: what happened, in the past tense
#: ("Formal check started", not "Done: formal check" when it has only begun).
DONE_MESSAGES = {
    "einreichen": _l("The application is submitted. A receipt is on its way."),
    "pruefen": _l("Formal check started."),
    "nachfragen": _l("Your question is sent to the team."),
    "antworten": _l("Your answer is sent to the town. The formal check goes on."),
    "jury": _l("The application is handed over to the jury."),
    "bewilligen": _l("The application is approved; the team is told."),
    "ablehnen": _l("The application is rejected; the team is told."),
    "auszahlen": _l("The payout is recorded."),
    "nachweis": _l("The proof of use is submitted."),
    "nachweis-pruefen": _l("The proof of use is marked as checked."),
    "abschliessen": _l("The application is closed."),
    "zurueckfordern": _l("The reclaim is recorded."),
}


def done_message(step: str) -> str:
    """The message after ``step`` (one of :data:`WORKFLOW`'s steps)."""
    return str(DONE_MESSAGES[step])


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
        elif (
            refused.step is not None
            and refused.step.guard is _decidable
            and application.state == State.RATING
        ):
            submitted, needed = ratings_needed(application)
            message = _(
                "The decision waits for the jury: %(have)d of %(need)d ratings are in.",
                have=submitted,
                need=needed,
            )
        else:
            message = refused.message
        raise FundingError(message) from refused
    # An atomic compare-and-set: two clicks at once cannot both leave the same state.
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.state == before)
        .values(state=to)
        .execution_options(synchronize_session=False)
    )
    # An UPDATE's result is a cursor result; the ORM's signature only says Result.
    if cast("CursorResult[Any]", result).rowcount != 1:
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
