"""``projektfabrik tenant export|import|delete|suspend|read-only|activate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from projektfabrik.console.services import record as audit
from projektfabrik.extensions import db
from projektfabrik.tenancy import lifecycle
from projektfabrik.tenancy.lifecycle import ArchiveError
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import Tenant, TenantState


def _town(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    return tenant


@click.command("export")
@click.argument("slug")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The archive to write (a .zip file).",
)
@with_appcontext
def export_command(slug: str, output: Path) -> None:
    """Write a town with all its data and files into one archive."""
    tenant = _town(slug)
    partial = output.with_name(output.name + ".partial")
    with partial.open("wb") as out:
        manifest = lifecycle.export_town(tenant, out)
    partial.replace(output)
    audit(None, "town.export", slug)
    db.session.commit()
    rows = sum(e.rows for e in manifest.tables.values())
    files = sum(1 for n in manifest.checksums if n.startswith("files/"))
    click.echo(f"exported {slug}: {rows} rows in {len(manifest.tables)} tables, {files} files")
    click.echo(f"wrote {output}")


@click.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="Import under this slug (default: the archive's).")
@click.option(
    "--host", "hosts", multiple=True, help="Serve it under these hosts; first: canonical."
)
@with_appcontext
def import_command(archive: Path, slug: str | None, hosts: tuple[str, ...]) -> None:
    """Import a town from an archive made by ``tenant export``."""
    from projektfabrik.tenancy import config_files

    try:
        if slug:
            config_files.validate_slug(slug)
        host_list = config_files.validate_hosts(list(hosts)) if hosts else None
    except config_files.TenantConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    with archive.open("rb") as source:
        try:
            tenant, counts = lifecycle.import_town(source, slug=slug, hosts=host_list)
            tenant_id, new_slug = tenant.id, tenant.slug
        except ArchiveError as exc:
            db.session.rollback()
            raise click.ClickException(f"nothing was imported: {exc}") from exc
    try:
        audit(None, "town.import", new_slug)
        db.session.commit()
    except Exception:
        db.session.rollback()
        lifecycle.delete_files(tenant_id, new_slug)
        raise
    tenant = db.session.get_one(Tenant, tenant_id)
    click.echo(f"imported {new_slug}: {sum(counts.values())} rows in {len(counts)} tables")
    _rejoin_regions(new_slug)
    click.echo(public_url(tenant, "/"))


def _rejoin_regions(slug: str) -> None:
    """The regions whose region.toml names the town take it back (docs/operations.md)."""
    from projektfabrik.regions import config as regions

    try:
        joined = regions.rejoin(slug, Path(current_app.config["TENANTS_DIR"]))
        db.session.commit()
    except regions.RegionConfigError as exc:
        db.session.rollback()
        click.echo(f"not back in its region: {exc} (fix region.toml, then region sync)")
        return
    for region in joined:
        click.echo(f"back in region {region}")


@click.command("delete")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for the slug again.")
@with_appcontext
def delete_command(slug: str, yes: bool) -> None:
    """Delete a town: every row, file, queued mail of it. Nothing of other towns."""
    tenant = _town(slug)
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("type the slug again to confirm, or pass --yes")
        again = click.prompt(f"This deletes {tenant.name} ({slug}) for good. Type its slug")
        if again != slug:
            raise click.ClickException("the slug did not match; nothing was deleted")
    tenant_id = tenant.id
    counts = lifecycle.delete_town(tenant)
    audit(None, "town.delete", slug)
    db.session.commit()
    if not lifecycle.delete_files(tenant_id, slug):
        click.echo(f"warning: the storage failed; delete the prefix {tenant_id}/ by hand", err=True)
    click.echo(f"deleted {slug}: {sum(counts.values())} rows in {len(counts)} tables")


def _state_command(name: str, state: TenantState, text: str) -> click.Command:
    @click.command(name, help=text)
    @click.argument("slug")
    @with_appcontext
    def command(slug: str) -> None:
        lifecycle.set_state(_town(slug), state)
        audit(None, f"town.{state.value}", slug)
        db.session.commit()
        click.echo(f"{slug}: {state.value}")

    return command


def attach(tenant_group: click.Group) -> None:
    for command in (
        export_command,
        import_command,
        delete_command,
        _state_command(
            "suspend",
            TenantState.SUSPENDED,
            "Take a town's site offline behind a notice; nothing is deleted.",
        ),
        _state_command(
            "read-only",
            TenantState.READ_ONLY,
            "Keep a town's site visible but let nobody sign in or change anything.",
        ),
        _state_command("activate", TenantState.ACTIVE, "Open a suspended or read-only town again."),
    ):
        tenant_group.add_command(command)
