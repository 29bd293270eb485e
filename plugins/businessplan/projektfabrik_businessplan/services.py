"""The business plan's use cases, testable without a request. Callers commit.

Sections are prefilled from the project (its pitch, profile, team, work plan,
resources and finance plan) through ``projektfabrik.api`` only. Each section
remembers where its text came from and a fingerprint of that source, so the
page can say when the project changed since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from projektfabrik.api import (
    User,
    _,
    db,
    finance_summary,
    format_date,
    format_money,
    is_enabled,
    lazy_gettext,
    plan_snapshot,
    project_team,
    utcnow,
)
from projektfabrik_businessplan import numbers as n
from projektfabrik_businessplan.models import BusinessPlan, FundingLink

_l = lazy_gettext

TEXT_MAX = 20_000


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Any  # lazy string
    hint: Any
    source: str = ""  # the project's field it is prefilled from


CLASSIC = (
    SectionSpec(
        "summary",
        _l("Summary"),
        _l("The plan on one page: the offer, who it is for, the team, the money needed."),
        "pitch",
    ),
    SectionSpec(
        "team",
        _l("Team"),
        _l("Who does what, with which experience; who is missing."),
        "team",
    ),
    SectionSpec(
        "offer",
        _l("Offer and what makes it different"),
        _l("What you offer, the benefit for your customers, what others do not offer."),
        "profile.description",
    ),
    SectionSpec(
        "market",
        _l("Target group and market"),
        _l("Who buys or uses it, how many of them there are, what they pay today."),
        "profile.target_groups",
    ),
    SectionSpec(
        "competition",
        _l("Competition"),
        _l("Who offers something similar nearby, and why people will come to you."),
    ),
    SectionSpec(
        "marketing",
        _l("Marketing and sales"),
        _l("How people learn about you, prices, where and how you sell."),
    ),
    SectionSpec(
        "legal_form",
        _l("Legal form"),
        _l("Which legal form you choose and why; see the short guide below."),
    ),
    SectionSpec(
        "location",
        _l("Location"),
        _l("Where you work, why there, rent and access."),
        "profile.local_reference",
    ),
    SectionSpec(
        "implementation",
        _l("Implementation"),
        _l("The steps and dates until the start, from the work plan."),
        "work_plan",
    ),
    SectionSpec(
        "risks",
        _l("Opportunities and risks"),
        _l("What could go better or worse than planned, and what you would do then."),
    ),
    SectionSpec(
        "finance",
        _l("Financial part"),
        _l("Notes on the numbers: the assumptions behind prices, quantities and costs."),
        "finance",
    ),
)

#: The Social Reporting Standard's chain, for non-profits.
SRS = (
    SectionSpec(
        "problem", _l("The problem"), _l("The social problem and its causes."), "profile.problem"
    ),
    SectionSpec(
        "solution",
        _l("The solution"),
        _l("Your approach and how it tackles the causes."),
        "profile.description",
    ),
    SectionSpec(
        "outputs",
        _l("Outputs"),
        _l("What you do and offer: events, places, people reached."),
        "profile.results",
    ),
    SectionSpec(
        "outcomes",
        _l("Outcomes"),
        _l("What changes for the people you reach."),
        "profile.effects",
    ),
    SectionSpec(
        "impact",
        _l("Impact"),
        _l("What changes for the town or society beyond them."),
        "profile.vision",
    ),
    SectionSpec(
        "resources",
        _l("Resources"),
        _l("People, rooms, material and money you need, from the resource plan."),
        "resources",
    ),
    SectionSpec("organisation", _l("Organisation and team"), _l("Who does what."), "team"),
    SectionSpec(
        "legal_form",
        _l("Legal form"),
        _l("Which legal form you choose and why; see the short guide below."),
    ),
    SectionSpec("plan", _l("Plan"), _l("The steps and dates, from the work plan."), "work_plan"),
    SectionSpec(
        "finance",
        _l("Finances"),
        _l("Notes on the numbers: where the money comes from and what it pays for."),
        "finance",
    ),
)

OUTLINES = {"classic": CLASSIC, "srs": SRS}
OUTLINE_LABELS = {
    "classic": _l("Business plan for banks and investors"),
    "srs": _l("Social Reporting Standard (for non-profits)"),
}

SOURCE_LABELS = {
    "pitch": _l("the project's short description"),
    "team": _l("the project's team"),
    "work_plan": _l("the work plan"),
    "resources": _l("the resource plan"),
    "finance": _l("the finance plan"),
    "profile.problem": _l("the project profile: problem"),
    "profile.description": _l("the project profile: description"),
    "profile.target_groups": _l("the project profile: target groups"),
    "profile.local_reference": _l("the project profile: local reference"),
    "profile.results": _l("the project profile: expected results"),
    "profile.effects": _l("the project profile: effects"),
    "profile.vision": _l("the project profile: vision"),
}

#: A short guide to the legal forms (docs: DOMAIN.md, "Business plans and legal forms").
LEGAL_FORMS = {
    "ev": (
        _l("Registered association (e.V.)"),
        _l("No minimum capital; 7 members to register; registration certified by a notary."),
    ),
    "ggmbh": (
        _l("Non-profit limited company (gGmbH)"),
        _l(
            "25,000 € share capital, half of it paid in at the founding; one founder or more; "
            "notarised; the charitable purpose in the statutes."
        ),
    ),
    "ug": (
        _l("Entrepreneurial company (UG, limited liability)"),
        _l(
            "From 1 € share capital, in cash; one founder or more; notarised; a quarter of "
            "each year's profit goes to a reserve."
        ),
    ),
    "eg": (
        _l("Registered cooperative (eG)"),
        _l(
            "No minimum capital; 3 members or more; an auditing association's opinion; "
            "certified application."
        ),
    ),
}


class PlanError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the project as sources -----------------------------------------------------------


def _lines(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items if item)


def _day(iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso))
    except ValueError:
        return ""


def source_data(project: Any) -> dict[str, Any]:
    """The project's parts a section can be taken from, as plain JSON values."""
    plan = plan_snapshot(project)
    # Two queries whatever the team's size: the people, and their tasks in the team.
    tasks = {m.user_id: m.task for m in project.memberships}
    team = [
        {"name": u.display_name, "task": tasks.get(u.id, ""), "skills": u.skills or ""}
        for u in project_team(project)
    ]
    data: dict[str, Any] = {
        "pitch": plan["pitch"],
        "team": team,
        "work_plan": plan["work_plan"],
        "resources": plan["resources"],
        "finance": plan["finance"],
    }
    for name, value in (plan["profile"] or {}).items():
        data[f"profile.{name}"] = value or ""
    return data


def fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:32]


def source_text(source: str, value: Any, project: Any) -> str:
    """The text a section gets from ``source`` (in the reader's language)."""
    if not source or value in (None, ""):
        return ""
    if source == "pitch":
        return str(value)
    if source.startswith("profile."):
        return str(value)
    if source == "team":
        return _lines(
            [", ".join(part for part in (p["name"], p["task"], p["skills"]) if part) for p in value]
        )
    if source == "work_plan":
        packages = _lines([wp["name"] for wp in value.get("work_packages", [])])
        milestones = _lines(
            [f"{_day(m['due'])}: {m['title']}" for m in value.get("milestones", [])]
        )
        parts = []
        if packages:
            parts.append(_("Work packages:") + "\n" + packages)
        if milestones:
            parts.append(_("Milestones:") + "\n" + milestones)
        return "\n\n".join(parts)
    if source == "resources":
        return _lines([r["description"] for r in value.get("requirements", [])])
    if source == "finance":
        summary = finance_summary(project)
        if not summary.total_costs and not summary.total_financing:
            return ""
        return _(
            "The project's finance plan: costs %(costs)s, financing %(financing)s.",
            costs=format_money(summary.total_costs),
            financing=format_money(summary.total_financing),
        )
    return ""


# --- the plan ---------------------------------------------------------------------------


def find(project: Any) -> BusinessPlan | None:
    return db.session.scalar(select(BusinessPlan).where(BusinessPlan.project_id == project.id))


def specs(plan: BusinessPlan) -> tuple[SectionSpec, ...]:
    return OUTLINES.get(plan.outline, CLASSIC)


def spec(plan: BusinessPlan, key: str) -> SectionSpec | None:
    return next((s for s in specs(plan) if s.key == key), None)


