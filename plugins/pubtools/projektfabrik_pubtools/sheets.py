"""The worksheets: one per planning step, what each prints, and where its code leads.

The order of what a sheet prints is the order of the online form its code opens
(the profile follows the core's profile form field by field), so typing in goes
from top to bottom.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import LazyString

from projektfabrik.api import (
    format_money,
    lazy_gettext,
    plan_label,
    plan_profile_fields,
    plan_snapshot,
    plan_versions,
    project_team,
    team_join_code,
)

SIZES = ("a4", "a3")


@dataclass(frozen=True)
class SheetKind:
    key: str  # also the URL part: German, the site's language
    title: LazyString
    intro: LazyString
    #: Plan sections whose versions the prefilled sheet names.
    sections: tuple[str, ...] = ()
    #: Empty rows on A4; A3 gets more.
    blank_rows: int = 4

    def target_path(self, project: Any) -> str:
        """The online form where the sheet's content belongs."""
        number = project.number
        if self.key in ("teamfindung", "teamprofil"):
            return url_for("teams.team", number=number) + "#gesucht"
        if self.key == "vision":
            return url_for("planning.profile", number=number) + "#vision"
        if self.key == "projektprofil":
            return url_for("planning.profile", number=number)
        if self.key == "arbeitsplan":
            return url_for("planning.work_plan", number=number)
        return url_for("planning.resources", number=number)

    def finance_path(self, project: Any) -> str | None:
        """The resources sheet carries the finance plan too: its form is a page of its own."""
        if self.key != "ressourcen":
            return None
        return url_for("planning.finance", number=project.number)


SHEETS: dict[str, SheetKind] = {
    s.key: s
    for s in (
        SheetKind(
            "teamfindung",
            lazy_gettext("Team finding"),
            lazy_gettext(
                "Work in pairs: interview each other. What can you do, what do you like "
                "doing, what would you learn here? Then write down what the team still lacks."
            ),
            blank_rows=5,
        ),
        SheetKind(
            "teamprofil",
            lazy_gettext("Team profile"),
            lazy_gettext("Who is in the team, who does what, and whom are you looking for?"),
            blank_rows=4,
        ),
        SheetKind(
            "projektprofil",
            lazy_gettext("Project profile"),
            lazy_gettext("Describe the project: one box per question, in your own words."),
            sections=("profile",),
        ),
        SheetKind(
            "vision",
            lazy_gettext("Vision"),
            lazy_gettext(
                "Draw or write how the place looks when the project has worked. "
                "Who is there, what do they do, what has changed?"
            ),
            sections=("profile",),
        ),
        SheetKind(
            "arbeitsplan",
            lazy_gettext("Work plan and schedule"),
            lazy_gettext(
                "Which work packages are there, which tasks belong to them, who does "
                "what and by when? Add milestones: the days that matter."
            ),
            sections=("work_plan",),
            blank_rows=4,
        ),
        SheetKind(
            "ressourcen",
            lazy_gettext("Resources and financing"),
            lazy_gettext(
                "What do you need: people, material, rooms, money? What does it cost, "
                "and who pays for it?"
            ),
            sections=("resources", "finance"),
            blank_rows=4,
        ),
    )
}


def offered(settings: dict[str, Any]) -> list[SheetKind]:
    """The sheets the town offers (its admin's choice), in planning order."""
    return [s for s in SHEETS.values() if settings.get(f"offer_{s.key}", True)]


@dataclass
class SheetData:
    """What a sheet prints: empty for a blank sheet, the project's data else."""

    project: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)


def _iso_day(text: str) -> date | None:
    """A snapshot's ISO day as a date (the template formats it with ``|date``)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _names(project: Any) -> dict[str, str]:
    return {person.ref: person.display_name for person in project_team(project)}


def prefilled(kind: SheetKind, project: Any) -> SheetData:
    """The project's current data for the sheet ``kind`` (no writes)."""
    versions = plan_versions(project)
    data = SheetData(
        project=project,
        versions={name: versions.get(name, 0) for name in kind.sections},
    )
    values: dict[str, Any] = {"title": project.title, "pitch": project.pitch}
    if kind.key in ("teamfindung", "teamprofil"):
        memberships = sorted(
            project.memberships, key=lambda m: (m.role.value != "owner", m.joined_at)
        )
        values["members"] = [
            {
                "name": m.user.display_name,
                "skills": ", ".join(m.user.skill_list),
                "task": m.task,
                "owner": m.role.value == "owner",
            }
            for m in memberships
        ]
        values["wanted_skills"] = project.wanted_skills
        values["join_code"] = team_join_code(project)
    elif kind.key in ("projektprofil", "vision"):
        profile = plan_snapshot(project)["profile"]
        values["fields"] = [
            {"name": name, "label": label, "value": profile.get(name, "")}
            for name, label in plan_profile_fields()
        ]
        values["vision"] = profile.get("vision", "")
    elif kind.key == "arbeitsplan":
        plan = plan_snapshot(project)["work_plan"]
        names = _names(project)
        packages = {wp["ref"]: wp["name"] for wp in plan["work_packages"]}
        values["packages"] = [
            {
                "name": wp["name"],
                "description": wp["description"],
                "responsible": names.get(wp["responsible"] or "", ""),
            }
            for wp in plan["work_packages"]
        ]
        values["tasks"] = [
            {
                "title": t["title"],
                "package": packages.get(t["work_package"], ""),
                "responsible": names.get(t["responsible"] or "", ""),
                "start": _iso_day(t["start"]),
                "end": _iso_day(t["end"]),
                "status": plan_label("task_status", t["status"]),
            }
            for t in plan["tasks"]
        ]
        values["milestones"] = [
            {"title": m["title"], "due": _iso_day(m["due"]), "description": m["description"]}
            for m in plan["milestones"]
        ]
    elif kind.key == "ressourcen":
        plan = plan_snapshot(project)
        values["requirements"] = [
            {
                "description": r["description"],
                "kind": plan_label("resource_kind", r["kind"]),
                "quantity": f"{r['quantity']} {r['unit']}".strip(),
                "cost": format_money(r["cost_cents"]) if r["cost_cents"] else "",
                "cost_type": plan_label("cost_type", r["cost_type"]),
                "source": plan_label("source", r["source"]),
            }
            for r in plan["resources"]["requirements"]
        ]
        values["costs"] = [
            {
                "description": c["description"],
                "cost_type": plan_label("cost_type", c["cost_type"]),
                "amount": format_money(c["amount_cents"]),
            }
            for c in plan["finance"]["cost_items"]
        ]
        values["financing"] = [
            {
                "kind": plan_label("financing", f["kind"]),
                "description": f["description"],
                "amount": format_money(f["amount_cents"]),
            }
            for f in plan["finance"]["financing"]
        ]
    data.values = values
    return data


def blank() -> SheetData:
    return SheetData()
