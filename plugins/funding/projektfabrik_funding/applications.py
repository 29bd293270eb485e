"""Writing and submitting an application: the draft, what still keeps it from submission,
the frozen snapshot, the town's request for more information and the team's answer
to it. Callers commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from flask import url_for
from sqlalchemy import select

from projektfabrik.api import (
    Role,
    User,
    _,
    db,
    emit,
    finance_summary,
    format_cents,
    notify,
    plan_snapshot,
    utcnow,
)
from projektfabrik_funding.access import ADMIN, TEAM, is_team, project_of
from projektfabrik_funding.documents import check_document, store_document
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.iban import iban_valid, mask_iban
from projektfabrik_funding.models import (
    Application,
    ApplicationSubmitted,
    DocumentKind,
    Pot,
    State,
)
from projektfabrik_funding.notifications import ADMIN_KIND, tell_team
from projektfabrik_funding.pots import is_open
from projektfabrik_funding.status import mark_applied
from projektfabrik_funding.workflow import transition


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


class Problem(str):
    """A problem in plain words, and the id of the field on the application page
    that fixes it ("" where the fix is elsewhere, e.g. in the finance plan)."""

    target: str

    def __new__(cls, text: str, target: str = "") -> Problem:
        made = super().__new__(cls, text)
        made.target = target
        return made


#: The fields needed to submit, with the id of their input on the application page.
NEEDED_FIELDS = (
    "applicant_name",
    "legal_form",
    "address",
    "contact_person",
    "email",
    "signatory",
    "iban",
    "title",
    "summary",
)


def problems(application: Application, today: date | None = None) -> list[str]:
    """Everything that keeps the application from being submitted, in plain words;
    each a :class:`Problem` that names the field to fix where there is one."""
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
    labels = {
        "applicant_name": _("Applicant"),
        "legal_form": _("Legal form"),
        "address": _("Address"),
        "contact_person": _("Contact person"),
        "email": _("E-mail"),
        "signatory": _("Authorised signatory"),
        "iban": _("IBAN"),
        "title": _("Project title"),
        "summary": _("Summary"),
    }
    for name in NEEDED_FIELDS:
        if not (getattr(application, name) or "").strip():
            found.append(Problem(_("Please fill in: %(fields)s.", fields=labels[name]), name))
    if application.iban and not iban_valid(application.iban):
        found.append(Problem(_("The IBAN is not valid."), "iban"))
    for index, question in enumerate(pot.questions):
        answer = (application.answers or {}).get(str(index), "").strip()
        if not answer:
            found.append(
                Problem(
                    _("Please answer the question “%(q)s”.", q=question["question"]),
                    f"answer-{index}",
                )
            )
        elif len(answer) > int(question.get("max_length") or 0 or 10**6):
            found.append(
                Problem(
                    _(
                        "The answer to “%(q)s” is longer than %(n)d characters.",
                        q=question["question"],
                        n=int(question["max_length"]),
                    ),
                    f"answer-{index}",
                )
            )
    absent = [a for a in pot.required_attachments if a not in (application.attachments or [])]
    if absent:
        first = pot.required_attachments.index(absent[0])
        found.append(
            Problem(
                _("Attachments missing: %(names)s.", names=", ".join(absent)),
                f"attachment-{first}",
            )
        )
    if not application.declarations:
        found.append(Problem(_("Please confirm the declarations."), "declarations"))
    return found


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
    mark_applied(application, by)
    tell_team(
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
    tell_team(
        application,
        lambda: _("More information needed: %(title)s", title=application.title),
        lambda: (
            _("The town asks for more information about your application:")
            + f"\n\n{message.strip()}"
        ),
    )


def answer_info_request(
    application: Application,
    by: User,
    answer: str,
    files: Sequence[tuple[str, IO[bytes] | bytes]] = (),
) -> None:
    """The team's answer to the town's request for more information: text and the
    requested documents, without a new submission. The answer (and the files' names)
    goes into the application's history; the application returns to the formal check,
    and the town's admins are told."""
    text = answer.strip()
    if not text:
        raise FundingError(_("Please write your answer."), field="answer")
    if not is_team(application, by):
        raise FundingError(_("Only the project's team may do this."))
    checked = [check_document(name, data) for name, data in files]  # all, before storing any
    note = text
    if checked:
        note += "\n" + _("Files: %(names)s", names=", ".join(c.display_name[:200] for c in checked))
    transition(application, State.FORMAL_CHECK, by, TEAM, note=note)
    for upload in checked:
        store_document(application, by, DocumentKind.ANSWER, "", upload)
    db.session.flush()
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN)).all()
    notify(
        admins,
        ADMIN_KIND,
        lambda: _("The team answered your question: %(title)s", title=application.title),
        url_for("funding.application", ref=application.ref),
        details=lambda: text,
    )
