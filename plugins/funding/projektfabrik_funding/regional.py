"""Regional pots: a town opens a pot to its region, teams of the neighbouring towns
apply from their own town's site, the owning town decides and sends the outcome back.

Everything crosses through the core's town messages (``send_to_town``; delivered
after commit, only between towns taking part in one region, once per ref):

- ``funding.pot`` (owning town → each neighbour taking part): the pot's public
  description and its questions, stored there as a read-only :class:`NeighbourPot`;
  sent again whenever the admin saves a regional pot (or stops it being regional).
- ``funding.application`` (applying town → owning town): the frozen snapshot the
  team chose to send; stored there as an :class:`Application` without a project.
- ``funding.outcome`` (owning town → applying town): approved or rejected, and
  the amount; the team sees it on its project's funding tab.

Callers commit; the messages go out only when they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from projektfabrik.api import (
    Refusal,
    TownMessage,
    User,
    _,
    db,
    external_url_for,
    format_cents,
    format_date,
    is_project_editor,
    plan_label,
    plan_snapshot,
    regional_neighbours,
    send_to_town,
    town_message_receiver,
    town_message_status,
    utcnow,
)
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.labels import profile_labels
from projektfabrik_funding.models import (
    Application,
    AuditEntry,
    NeighbourPot,
    Pot,
    PotState,
    RegionalApplication,
    State,
)
from projektfabrik_funding.pots import find_pot, is_open

#: The plan sections a team may add to the snapshot (the public profile always goes).
PLAN_SECTIONS = ("profile", "work_plan", "resources", "finance")
#: Keys dropped from plan sections: another town's people refs mean nothing there.
_PEOPLE_KEYS = {"responsible", "ref", "created_by", "task", "work_package", "position"}


def may_open_to_region() -> bool:
    """The setting is offered only when the town takes part in a region."""
    return bool(regional_neighbours())


# --- the owning town: publishing the pot ---------------------------------------------


def pot_payload(pot: Pot) -> dict[str, Any]:
    """What the neighbours learn of a pot: what its public page shows, and its questions."""
    return {
        "pot_ref": pot.ref,
        "name": pot.name,
        "description": pot.description,
        "sponsor": pot.sponsor,
        "budget_cents": pot.budget_cents,
        "min_grant_cents": pot.min_grant_cents,
        "max_grant_cents": pot.max_grant_cents,
        "opens_on": pot.opens_on.isoformat() if pot.opens_on else "",
        "closes_on": pot.closes_on.isoformat() if pot.closes_on else "",
        "criteria": pot.criteria,
        "questions": [
            {
                "question": str(q.get("question", "")),
                "help": str(q.get("help", "")),
                "max_length": int(q.get("max_length") or 0),
            }
            for q in pot.questions
        ],
        "url": external_url_for("funding.pot", ref=pot.ref),
        "open": bool(pot.regional and pot.state == PotState.ACTIVE),
    }


def publish_pot(pot: Pot, was_regional: bool) -> int:
    """Tell every neighbour taking part about the pot (or that it closed to them).
    Returns how many messages were sent; nothing when it never was regional."""
    if not (pot.regional or was_regional):
        return 0
    payload = pot_payload(pot)
    neighbours = regional_neighbours()
    for town in neighbours:
        send_to_town("funding.pot", town.id, payload)
    return len(neighbours)


# --- the neighbour: the copies -------------------------------------------------------


@town_message_receiver("funding.pot")
def receive_pot(message: TownMessage) -> None:
    data = message.payload_copy()
    copy = db.session.scalar(
        select(NeighbourPot).where(
            NeighbourPot.from_town_id == message.sender.id,
            NeighbourPot.pot_ref == str(data["pot_ref"]),
        )
    )
    if copy is None:
        copy = NeighbourPot(from_town_id=message.sender.id, pot_ref=str(data["pot_ref"]))
        db.session.add(copy)
    elif _aware(copy.sent_at) >= _aware(message.sent_at):
        return  # a retried older message arrives after a newer one: keep the newer
    copy.from_town = message.sender.name
    copy.name = str(data["name"])[:200]
    copy.description = str(data["description"])
    copy.sponsor = str(data["sponsor"])[:200]
    copy.budget_cents = int(data["budget_cents"])
    copy.min_grant_cents = int(data["min_grant_cents"])
    copy.max_grant_cents = int(data["max_grant_cents"])
    copy.opens_on = date.fromisoformat(data["opens_on"]) if data["opens_on"] else None
    copy.closes_on = date.fromisoformat(data["closes_on"]) if data["closes_on"] else None
    copy.criteria = str(data["criteria"])
    copy.questions = list(data["questions"])
    copy.url = str(data["url"])[:500]
    copy.open = bool(data["open"])
    copy.sent_at = message.sent_at


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def neighbour_pots() -> list[NeighbourPot]:
    """The neighbours' pots open to this town's teams now (by closing date)."""
    if not regional_neighbours():
        return []  # the town left the region: its copies are not offered
    taking_part = {t.id for t in regional_neighbours()}
    found = db.session.scalars(
        select(NeighbourPot)
        .where(NeighbourPot.open.is_(True))
        .order_by(NeighbourPot.closes_on, NeighbourPot.name)
    )
    return [p for p in found if p.from_town_id in taking_part and copy_is_open(p)]


def copy_is_open(copy: NeighbourPot, today: date | None = None) -> bool:
    today = today or date.today()
    if not copy.open:
        return False
    if copy.opens_on and today < copy.opens_on:
        return False
    return not (copy.closes_on and today > copy.closes_on)


def find_neighbour_pot(ref: str) -> NeighbourPot | None:
    return db.session.scalar(select(NeighbourPot).where(NeighbourPot.ref == ref))


# --- the neighbour: applying -----------------------------------------------------------


@dataclass(frozen=True)
class RegionalInput:
    """What the team typed and chose on the form."""

    answers: dict[str, str]
    sections: tuple[str, ...]
    share_contact: bool
    requested_cents: int


def check_input(copy: NeighbourPot, typed: RegionalInput) -> dict[str, str]:
    """Problems by field name ({} when the application may go)."""
    errors: dict[str, str] = {}
    for index, question in enumerate(copy.questions):
        answer = typed.answers.get(str(index), "").strip()
        limit = int(question.get("max_length") or 0)
        if not answer:
            errors[f"answer-{index}"] = _("Please answer this question.")
        elif limit and len(answer) > limit:
            errors[f"answer-{index}"] = _("The answer is longer than %(n)d characters.", n=limit)
    low, high = copy.min_grant_cents, copy.max_grant_cents
    if typed.requested_cents <= 0:
        errors["requested"] = _("Please enter the amount you ask for.")
    elif typed.requested_cents < low or (high and typed.requested_cents > high):
        errors["requested"] = _("The amount must lie within this pot's limits.")
    unknown = [s for s in typed.sections if s not in PLAN_SECTIONS]
    if unknown:
        errors["sections"] = _("Please choose only the plan sections listed.")
    return errors


def snapshot(project: Any, copy: NeighbourPot, typed: RegionalInput, by: User) -> dict[str, Any]:
    """The frozen application: exactly these fields cross (docs/architecture.md)."""
    plan = plan_snapshot(project) if typed.sections else {}
    return {
        "title": project.title,
        "pitch": project.pitch,
        "description": project.description_md,
        "sections": {s: _without_people(plan[s]) for s in typed.sections},
        "contact": (
            {"name": by.display_name or "", "email": by.email} if typed.share_contact else None
        ),
        "project_url": external_url_for("marketplace.project", number=project.number),
        "answers": [
            {"question": q.get("question", ""), "answer": typed.answers.get(str(i), "").strip()}
            for i, q in enumerate(copy.questions)
        ],
        "requested_cents": typed.requested_cents,
        "submitted_at": utcnow().isoformat(),
    }


def _without_people(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_people(v) for k, v in value.items() if k not in _PEOPLE_KEYS}
    if isinstance(value, list):
        return [_without_people(v) for v in value]
    return value


def apply(copy: NeighbourPot, project: Any, by: User, typed: RegionalInput) -> RegionalApplication:
    """Send the application; refused with the problems by field when the input is wrong."""
    if not is_project_editor(project, by):
        raise FundingError(_("Only the project's team may do this."))
    if not copy_is_open(copy) or copy.from_town_id not in {t.id for t in regional_neighbours()}:
        raise FundingError(_("This pot takes no applications at the moment."))
    if _already_applied(copy, project):
        raise FundingError(_("This project has applied to this pot already."))
    frozen = snapshot(project, copy, typed, by)
    record = RegionalApplication(
        neighbour_pot_id=copy.id, project_id=project.id, snapshot=frozen, submitted_by_id=by.id
    )
    db.session.add(record)
    db.session.flush()
    record.message_ref = send_to_town(
        "funding.application",
        copy.from_town_id,
        {"application_ref": record.ref, "pot_ref": copy.pot_ref, "snapshot": frozen},
    )
    return record


def _already_applied(copy: NeighbourPot, project: Any) -> bool:
    return copy.id in _applied_to(project)


def _applied_to(project: Any) -> set[int]:
    """The copies the project has applied to (a refused application does not count)."""
    return {
        earlier.neighbour_pot_id
        for earlier in regional_applications(project)
        if delivery_state(earlier) != "refused"
    }


def pots_to_apply_to(project: Any) -> list[NeighbourPot]:
    """The neighbours' open pots the project has not applied to yet."""
    applied = _applied_to(project)
    return [copy for copy in neighbour_pots() if copy.id not in applied]


