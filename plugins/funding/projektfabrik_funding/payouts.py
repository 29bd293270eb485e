"""After the decision: the payout (and who sees the full IBAN for it), the proof of use,
closing and reclaiming money. Callers commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from projektfabrik.api import (
    ImpactField,
    Refusal,
    User,
    _,
    db,
    format_cents,
    impact_fields,
    report_impact,
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
    impact: dict[str, str] | None = None,
    *,
    today: date | None = None,
) -> None:
    """The team's proof of use; ``impact`` maps indicator refs to the achieved values
    as typed (optional each), reported as results of the project's goals."""
    if not report.strip():
        raise FundingError(_("Please write the report: what happened, which goals were reached."))
    application.proof_report = report.strip()
    application.proof_participants = participants
    application.proof_actuals = actuals
    # The step first: it gates (only the team), so nobody else reports results.
    transition(application, State.PROOF_SUBMITTED, by, TEAM)
    _report_impact(application, by, impact or {}, today or date.today())


def proof_impact_fields(application: Application, today: date | None = None) -> list[ImpactField]:
    """The indicators of the project's goals, with this year's reported values."""
    return impact_fields(application.project, (today or date.today()).year)


def impact_label(item: ImpactField) -> str:
    return _("Achieved: %(indicator)s (%(unit)s)", indicator=item.name, unit=item.unit)


def _report_impact(application: Application, by: User, typed: dict[str, str], today: date) -> None:
    """Report each value typed, as the impact tab does (unconfirmed until staff confirm).
    A value left as it was prefilled is not reported again, so an already confirmed
    result stays confirmed; an empty field reports nothing."""
    known = {item.ref: item for item in proof_impact_fields(application, today)}
    note = _("Proof of use of funding application %(ref)s", ref=application.ref)
    for ref, text in typed.items():
        text = " ".join((text or "").split())
        item = known.get(ref)
        if not text or (item is not None and text == item.reported):
            continue
        try:
            report_impact(application.project, ref, text, today, note, actor=by)
        except Refusal as error:
            if item is None:  # not a field on the form (e.g. another town's ref)
                raise FundingError(error.message) from error
            raise FundingError(f"{impact_label(item)}: {error.message}", f"impact-{ref}") from error


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
