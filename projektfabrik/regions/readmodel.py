"""The regional read model: the one place where several towns' projects are read together.

Everything a region shows (its marketplace, its feed, its API, and the section
"projects nearby looking for help" on a member town's landing page) comes from
here, and only as :class:`RegionalProject` values: the fields a project's page
shows to anyone, nothing else. No ORM object of another town leaves this
module, so a template cannot reach a team, a plan, a comment or a person
through a relationship. ``tests/test_regions.py`` lists the fields that may
cross and fails when one is added here without being added there.

Which towns: members of the region (the operator's list) whose site is not
suspended and whose admin opted in (:class:`RegionalChoice`, read behind the wall for
exactly those towns). Which projects: not archived, and shown in the region by
their team's choice or, when the team has not chosen, by the town's default.

The wall is crossed through :func:`projektfabrik.tenancy.isolation.these_towns`
only, and only here: a SELECT restricted to the towns named, never the
operator's ``ALL_TENANTS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from math import ceil
from typing import Any

from flask import current_app, url_for
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from projektfabrik.extensions import db
from projektfabrik.marketplace.listing import PAGE_SIZE, Filters, filtered, ordered
from projektfabrik.projects.models import Category, Membership, Project, Status
from projektfabrik.regions.models import Region, RegionalChoice, RegionMember
from projektfabrik.tenancy.isolation import these_towns
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import District, Tenant, TenantState


@dataclass(frozen=True)
class RegionalTown:
    """A town taking part, as the region names it."""

    slug: str
    name: str
    #: The town's landing page on its canonical host.
    url: str


@dataclass(frozen=True)
class RegionalProject:
    """What crosses: the public face of a project, as its own page shows it to anyone."""

    town: RegionalTown
    number: int
    #: The project's page on its own town's canonical host.
    url: str
    title: str
    pitch: str
    description_md: str
    status: Status
    category: str | None
    district: str | None
    looking_for_members: bool
    wanted_skills: tuple[str, ...]
    team_size: int
    supporters: int
    created_at: datetime
    last_activity_at: datetime


@dataclass(frozen=True)
class Participant:
    town: RegionalTown
    tenant_id: int
    projects_shown_by_default: bool
    neighbours_section: bool


@dataclass(frozen=True)
class RegionalPage:
    items: list[RegionalProject]
    total: int
    page: int
    pages: int


def region_of(tenant_id: int) -> Region | None:
    """The region the operator counts this town in (regions and members are no town's rows)."""
    return db.session.scalar(
        select(Region).join(RegionMember).where(RegionMember.town_id == tenant_id)
    )


def participants(region: Region) -> list[Participant]:
    """Member towns that are not suspended and opted in, by name. Two queries."""
    towns = {
        t.id: t
        for t in db.session.scalars(
            select(Tenant)
            .join(RegionMember, RegionMember.town_id == Tenant.id)
            .where(RegionMember.region_id == region.id, Tenant.state != TenantState.SUSPENDED)
            .options(joinedload(Tenant.hosts))
        ).unique()
    }
    if not towns:
        return []
    choices = db.session.execute(
        select(
            RegionalChoice.tenant_id,
            RegionalChoice.projects_shown_by_default,
            RegionalChoice.neighbours_section,
        )
        .where(RegionalChoice.opted_in.is_(True))
        .execution_options(**these_towns(frozenset(towns)))
    )
    found = [
        Participant(
            town=_town(towns[tenant_id]),
            tenant_id=tenant_id,
            projects_shown_by_default=by_default,
            neighbours_section=section,
        )
        for tenant_id, by_default, section in choices
    ]
    return sorted(found, key=lambda p: p.town.name)


def projects(
    region: Region,
    filters: Filters,
    town: str = "",
    page_size: int = PAGE_SIZE,
    taking_part: Sequence[Participant] | None = None,
) -> RegionalPage:
    """One page of the region's marketplace; ``town`` a participant's slug narrows it."""
    taking_part = participants(region) if taking_part is None else taking_part
    if town:
        taking_part = [p for p in taking_part if p.town.slug == town]
    if not taking_part:
        return RegionalPage(items=[], total=0, page=1, pages=1)
    stmt = _shown(_filtered(filters), taking_part)
    crossing = these_towns(frozenset(p.tenant_id for p in taking_part))
    total = (
        db.session.scalar(
            select(func.count()).select_from(stmt.subquery()).execution_options(**crossing)
        )
        or 0
    )
    pages = max(ceil(total / page_size), 1)
    page = min(filters.page, pages)
    paged = ordered(stmt, filters).limit(page_size).offset((page - 1) * page_size)
    return RegionalPage(
        items=_load(paged, taking_part, crossing), total=total, page=page, pages=pages
    )


def newest(region: Region, limit: int = 30) -> list[RegionalProject]:
    """For the region's feed: the newest projects shown in the region."""
    taking_part = participants(region)
    if not taking_part:
        return []
    crossing = these_towns(frozenset(p.tenant_id for p in taking_part))
    stmt = _shown(select(Project).where(Project.status != Status.ARCHIVED), taking_part)
    newest_first = stmt.order_by(Project.created_at.desc(), Project.id.desc()).limit(limit)
    return _load(newest_first, taking_part, crossing)


@dataclass(frozen=True)
class Neighbours:
    region_name: str
    region_url: str
    items: list[RegionalProject]


def neighbours_looking_for_help(tenant_id: int, limit: int = 6) -> Neighbours | None:
    """For a town's landing page: other member towns' projects that look for skills.

    None unless this town takes part and its admin switched the section on.
    """
    region = region_of(tenant_id)
    if region is None:
        return None
    taking_part = participants(region)
    own = next((p for p in taking_part if p.tenant_id == tenant_id), None)
    if own is None or not own.neighbours_section:
        return None
    others = [p for p in taking_part if p.tenant_id != tenant_id]
    found = Neighbours(region.name, region_url(region, "/region/projekte"), [])
    if not others:
        return found
    crossing = these_towns(frozenset(p.tenant_id for p in others))
    stmt = _shown(
        select(Project).where(
            Project.status != Status.ARCHIVED,
            Project.looking_for_members.is_(True),
            func.trim(Project.wanted_skills) != "",
        ),
        others,
    )
    active_first = stmt.order_by(Project.last_activity_at.desc(), Project.id.desc()).limit(limit)
    return replace(found, items=_load(active_first, others, crossing))


def one_project(town: Participant, number: int) -> RegionalProject | None:
    """One project of a taking-part town as the region shows it, or None when it is not
    shown there: what a neighbouring town names on its page "join with my account"."""
    crossing = these_towns(frozenset({town.tenant_id}))
    stmt = _shown(
        select(Project).where(Project.number == number, Project.status != Status.ARCHIVED),
        [town],
    )
    found = _load(stmt.limit(1), [town], crossing)
    return found[0] if found else None


# --- inside the read model only ---------------------------------------------------


def _filtered(filters: Filters) -> Select[Project]:
    # The marketplace's filters, except those that mean one town: a category is
    # matched by name in every town (several rows, hence IN); districts and "for
    # my skills" belong to a town's own site.
    plain = replace(filters, category="", district="", mine=False, my_skills=(), extra=())
    stmt = filtered(plain)
    if filters.category:
        stmt = stmt.where(
            Project.category_id.in_(select(Category.id).where(Category.name == filters.category))
        )
    return stmt


def _shown(stmt: Select[Project], taking_part: Sequence[Participant]) -> Select[Project]:
    # Which towns: the wall (these_towns) already says it; a second IN list here
    # would only make PostgreSQL misjudge how many rows match. The common cases
    # get simple conditions the planner estimates well.
    by_default = [p.tenant_id for p in taking_part if p.projects_shown_by_default]
    if len(by_default) == len(taking_part):
        return stmt.where(Project.shown_in_region.is_not(False))
    if not by_default:
        return stmt.where(Project.shown_in_region.is_(True))
    return stmt.where(
        or_(
            Project.shown_in_region.is_(True),
            and_(Project.shown_in_region.is_(None), Project.tenant_id.in_(by_default)),
        )
    )


#: The columns read, and nothing else: no ORM object of another town is ever loaded
#: (it would stay in the session's identity map for the rest of the request).
def _columns() -> tuple[Any, ...]:
    category = select(Category.name).where(Category.id == Project.category_id)
    district = select(District.name).where(District.id == Project.district_id)
    team = select(func.count(Membership.id)).where(Membership.project_id == Project.id)
    return (
        Project.tenant_id, Project.number, Project.title, Project.pitch,
        Project.description_md, Project.status, category.scalar_subquery(),
        district.scalar_subquery(), Project.looking_for_members, Project.wanted_skills,
        team.scalar_subquery(), Project.support_count, Project.created_at,
        Project.last_activity_at,
    )  # fmt: skip


def _load(
    stmt: Select[Project], taking_part: Sequence[Participant], crossing: dict[str, object]
) -> list[RegionalProject]:
    towns = {p.tenant_id: p.town for p in taking_part}
    rows: Any = db.session.execute(
        stmt.with_only_columns(*_columns()).execution_options(**crossing)
    )
    items = []
    for (
        tenant_id, number, title, pitch, description_md, status, category, district,
        looking, skills, team_size, supporters, created_at, last_activity_at,
    ) in rows:  # fmt: skip
        town = towns[tenant_id]
        items.append(
            RegionalProject(
                town=town,
                number=number,
                url=town.url.rstrip("/") + url_for("marketplace.project", number=number),
                title=title,
                pitch=pitch,
                description_md=description_md,
                status=Status(status),
                category=category,
                district=district,
                looking_for_members=looking,
                wanted_skills=tuple(s.strip() for s in skills.split(",") if s.strip()),
                team_size=team_size,
                supporters=supporters,
                created_at=created_at,
                last_activity_at=last_activity_at,
            )
        )
    return items


def region_url(region: Region, path: str = "/") -> str:
    """The region's site, as a town's page links to it (like a town's canonical host)."""
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    port = current_app.config.get("PUBLIC_PORT") or ""
    return f"{scheme}://{region.host}{':' + str(port) if port else ''}{path}"


def _town(tenant: Tenant) -> RegionalTown:
    return RegionalTown(slug=tenant.slug, name=tenant.name, url=public_url(tenant, "/"))
