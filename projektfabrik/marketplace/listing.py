"""The marketplace list: filters from the URL, one page of cards, a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from math import ceil
from typing import Any

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import joinedload

from projektfabrik.accounts.models import Kind, User
from projektfabrik.extensions import db
from projektfabrik.plugins.types import MarketplaceFilter
from projektfabrik.projects import search
from projektfabrik.projects.models import Category, Membership, Project, Status
from projektfabrik.tenancy.models import District
from projektfabrik.workercache import town_result

PAGE_SIZE = 24
#: "relevant" is best match first (search.rank); without a search it is "newest".
SORTS = ("relevant", "newest", "supported", "active")
PUBLIC_STATUSES = [s for s in Status if s != Status.ARCHIVED]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class Filters:
    """What the person asked for. URL parameters are German, like the page."""

    q: str = ""
    status: str = ""
    category: str = ""  # by name: URLs never carry row ids
    district: str = ""
    looking: bool = False
    skill: str = ""
    sort: str = ""  # "": best match first while searching, else newest
    page: int = 1
    # "Projects looking for my skills": the flag is in the URL, the skills come
    # from the person's profile (``for_person``), never from the URL.
    mine: bool = False
    my_skills: tuple[str, ...] = ()
    # Plugins' filters (``pf_marketplace_filters``): (URL parameter, chosen value).
    extra: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_args(
        cls, args: Mapping[str, str], plugin_filters: Sequence[MarketplaceFilter] = ()
    ) -> Filters:
        status = args.get("status", "")
        sort = args.get("sortierung", "")
        extra = tuple(
            (f.param, args[f.param])
            for f in plugin_filters
            if args.get(f.param) in {value for value, _label in f.choices}
        )
        return cls(
            q=args.get("suche", "").strip()[:200],
            status=status if status in {s.value for s in Status} else "",
            category=args.get("kategorie", "").strip()[:80],
            district=args.get("ortsteil", "").strip()[:120],
            looking=args.get("sucht") == "1",
            skill=args.get("faehigkeit", "").strip()[:80],
            sort=sort if sort in SORTS else "",
            page=max(_int(args.get("seite")) or 1, 1),
            mine=args.get("fuer-mich") == "1",
            extra=extra,
        )

    def for_person(self, user: object) -> Filters:
        """Fill in the person's skills when they asked for projects looking for them."""
        if not self.mine:
            return self
        if user is None:
            return replace(self, mine=False)  # a guest has no profile: the plain list
        return replace(self, my_skills=tuple(getattr(user, "skill_list", ())))

    def to_args(self, **changes: object) -> dict[str, str]:
        """URL parameters for this view, with ``changes`` (e.g. another page)."""
        given = changes.pop("extra", self.extra)
        extra: tuple[tuple[str, str], ...] = given if isinstance(given, tuple) else self.extra
        # A shallow copy: asdict() copies every tuple deeply, and a page asks
        # for several links (pages, open data), a tenth of its rendering.
        values = {**{f.name: getattr(self, f.name) for f in fields(self)}, **changes}
        names = {
            "q": "suche", "status": "status", "category": "kategorie", "district": "ortsteil",
            "looking": "sucht", "skill": "faehigkeit", "sort": "sortierung", "page": "seite",
            "mine": "fuer-mich",
        }  # fmt: skip
        args = {}
        for key, name in names.items():
            value = values[key]
            if key in ("looking", "mine"):
                value = "1" if value else ""
            if key == "sort" and value == self.default_sort or key == "page" and value == 1:
                continue
            if value not in (None, "", False):
                args[name] = str(value)
        args.update({param: value for param, value in extra if value})
        return args

    @property
    def default_sort(self) -> str:
        return "relevant" if search.terms(self.q) else "newest"

    @property
    def order(self) -> str:
        """The sort in effect: the one asked for, else best match first while searching."""
        return self.sort or self.default_sort

    @property
    def active(self) -> bool:
        return bool(self.to_args(page=1, sort=self.default_sort))

    def chips(self) -> list[Chip]:
        """One removable chip per active filter: its link keeps every other filter
        (and the sort order) and goes back to the first page."""
        cleared: dict[str, object] = {
            "q": "", "status": "", "category": "", "district": "",
            "looking": False, "skill": "", "mine": False,
        }  # fmt: skip
        found = []
        for key, empty in cleared.items():
            value = getattr(self, key)
            if value != empty:
                shown = "" if isinstance(value, bool) else str(value)
                found.append(Chip(key, shown, self.to_args(page=1, **{key: empty})))
        for param, value in self.extra:
            rest = tuple(pair for pair in self.extra if pair[0] != param)
            found.append(Chip(param, value, self.to_args(page=1, extra=rest)))
        return found


