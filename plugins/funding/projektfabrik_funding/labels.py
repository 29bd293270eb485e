"""The funding module's words in the person's language: states, bodies, legal forms, plan lines."""

from __future__ import annotations

from projektfabrik.api import (
    _,
)
from projektfabrik_funding.models import (
    Body,
    PotState,
    State,
)

LEGAL_FORMS = ("private", "association", "company", "initiative")


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
