"""The operator's command line: ``projektfabrik ...``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Role
from projektfabrik.console import commands as lifecycle_commands
from projektfabrik.extensions import db
from projektfabrik.plugins import cli as plugins_cli
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import Tenant


def _create_app() -> Flask:
    from projektfabrik.app import create_app
    from projektfabrik.config import MissingSetting

    try:
        return create_app()
    except MissingSetting as exc:
        # The operator's mistake, not a bug: the message, without a traceback.
        raise click.ClickException(str(exc)) from exc


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Projektfabrik: run many municipalities' participation sites on one deployment."""


def _tenants_dir() -> Path:
    return Path(current_app.config["TENANTS_DIR"])


def _get_tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no municipality with slug {slug!r}")
    return tenant


def _request_context_for(tenant: Tenant):  # type: ignore[no-untyped-def]
    """A request context on the town's canonical host, so ``url_for`` builds its paths."""
    return current_app.test_request_context(base_url=public_url(tenant, "/"))


# --- db ----------------------------------------------------------------------


@click.group()
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Bring the database schema up to date (creates it when empty)."""
    from projektfabrik.migrations import runner

    runner.upgrade()
    click.echo("database is up to date")


@db_group.command("check")
@with_appcontext
def db_check() -> None:
    """Exit 1 unless the schema is at the revisions this code expects (before starting
    web workers or the mail worker after an upgrade)."""
    from projektfabrik.readiness import schema_behind

    differing = schema_behind()
    if differing:
        raise click.ClickException(
            "the database schema does not fit this code (differing revisions: "
            + ", ".join(differing)
            + "); run: projektfabrik db upgrade"
        )
    click.echo("schema fits the code")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--plugin", help="Put the revision on this plugin's branch.")
@with_appcontext
def db_revision(message: str, plugin: str | None) -> None:
    """Generate a migration from the models (developers)."""
    from projektfabrik.migrations import runner

    try:
        runner.revision(message, plugin=plugin)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from exc


# --- tenant ------------------------------------------------------------------


@click.group()
def tenant() -> None:
    """Municipalities."""


@tenant.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The town's name as people know it.")
@click.option("--host", "hosts", multiple=True, required=True, help="First: canonical.")
@click.option("--admin-email", help="Invite this address as the town's first admin.")
@with_appcontext
def tenant_create(slug: str, name: str, hosts: tuple[str, ...], admin_email: str | None) -> None:
    """Create a municipality (and write tenants/SLUG/tenant.toml if missing)."""
    from projektfabrik.console import services as console

    # A request context for the invitation's link (it is built on the town's own host).
    with current_app.test_request_context():
        try:
            created = console.create_town(slug, name, list(hosts), admin_email)
        except console.ConsoleRefusal as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc
        db.session.commit()
    click.echo(f"created {slug}: {public_url(created.tenant, '/')}")
    if created.wrote_config:
        click.echo(f"wrote {created.wrote_config}")
    if created.invitation:
        _deliver_mail()
        click.echo(f"invitation for {admin_email}: {created.invitation}")


@tenant.command("sync")
@click.argument("slugs", nargs=-1)
@with_appcontext
def tenant_sync(slugs: tuple[str, ...]) -> None:
    """Copy tenant.toml of the given (or every) town into the database."""
    folders = [_tenants_dir() / s for s in slugs] or sorted(
        p.parent for p in _tenants_dir().glob("*/tenant.toml")
    )
    try:
        for folder in folders:
            town = config_files.apply(config_files.load(folder))
            click.echo(f"synced {town.slug}")
        db.session.commit()
    except config_files.TenantConfigError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


@tenant.command("list")
@with_appcontext
def tenant_list() -> None:
    """List the municipalities with their hosts."""
    towns = db.session.scalars(select(Tenant).order_by(Tenant.slug)).all()
    if not towns:
        click.echo("no municipalities yet: projektfabrik tenant create ...")
    for town in towns:
        hosts = ", ".join(h.host + ("" if h.is_canonical else " (alias)") for h in town.hosts)
        click.echo(f"{town.slug}\t{town.name}\t{hosts}")


@tenant.command("sso")
@click.argument("slug")
@click.option("--issuer", required=True, help="The provider's issuer URL (https://...).")
@click.option("--client-id", required=True, help="This town's client id at the provider.")
@click.option(
    "--client-secret-stdin",
    is_flag=True,
    help="Read the client secret from standard input (else PROJEKTFABRIK_SSO_CLIENT_SECRET; "
    "neither: keep the stored one).",
)
@click.option("--staff-domain", "staff_domains", multiple=True, help="Addresses here are staff.")
@click.option("--staff-claim", default="", help="claim=value that marks staff, e.g. groups=staff.")
@click.option("--group-claim", default="groups", show_default=True)
@click.option("--admin-group", "admin_groups", multiple=True, help="Members become admins.")
@click.option("--moderator-group", "moderator_groups", multiple=True)
@click.option("--organisation-claim", default="", help="Claim with the office, e.g. department.")
@click.option(
    "--provider-mfa/--no-provider-mfa",
    default=False,
    help="The provider itself demands a second factor of everyone who signs in here.",
)
@click.option(
    "--trust-email/--no-trust-email",
    default=False,
    help="Take the provider's addresses as verified without an email_verified claim (ADFS).",
)
@click.option("--disable", is_flag=True, help="Keep the settings but switch SSO off.")
@with_appcontext
def tenant_sso(
    slug: str,
    issuer: str,
    client_id: str,
    client_secret_stdin: bool,
    staff_domains: tuple[str, ...],
    staff_claim: str,
    group_claim: str,
    admin_groups: tuple[str, ...],
    moderator_groups: tuple[str, ...],
    organisation_claim: str,
    provider_mfa: bool,
    trust_email: bool,
    disable: bool,
) -> None:
    """Connect a town's identity provider (OpenID Connect) for staff sign-in."""
    import os

    from projektfabrik.accounts import sso
    from projektfabrik.refusal import Refusal

    secret: str | None = os.environ.get("PROJEKTFABRIK_SSO_CLIENT_SECRET")
    if client_secret_stdin:
        secret = sys.stdin.readline().strip()
    town = _get_tenant(slug)
    with tenant_context(town):
        try:
            sso.configure(
                sso.Configuration(
                    issuer=issuer,
                    client_id=client_id,
                    client_secret=secret,
                    staff_domains=",".join(staff_domains),
                    staff_claim=staff_claim,
                    group_claim=group_claim,
                    admin_groups=",".join(admin_groups),
                    moderator_groups=",".join(moderator_groups),
                    organisation_claim=organisation_claim,
                    provider_mfa=provider_mfa,
                    trust_email=trust_email,
                    enabled=not disable,
                )
            )
        except Refusal as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
    click.echo(f"single sign-on for {slug}: {'off' if disable else 'on'} ({issuer})")


