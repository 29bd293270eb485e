"""Resources people offer to a project, and the team's decision. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.notifications.services import notify
from projektfabrik.planning.errors import PlanError
from projektfabrik.planning.items import RequirementInput, _long_text, _required, add_item
from projektfabrik.planning.models import (
    CostType,
    OfferStatus,
    Requirement,
    ResourceKind,
    ResourceOffer,
    Source,
)
from projektfabrik.planning.queries import _by_ref
from projektfabrik.projects import access
from projektfabrik.projects.models import Project


@dataclass(frozen=True)
class OfferInput:
    kind: ResourceKind
    description: str
    message: str = ""
    requirement: str = ""  # the ref of the requirement it answers, if any


def offer_resource(project: Project, person: User, data: OfferInput) -> ResourceOffer:
    """Someone of the town offers a resource; the team is told."""
    requirement = None
    if data.requirement:
        requirement = _by_ref(Requirement, project, data.requirement)
        if requirement is None:
            raise PlanError(_("Please choose a resource from the list."), "requirement")
    offer = ResourceOffer(
        project_id=project.id,
        requirement_id=requirement.id if requirement else None,
        offered_by_id=person.id,
        kind=ResourceKind(data.kind),
        description=_required(
            data.description, "description", _("Please say what you offer."), 300
        ),
        message=_long_text(data.message, "message"),
    )
    db.session.add(offer)
    db.session.flush()
    notify(
        access.team(project),
        "resource_offer",
        lambda: _(
            "%(name)s offers something for “%(title)s”: %(what)s",
            name=person.display_name,
            title=project.title,
            what=offer.description,
        ),
        f"/projekte/{project.number}/plan/ressourcen#angebot-{offer.ref}",
        exclude=person,
    )
    return offer


def offers(project: Project) -> list[ResourceOffer]:
    return list(
        db.session.scalars(
            select(ResourceOffer)
            .where(ResourceOffer.project_id == project.id)
            .options(joinedload(ResourceOffer.offered_by), joinedload(ResourceOffer.requirement))
            .order_by(ResourceOffer.created_at.desc(), ResourceOffer.id.desc())
        )
    )


def offers_by(project: Project, person: User) -> list[ResourceOffer]:
    return [o for o in offers(project) if o.offered_by_id == person.id]


def find_offer(project: Project, ref: str) -> ResourceOffer | None:
    return db.session.scalar(
        select(ResourceOffer).where(
            ResourceOffer.project_id == project.id, ResourceOffer.ref == ref
        )
    )


_COST_TYPE_OF_KIND = {
    ResourceKind.SKILL: CostType.PERSONNEL,
    ResourceKind.MATERIAL: CostType.MATERIAL,
    ResourceKind.ROOM: CostType.RENT,
    ResourceKind.SERVICE: CostType.MATERIAL,
    ResourceKind.MONEY: CostType.ADMINISTRATIVE,
}


def decide_offer(project: Project, offer: ResourceOffer, by: User, accept: bool) -> None:
    """Accept or decline an open offer. Accepting an offer that answers no listed
    requirement adds it to the resource plan, given in kind."""
    if offer.status != OfferStatus.OPEN:
        raise PlanError(_("This offer was decided already."))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.decided_at = utcnow()
    offer.decided_by_id = by.id
    if accept and offer.requirement_id is None:
        add_item(
            project,
            by,
            Requirement,
            RequirementInput(
                description=offer.description,
                kind=offer.kind,
                cost_type=_COST_TYPE_OF_KIND[offer.kind],
                source=Source.IN_KIND,
            ),
        )
        offer.requirement_id = db.session.scalar(
            select(Requirement.id)
            .where(Requirement.project_id == project.id)
            .order_by(Requirement.position.desc())
            .limit(1)
        )
    if offer.offered_by is not None:
        notify(
            [offer.offered_by],
            "resource_offer_decided",
            lambda: (
                _("The team of “%(title)s” accepted your offer. Thank you!", title=project.title)
                if accept
                else _(
                    "The team of “%(title)s” declined your offer with thanks.", title=project.title
                )
            ),
            f"/projekte/{project.number}/plan",
        )


def covered_requirements(project: Project) -> dict[int, ResourceOffer]:
    """Requirement id -> the accepted offer that covers it."""
    return {
        o.requirement_id: o
        for o in offers(project)
        if o.status == OfferStatus.ACCEPTED and o.requirement_id is not None
    }
