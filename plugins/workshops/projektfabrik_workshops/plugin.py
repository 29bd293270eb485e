"""The hook implementations: everything the core learns about workshops comes from here."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from projektfabrik.api import (
    AccountDeletion,
    Asset,
    AssetKind,
    Consequence,
    NavItem,
    Permission,
    PluginInfo,
    PluginSettings,
    Slot,
    SlotContent,
    cli_town,
    db,
    hookimpl,
    lazy_gettext,
    nav_links,
    ngettext,
    package_hooks,
    plugin_settings,
    render_template,
)
from projektfabrik_workshops import models as _models  # noqa: F401 - the tables


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Project workshops"),
        description=lazy_gettext(
            "Moderated workshops on site, online or both: registration with a waiting "
            "list, reminders, a board for the room and a protocol."
        ),
        api="1.1",
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_assets() -> list[Asset]:
    return [
        Asset(endpoint="workshops.static", filename="workshops.css", order=65),
        # Does something only on a board page (section.board[data-refresh]).
        Asset(endpoint="workshops.static", filename="board.js", order=65, kind=AssetKind.JS),
    ]


@hookimpl
def pf_permissions() -> list[Permission]:
    return [
        Permission(
            "workshops.manage", lazy_gettext("Plan and moderate workshops"), min_role="admin"
        )
    ]


def planners() -> set[str]:
    """The addresses the town's admin made moderators of workshops (setting ``planners``)."""
    text = str(plugin_settings("workshops").get("planners") or "")
    return {part.strip().lower() for part in text.replace(",", "\n").splitlines() if part.strip()}


@hookimpl
def pf_check_permission(user: Any, permission: str, obj: Any) -> bool | None:
    if permission != "workshops.manage" or not getattr(user, "is_authenticated", False):
        return None
    return True if str(user.email).lower() in planners() else None


class SettingsForm(FlaskForm):
    planners = TextAreaField(
        lazy_gettext("Moderators of workshops"),
        validators=[Optional(), Length(max=5000)],
        description=lazy_gettext(
            "E-mail addresses of accounts that may plan and moderate workshops, one per line "
            "(the town's admins may always)."
        ),
    )


@hookimpl
def pf_tenant_settings() -> PluginSettings:
    return PluginSettings(defaults={"planners": ""}, form=SettingsForm)


@hookimpl
def pf_nav_items(user: Any) -> list[NavItem]:
    from projektfabrik_workshops import services

    return nav_links(
        user,
        order=65,
        label=lazy_gettext("Workshops"),
        endpoint="workshops.index",
        admin_label=lazy_gettext("Project workshops"),
        admin_endpoint="workshops.admin_index",
        manages=services.may_manage,
    )


@hookimpl
def pf_template_slot(slot: Slot, context: dict[str, Any]) -> SlotContent | None:
    """A project's page names the workshops it was presented or worked on in."""
    if slot != Slot.PROJECT_SIDEBAR:
        return None
    project = context.get("project")
    if project is None:
        return None
    from projektfabrik_workshops import services

    found = services.workshops_of_project(str(project.ref))
    if not found:
        return None
    return SlotContent(
        html=render_template("workshops/_project_history.html", workshops=found), order=65
    )


def _base_url(town: Any) -> str:
    """The town's canonical address, as the core builds links for mails."""
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    port = current_app.config.get("PUBLIC_PORT") or ""
    host = f"{town.canonical_host}:{port}" if port else town.canonical_host
    return f"{scheme}://{host}/"


@click.command("remind")
@click.option("--tenant", "slugs", multiple=True, help="Only this town (repeatable).")
def remind(slugs: tuple[str, ...]) -> None:
    """Mail everyone with a seat a day before their workshop (run it from a timer,
    e.g. hourly; a person is never reminded twice). Without --tenant: every town
    that has workshops switched on."""
    from sqlalchemy import select

    from projektfabrik.api import Tenant, is_enabled
    from projektfabrik_workshops import services

    chosen = list(slugs) or list(db.session.scalars(select(Tenant.slug).order_by(Tenant.slug)))
    for slug in chosen:
        # A request context on the town's own host: the mails' links are built there.
        with cli_town(slug) as town, current_app.test_request_context(base_url=_base_url(town)):
            if not is_enabled("workshops"):
                if slugs:
                    raise click.ClickException(f"workshops is switched off in {slug}")
                continue
            count = services.remind()
            db.session.commit()
        click.echo(f"{slug}: {count} reminder(s)")


@hookimpl
def pf_cli() -> list[Any]:
    return [remind]


@hookimpl
def pf_account_deletion(user: Any) -> AccountDeletion | None:
    from projektfabrik_workshops import services

    found = services.registrations_of_person(user)
    if not found:
        return None
    return AccountDeletion(
        order=65,
        deletes=(
            Consequence(
                ngettext(
                    "Your registration for %(num)d workshop (upcoming ones are cancelled; "
                    "the seat goes to the next person waiting)",
                    "Your registrations for %(num)d workshops (upcoming ones are cancelled; "
                    "the seat goes to the next person waiting)",
                    len(found),
                )
            ),
        ),
        delete=lambda: services.forget_person(user),
    )


@hookimpl
def pf_demo(town: Any) -> None:
    from projektfabrik_workshops import demo

    demo.seed()