# --- user ----------------------------------------------------------------------


@click.group()
def region() -> None:
    """Regions of neighbouring towns (tenants/_regions/<slug>/region.toml)."""


@region.command("deliver")
@with_appcontext
def region_deliver() -> None:
    """Deliver pending messages between towns again (the worker does it too)."""
    from projektfabrik.regions import messages

    tried = messages.deliver_pending()
    click.echo(f"{tried} pending message(s) tried")


@region.command("sync")
@click.argument("slugs", nargs=-1)
@with_appcontext
def region_sync(slugs: tuple[str, ...]) -> None:
    """Copy region.toml of the given (or every) region into the database (audited)."""
    from projektfabrik.regions import config as regions

    base = _tenants_dir() / regions.FOLDER
    folders = [base / s for s in slugs] or regions.folders(_tenants_dir())
    try:
        for folder in folders:
            found = regions.apply(regions.load(folder))
            click.echo(f"synced {found.slug}\t{found.host}")
        db.session.commit()
    except regions.RegionConfigError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc


@region.command("list")
@with_appcontext
def region_list() -> None:
    """List the regions, their hosts and member towns (whether each opted in is the town's)."""
    from projektfabrik.regions.models import Region

    regions = db.session.scalars(select(Region).order_by(Region.slug)).all()
    if not regions:
        click.echo("no regions yet: tenants/_regions/<slug>/region.toml, then region sync")
    for found in regions:
        members = ", ".join(m.tenant.slug for m in found.members) or "-"
        click.echo(f"{found.slug}\t{found.name}\t{found.host}\t{members}")


@click.group()
def user() -> None:
    """Accounts."""


@user.command("create")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.option("--name", "display_name")
@with_appcontext
def user_create(slug: str, email: str, password: str, role: str, display_name: str | None) -> None:
    """Create a verified account in a town."""
    town = _get_tenant(slug)
    with tenant_context(town):
        try:
            accounts.create_user(email, password, role=Role(role), display_name=display_name)
        except accounts.AccountError as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
    click.echo(f"created {role} {email} in {slug}")


@user.command("reset-second-factor")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@with_appcontext
def user_reset_second_factor(slug: str, email: str) -> None:
    """Switch off someone's second factor (lost phone and codes; the town has no other admin)."""
    from projektfabrik.accounts import secondfactor
    from projektfabrik.audit import services as audit

    town = _get_tenant(slug)
    # The mail to the person needs the town's links: a request context on its host.
    with _request_context_for(town), tenant_context(town):
        person = accounts.find_by_email(email)
        if person is None or not person.has_second_factor:
            raise click.ClickException(f"no account with a second factor uses {email} in {slug}")
        secondfactor.reset_by_admin(person)
        audit.record("second_factor.reset", actor=None, subject=person, target="cli")
        db.session.commit()
    click.echo(f"second factor of {email} in {slug} is off")


# --- mail ----------------------------------------------------------------------


@click.group()
def mail() -> None:
    """The mail outbox."""


def _deliver_mail() -> tuple[int, int]:
    from projektfabrik.mail.outbox import deliver_due

    return deliver_due()