def regional_applications(project: Any) -> list[RegionalApplication]:
    return list(
        db.session.scalars(
            select(RegionalApplication)
            .where(RegionalApplication.project_id == project.id)
            .order_by(RegionalApplication.submitted_at)
        )
    )


def delivery_state(record: RegionalApplication) -> str:
    """ "pending", "delivered" or "refused": how far the message got."""
    found = town_message_status(record.message_ref)
    return found.state if found is not None else "pending"


# --- the owning town: receiving applications, sending outcomes ----------------------


@town_message_receiver("funding.application")
def receive_application(message: TownMessage) -> None:
    data = message.payload_copy()
    pot = find_pot(str(data["pot_ref"]))
    if pot is None or not pot.regional or not is_open(pot):
        raise Refusal("the pot takes no applications from the region at the moment")
    frozen = dict(data["snapshot"])
    contact = frozen.get("contact") or {}
    frozen["town"] = message.sender.name
    application = Application(
        pot_id=pot.id,
        project_id=None,
        state=State.SUBMITTED,
        title=str(frozen["title"])[:200],
        summary="\n\n".join(p for p in (frozen["pitch"], frozen["description"]) if p),
        requested_cents=int(frozen["requested_cents"]),
        applicant_name=str(contact.get("name", ""))[:200],
        contact_person=str(contact.get("name", ""))[:200],
        email=str(contact.get("email", ""))[:254],
        answers={str(i): a["answer"] for i, a in enumerate(frozen["answers"])},
        snapshot=frozen,
        submitted_at=utcnow(),
        submissions=1,
        regional_town=message.sender.name[:200],
        regional_town_id=message.sender.id,
        regional_ref=str(data["application_ref"])[:24],
    )
    db.session.add(application)
    db.session.flush()
    db.session.add(
        AuditEntry(
            application_id=application.id,
            actor_id=None,
            from_state=State.DRAFT.value,
            to_state=State.SUBMITTED.value,
            note=message.sender.name,
        )
    )


