"""The small typed values that hooks return and the core sorts.

Every value a request-time hook contributes carries an explicit ``order``:
the core sorts by ``(order, plugin name)`` and never by registration order.
All are frozen: a plugin cannot change what another plugin contributed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markupsafe import Markup


class NavArea(enum.StrEnum):
    """Where a navigation entry appears."""

    #: The site's main navigation in the page header.
    MAIN = "main"
    #: The town admin's overview page (``/verwaltung/``).
    ADMIN = "admin"


class Slot(enum.StrEnum):
    """Places in the core's pages where plugins may add HTML.

    A template renders a slot with ``{{ plugin_slot("landing.main") }}``; the
    values here are the names templates use.
    """

    #: The landing page, after the introduction and before "Who is taking part".
    LANDING_MAIN = "landing.main"
    #: Every page of a town, in the footer above the legal links.
    PAGE_FOOTER = "page.footer"
    #: A project's page, beside its support box (context: ``project``).
    PROJECT_SIDEBAR = "project.sidebar"
    #: A project's plan overview, after the plan's sections (context: ``project``).
    PROJECT_PLAN = "project.plan"
    #: The account settings of the person logged in, before "Delete account"
    #: (context: ``user``).
    ACCOUNT_PAGE = "account.page"
    #: The town admin's overview (``/verwaltung/``), after the list of sections.
    ADMIN_OVERVIEW = "admin.overview"


class AssetKind(enum.StrEnum):
    CSS = "css"
    JS = "js"


@dataclass(frozen=True)
class PluginInfo:
    """What the town admin reads about a plugin on the "Module" page, and the
    plugin API it was written for.

    ``api`` is the lowest ``projektfabrik.api.API_VERSION`` the plugin needs,
    as ``"MAJOR.MINOR"``: it fits a core with the same major version and the
    same or a higher minor version (see docs/plugins.md, "API versions").
    """

    title: str
    description: str = ""
    api: str | None = None


@dataclass(frozen=True)
class NavItem:
    """A link in a navigation area, built with ``url_for(endpoint, **values)``."""

    label: str
    endpoint: str
    order: int
    values: Mapping[str, Any] = field(default_factory=dict)
    area: NavArea = NavArea.MAIN


@dataclass(frozen=True)
class SlotContent:
    """HTML for a template slot.

    ``html`` is trusted markup, whether a ``str`` (what Flask's
    ``render_template`` returns) or ``Markup``: plugins are installed code, like
    the core's templates. Text from people must be escaped before it goes in
    (``escape(text)``, or a template with autoescaping).
    """

    html: str
    order: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "html", Markup(self.html))


@dataclass(frozen=True)
class ProjectTab:
    """A tab on a project's page, linking to ``url_for(endpoint, **values)``."""

    key: str
    label: str
    endpoint: str
    order: int
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Permission:
    """Something people may or may not do, declared by the plugin that checks it.

    ``min_role`` is the least role that has it by default: ``None`` (everyone,
    guests too), ``"member"``, ``"moderator"`` or ``"admin"``. The name must
    start with the plugin's name and a dot (``"pinnwand.post"``).
    """

    name: str
    label: str
    min_role: str | None = "member"


@dataclass(frozen=True)
class PluginSettings:
    """Per-town settings a plugin declares.

    ``defaults`` names every setting and its default (JSON values only). A
    town's ``tenant.toml`` may override defaults; the town's admin overrides
    both with ``form`` (a ``FlaskForm`` subclass whose field names are keys of
    ``defaults``). Keys in ``secret`` are never put back into a form.
    """

    defaults: Mapping[str, Any]
    form: type | None = None
    secret: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExportFormat:
    """A download format for a kind of thing (``subject``), e.g. a board as CSV.

    ``render(obj)`` returns the file's content (``bytes`` or ``str``).
    """

    key: str
    label: str
    mimetype: str
    extension: str
    render: Callable[[Any], bytes | str]
    order: int