@dataclass(frozen=True)
class Chip:
    """An active filter as the list shows it: ``key`` names the filter, ``value`` what
    was chosen, ``args`` the URL parameters without it."""

    key: str
    value: str
    args: dict[str, str]


class _Rows:
    """The page's projects, read in one statement when the first card needs its row.

    Most cards come from the worker's kept HTML (the card macro), which needs no
    row at all; only a card that has to be built again reads them.
    """

    def __init__(self, ids: Sequence[int], loaded: Sequence[Project] = ()) -> None:
        self.ids = ids
        self._rows: dict[int, Project] | None = {p.id: p for p in loaded} if loaded else None

    def get(self, project_id: int) -> Project:
        if self._rows is None:
            self._rows = {
                p.id: p
                for p in db.session.scalars(
                    select(Project)
                    .where(Project.id.in_(self.ids))
                    .options(joinedload(Project.category), joinedload(Project.district))
                )
            }
        return self._rows[project_id]


@dataclass
class Card:
    id: int
    makeup: dict[str, int]
    rows: _Rows = field(repr=False)

    @property
    def project(self) -> Project:
        return self.rows.get(self.id)

    @property
    def team_size(self) -> int:
        return sum(self.makeup.values())


@dataclass
class Page:
    cards: list[Card]
    total: int
    page: int
    pages: int

    @property
    def ids(self) -> tuple[int, ...]:
        """The cards' projects in order: with the town's version, all a page's grid shows."""
        return tuple(card.id for card in self.cards)


@dataclass(frozen=True)
class _Found:
    """A page of the list without ORM objects, so a worker may keep it (workercache)."""

    total: int
    page: int
    pages: int
    ids: tuple[int, ...]
    # Per id, in the same order: ((kind, members), ...). Tuples, not dicts:
    # a kept list costs 1.7 kB of memory instead of 7 (tracemalloc).
    makeup: tuple[tuple[tuple[str, int], ...], ...]


def filtered(filters: Filters, plugin_filters: Sequence[MarketplaceFilter] = ()) -> Select[Project]:
    stmt = select(Project)
    by_param = {f.param: f for f in plugin_filters}
    for param, value in filters.extra:
        if param in by_param:
            stmt = stmt.where(Project.id.in_(by_param[param].project_ids(value)))
    if filters.status:
        stmt = stmt.where(Project.status == Status(filters.status))
    else:
        stmt = stmt.where(Project.status.in_(PUBLIC_STATUSES))
    if filters.category:
        stmt = stmt.where(
            Project.category_id
            == select(Category.id).where(Category.name == filters.category).scalar_subquery()
        )
    if filters.district:
        stmt = stmt.where(
            Project.district_id
            == select(District.id).where(District.name == filters.district).scalar_subquery()
        )
    if filters.looking:
        stmt = stmt.where(Project.looking_for_members.is_(True))
    if filters.skill:
        # Skills are stored as "a, b, c"; match one whole entry, any case.
        padded = func.lower(", " + Project.wanted_skills + ",")
        stmt = stmt.where(padded.contains(f", {filters.skill.lower()},", autoescape=True))
    if filters.mine:
        # Any of the person's skills as a whole entry; without skills, nothing matches.
        padded = func.lower(", " + Project.wanted_skills + ",")
        wanted = [padded.contains(f", {s.lower()},", autoescape=True) for s in filters.my_skills]
        stmt = stmt.where(or_(*wanted) if wanted else false())
    match = search.criterion(filters.q)
    if match is not None:
        stmt = stmt.where(match)
    return stmt


