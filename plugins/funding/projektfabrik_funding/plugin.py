"""The hook implementations: everything the core learns about funding comes from here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projektfabrik.api import (
    AccountDeletion,
    Asset,
    NavItem,
    NotificationKind,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    db,
    format_cents,
    hookimpl,
    lazy_gettext,
    nav_links,
    package_hooks,
    project_tab,
)
from projektfabrik_funding import models as _models  # noqa: F401 - the tables


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Funding"),
        description=lazy_gettext(
            "Funding pots of the town; teams apply from their project plan, "
            "the town checks, decides, pays out and checks the proof of use."
        ),
        api="1.2",
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_demo(town: Any) -> None:
    """The demo town's open example pot (once: a second run finds it and adds nothing)."""
    from projektfabrik_funding import services
    from projektfabrik_funding.models import Body, Pot, PotState

    if any(p.name == "Bürgerbudget" for p in services.pots()):
        return
    today = date.today()
    db.session.add(
        Pot(
            name="Bürgerbudget",
            description="Geld für Ideen aus der Nachbarschaft: Feste, Gärten, Werkstätten.",
            sponsor="Stadtverwaltung",
            budget_cents=2_000_000,
            min_grant_cents=50_000,
            max_grant_cents=500_000,
            min_own_share_bp=1000,
            opens_on=today,
            closes_on=today + timedelta(days=90),
            criteria="Gemeinwohl, Beteiligung, Nachhaltigkeit",
            questions=[
                {"question": "Wer macht mit?", "help": "Gruppen, Vereine", "max_length": 500}
            ],
            body=Body.ADMIN,
            jury_criteria=[
                {"name": "Wirkung", "weight": 2},
                {"name": "Machbarkeit", "weight": 1},
            ],
            state=PotState.ACTIVE,
            show_funded=True,
        )
    )


@hookimpl
def pf_tenant_settings() -> PluginSettings:
    """``funded_status``: the project's status once its funding is approved (see status.py)."""
    from projektfabrik_funding.forms import SettingsForm

    return PluginSettings(defaults={"funded_status": "running"}, form=SettingsForm)


@hookimpl
def pf_init_app(app: Any) -> None:
    app.jinja_env.filters.setdefault("cents", format_cents)


@hookimpl
def pf_nav_items(user: Any) -> list[NavItem]:
    items = nav_links(
        user,
        order=60,
        label=lazy_gettext("Funding"),
        endpoint="funding.index",
        admin_label=lazy_gettext("Funding pots and applications"),
        admin_endpoint="funding.admin_index",
    )
    if getattr(user, "is_authenticated", False):
        from projektfabrik_funding import services

        if services.juror_applications(user):
            items.append(NavItem(label=lazy_gettext("Jury"), endpoint="funding.jury", order=61))
    return items


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    return project_tab(
        project,
        key="funding",
        label=lazy_gettext("Funding"),
        endpoint="funding.project_tab",
        order=40,
    )


@hookimpl
def pf_assets() -> list[Asset]:
    return [Asset(endpoint="funding.static", filename="funding.css", order=60)]


@hookimpl
def pf_notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(
            key="funding.application",
            label=lazy_gettext("My team's funding applications: receipt, questions, decision"),
            default="immediately",
            order=60,
        ),
        NotificationKind(
            key="funding.submitted",
            label=lazy_gettext("New and resubmitted funding applications (admins)"),
            default="immediately",
            audience="admin",
            order=61,
        ),
    ]


@hookimpl
def pf_on_event(event: Any) -> None:
    """Tell the town's admins about every submitted application (after the commit)."""
    from projektfabrik_funding import services
    from projektfabrik_funding.models import ApplicationSubmitted

    if isinstance(event, ApplicationSubmitted):
        services.notify_admins(event)


@hookimpl
def pf_account_deletion(user: Any) -> AccountDeletion:
    from projektfabrik_funding import services

    return services.account_deletion(user)


@hookimpl
def pf_admin_statistics() -> list[Any]:
    """Budget and committed money per pot, for the town admin's statistics page:
    one grouped query, however many pots and applications."""
    from sqlalchemy import func, select

    from projektfabrik.api import StatisticsTable, gettext
    from projektfabrik_funding.models import COMMITTED_STATES, Application, Pot

    committed = (
        select(Application.pot_id, func.sum(Application.approved_cents).label("cents"))
        .where(Application.state.in_(COMMITTED_STATES))
        .group_by(Application.pot_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Pot.name, Pot.budget_cents, func.coalesce(committed.c.cents, 0))
        .outerjoin(committed, committed.c.pot_id == Pot.id)
        .order_by(Pot.created_at, Pot.id)
    ).all()
    return [
        StatisticsTable(
            order=500,
            key="funding-pots",
            title=gettext("Funding budget used per pot"),
            head=(gettext("Funding pot"), gettext("Budget"), gettext("Committed")),
            rows=tuple((name, (int(budget), int(used))) for name, budget, used in rows),
            money=True,
        )
    ]


@hookimpl
def pf_impact_indicators() -> list[Any]:
    """Euros granted per strategy goal, for the town's impact dashboard: the money
    committed to the projects serving each goal (one grouped query). A project
    serving two goals counts for each: the figure says what went to projects
    for that goal, it is not added up across goals."""
    from decimal import Decimal

    from sqlalchemy import func, select

    from projektfabrik.api import ImpactFigure, gettext, project_goals
    from projektfabrik_funding.models import COMMITTED_STATES, Application

    goals = project_goals()
    rows = db.session.execute(
        select(goals.c.goal_ref, func.sum(Application.approved_cents))
        .join(goals, goals.c.project_id == Application.project_id)
        .where(Application.state.in_(COMMITTED_STATES))
        .group_by(goals.c.goal_ref)
    ).all()
    return [
        ImpactFigure(
            order=500,
            key="granted",
            label=gettext("Funding granted"),
            unit="€",
            value=Decimal(int(cents or 0)) / 100,
            goal_ref=ref,
        )
        for ref, cents in rows
    ]