@mail.command("send")
@with_appcontext
def mail_send() -> None:
    """Send due mail from the outbox (run it from a timer every minute), and delete
    mail sent more than MAIL_RETENTION_DAYS ago."""
    from projektfabrik.mail.outbox import purge_old

    sent, failed = _deliver_mail()
    click.echo(f"sent {sent}, failed {failed} (kept for retry)")
    days = current_app.config["MAIL_RETENTION_DAYS"]
    purged = purge_old(days)
    db.session.commit()
    if purged:
        click.echo(f"deleted {purged} message(s) sent more than {days} days ago")


@main.command("worker")
@click.option("--once", is_flag=True, help="One round, then stop (for a timer or a test).")
@with_appcontext
def worker(once: bool) -> None:
    """Send queued mail as soon as it is queued; run it as a service (deploy/)."""
    import signal

    from projektfabrik.mail.worker import Worker

    runner = Worker(current_app._get_current_object())  # type: ignore[attr-defined]
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: runner.stop.set())
    click.echo("worker: sending mail as it is queued (Ctrl-C stops)")
    runner.run(once=once)


@mail.command("digest")
@click.option("--tenant", "slugs", multiple=True, help="Only this town (repeatable).")
@with_appcontext
def mail_digest(slugs: tuple[str, ...]) -> None:
    """Queue today's daily summaries, one per person and town (run it once a day)."""
    from projektfabrik.notifications.digest import send_all_digests

    for slug in slugs:
        _get_tenant(slug)
    for slug, count in send_all_digests(list(slugs)).items():
        click.echo(f"{slug}: {count} digest(s)")
    sent, failed = _deliver_mail()
    click.echo(f"sent {sent}, failed {failed} (kept for retry)")


@mail.command("receive")
@click.option("--recipient", help="The envelope recipient (Postfix: ${recipient}).")
@with_appcontext
def mail_receive(recipient: str | None) -> None:
    """Read one mail from stdin: a reply to a team mail, posted to the team's board.

    Exit status for the mail server: 0 accepted (or an automatic reply, dropped),
    67 (EX_NOUSER) refused, the sender gets a bounce.
    """
    from projektfabrik.teams.mailin import Refused, receive

    raw = sys.stdin.buffer.read()
    try:
        received = receive(raw, recipient)
    except Refused as exc:
        click.echo(f"refused: {exc}", err=True)
        raise SystemExit(67) from exc
    if received.post is None:
        click.echo("dropped: automatic reply")
    else:
        click.echo(f"posted to {received.tenant_slug} project {received.project_number}")
        _deliver_mail()


@mail.command("status")
@with_appcontext
def mail_status() -> None:
    """Count mail waiting, sent and given up, over all towns."""
    from sqlalchemy import func

    from projektfabrik.mail.models import OutboxMessage
    from projektfabrik.mail.outbox import MAX_ATTEMPTS

    def count(*where) -> int:  # type: ignore[no-untyped-def]
        stmt = select(func.count()).select_from(OutboxMessage).where(*where)
        return db.session.scalar(stmt.execution_options(**ALL_TENANTS)) or 0

    waiting = count(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
    given_up = count(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts >= MAX_ATTEMPTS)
    sent = count(OutboxMessage.sent_at.is_not(None))
    click.echo(f"waiting {waiting}, sent {sent}, given up {given_up}")


# --- demo ----------------------------------------------------------------------


@main.command("demo")
@with_appcontext
def demo() -> None:
    """Seed the demo towns Musterstadt and Beispielhausen (safe to run again)."""
    from projektfabrik.demo import seed

    for line in seed():
        click.echo(line)


@click.group("operator")
def operator_group() -> None:
    """Operators of the deployment (the console at PROJEKTFABRIK_OPERATOR_HOST)."""


@operator_group.command("create")
@click.argument("email")
@click.password_option(help="At least 12 characters (asked for when not given).")
@with_appcontext
def operator_create(email: str, password: str) -> None:
    """Create an operator with a second factor; shows its secret and recovery codes once."""
    import segno

    from projektfabrik.console import services as console

    try:
        new = console.create_operator(email, password)
    except console.ConsoleRefusal as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(f"created operator {new.operator.email}")
    click.echo("\nAdd this account to an authenticator app (scan, or type the secret):\n")
    segno.make(new.uri, error="m").terminal(compact=True)
    click.echo(f"\n  secret: {new.secret}\n  {new.uri}\n")
    click.echo("Recovery codes (each works once; keep them somewhere safe):")
    for code in new.recovery_codes:
        click.echo(f"  {code}")


main.add_command(db_group, "db")
main.add_command(operator_group)
main.add_command(tenant)
main.add_command(region)
main.add_command(user)
main.add_command(mail)
plugins_cli.attach(main, tenant)  # plugins, tenant enable|disable|plugins
lifecycle_commands.attach(tenant)  # tenant export|import|delete|suspend|read-only|activate
