"""The town's figures for its admin: a fixed number of grouped queries, whatever
the number of projects (``tests/test_admin_statistics.py`` counts them,
``bench/admin_statistics.py`` times them). No request needed.

Months as in :mod:`projektfabrik.months`. Supports come from each project's kept ``support_count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.exports import Money
from projektfabrik.extensions import db
from projektfabrik.months import month_label, month_start, recent_months, sql_month
from projektfabrik.projects.models import Project, Status, StatusChange
from projektfabrik.tenancy.models import District


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Statistics:
    by_status: list[tuple[Status, int]]
    #: ``YYYY-MM`` keys, oldest first, with new projects and new people.
    months: list[str]
    new_projects: list[int]
    new_people: list[int]
    #: Per month, how many projects reached each status (``reached[month][status]``).
    reached: list[dict[Status, int]]
    #: District name (``""``: none given) → projects, supports, people.
    by_district: list[tuple[str, int, int, int]]

    @property
    def total_projects(self) -> int:
        return sum(n for _, n in self.by_status)


def gather(today: date | None = None) -> Statistics:
    """Every figure of the statistics page: seven queries."""
    today = today or utcnow().date()
    keys = recent_months(today)
    since = month_start(keys[0])

    status_counts = dict(
        db.session.execute(select(Project.status, func.count()).group_by(Project.status)).all()
    )
    by_status = [(status, int(status_counts.get(status, 0))) for status in Status]

    def per_month(column: Any, *where: ColumnElement[bool]) -> list[int]:
        month = sql_month(column)
        found = dict(
            db.session.execute(
                select(month, func.count()).where(column >= since, *where).group_by(month)
            ).all()
        )
        return [int(found.get(key, 0)) for key in keys]

    new_projects = per_month(Project.created_at)
    new_people = per_month(
        User.created_at, User.deleted_at.is_(None), User.email_verified_at.is_not(None)
    )

    month = sql_month(StatusChange.changed_at)
    reached: list[dict[Status, int]] = [{} for _ in keys]
    index = {key: i for i, key in enumerate(keys)}
    for key, status, count in db.session.execute(
        select(month, StatusChange.to_status, func.count())
        .where(StatusChange.changed_at >= since)
        .group_by(month, StatusChange.to_status)
    ):
        if key in index:
            reached[index[key]][Status(status)] = int(count)

    districts = list(
        db.session.scalars(select(District).order_by(District.position, District.name))
    )
    projects = {
        district_id: (int(n), int(supports or 0))
        for district_id, n, supports in db.session.execute(
            select(Project.district_id, func.count(), func.sum(Project.support_count)).group_by(
                Project.district_id
            )
        )
    }
    people = dict(
        db.session.execute(
            select(User.district_id, func.count())
            .where(User.deleted_at.is_(None), User.email_verified_at.is_not(None))
            .group_by(User.district_id)
        ).all()
    )
    by_district = [
        (d.name, *projects.get(d.id, (0, 0)), int(people.get(d.id, 0))) for d in districts
    ]
    if None in projects or None in people:
        by_district.append(("", *projects.get(None, (0, 0)), int(people.get(None, 0))))
    return Statistics(
        by_status=by_status,
        months=keys,
        new_projects=new_projects,
        new_people=new_people,
        reached=reached,
        by_district=by_district,
    )


# --- what the page and the CSV show --------------------------------------------------


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    head: list[str]
    series: list[str]
    rows: list[tuple[str, list[int]]]
    #: Drawn as a chart too (six series per month would be a picture nobody reads).
    chart: bool = True
    #: The values are cents.
    money: bool = False


def sections(stats: Statistics) -> list[Section]:
    """The page's charts and tables (and the CSV's blocks), in the reader's language."""
    from flask_babel import gettext as _

    from projektfabrik.projects.services import status_label

    months = [month_label(key) for key in stats.months]
    shown = [s for s in Status if s != Status.IDEA]
    return [
        Section(
            "status",
            _("Projects by status"),
            [_("Status"), _("Projects")],
            [_("Projects")],
            [(status_label(status), [count]) for status, count in stats.by_status],
        ),
        Section(
            "monthly",
            _("New projects and new people per month"),
            [_("Month"), _("New projects"), _("New people")],
            [_("New projects"), _("New people")],
            [
                (label, [projects, people])
                for label, projects, people in zip(
                    months, stats.new_projects, stats.new_people, strict=True
                )
            ],
        ),
        Section(
            "reached",
            _("Projects that reached a status, per month"),
            [_("Month"), *(status_label(s) for s in shown)],
            [status_label(s) for s in shown],
            [
                (label, [counts.get(s, 0) for s in shown])
                for label, counts in zip(months, stats.reached, strict=True)
            ],
            chart=False,
        ),
        Section(
            "districts",
            _("Participation by district"),
            [_("District"), _("Projects"), _("Supports"), _("People")],
            [_("Projects"), _("Supports"), _("People")],
            [
                (name or _("No district given"), [projects, supports, people])
                for name, projects, supports, people in stats.by_district
            ],
        ),
    ]


def plugin_sections() -> list[Section]:
    """What the town's enabled plugins add (``pf_admin_statistics``)."""
    from projektfabrik.plugins.runtime import admin_statistics

    return [
        Section(
            f"p-{table.key}",
            table.title,
            list(table.head),
            list(table.head[1:]),
            [(label, list(values)) for label, values in table.rows],
            chart=table.chart,
            money=table.money,
        )
        for table in admin_statistics()
    ]


def csv_rows(all_sections: list[Section]) -> list[list[object]]:
    """Every section as a block: its title, its header, its rows, an empty line."""
    rows: list[list[object]] = []
    for section in all_sections:
        rows.append([section.title])
        rows.append(list(section.head))
        for label, values in section.rows:
            cells: list[object] = [Money(v) for v in values] if section.money else list(values)
            rows.append([label, *cells])
        rows.append([])
    return rows
