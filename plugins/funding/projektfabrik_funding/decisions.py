"""Approving and rejecting: the budget rule under the pot's lock, the decision mail and event.
Callers commit."""

from __future__ import annotations

from projektfabrik.api import (
    User,
    _,
    emit,
    format_cents,
    utcnow,
)
from projektfabrik_funding.access import ADMIN
from projektfabrik_funding.errors import FundingError, OverBudget
from projektfabrik_funding.models import (
    Application,
    ApplicationDecided,
    State,
)
from projektfabrik_funding.notifications import tell_team
from projektfabrik_funding.pots import committed_cents, lock_pot
from projektfabrik_funding.regional import report_outcome
from projektfabrik_funding.status import mark_funded, mark_rejected
from projektfabrik_funding.workflow import transition


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
    mark_funded(application, by)
    _decision_mail(application, approved=True)


def reject(application: Application, by: User, reason: str) -> None:
    if not reason.strip():
        raise FundingError(_("Please give the reason for the rejection."))
    application.rejection_reason = reason.strip()
    application.decided_at = utcnow()
    transition(application, State.REJECTED, by, ADMIN, note=reason.strip())
    mark_rejected(application, by)
    _decision_mail(application, approved=False)


def _decision_mail(application: Application, approved: bool) -> None:
    # An application from another town of the region has no team here: its town
    # hears the outcome through a message in this same transaction (regional.py).
    report_outcome(application)

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

    tell_team(
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