@dataclass(frozen=True)
class SearchDocument:
    """Something of a town that a search should find, with the page that shows it."""

    kind: str
    key: str
    title: str
    text: str
    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Asset:
    """A stylesheet or script from a blueprint's static folder, on every page of the town."""

    endpoint: str
    filename: str
    order: int
    kind: AssetKind = AssetKind.CSS


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification each person chooses about: mail right away, daily, or none.

    ``key`` is stored with each notification and each person's choice (at most
    40 characters); a plugin's keys start with its name and a dot
    (``"funding.decision"``). ``label`` is what the settings page shows (lazy
    text, in the person's language). ``default`` is ``"immediately"``,
    ``"daily"`` or ``"off"``. ``audience``: ``""`` (everyone), ``"moderator"``
    or ``"admin"`` (only people with that town role, or a higher one, see the
    choice). A plugin's kinds come after the core's, sorted by ``(order,
    plugin name)``.
    """

    key: str
    label: str
    default: str = "immediately"
    audience: str = ""
    order: int = 0


# --- events ------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """Base of every event. Subclasses are frozen dataclasses with plain fields."""


@dataclass(frozen=True)
class PluginSwitched(Event):
    """A town's admin or the operator switched a plugin on or off."""

    plugin: str
    enabled: bool


@dataclass(frozen=True)
class Consequence:
    """One line of what deleting an account means, with an optional link.

    ``text`` is in the reader's language; ``link`` a path where the person can
    act on it (hand the lead over, look at an application).
    """

    text: str
    link: str | None = None
    link_label: str | None = None


@dataclass(frozen=True)
class AccountDeletion:
    """What a plugin says about deleting a person's account (``pf_account_deletion``).

    ``blockers``: what must be settled first (the account cannot be deleted
    while any plugin names one); ``keeps``: what the town keeps after the
    deletion; ``deletes``: what goes with the account. ``delete()`` is called
    in the deletion's transaction, before the account is anonymised; it
    changes the session and never commits.
    """

    order: int
    blockers: tuple[Consequence, ...] = ()
    keeps: tuple[Consequence, ...] = ()
    deletes: tuple[Consequence, ...] = ()
    delete: Callable[[], None] | None = None


@dataclass(frozen=True)
class MarketplaceFilter:
    """A choice a plugin adds to the project marketplace's filters (``pf_marketplace_filters``).

    ``param`` is the URL parameter (German, like the page's others: ``antrag``),
    ``choices`` the ``(value, label)`` pairs of its select; a value that is not
    among them is ignored. ``project_ids(value)`` returns a SQLAlchemy
    ``Select`` of ``Project.id`` values (of the plugin's own tables, e.g.
    ``select(Motion.project_id).where(...)``) that the list is narrowed to.
    """

    param: str
    label: str
    choices: tuple[tuple[str, str], ...]
    project_ids: Callable[[str], Any]
    order: int


@dataclass(frozen=True)
class StatisticsTable:
    """Figures a plugin adds to the admin's statistics page (``pf_admin_statistics``):
    a table, drawn beside it as a bar chart unless ``chart`` is false, and part
    of the page's CSV.

    ``key`` is unique on the page (letters, digits, ``-``); ``title`` and ``head``
    (the column headings, the first for the row labels) are in the reader's
    language; ``rows`` are ``(label, (value, ...))`` with one whole number per
    further column. ``money``: the values are cents, shown as money.
    """

    order: int
    key: str
    title: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    chart: bool = True
    money: bool = False


@dataclass(frozen=True)
class ImpactFigure:
    """A figure a plugin adds to the town's impact dashboard (``pf_impact_indicators``),
    e.g. euros of funding granted to the projects serving a goal.

    ``goal_ref`` names the goal it belongs to (``""``: the town as a whole);
    ``key`` is unique within the plugin; ``label`` and ``unit`` are in the
    reader's language; ``value`` is a ``Decimal`` in that unit (never a float).
    It is shown beside the goal's own indicators, never added to them: units
    do not mix.
    """

    order: int
    key: str
    label: str
    unit: str
    value: Decimal
    goal_ref: str = ""


@dataclass(frozen=True)
class OpenApiPaths:
    """Paths an area or plugin adds to the open-data API's OpenAPI document
    (``/api/v1/openapi.json``, ``pf_openapi_paths``): ``paths`` as OpenAPI 3.1
    path items keyed by path, ``schemas`` added to ``components.schemas``."""

    order: int
    paths: Mapping[str, Any]
    schemas: Mapping[str, Any] = field(default_factory=dict)
