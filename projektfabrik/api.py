"""Everything a plugin may use from the core. Plugins import from here only.

Names here are kept stable; anything else in ``projektfabrik`` may change
without notice. See docs/plugins.md for how each is meant to be used.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import render_template
from flask_babel import gettext, lazy_gettext, ngettext
from flask_login import current_user, login_required
from markupsafe import escape
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.accounts.permissions import admin_required, moderator_required
from projektfabrik.db import UTCDateTime, enum_type, ref_column, utcnow
from projektfabrik.downloads import send_download
from projektfabrik.exports import (
    CSV_MIMETYPE,
    XLSX_MIMETYPE,
    Money,
    Percent,
    Sheet,
    csv_for_machines,
    csv_for_people,
)
from projektfabrik.exports import Formula as SheetFormula
from projektfabrik.exports import neutralise as neutralise_cell
from projektfabrik.exports import xlsx as xlsx_workbook
from projektfabrik.extensions import Model, db
from projektfabrik.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_number,
    format_percent_bp,
    format_period,
    format_time,
    local_date,
    town_zone,
)
from projektfabrik.formatting import iso as format_iso
from projektfabrik.formfields import LocalDateField
from projektfabrik.madefiles import made_once
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.markup import render_markdown
from projektfabrik.months import sql_month
from projektfabrik.pagecache import cached_for_visitors
from projektfabrik.pdf import LockedFetcher as PdfFetcher
from projektfabrik.pdf import available as pdf_available
from projektfabrik.pdf import pdf_response, render_pdf
from projektfabrik.planning.events import PlanSectionSaved, PlanVersionRestored
from projektfabrik.planning.money import MoneyError, format_cents, format_input, parse_cents
from projektfabrik.planning.services import FinanceSummary, finance_summary
from projektfabrik.plugins.apiversion import API_VERSION
from projektfabrik.plugins.events import emit
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.package import nav_links, package_hooks, project_tab
from projektfabrik.plugins.runtime import (
    can,
    export_formats,
    export_response,
    render_slot,
    search_documents,
)
from projektfabrik.plugins.state import is_enabled, unreadable_secrets
from projektfabrik.plugins.state import settings as plugin_settings
from projektfabrik.plugins.types import (
    AccountDeletion,
    Asset,
    AssetKind,
    Consequence,
    Event,
    ExportFormat,
    ImpactFigure,
    MarketplaceFilter,
    NavArea,
    NavItem,
    NotificationKind,
    OpenApiPaths,
    Permission,
    PluginInfo,
    PluginSettings,
    PluginSwitched,
    ProjectTab,
    SearchDocument,
    Slot,
    SlotContent,
    StatisticsTable,
)
from projektfabrik.projects import access
from projektfabrik.projects.events import (
    ProjectAdopted,
    ProjectCreated,
    ProjectEdited,
    ProjectFollowed,
    ProjectStatusChanged,
    ProjectSupported,
)
from projektfabrik.projects.models import Status as ProjectStatus
from projektfabrik.refusal import Refusal
from projektfabrik.regions.handoff import HandoffRefused
from projektfabrik.regions.handoff import Sealed as SealedHandoff
from projektfabrik.regions.handoff import open_sealed as open_handoff
from projektfabrik.regions.handoff import partner_url as handoff_partner_url
from projektfabrik.regions.handoff import partners as handoff_partners
from projektfabrik.regions.handoff import seal as seal_handoff
from projektfabrik.regions.messages import SendingTown, TownMessage
from projektfabrik.regions.messages import receiver as town_message_receiver
from projektfabrik.regions.messages import send as send_to_town
from projektfabrik.regions.messages import status as town_message_status
from projektfabrik.requestsize import accepts_files
from projektfabrik.storage import StorageUnavailable, StoredFile
from projektfabrik.teams.events import (
    JoinDecided,
    JoinRequested,
    MemberLeft,
    OwnershipHandedOver,
    TeamJoined,
)
from projektfabrik.tenancy.context import current_tenant, current_tenant_or_none, tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS, TenantScoped
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.tenancy.models import Tenant
from projektfabrik.throttle import Throttle, client_address
from projektfabrik.uploads import (
    FILE_KINDS,
    CheckedUpload,
    FileKind,
    UploadRefused,
    check_upload,
    delete_upload,
    discard_upload,
    store_upload,
)
from projektfabrik.uploads import clean_name as clean_upload_name
from projektfabrik.uploads import max_upload_mb as upload_limit_mb
from projektfabrik.uploads import new_filename as new_upload_name
from projektfabrik.uploads import store_bytes as store_upload_bytes
from projektfabrik.uploads import stored_file as stored_upload
from projektfabrik.viewhelpers import found_or_404, show_refusal
from projektfabrik.workercache import fragment as cached_fragment
from projektfabrik.workercache import town_value as cached_town_value
from projektfabrik.workflow import Step, StepRefused, Workflow

#: The core revision that creates the ``tenant`` and ``user_account`` tables. A
#: plugin's first migration names it in ``depends_on``.
CORE_BASE_REVISION = "71071106cf4e"

_ = gettext


# --- projects and their plans (read-only for plugins) -------------------------------


def find_project(ref: str | int) -> Any:
    """The current town's project with the public reference ``ref`` (its per-town
    number, as in ``project.ref``), or ``None``."""
    text = str(ref)
    if not text.isdigit() or len(text) > 9:
        return None
    return access.find_project(int(text))


def project_goals() -> Any:
    """A subquery of ``(project_id, goal_ref)``: which projects serve which of the
    town's strategy goals, for a plugin's ``pf_impact_indicators`` to join its
    own rows to (e.g. funding granted per goal) in one grouped query."""
    from projektfabrik.strategy.models import Goal, ProjectGoal

    return (
        select(ProjectGoal.project_id.label("project_id"), Goal.ref.label("goal_ref"))
        .join(Goal, Goal.id == ProjectGoal.goal_id)
        .subquery()
    )


@dataclass(frozen=True)
class ImpactField:
    """One indicator of a goal the project serves, for a plugin's form: ``reported``
    is the value already reported for the year, written as the reader types it
    (``""``: none yet)."""

    ref: str
    goal: str
    name: str
    unit: str
    reported: str


def impact_fields(project: Any, year: int) -> list[ImpactField]:
    """The indicators of the goals ``project`` serves (the town's order), each with
    the value reported for ``year``, so a plugin can ask for achieved values
    (funding: in the proof of use) without the team typing them twice."""
    from projektfabrik.strategy import contributions
    from projektfabrik.strategy.values import show_input

    reported = {r.indicator_id: r.value for r in contributions.results(project) if r.year == year}
    return [
        ImpactField(
            ref=indicator.ref,
            goal=goal.title,
            name=indicator.name,
            unit=indicator.unit,
            reported=show_input(reported.get(indicator.id)),
        )
        for goal in contributions.linked_goals(project)
        for indicator in goal.indicators
    ]


def report_impact(
    project: Any,
    indicator_ref: str,
    value: str | Decimal,
    achieved_on: date,
    note: str = "",
    *,
    actor: User | None,
) -> None:
    """Report what ``project`` achieved for the indicator ``indicator_ref`` (one of
    its goals' indicators in the current town), exactly as the team does on the
    project's impact tab: one value per indicator and year, a new report replaces
    the old one and waits for town staff to confirm it. ``value`` may be text as
    the reader types it ("1.234,5" in German). Refuses (a ``Refusal``) an unknown
    or foreign ref and a value that is no number. The caller gates (only the
    project's team reports) and commits."""
    from projektfabrik.strategy import contributions
    from projektfabrik.strategy.services import StrategyError
    from projektfabrik.strategy.values import parse_value

    indicator = contributions.indicator_of(project, indicator_ref)
    if indicator is None:
        raise StrategyError(gettext("This indicator is not one of the project's goals."), None)
    if isinstance(value, str):
        value = parse_value(value)
    contributions.report(
        project, indicator, value=value, achieved_on=achieved_on, note=note, actor=actor
    )


def is_project_editor(project: Any, user: Any) -> bool:
    """Whether ``user`` may edit the project's plan: its team members and the town's admins."""
    return access.is_editor(project, user)


def project_team(project: Any) -> list[User]:
    """The people of the project's team (owners and members)."""
    return access.team(project)


def plan_snapshot(project: Any) -> dict[str, Any]:
    """The whole plan as plain JSON values: title, pitch and one dict per section
    (``profile``, ``work_plan``, ``resources``, ``finance``), amounts in cents."""
    from projektfabrik.planning.models import Section
    from projektfabrik.planning.services import snapshot

    plan: dict[str, Any] = {"title": project.title, "pitch": project.pitch}
    for section in Section:
        plan[section.value] = snapshot(project, section)
    return plan


@dataclass(frozen=True)
class RegionalNeighbour:
    """Another town taking part in the current town's region (docs/architecture.md)."""

    id: int
    slug: str
    name: str
    #: The town's landing page on its canonical host.
    url: str


def regional_neighbours() -> list[RegionalNeighbour]:
    """The other towns of the current town's region that take part (opted in, not
    suspended), by name; empty when the current town itself does not take part."""
    from projektfabrik.regions import readmodel

    town = current_tenant()
    region = readmodel.region_of(town.id)
    if region is None:
        return []
    taking_part = readmodel.participants(region)
    if town.id not in {p.tenant_id for p in taking_part}:
        return []
    return [
        RegionalNeighbour(p.tenant_id, p.town.slug, p.town.name, p.town.url)
        for p in taking_part
        if p.tenant_id != town.id
    ]


def set_project_status(project: Any, status: ProjectStatus | str, by: User) -> None:
    """Move the project to ``status`` (a ``ProjectStatus`` or its value, e.g.
    ``"funding_applied"``) as the core does when the team changes it: the status
    history keeps who, followers are told, ``ProjectStatusChanged`` is emitted.
    Nothing happens when the project has that status already. The caller commits;
    ``ValueError`` for a value that is no status."""
    from projektfabrik.projects.services import change_status

    change_status(project, ProjectStatus(status), by)


def project_status_before(project: Any, status: ProjectStatus | str) -> ProjectStatus | None:
    """The status the project had before it last moved to ``status`` (from its status
    history), or ``None`` when it never moved there. A plugin that moved a project
    forward uses it to move it back when its reason goes (funding: a rejected
    application)."""
    from projektfabrik.projects.models import StatusChange

    before = db.session.scalar(
        select(StatusChange.from_status)
        .where(
            StatusChange.project_id == project.id,
            StatusChange.to_status == ProjectStatus(status),
        )
        .order_by(StatusChange.changed_at.desc(), StatusChange.id.desc())
        .limit(1)
    )
    return ProjectStatus(before) if before is not None else None


def publish_project_idea(author: User, title: str, pitch: str) -> Any:
    """Publish a new project idea in the marketplace with ``author`` leading it, as
    the person would on the "new project" page (status history, follow, owner,
    ``ProjectCreated``). Returns the project (``project.ref``). The caller commits;
    ``Refusal`` for input the marketplace refuses."""
    from projektfabrik.marketplace.services import ProjectInput, publish_idea

    return publish_idea(author, ProjectInput(title=title, pitch=pitch))


# --- notifications -----------------------------------------------------------------


def notify(
    recipients: Iterable[User],
    kind: str,
    text: Callable[[], str],
    link: str,
    *,
    exclude: User | None = None,
    details: Callable[[], str] | None = None,
    reply_to: str | None = None,
) -> int:
    """Notify people of the current town as the core does: a row on their bell,
    and mail as each of them chose for ``kind`` (right away, in the daily
    summary, or none).

    ``kind`` is a key the plugin declares with ``pf_notification_kinds``.
    ``text`` (and ``details``, longer text for the mail) are called once per
    person, in that person's language: pass a ``lambda`` around ``_()``.
    ``link`` is a path on the town's site (``url_for(...)``). Returns how many
    people were notified: 0 when the town has the kind's plugin switched off.
    Raises ``LookupError`` for a kind no enabled plugin declares.
    """
    from projektfabrik.notifications import kinds, services

    owner = kind.split(".", 1)[0]
    if kinds.is_plugin_kind(kind) and not is_enabled(owner):
        return 0
    if kinds.find(kind) is None:
        raise LookupError(f"no notification kind {kind!r}; declare it with pf_notification_kinds")
    return services.notify(
        recipients, kind, text, link, exclude, details=details, reply_to=reply_to
    )


@contextmanager
def cli_town(slug: str, plugin: str | None = None) -> Iterator[Tenant]:
    """For a plugin's CLI command: run the block as the town ``slug``.

    With ``plugin``, refuse (``click.ClickException``) unless the town has that
    plugin switched on.
    """
    town = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if town is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    with tenant_context(town):
        if plugin is not None and not is_enabled(plugin):
            raise click.ClickException(f"{plugin} is switched off in {slug}")
        yield town


def project_followers(project: Any) -> list[User]:
    """The people who follow the project (its button, or by publishing or adopting
    it): whom a plugin tells about news of the project besides its team."""
    from projektfabrik.projects.services import followers

    return followers(project)


# --- team and plan helpers for printed sheets (pubtools) ----------------------------


def plan_versions(project: Any) -> dict[str, int]:
    """The current version of each plan section (``"profile"``, ``"work_plan"``,
    ``"resources"``, ``"finance"``); 0 for a section never saved."""
    from projektfabrik.planning.models import Section
    from projektfabrik.planning.visibility import section_states

    states = section_states(project)
    return {s.value: (states[s].version if s in states else 0) for s in Section}


def plan_profile_fields() -> list[tuple[str, str]]:
    """The profile's fields as ``(name, label)``, in the order of the core's profile form,
    labels in the reader's language."""
    from projektfabrik.planning.labels import PROFILE_FIELDS, PROFILE_LABELS

    return [(name, str(PROFILE_LABELS[name])) for name in PROFILE_FIELDS]


def plan_label(group: str, value: str) -> str:
    """The label of a plan value in the reader's language: ``group`` is ``"section"``,
    ``"task_status"``, ``"resource_kind"``, ``"cost_type"``, ``"source"`` or
    ``"financing"``, ``value`` as in :func:`plan_snapshot`. ``""`` for an unknown value."""
    from projektfabrik.planning import labels

    label = {
        "section": labels.section_label,
        "task_status": labels.task_status_label,
        "resource_kind": labels.kind_label,
        "cost_type": labels.cost_type_label,
        "source": labels.source_label,
        "financing": labels.financing_label,
    }[group]
    try:
        return str(label(value))
    except (KeyError, ValueError):
        return ""


def team_join_code(project: Any) -> str | None:
    """The team's join code as people read it (``ABCD-EFGH``), or ``None`` while the
    owners have not made one (they do on the team's code page, ``teams.code``)."""
    from projektfabrik.teams.services import access_or_none

    row = access_or_none(project)
    return row.display_code if row is not None else None


def invite_to_team(project: Any, by: User, email: str, message: str = "") -> None:
    """Mail an invitation to join the project's team, exactly as an owner does on the
    team page: the person still confirms with their own account, and the core's
    limit per address applies. ``Refusal`` (``field="email"`` for a bad address)
    when ``by`` is no owner, the project is closed or the address had too many
    invitations. The caller commits."""
    from projektfabrik.teams.services import invite_by_email

    invite_by_email(project, by, email, message)


def share_team_file(project: Any, by: User, stream: Any, original_name: str) -> tuple[str, str]:
    """Store an upload with the team's files (checked as the team's file page checks
    it; ``UploadRefused``, or ``Refusal`` for someone outside the team) and return
    ``(ref, file name)``; link it with ``team_file_url``. The caller commits."""
    from projektfabrik.teams.board import add_file

    item = add_file(project, by, stream, original_name)
    db.session.flush()
    return item.ref, item.filename


def upload_folder(area: str) -> Path:
    """Deprecated since 1.1 (removed in 2.0): the town's folder of ``area`` with the
    local storage. Use ``store_upload``, ``stored_upload`` and ``discard_upload``,
    which work with every storage; with S3 this raises ``RuntimeError``."""
    from projektfabrik.storage import storage, town_prefix
    from projektfabrik.storage.local import LocalStorage

    warnings.warn(
        "upload_folder is deprecated: use stored_upload/discard_upload", DeprecationWarning, 2
    )
    backend = storage()
    if not isinstance(backend, LocalStorage):
        raise RuntimeError("upload_folder works with the local storage only; use stored_upload")
    folder = backend.root / town_prefix(current_tenant().id) / area
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def resolve_upload(folder: Path, filename: str) -> Path | None:
    """Deprecated since 1.1 (removed in 2.0), with :func:`upload_folder`: the file's
    path if ``filename`` names a plain file directly inside ``folder``."""
    warnings.warn("resolve_upload is deprecated: use stored_upload", DeprecationWarning, 2)
    if not filename or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    path = folder / filename
    return path if path.is_file() else None


def team_file_url(project: Any, ref: str, filename: str) -> str:
    """The path of a team file's download (members of the team only)."""
    from flask import url_for

    return url_for("teams.download", number=project.number, ref=ref, filename=filename)


__all__ = [
    "ALL_TENANTS",
    "API_VERSION",
    "CORE_BASE_REVISION",
    "CheckedUpload",
    "FILE_KINDS",
    "FileKind",
    "Asset",
    "AssetKind",
    "Event",
    "ExportFormat",
    "JoinDecided",
    "JoinRequested",
    "MemberLeft",
    "Model",
    "FinanceSummary",
    "MoneyError",
    "NavArea",
    "NavItem",
    "NotificationKind",
    "OwnershipHandedOver",
    "Permission",
    "PdfFetcher",
    "PlanSectionSaved",
    "PlanVersionRestored",
    "PluginInfo",
    "PluginSettings",
    "PluginSwitched",
    "ProjectAdopted",
    "ProjectCreated",
    "ProjectEdited",
    "ProjectFollowed",
    "ProjectStatusChanged",
    "ProjectSupported",
    "Refusal",
    "HandoffRefused",
    "SealedHandoff",
    "open_handoff",
    "handoff_partner_url",
    "handoff_partners",
    "seal_handoff",
    "ProjectTab",
    "Role",
    "SearchDocument",
    "Slot",
    "SlotContent",
    "Step",
    "StepRefused",
    "TeamJoined",
    "Tenant",
    "TenantScoped",
    "UploadRefused",
    "UTCDateTime",
    "User",
    "Workflow",
    "_",
    "accepts_files",
    "admin_required",
    "cached_for_visitors",
    "cached_fragment",
    "cached_town_value",
    "made_once",
    "can",
    "check_upload",
    "cli_town",
    "current_tenant",
    "current_tenant_or_none",
    "current_user",
    "db",
    "emit",
    "export_formats",
    "export_response",
    "external_url_for",
    "finance_summary",
    "find_project",
    "format_cents",
    "found_or_404",
    "format_input",
    "gettext",
    "hookimpl",
    "is_enabled",
    "is_project_editor",
    "lazy_gettext",
    "login_required",
    "moderator_required",
    "ngettext",
    "notify",
    "parse_cents",
    "pdf_available",
    "pdf_response",
    "plan_snapshot",
    "plugin_settings",
    "project_team",
    "publish_project_idea",
    "new_upload_name",
    "queue_mail",
    "ref_column",
    "render_markdown",
    "render_pdf",
    "render_slot",
    "render_template",
    "resolve_upload",
    "StorageUnavailable",
    "StoredFile",
    "delete_upload",
    "discard_upload",
    "store_upload_bytes",
    "stored_upload",
    "search_documents",
    "show_refusal",
    "store_upload",
    "tenant_context",
    "unreadable_secrets",
    "upload_folder",
    "upload_limit_mb",
    "utcnow",
    "enum_type",
    "escape",
    "format_date",
    "format_datetime",
    "format_time",
    "format_period",
    "format_number",
    "format_money",
    "format_percent_bp",
    "format_iso",
    "local_date",
    "town_zone",
    "AccountDeletion",
    "Consequence",
    "ProjectStatus",
    "set_project_status",
    "project_status_before",
    "package_hooks",
    "nav_links",
    "project_tab",
    "Throttle",
    "client_address",
    "CSV_MIMETYPE",
    "XLSX_MIMETYPE",
    "Money",
    "Percent",
    "Sheet",
    "clean_upload_name",
    "csv_for_machines",
    "csv_for_people",
    "neutralise_cell",
    "send_download",
    "xlsx_workbook",
    "LocalDateField",
    "project_followers",
    "MarketplaceFilter",
    "invite_to_team",
    "plan_label",
    "plan_profile_fields",
    "plan_versions",
    "share_team_file",
    "team_file_url",
    "team_join_code",
    "SheetFormula",
    "StatisticsTable",
    "ImpactFigure",
    "OpenApiPaths",
    "project_goals",
    "ImpactField",
    "impact_fields",
    "report_impact",
    "sql_month",
    "RegionalNeighbour",
    "regional_neighbours",
    "SendingTown",
    "TownMessage",
    "send_to_town",
    "town_message_receiver",
    "town_message_status",
]
