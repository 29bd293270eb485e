"""The operator's plugin commands: ``projektfabrik plugins`` and ``tenant enable|disable|plugins``.

A plugin's own commands (``projektfabrik <plugin> ...``) are added to the app's
CLI by the plugin manager from ``pf_cli``.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.plugins import state
from projektfabrik.plugins.manager import get_manager
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant


def _town(slug: str) -> Tenant:
    town = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if town is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    return town


@click.command("plugins")
@with_appcontext
def plugins_command() -> None:
    """List the installed plugins with their versions."""
    installed = get_manager().installed
    if not installed:
        click.echo("no plugins installed (pip install a distribution, e.g. plugins/example)")
    for record in installed:
        click.echo(f"{record.name}\t{record.version}\t{record.distribution}\t{record.title}")


def _switch(slug: str, plugin: str, enabled: bool) -> None:
    town = _town(slug)
    with tenant_context(town):
        try:
            changed = state.set_enabled(plugin, enabled)
        except state.PluginStateError as exc:
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
    word = "on" if enabled else "off"
    click.echo(f"{plugin} switched {word} in {slug}" if changed else f"{plugin} was {word} already")


@click.command("enable")
@click.argument("slug")
@click.argument("plugin")
@with_appcontext
def tenant_enable(slug: str, plugin: str) -> None:
    """Switch PLUGIN on in the town SLUG (it must be listed in its tenant.toml)."""
    _switch(slug, plugin, True)


@click.command("disable")
@click.argument("slug")
@click.argument("plugin")
@with_appcontext
def tenant_disable(slug: str, plugin: str) -> None:
    """Switch PLUGIN off in the town SLUG; its data stays."""
    _switch(slug, plugin, False)


@click.command("plugins")
@click.argument("slug")
@with_appcontext
def tenant_plugins(slug: str) -> None:
    """List the plugins the town SLUG may use and whether they are on."""
    manager = get_manager()
    with tenant_context(_town(slug)):
        rows = state.town_plugins()
    if not rows:
        click.echo(f"{slug} lists no plugins in its tenant.toml")
    for name, row in sorted(rows.items()):
        if not manager.is_installed(name):
            status = "not installed"
        elif not row.allowed:
            status = "not listed in tenant.toml (off)"
        else:
            status = "on" if row.enabled else "off"
        click.echo(f"{name}\t{status}")


def attach(main: click.Group, tenant: click.Group) -> None:
    main.add_command(plugins_command)
    tenant.add_command(tenant_enable)
    tenant.add_command(tenant_disable)
    tenant.add_command(tenant_plugins)