def ordered(stmt: Select[Any], filters: Filters, project: Any = Project) -> Select[Any]:
    """``stmt`` in the order asked for; ``project`` the entity it selects (an alias of a
    subquery for the region's search, regions/readmodel.py)."""
    sort = filters.order
    if sort == "relevant" and search.terms(filters.q):
        return stmt.order_by(
            search.rank(filters.q, project).desc(), project.created_at.desc(), project.id.desc()
        )
    if sort == "supported":
        return stmt.order_by(project.support_count.desc(), project.id.desc())
    if sort == "active":
        return stmt.order_by(project.last_activity_at.desc(), project.id.desc())
    return stmt.order_by(project.created_at.desc(), project.id.desc())


def team_makeup(project_ids: list[int]) -> dict[int, dict[str, int]]:
    """Members per project and kind (citizen, business, administration), in one query."""
    makeup: dict[int, dict[str, int]] = defaultdict(dict)
    if not project_ids:
        return makeup
    rows = db.session.execute(
        select(Membership.project_id, User.kind, func.count())
        .join(User, User.id == Membership.user_id)
        .where(Membership.project_id.in_(project_ids))
        .group_by(Membership.project_id, User.kind)
    )
    for project_id, kind, count in rows:
        makeup[project_id][Kind(kind).value] = count
    return makeup


def list_projects(
    filters: Filters,
    page_size: int = PAGE_SIZE,
    plugin_filters: Sequence[MarketplaceFilter] = (),
) -> Page:
    """One page of the list. The count, the page's ids and the teams' make-up are
    kept per worker until the town changes (its content version): every one of
    them is a function of the town's data and ``filters`` alone (the person's
    skills are in ``filters``), so most requests send no statement for the list."""
    loaded: list[Project] = []

    def find() -> _Found:
        found, rows = _find(filters, page_size, plugin_filters)
        loaded.extend(rows)
        return found

    found = town_result("marketplace-list", filters, page_size, build=find)
    rows = _Rows(found.ids, loaded)
    cards = [
        Card(id=i, makeup=dict(kinds), rows=rows)
        for i, kinds in zip(found.ids, found.makeup, strict=True)
    ]
    return Page(cards=cards, total=found.total, page=found.page, pages=found.pages)


def _find(
    filters: Filters, page_size: int, plugin_filters: Sequence[MarketplaceFilter]
) -> tuple[_Found, Sequence[Project]]:
    stmt = filtered(filters, plugin_filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(ceil(total / page_size), 1)
    page = min(filters.page, pages)
    # A deferred join: the page's ids first, from the sort's index alone (it
    # holds the status too), then only those rows. Skipping 700 entries of an
    # index costs about what reading the first 24 does; skipping 700 rows of
    # the table did not (docs/benchmarks.md, "Deep pages").
    page_ids = (
        ordered(stmt.with_only_columns(Project.id), filters)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    projects = db.session.scalars(
        ordered(select(Project).where(Project.id.in_(page_ids.scalar_subquery())), filters).options(
            joinedload(Project.category), joinedload(Project.district)
        )
    ).all()
    ids = tuple(p.id for p in projects)
    by_project = team_makeup(list(ids))
    makeup = tuple(tuple(by_project.get(i, {}).items()) for i in ids)
    return _Found(total=total, page=page, pages=pages, ids=ids, makeup=makeup), projects
