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

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from math import ceil
from typing import Any

from flask import current_app, url_for
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from projektfabrik.extensions import db
from projektfabrik.marketplace.listing import PAGE_SIZE, Filters, filtered, ordered
from projektfabrik.projects import search
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


def member_towns(region: Region) -> dict[int, Tenant]:
    """The member towns whose site is not suspended, by id. One query."""
    return {
        t.id: t
        for t in db.session.scalars(
            select(Tenant)
            .join(RegionMember, RegionMember.town_id == Tenant.id)
            .where(RegionMember.region_id == region.id, Tenant.state != TenantState.SUSPENDED)
            .options(joinedload(Tenant.hosts))
        ).unique()
    }


def content_version(region: Region, towns: dict[int, Tenant]) -> str:
    """Changes with everything the region's pages show, for the page cache's key.

    Each member town's ``content_version`` rises with every change of its public
    pages, of its admin's regional choice and of a team's (``versioning.mark_changed``,
    regions/services.py), and with a change of its state; a suspended town drops
    out of ``towns``. The region's own row (name, colour, welcome texts) is in too.
    """
    parts = [
        region.name, region.host, region.primary_color, region.welcome_md,
        repr(sorted((region.welcome_by_language or {}).items())),
        *(f"{t.id}:{t.content_version}:{t.state.value}" for _, t in sorted(towns.items())),
    ]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def participants(region: Region, towns: dict[int, Tenant] | None = None) -> list[Participant]:
    """Member towns that are not suspended and opted in, by name. Two queries (one
    when the caller read ``member_towns`` already)."""
    towns = member_towns(region) if towns is None else towns
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
    entity, stmt = _matching(filters, taking_part)
    crossing = these_towns(frozenset(p.tenant_id for p in taking_part))
    total = (
        db.session.scalar(
            select(func.count()).select_from(stmt.subquery()).execution_options(**crossing)
        )
        or 0
    )
    pages = max(ceil(total / page_size), 1)
    page = min(filters.page, pages)
    paged = ordered(stmt, filters, entity).limit(page_size).offset((page - 1) * page_size)
    return RegionalPage(
        items=_load(paged, taking_part, crossing, entity), total=total, page=page, pages=pages
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


@dataclass(frozen=True)
class MemberAtAGlance:
    """A member town as the operator's console lists it: counts, never projects."""

    slug: str
    name: str
    state: TenantState
    opted_in: bool
    #: Projects the region shows of this town right now (0 unless it takes part).
    shown: int


def members_at_a_glance(region: Region) -> list[MemberAtAGlance]:
    """Every member town, whether its admin opted in and how many projects the region
    shows of it. The same rules as the marketplace (``participants``, ``_shown``), so the
    console's figure is the number a visitor can page through. Five queries,
    whatever the number of towns."""
    members = list(
        db.session.execute(
            select(Tenant.id, Tenant.slug, Tenant.name, Tenant.state)
            .join(RegionMember, RegionMember.town_id == Tenant.id)
            .where(RegionMember.region_id == region.id)
            .order_by(Tenant.name)
        )
    )
    if not members:
        return []
    opted_in = set(
        db.session.scalars(
            select(RegionalChoice.tenant_id)
            .where(RegionalChoice.opted_in.is_(True))
            .execution_options(**these_towns(frozenset(m.id for m in members)))
        )
    )
    shown: dict[int, int] = {}
    taking_part = participants(region)
    if taking_part:
        counted = (
            select(Project.tenant_id, func.count())
            .where(Project.status != Status.ARCHIVED, _shown_condition(taking_part))
            .group_by(Project.tenant_id)
        )
        crossing = these_towns(frozenset(p.tenant_id for p in taking_part))
        shown = {tid: n for tid, n in db.session.execute(counted.execution_options(**crossing))}
    return [
        MemberAtAGlance(m.slug, m.name, m.state, m.id in opted_in, shown.get(m.id, 0))
        for m in members
    ]


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


def _filtered(filters: Filters, taking_part: Sequence[Participant]) -> Select[Project]:
    # The marketplace's filters, except those that mean one town: a category is
    # matched by name in every town (several rows, hence IN); districts and "for
    # my skills" belong to a town's own site. The search is added by _matching.
    plain = replace(filters, q="", category="", district="", mine=False, my_skills=(), extra=())
    stmt = _shown(filtered(plain), taking_part)
    if filters.category:
        stmt = stmt.where(
            Project.category_id.in_(select(Category.id).where(Category.name == filters.category))
        )
    return stmt


def _matching(filters: Filters, taking_part: Sequence[Participant]) -> tuple[Any, Select[Any]]:
    """The entity to read and the statement selecting the matching projects.

    The marketplace's search (compound parts, prefixes, accents, typos) in the
    form that stays fast over many towns (``search.arms``): with typos possible,
    the statement is the exact arm ``UNION ALL`` the typo arm, read through an
    alias of that subquery. The typo decision asks only the projects the region
    shows, so a team's "no" or an archived project never changes it.
    """
    stmt = _filtered(filters, taking_part)
    found = search.arms(
        filters.q,
        lambda other: and_(other.status != Status.ARCHIVED, _shown_condition(taking_part, other)),
    )
    if found is None:
        return Project, stmt
    if found.typos is None:
        return Project, stmt.where(found.exact)
    both = union_all(stmt.where(found.exact), stmt.where(found.typos)).subquery()
    entity = aliased(Project, both)
    return entity, select(entity)


def _shown(stmt: Select[Project], taking_part: Sequence[Participant]) -> Select[Project]:
    return stmt.where(_shown_condition(taking_part))


def _shown_condition(
    taking_part: Sequence[Participant], project: Any = Project
) -> ColumnElement[bool]:
    # Which towns: the wall (these_towns) already says it; a second IN list here
    # would only make PostgreSQL misjudge how many rows match. The common cases
    # get simple conditions the planner estimates well.
    by_default = [p.tenant_id for p in taking_part if p.projects_shown_by_default]
    if len(by_default) == len(taking_part):
        return project.shown_in_region.is_not(False)
    if not by_default:
        return project.shown_in_region.is_(True)
    return or_(
        project.shown_in_region.is_(True),
        and_(project.shown_in_region.is_(None), project.tenant_id.in_(by_default)),
    )


#: The columns read, and nothing else: no ORM object of another town is ever loaded
#: (it would stay in the session's identity map for the rest of the request).
def _columns(p: Any = Project) -> tuple[Any, ...]:
    category = select(Category.name).where(Category.id == p.category_id)
    district = select(District.name).where(District.id == p.district_id)
    team = select(func.count(Membership.id)).where(Membership.project_id == p.id)
    return (
        p.tenant_id, p.number, p.title, p.pitch, p.description_md, p.status,
        category.scalar_subquery(), district.scalar_subquery(), p.looking_for_members,
        p.wanted_skills, team.scalar_subquery(), p.support_count, p.created_at,
        p.last_activity_at,
    )  # fmt: skip


def _load(
    stmt: Select[Any],
    taking_part: Sequence[Participant],
    crossing: dict[str, object],
    entity: Any = Project,
) -> list[RegionalProject]:
    towns = {p.tenant_id: p.town for p in taking_part}
    rows: Any = db.session.execute(
        stmt.with_only_columns(*_columns(entity)).execution_options(**crossing)
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