def _prefill(plan: BusinessPlan, project: Any, data: dict[str, Any]) -> None:
    sections = dict(plan.sections or {})
    for s in specs(plan):
        if s.key in sections:
            continue
        value = data.get(s.source) if s.source else None
        sections[s.key] = {
            "text": source_text(s.source, value, project)[:TEXT_MAX],
            "source": s.source,
            "taken": fingerprint(value) if s.source else "",
        }
    plan.sections = sections


def create(project: Any, by: User, outline: str = "classic") -> BusinessPlan:
    """The project's plan, its sections prefilled from the project (team only)."""
    if outline not in OUTLINES:
        raise PlanError(_("Please choose an outline."))
    if find(project) is not None:
        raise PlanError(_("This project has a business plan already."))
    plan = BusinessPlan(project_id=project.id, outline=outline, updated_by_id=by.id)
    plan.numbers = {}
    _prefill(plan, project, source_data(project))
    db.session.add(plan)
    return plan


def switch_outline(plan: BusinessPlan, project: Any, outline: str, by: User) -> None:
    """Show the other outline; texts of both stay (the ones in common are shared)."""
    if outline not in OUTLINES:
        raise PlanError(_("Please choose an outline."))
    plan.outline = outline
    _prefill(plan, project, source_data(project))
    _touch(plan, by)


def _touch(plan: BusinessPlan, by: User) -> None:
    plan.version = (plan.version or 1) + 1
    plan.updated_by_id = by.id
    plan.updated_at = utcnow()


def _check_version(plan: BusinessPlan, expected: int | None) -> None:
    if expected is not None and expected != plan.version:
        raise PlanError(
            _(
                "Someone else changed the business plan in the meantime. Your text is still "
                "in the field: copy it, reload the page and add it again."
            )
        )


def save_section(
    plan: BusinessPlan,
    key: str,
    text: str,
    by: User,
    expected: int | None = None,
    legal_form: str | None = None,
) -> None:
    found = spec(plan, key)
    if found is None:
        raise PlanError(_("This section does not exist."))
    _check_version(plan, expected)
    if len(text) > TEXT_MAX:
        raise PlanError(_("Please keep it to %(count)d characters.", count=TEXT_MAX))
    sections = dict(plan.sections or {})
    entry = dict(sections.get(key) or {"source": found.source, "taken": ""})
    # Once the team changes a taken text, the page says so next to its source.
    entry["edited"] = bool(entry.get("edited")) or text.strip() != entry.get("text", "")
    entry["text"] = text.strip()
    if key == "legal_form":
        entry["choice"] = legal_form if legal_form in LEGAL_FORMS else ""
    sections[key] = entry
    plan.sections = sections
    _touch(plan, by)


def retake(plan: BusinessPlan, project: Any, key: str, by: User) -> None:
    """Take the section's text from the project again (the team's own text is replaced)."""
    found = spec(plan, key)
    if found is None or not found.source:
        raise PlanError(_("This section is not taken from the project."))
    value = source_data(project).get(found.source)
    sections = dict(plan.sections or {})
    sections[key] = {
        **(sections.get(key) or {}),
        "text": source_text(found.source, value, project)[:TEXT_MAX],
        "source": found.source,
        "taken": fingerprint(value),
        "edited": False,
    }
    plan.sections = sections
    _touch(plan, by)


#: Who may read the plan besides the team: the choices of the visibility form.
VISIBILITY = ("team", "texts", "all")


def visibility(plan: BusinessPlan) -> str:
    if not plan.is_public:
        return "team"
    return "all" if plan.numbers_public else "texts"


def set_visibility(plan: BusinessPlan, choice: str, by: User) -> None:
    """``team``: the team only; ``texts``: everyone reads the texts, the numbers stay
    with the team; ``all``: everyone reads everything, downloads included."""
    if choice not in VISIBILITY:
        raise PlanError(_("Please choose who may read the business plan."))
    plan.is_public = choice != "team"
    plan.numbers_public = choice == "all"
    _touch(plan, by)


@dataclass(frozen=True)
class SectionView:
    spec: SectionSpec
    text: str
    source: str
    changed: bool  # the project's source changed since the text was taken
    choice: str = ""
    edited: bool = False  # the team changed the taken text

    @property
    def source_label(self) -> Any:
        return SOURCE_LABELS.get(self.source, "")


