"""After the decision: the payout (and who sees the full IBAN for it), the proof of use,
closing and reclaiming money. Callers commit."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import (
    User,
    _,
    db,
    format_cents,
    utcnow,
)
from projektfabrik_funding.access import ADMIN, TEAM
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.iban import normalise_iban
from projektfabrik_funding.models import (
    Application,
    AuditEntry,
    State,
)
from projektfabrik_funding.workflow import may, transition


def record_payout(application: Application, by: User, amount_cents: int) -> None:
    if amount_cents <= 0 or amount_cents > (application.approved_cents or 0):
        raise FundingError(_("The payout must be between 0 and the approved amount."))
    application.paid_cents = amount_cents
    application.paid_at = utcnow()
    transition(
        application, State.PAID, by, ADMIN, note=_("Paid out: %(a)s", a=format_cents(amount_cents))
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


def may_see_iban(application: Application, user: Any) -> bool:
    """Only the clerk who records the payout (an admin, while the payout step is open)."""
    return may(application, user, "auszahlen")


def reveal_iban(application: Application, by: User) -> str:
    """The full IBAN for the clerk who records the payout; every view is written to
    the audit trail. Everyone else sees it masked (:func:`mask_iban`)."""
    if not may_see_iban(application, by):
        raise FundingError(_("Only the person who records the payout sees the full IBAN."))
    state = State(application.state).value
    db.session.add(
        AuditEntry(
            application_id=application.id,
            actor_id=by.id,
            from_state=state,
            to_state=state,
            note=_("Full IBAN viewed for the payout."),
        )
    )
    db.session.flush()
    iban = normalise_iban(application.iban)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