def report_outcome(application: Application) -> None:
    """Send a regional application's decision back to the applying town."""
    if application.regional_town_id is None:
        return
    send_to_town(
        "funding.outcome",
        application.regional_town_id,
        {
            "application_ref": application.regional_ref,
            "approved": application.state == State.APPROVED,
            "amount_cents": application.approved_cents or 0,
        },
    )


@town_message_receiver("funding.outcome")
def receive_outcome(message: TownMessage) -> None:
    record = db.session.scalar(
        select(RegionalApplication).where(
            RegionalApplication.ref == str(message.payload["application_ref"])
        )
    )
    # Only the town the application went to may answer it.
    if record is None or record.pot.from_town_id != message.sender.id:
        raise Refusal("no such application was sent to this town")
    record.outcome = "approved" if message.payload["approved"] else "rejected"
    record.approved_cents = int(message.payload["amount_cents"]) or None
    record.decided_at = utcnow()


def section_label(section: str) -> str:
    return plan_label("section", section)


def _key_labels() -> dict[str, str]:
    return {
        **profile_labels(),
        "work_packages": _("Work packages"),
        "tasks": _("Tasks"),
        "milestones": _("Milestones"),
        "requirements": _("Resources"),
        "cost_items": _("Costs"),
        "financing": _("Financing"),
        "name": _("Name"),
        "title": _("Title"),
        "description": _("Description"),
        "expected_result": _("Expected result"),
        "start": _("Start"),
        "end": _("End"),
        "due": _("Due"),
        "status": _("State"),
        "kind": _("Kind"),
        "quantity": _("Quantity"),
        "unit": _("Unit"),
        "cost_type": _("Cost type"),
        "source": _("Source of money"),
        "cost_cents": _("Cost"),
        "amount_cents": _("Amount"),
    }


_VALUE_GROUPS = {
    "status": "task_status",
    "kind": "resource_kind",
    "cost_type": "cost_type",
    "source": "source",
}


def readable(value: Any, key: str = "", labels: dict[str, str] | None = None) -> Any:
    """A snapshot section for people: keys as labels in the reader's language,
    amounts as money, dates as dates, plan values by their names."""
    labels = labels if labels is not None else _key_labels()
    if isinstance(value, dict):  # empty fields say nothing: left out
        return {
            labels.get(k, k): readable(v, k, labels)
            for k, v in value.items()
            if v not in ("", None, [], {})
        }
    if isinstance(value, list):
        return [readable(v, key, labels) for v in value]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key.endswith("_cents") and isinstance(value, int):
        return format_cents(value)
    if key in ("start", "end", "due") and isinstance(value, str) and value:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if key in _VALUE_GROUPS and isinstance(value, str):
        return plan_label(_VALUE_GROUPS[key], value) or value
    return value
