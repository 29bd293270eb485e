"""The marketplace's part in hooks it shares with plugins: for now its figures on
the admin's statistics page (supports and comments per month). Registered as an
internal plugin like :mod:`projektfabrik.admin.plugin`; its pages are the core's."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import func, select

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace.models import Comment, Support
from projektfabrik.months import month_label, month_start, recent_months, sql_month
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.types import PluginInfo, StatisticsTable


def per_month(column: Any, keys: list[str]) -> list[int]:
    """Rows per month since the first of ``keys``: one grouped query."""
    month = sql_month(column)
    found = dict(
        db.session.execute(
            select(month, func.count()).where(column >= month_start(keys[0])).group_by(month)
        ).all()
    )
    return [int(found.get(key, 0)) for key in keys]


class MarketplacePlugin:
    """Always on; not listed on the "Module" page."""

    @hookimpl
    def pf_plugin_info(self) -> PluginInfo:
        return PluginInfo(title=lazy_gettext("Project marketplace"))

    @hookimpl
    def pf_admin_statistics(self) -> list[StatisticsTable]:
        """Supports and comments per month: two queries."""
        keys = recent_months(utcnow().date())
        supports = per_month(Support.created_at, keys)
        comments = per_month(Comment.created_at, keys)
        return [
            StatisticsTable(
                order=100,
                key="participation",
                title=_("Supports and comments per month"),
                head=(_("Month"), _("Supports"), _("Comments")),
                rows=tuple(
                    (month_label(key), (s, c))
                    for key, s, c in zip(keys, supports, comments, strict=True)
                ),
            )
        ]
