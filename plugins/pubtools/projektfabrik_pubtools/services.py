"""The Kneipentools' logic, testable without a request: codes for printed sheets,
what changed since printing, photos of filled sheets, invitations from a sign-in
list. Nothing here commits; the views do.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from projektfabrik.api import (
    Refusal,
    User,
    _,
    check_upload,
    db,
    find_project,
    plan_label,
    plan_snapshot,
    plan_versions,
    plugin_settings,
    share_team_file,
)
from projektfabrik_pubtools import codes
from projektfabrik_pubtools.models import PrintedSheet, SheetPhoto
from projektfabrik_pubtools.sheets import SHEETS, SheetKind

PLUGIN = "pubtools"
#: Photos of filled sheets: pictures from a phone, or a scan as PDF.
PHOTO_KINDS = ["jpeg", "png", "webp", "pdf"]


class PubtoolsError(Refusal):
    """A refusal of the Kneipentools, in the reader's language."""


def settings() -> dict[str, Any]:
    return plugin_settings(PLUGIN)


# --- codes of printed sheets -------------------------------------------------------


def issue_sheet(kind: SheetKind, project: Any, by: User | None) -> PrintedSheet:
    """The code for this sheet of this project at the plan's current versions: the
    same code again while nothing changed, a new one after a change."""
    current = plan_versions(project)
    versions = {name: current.get(name, 0) for name in kind.sections}
    for sheet in db.session.scalars(
        select(PrintedSheet)
        .where(PrintedSheet.project_id == project.id, PrintedSheet.step == kind.key)
        .order_by(PrintedSheet.id.desc())
    ):
        if sheet.versions == versions:
            return sheet
    code = _unused_code()
    sheet = PrintedSheet(
        code=code,
        project_id=project.id,
        project_number=project.number,
        step=kind.key,
        versions=versions,
        printed_by_id=by.id if by is not None else None,
    )
    db.session.add(sheet)
    db.session.flush()
    return sheet


def _unused_code() -> str:
    for _attempt in range(10):
        code = codes.new_code()
        taken = db.session.scalar(select(PrintedSheet.id).where(PrintedSheet.code == code))
        if taken is None and not codes.is_blank_code(code):
            return code
    raise RuntimeError("no free sheet code found")  # 31^8 codes: does not happen


@dataclass(frozen=True)
class Resolved:
    """What a code opens: the town's "new idea" (``sheet`` is None) or a printed sheet."""

    sheet: PrintedSheet | None = None
    project: Any = None

    @property
    def is_blank(self) -> bool:
        return self.sheet is None


def resolve(raw: str) -> Resolved | None:
    """The current town's meaning of a code, or None (also for another town's codes)."""
    code = codes.normalise(raw)
    if not codes.well_formed(code):
        return None
    if codes.is_blank_code(code):
        return Resolved()
    sheet = db.session.scalar(select(PrintedSheet).where(PrintedSheet.code == code))
    if sheet is None or sheet.step not in SHEETS:
        return None
    project = find_project(sheet.project_number)
    if project is None or project.id != sheet.project_id:
        return None
    return Resolved(sheet=sheet, project=project)


#: The planning area's URL part of each section (its "versions" page lists who changed what).
SECTION_URL_PARTS = {
    "profile": "profil",
    "work_plan": "arbeitsplan",
    "resources": "ressourcen",
    "finance": "finanzen",
}


@dataclass(frozen=True)
class Change:
    section: str
    printed: int
    now: int
    key: str = ""

    @property
    def url_part(self) -> str:
        return SECTION_URL_PARTS.get(self.key, "")


def changes_since(sheet: PrintedSheet, project: Any) -> list[Change]:
    """The plan sections of the sheet that have newer versions than the printed ones."""
    current = plan_versions(project)
    return [
        Change(plan_label("section", name), int(printed), current.get(name, 0), name)
        for name, printed in sorted(sheet.versions.items())
        if current.get(name, 0) != int(printed)
    ]


