"""The hook implementations: everything the core learns about the board comes from here.

The entry point ``pinnwand = projektfabrik_pinnwand.plugin`` (see setup.cfg)
points to this module.
"""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select

from projektfabrik.api import (
    Asset,
    ExportFormat,
    NavItem,
    Permission,
    PluginInfo,
    PluginSettings,
    ProjectTab,
    Role,
    SearchDocument,
    Slot,
    SlotContent,
    User,
    _,
    cli_town,
    db,
    external_url_for,
    hookimpl,
    lazy_gettext,
    package_hooks,
    project_tab,
    queue_mail,
    render_template,
)
from projektfabrik_pinnwand import services
from projektfabrik_pinnwand.forms import SettingsForm
from projektfabrik_pinnwand.models import NotePosted

# --- app assembly ------------------------------------------------------------


@hookimpl
def pf_plugin_info() -> PluginInfo:
    return PluginInfo(
        title=lazy_gettext("Notice board"),
        description=lazy_gettext(
            "Short notes for everyone in town: offers, requests, dates. "
            "Moderators pin and remove notes."
        ),
        api="1.2",  # the plugin API it was written for (docs/plugins.md, "API versions")
    )


#: Blueprint, migrations and translations found by the package's layout.
pf_blueprints, pf_migrations, pf_translations = package_hooks(__name__)


@hookimpl
def pf_tenant_settings() -> PluginSettings:
    return PluginSettings(
        defaults={"board_title": "", "max_length": 500, "notify_email": "", "posting_code": ""},
        form=SettingsForm,
        secret=frozenset({"posting_code"}),
    )


@hookimpl
def pf_permissions() -> list[Permission]:
    return [
        Permission("pinnwand.post", lazy_gettext("Post notes"), min_role="member"),
        Permission("pinnwand.moderate", lazy_gettext("Pin and remove notes"), min_role="moderator"),
    ]


@click.command("list")
@click.argument("slug")
def list_notes(slug: str) -> None:
    """Print the notes of the town SLUG's board."""
    with cli_town(slug):
        for note in services.notes():
            pin = "*" if note.pinned else " "
            click.echo(f"{pin} {note.ref}\t{note.created_at:%Y-%m-%d}\t{note.text[:60]}")


@hookimpl
def pf_cli() -> list[click.Command]:
    return [list_notes]


# --- request time ------------------------------------------------------------


@hookimpl
def pf_nav_items(user: Any) -> list[NavItem]:
    from projektfabrik_pinnwand.views import board_title

    return [NavItem(label=board_title(), endpoint="pinnwand.board", order=50)]


@hookimpl
def pf_template_slot(slot: Slot, context: dict[str, Any]) -> SlotContent | None:
    if slot != Slot.LANDING_MAIN:
        return None
    from projektfabrik_pinnwand.views import board_title

    html = render_template(
        "pinnwand/_landing.html", title=board_title(), notes=services.notes(limit=3)
    )
    return SlotContent(html=html, order=50)


@hookimpl
def pf_project_tabs(project: Any, user: Any) -> list[ProjectTab]:
    return project_tab(
        project,
        key="board",
        label=lazy_gettext("Notice board"),
        endpoint="pinnwand.project_board",
        order=50,
    )


@hookimpl
def pf_export_formats(subject: str) -> list[ExportFormat] | None:
    if subject != "pinnwand.board":
        return None
    return [
        ExportFormat(
            key="csv",
            label="CSV",
            mimetype="text/csv",
            extension="csv",
            render=services.as_csv,
            order=10,
        )
    ]


@hookimpl
def pf_search_documents() -> list[SearchDocument]:
    return [
        SearchDocument(
            kind="pinnwand.note",
            key=note.ref,
            title=note.text[:60],
            text=note.text,
            endpoint="pinnwand.board",
            values={"_anchor": f"note-{note.ref}"},
        )
        for note in services.notes()
    ]


@hookimpl
def pf_assets() -> list[Asset]:
    return [Asset(endpoint="pinnwand.static", filename="pinnwand.css", order=50)]


@hookimpl
def pf_demo(town: Any) -> None:
    """A pinned welcome note by the town's admin, while the board is empty (so a
    second ``projektfabrik demo`` adds nothing)."""
    if services.notes():
        return
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if admin is None:
        return
    note = services.post(
        "Willkommen an der Pinnwand! Hier ist Platz für Angebote, Gesuche und Termine "
        "aus der Nachbarschaft.",
        admin,
    )
    note.pinned = True


@hookimpl
def pf_on_event(event: Any) -> None:
    if not isinstance(event, NotePosted):
        return
    recipient = services.settings()["notify_email"]
    if not recipient:
        return
    link = external_url_for("pinnwand.board", _anchor=f"note-{event.note_ref}")
    queue_mail(
        recipient,
        _("New note on the board"),
        _("%(name)s wrote:", name=event.author_name) + f"\n\n{event.text}\n\n{link}\n",
    )
