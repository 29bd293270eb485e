"""The Atom feed of newly reported results (the core's XML writer, xmlout.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.extensions import db
from projektfabrik.strategy.models import Indicator, ReportedResult
from projektfabrik.strategy.values import show
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.xmlout import AtomEntry, atom_feed

FEED_SIZE = 30


def results_feed(tenant: Any, language: str) -> bytes:
    rows = db.session.scalars(
        select(ReportedResult)
        .options(
            joinedload(ReportedResult.project),
            joinedload(ReportedResult.indicator).joinedload(Indicator.goal),
        )
        .order_by(ReportedResult.reported_at.desc(), ReportedResult.id.desc())
        .limit(FEED_SIZE)
    ).all()
    dashboard = external_url_for("strategy.dashboard")
    entries = []
    for row in rows:
        link = external_url_for("strategy_project.page", number=row.project.number)
        state = _("confirmed") if row.confirmed else _("not yet confirmed")
        entries.append(
            AtomEntry(
                id=f"{link}#ergebnis-{row.ref}",
                title=_(
                    "%(project)s: %(value)s %(unit)s",
                    project=row.project.title,
                    value=show(row.value),
                    unit=row.indicator.unit,
                ),
                link=link,
                published=row.reported_at,
                updated=row.confirmed_at or row.reported_at,
                summary=_(
                    "%(indicator)s (goal: %(goal)s), %(year)s, %(state)s.",
                    indicator=row.indicator.name,
                    goal=row.indicator.goal.title,
                    year=row.year,
                    state=state,
                ),
                # People's names are not open data: the town publishes the entry.
                author=tenant.name,
            )
        )
    return atom_feed(
        id=dashboard,
        title=_("Results of the projects in %(town)s", town=tenant.name),
        link=dashboard,
        self_link=external_url_for("strategy.results_feed"),
        updated=rows[0].reported_at if rows else tenant.created_at,
        author=tenant.name,
        author_uri=external_url_for("site.landing"),
        language=language,
        entries=entries,
    )