def is_owner(project: Any, user: User) -> bool:
    """Whether ``user`` owns the project (owners invite people to the team)."""
    return any(
        m.user_id == getattr(user, "id", None) and m.role.value == "owner"
        for m in project.memberships
    )


def agenda(project: Any) -> dict[str, Any]:
    """What the agenda card of a pub evening prints: open tasks and wanted skills."""
    plan = plan_snapshot(project)["work_plan"]
    open_tasks = [t["title"] for t in plan["tasks"] if t["status"] != "done"]
    skills = [s.strip() for s in (project.wanted_skills or "").split(",") if s.strip()]
    return {
        "open_tasks": open_tasks[:12],
        "more_tasks": max(0, len(open_tasks) - 12),
        "skills": skills,
    }


# --- photos of filled sheets -------------------------------------------------------


def attach_photo(project: Any, by: User, step: str, data: Any, original_name: str) -> SheetPhoto:
    """Keep a photo (or scan) of a filled sheet with the team's files, tied to ``step``.
    ``UploadRefused`` for what is no picture or PDF; ``Refusal`` for people outside
    the team (the team's file store says so)."""
    if step not in SHEETS:
        raise PubtoolsError(_("Please choose the sheet the photo shows."), "step")
    checked = check_upload(data, PHOTO_KINDS, original_name=original_name, field="photo")
    ref, filename = share_team_file(project, by, io.BytesIO(checked.data), checked.display_name)
    photo = SheetPhoto(
        project_id=project.id, step=step, file_ref=ref, filename=filename, uploaded_by_id=by.id
    )
    db.session.add(photo)
    return photo


def photos(project: Any) -> list[SheetPhoto]:
    return list(
        db.session.scalars(
            select(SheetPhoto)
            .where(SheetPhoto.project_id == project.id)
            .order_by(SheetPhoto.uploaded_at.desc(), SheetPhoto.id.desc())
        )
    )


# --- the sign-in list ----------------------------------------------------------------

#: At most this many people per typed-in list: one evening's sign-in sheets.
MAX_INVITES = 40

_ANGLE = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+)>\s*$")
#: "Anna Müller, anna@example.org": the address after the last comma, semicolon or tab.
_SEPARATED = re.compile(r"^(.*)[,;\t]\s*([^,;\t]*)$")


@dataclass(frozen=True)
class Entry:
    line: int
    name: str
    email: str


@dataclass(frozen=True)
class LineProblem:
    line: int
    text: str
    message: str


def parse_signin_list(text: str) -> tuple[list[Entry], list[LineProblem]]:
    """One person per line: ``Name, e-mail``, ``Name <e-mail>`` or the address alone.
    Returns the people and the lines that could not be read (with the reason)."""
    entries: list[Entry] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _ANGLE.match(line)
        separated = _SEPARATED.match(line)
        if match:
            name, address = match["name"], match["email"]
        elif separated:
            name, address = separated.group(1), separated.group(2)
        else:
            name, address = "", line
        name, address = name.strip().strip('"'), address.strip()
        try:
            email = validate_email(address, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.append(LineProblem(number, line, _("This line has no valid e-mail address.")))
            continue
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        entries.append(Entry(number, name[:100], email))
    if len(entries) > MAX_INVITES:
        raise PubtoolsError(
            _("Please send at most %(n)d invitations at once.", n=MAX_INVITES), "people"
        )
    return entries, problems


def invite_all(
    project: Any, by: User, entries: list[Entry], message: str
) -> tuple[list[Entry], list[LineProblem]]:
    """Send each person the team's invitation (they confirm with their own account:
    no account is made for anyone). Returns who was invited and who not, and why."""
    from projektfabrik.api import invite_to_team

    sent: list[Entry] = []
    refused: list[LineProblem] = []
    for entry in entries:
        try:
            invite_to_team(project, by, entry.email, message)
        except Refusal as error:
            refused.append(LineProblem(entry.line, entry.email, error.message))
        else:
            sent.append(entry)
    return sent, refused