def sections(plan: BusinessPlan, project: Any) -> list[SectionView]:
    data = source_data(project)
    found = []
    for s in specs(plan):
        entry = (plan.sections or {}).get(s.key) or {}
        source = entry.get("source", "")
        changed = bool(source) and entry.get("taken") != fingerprint(data.get(source))
        found.append(
            SectionView(
                s,
                entry.get("text", ""),
                source,
                changed,
                entry.get("choice", ""),
                bool(entry.get("edited")),
            )
        )
    return found


# --- numbers ------------------------------------------------------------------------------


def inputs(plan: BusinessPlan, project_ref: str | None = None) -> n.Inputs:
    """The stored inputs as :class:`numbers.Inputs`, with the funding pot's approvals
    as grants while the funding plugin is on."""
    raw = plan.numbers or {}

    def items(key: str) -> tuple[n.Item, ...]:
        return tuple(n.Item(i["name"], int(i["amount"])) for i in raw.get(key, []))

    grants = items("grants")
    if project_ref is not None:
        grants += tuple(n.Item(name, amount) for name, amount in approved_funding(project_ref))
    return n.Inputs(
        investments=tuple(
            n.Investment(i["name"], int(i["amount"]), int(i["years"]))
            for i in raw.get("investments", [])
        ),
        startup_costs=items("startup_costs"),
        cash_reserve=int(raw.get("cash_reserve", 0)),
        own_funds=int(raw.get("own_funds", 0)),
        loans=tuple(
            n.Loan(
                i["name"],
                int(i["amount"]),
                int(i["rate_bp"]),
                int(i["months"]),
                int(i.get("grace_months", 0)),
            )
            for i in raw.get("loans", [])
        ),
        grants=grants,
        donations=items("donations"),
        products=tuple(
            n.Product(
                i["name"],
                int(i["price"]),
                int(i["unit_cost"]),
                (int(i["quantities"][0]), int(i["quantities"][1]), int(i["quantities"][2])),
            )
            for i in raw.get("products", [])
        ),
        staff=_three(raw.get("staff")),
        rent=_three(raw.get("rent")),
        other=_three(raw.get("other")),
        tax_rate_bp=int(raw.get("tax_rate_bp", 0)),
    )


def _three(values: Any) -> tuple[int, int, int]:
    values = list(values or [0, 0, 0]) + [0, 0, 0]
    return (int(values[0]), int(values[1]), int(values[2]))


def save_numbers(plan: BusinessPlan, raw: dict[str, Any], by: User) -> None:
    plan.numbers = raw
    _touch(plan, by)


def compute(plan: BusinessPlan, project: Any) -> n.Result:
    return n.compute(inputs(plan, str(project.ref)))


# --- funding approvals (from the funding plugin's events) ----------------------------


def approved_funding(project_ref: str) -> list[tuple[str, int]]:
    """The project's approved funding applications, while the funding plugin is on."""
    if not is_enabled("funding"):
        return []
    links = db.session.scalars(
        select(FundingLink)
        .where(FundingLink.project_ref == project_ref, FundingLink.approved_cents.is_not(None))
        .order_by(FundingLink.id)
    )
    return [
        (
            _("Funding approved (application %(ref)s)", ref=link.application_ref),
            link.approved_cents or 0,
        )
        for link in links
    ]


def on_funding_event(event: Any) -> None:
    """Learn from the funding plugin's events, by their fields (no import of that plugin):
    ``ApplicationSubmitted`` names the project, ``ApplicationDecided`` the approval.
    The core commits after the handler."""
    name = type(event).__name__
    ref = getattr(event, "application_ref", None)
    if not isinstance(ref, str):
        return
    link = db.session.scalar(select(FundingLink).where(FundingLink.application_ref == ref))
    if name == "ApplicationSubmitted" and isinstance(getattr(event, "project_ref", None), str):
        if link is None:
            db.session.add(FundingLink(application_ref=ref, project_ref=event.project_ref))
    elif name == "ApplicationDecided" and link is not None:
        approved = bool(getattr(event, "approved", False))
        link.approved_cents = int(getattr(event, "amount_cents", 0)) if approved else None
