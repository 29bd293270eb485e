"""The plan's words in the person's language: section, field and choice labels."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from projektfabrik.planning.models import (
    CostType,
    FinancingKind,
    OfferStatus,
    ResourceKind,
    Section,
    Source,
    TaskStatus,
)

#: The profile's fields in the order the form and the exports show them.
PROFILE_FIELDS = (
    "problem",
    "goal",
    "vision",
    "description",
    "delimitation",
    "target_groups",
    "results",
    "effects",
    "local_reference",
    "partners",
)


PROFILE_LABELS = {
    "problem": _l("Problem"),
    "goal": _l("Goal"),
    "vision": _l("Vision"),
    "description": _l("Description"),
    "delimitation": _l("What the project is not"),
    "target_groups": _l("Target groups"),
    "results": _l("Expected results"),
    "effects": _l("Effects"),
    "local_reference": _l("Local reference"),
    "partners": _l("Partners"),
}


def section_label(section: Section | str) -> str:
    return {
        Section.PROFILE: _("Profile"),
        Section.WORK_PLAN: _("Work plan and schedule"),
        Section.RESOURCES: _("Resource plan"),
        Section.FINANCE: _("Finance plan"),
    }[Section(section)]


def task_status_label(status: TaskStatus | str) -> str:
    return {
        TaskStatus.OPEN: _("Open"),
        TaskStatus.IN_PROGRESS: _("In progress"),
        TaskStatus.DONE: _("Done"),
    }[TaskStatus(status)]


def kind_label(kind: ResourceKind | str) -> str:
    return {
        ResourceKind.SKILL: _("Skill or person"),
        ResourceKind.MATERIAL: _("Material"),
        ResourceKind.ROOM: _("Room"),
        ResourceKind.SERVICE: _("Service"),
        ResourceKind.MONEY: _("Money"),
    }[ResourceKind(kind)]


def cost_type_label(cost_type: CostType | str) -> str:
    return {
        CostType.ADMINISTRATIVE: _("Administrative costs"),
        CostType.INVESTMENT: _("Investment"),
        CostType.MATERIAL: _("Material costs"),
        CostType.PERSONNEL: _("Personnel costs"),
        CostType.RENT: _("Rent"),
        CostType.TRAVEL: _("Travel costs"),
    }[CostType(cost_type)]


def source_label(source: Source | str) -> str:
    return {
        Source.FUNDING: _("Funding"),
        Source.OWN_FUNDS: _("Own funds"),
        Source.THIRD_PARTY: _("Third-party funds"),
        Source.DONATION: _("Donation"),
        Source.PROCEEDS: _("Proceeds"),
        Source.IN_KIND: _("In kind"),
    }[Source(source)]


def financing_label(kind: FinancingKind | str) -> str:
    return {
        FinancingKind.OWN_FUNDS: _("Own funds"),
        FinancingKind.THIRD_PARTY: _("Third-party funds"),
        FinancingKind.DONATIONS: _("Donations"),
        FinancingKind.PROCEEDS: _("Proceeds"),
        FinancingKind.REQUESTED_FUNDING: _("Requested funding"),
    }[FinancingKind(kind)]


def offer_status_label(status: OfferStatus | str) -> str:
    return {
        OfferStatus.OPEN: _("Waiting for the team"),
        OfferStatus.ACCEPTED: _("Accepted"),
        OfferStatus.DECLINED: _("Declined"),
    }[OfferStatus(status)]
