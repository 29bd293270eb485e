"""The hook implementations: everything the core learns about council motions comes from here."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select

from projektfabrik.api import (
    AccountDeletion,
    Asset,
    MarketplaceFilter,
    NavItem,
    NotificationKind,
    Permission,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    Slot,
    SlotContent,
    Tenant,
    cli_town,
    db,
    hookimpl,
    is_enabled,
    lazy_gettext,
    nav_links,
    package_hooks,
    project_tab,
    render_template,
)
from projektfabrik_councilmotion import models as _models  # noqa: F401 - the tables
from projektfabrik_councilmotion.rules import DEFAULTS


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Council motions"),
        description=lazy_gettext(
            "Teams turn a planned project into a motion for the town council, carried "
            "by a council group or as a residents' motion with signatures; the town's "
            "clerks record its way through the council."
        ),
        api="1.1",
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_tenant_settings() -> PluginSettings:
    from projektfabrik_councilmotion.forms import SettingsForm

    return PluginSettings(defaults=dict(DEFAULTS), form=SettingsForm)


@hookimpl
def pf_permissions() -> list[Permission]:
    return [
        Permission(
            "councilmotion.clerk",
            lazy_gettext("Record council motions' steps and check signatures"),
            min_role="admin",
        )
    ]


@hookimpl
def pf_nav_items(user: Any) -> list[NavItem]:
    return nav_links(
        user,
        order=65,
        label=lazy_gettext("Motions"),
        endpoint="councilmotion.index",
        admin_label=lazy_gettext("Council motions"),
        admin_endpoint="councilmotion.clerk_index",
    )


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    return project_tab(
        project,
        key="councilmotion",
        label=lazy_gettext("Council motion"),
        endpoint="councilmotion.project_tab",
        order=45,
    )


@hookimpl
def pf_template_slot(slot: Any, context: dict[str, Any]) -> SlotContent | None:
    """The motion's state on the project's page (the same for every visitor)."""
    if slot != Slot.PROJECT_SIDEBAR or context.get("project") is None:
        return None
    from projektfabrik_councilmotion import services
    from projektfabrik_councilmotion.models import PUBLIC_STATES

    motion = services.motion_of(context["project"])
    if motion is None or motion.state not in PUBLIC_STATES:
        return None
    html = render_template("councilmotion/_sidebar.html", motion=motion, services=services)
    return SlotContent(html=html, order=45)


@hookimpl
def pf_assets() -> list[Asset]:
    return [Asset(endpoint="councilmotion.static", filename="councilmotion.css", order=65)]


@hookimpl
def pf_marketplace_filters() -> list[MarketplaceFilter]:
    """Projects with a motion, by the motion's state."""
    from projektfabrik_councilmotion import services

    choices = [(services.ANY, services.any_label())]
    choices += [(s.value, services.state_label(s)) for s in services.marketplace_states()]
    return [
        MarketplaceFilter(
            param="antrag",
            label=lazy_gettext("Council motion"),
            choices=tuple(choices),
            project_ids=services.projects_with_motion,
            order=65,
        )
    ]


@hookimpl
def pf_notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(
            key="councilmotion.step",
            label=lazy_gettext("Council motions of my projects and projects I follow"),
            default="immediately",
            order=65,
        ),
        NotificationKind(
            key="councilmotion.filed",
            label=lazy_gettext("Council motions filed with the town (admins)"),
            default="immediately",
            audience="admin",
            order=66,
        ),
    ]


@hookimpl
def pf_demo(town: Any) -> None:
    from projektfabrik_councilmotion.demo import seed

    seed()


@hookimpl
def pf_account_deletion(user: Any) -> AccountDeletion:
    from projektfabrik_councilmotion import services

    return services.account_deletion(user)


@click.command("purge")
@click.argument("slug", required=False)
def purge(slug: str | None) -> None:
    """Delete signers' personal data whose retention period has ended (every town
    with the plugin on, or the town SLUG). Run it daily, e.g. from cron."""
    from projektfabrik_councilmotion import services

    slugs = [slug] if slug else list(db.session.scalars(select(Tenant.slug).order_by(Tenant.slug)))
    for each in slugs:
        with cli_town(each):
            if not is_enabled("councilmotion"):
                continue
            emptied = services.purge_due()
            db.session.commit()
        click.echo(f"{each}: {emptied} signatures emptied")


@hookimpl
def pf_cli() -> list[Any]:
    return [purge]
