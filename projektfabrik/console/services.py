"""What operators do: sign in, see the towns, create one, change its state, export,
delete. The command line and the console's pages call the same functions.

Functions change the session and never commit; :func:`record` writes the audit
entry into the same transaction as the change it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.accounts.passwords import hash_password, verify_password
from projektfabrik.console import factor
from projektfabrik.console.models import Operator, OperatorAudit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.models import OutboxMessage
from projektfabrik.projects.models import Project
from projektfabrik.refusal import Refusal
from projektfabrik.regions.models import Region
from projektfabrik.storage import StorageUnavailable, storage, town_prefix
from projektfabrik.tenancy import config_edit, config_files
from projektfabrik.tenancy.archive import schema_revisions
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.tenancy.models import Tenant, TenantHost
from projektfabrik.throttle import Throttle

if TYPE_CHECKING:
    from projektfabrik.regions.readmodel import MemberAtAGlance

#: Wrong sign-ins per operator address and per client address.
SIGN_IN_BY_ACCOUNT = Throttle("console-sign-in", "10 per 15 minutes")
SIGN_IN_BY_CLIENT = Throttle("console-sign-in-client", "30 per 15 minutes")
MIN_PASSWORD = 12


class ConsoleRefusal(Refusal):
    """What the operator asked for cannot be done; the message says why."""


# --- operators ------------------------------------------------------------------


@dataclass(frozen=True)
class NewOperator:
    operator: Operator
    secret: str
    uri: str
    recovery_codes: list[str]


def create_operator(email: str, password: str) -> NewOperator:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise ConsoleRefusal(_("Please enter a valid e-mail address."), "email")
    if len(password) < MIN_PASSWORD:
        raise ConsoleRefusal(
            _("The password needs at least %(n)d characters.", n=MIN_PASSWORD), "password"
        )
    if db.session.scalar(select(Operator.id).where(Operator.email == email)) is not None:
        raise ConsoleRefusal(_("An operator with this address exists already."), "email")
    operator = Operator(email=email, password_hash=hash_password(password), totp_secret="")
    secret = factor.new_secret(operator)
    db.session.add(operator)
    db.session.flush()
    codes = factor.new_recovery_codes(operator)
    record(operator, "operator.create")
    return NewOperator(operator, secret, factor.provisioning_uri(operator, secret), codes)


def sign_in(email: str, password: str, code: str, client: str) -> Operator:
    """The operator, when address, password and second factor (a code from the
    app, or an unused recovery code) all fit; else :class:`ConsoleRefusal`, with
    the same message whichever part was wrong."""
    email = email.strip().lower()
    wrong = ConsoleRefusal(
        _("The e-mail address, the password or the code is not correct."), "email"
    )
    if not (SIGN_IN_BY_ACCOUNT.allowed(email) and SIGN_IN_BY_CLIENT.allowed(client)):
        raise ConsoleRefusal(
            _("Too many attempts. Please wait a quarter of an hour and try again."), "email"
        )
    operator = db.session.scalar(select(Operator).where(Operator.email == email))
    if (
        operator is None
        or not verify_password(operator.password_hash, password)
        or not (factor.check_code(operator, code) or factor.use_recovery_code(operator, code))
    ):
        SIGN_IN_BY_ACCOUNT.hit(email)
        SIGN_IN_BY_CLIENT.hit(client)
        raise wrong
    operator.last_sign_in_at = utcnow()
    record(operator, "operator.sign_in")
    return operator


def record(operator: Operator | None, action: str, town: str = "", detail: str = "") -> None:
    """An audit entry, in the caller's transaction. ``detail`` never names townspeople."""
    db.session.add(
        OperatorAudit(
            # None: the command line on the server (whoever may run it is an operator).
            operator_email=operator.email if operator else "(command line)",
            action=action,
            town=town,
            detail=detail,
        )
    )


def audit_log(limit: int = 200) -> list[OperatorAudit]:
    query = select(OperatorAudit).order_by(OperatorAudit.id.desc()).limit(limit)
    return list(db.session.scalars(query))


# --- regions ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    region: Region
    #: The region's marketplace on its own host.
    url: str
    members: list[MemberAtAGlance]
    #: Where the operator changes it (then ``projektfabrik region sync``).
    file: str


def regions() -> list[RegionRow]:
    """Every region with its member towns at a glance (read-only: region.toml is the truth).

    The figures come from the regional read model, the one place that reads
    several towns' projects together, so they follow its rules exactly."""
    # regions.config imports this module (for ``record``): import it when called.
    from projektfabrik.regions import readmodel
    from projektfabrik.regions.config import FOLDER

    folder = Path(current_app.config.get("TENANTS_DIR") or "tenants") / FOLDER
    return [
        RegionRow(
            r,
            readmodel.region_url(r, "/region/projekte"),
            readmodel.members_at_a_glance(r),
            str(folder / r.slug / "region.toml"),
        )
        for r in db.session.scalars(select(Region).order_by(Region.name))
    ]


# --- towns ------------------------------------------------------------------------


@dataclass(frozen=True)
class TownRow:
    tenant: Tenant
    people: int
    projects: int
    mail_waiting: int
    storage_bytes: int | None  # None: the storage did not answer
    last_activity: datetime | None


def _per_town(query: object) -> dict[int, object]:
    return dict(db.session.execute(query.execution_options(**ALL_TENANTS)).all())  # type: ignore[attr-defined]


def storage_used(tenant_id: int) -> int | None:
    """Bytes of the town's files (with S3 a listing of its prefix: one request per
    1000 files); ``None`` when the storage does not answer: the page still shows."""
    try:
        return sum(size for _key, size in storage().list(town_prefix(tenant_id)))
    except StorageUnavailable:
        return None


def towns() -> list[TownRow]:
    """Every town with its figures, in a handful of queries whatever their number."""
    people = _per_town(
        select(User.tenant_id, func.count())
        .where(User.deleted_at.is_(None))
        .group_by(User.tenant_id)
    )
    projects = _per_town(select(Project.tenant_id, func.count()).group_by(Project.tenant_id))
    waiting = _per_town(
        select(OutboxMessage.tenant_id, func.count())
        .where(OutboxMessage.sent_at.is_(None))
        .group_by(OutboxMessage.tenant_id)
    )
    active = _per_town(
        select(User.tenant_id, func.max(User.last_login_at)).group_by(User.tenant_id)
    )
    rows = []
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.name)):
        rows.append(
            TownRow(
                tenant=tenant,
                people=int(people.get(tenant.id, 0)),  # type: ignore[call-overload]
                projects=int(projects.get(tenant.id, 0)),  # type: ignore[call-overload]
                mail_waiting=int(waiting.get(tenant.id, 0)),  # type: ignore[call-overload]
                storage_bytes=storage_used(tenant.id),
                last_activity=active.get(tenant.id),  # type: ignore[arg-type]
            )
        )
    return rows


def schema_state() -> tuple[list[str], list[str]]:
    """(the revisions the database is at, the heads the installed code expects)."""
    from projektfabrik.migrations import runner

    return schema_revisions(db.session.connection()), sorted(runner.heads())


def town_by_slug(slug: str) -> Tenant | None:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


@dataclass(frozen=True)
class NewTown:
    tenant: Tenant
    invitation: str | None
    wrote_config: Path | None


def create_town(
    slug: str,
    name: str,
    hosts: list[str],
    admin_email: str | None,
    plugins: list[str] = [],  # noqa: B006 - read only
    operator: Operator | None = None,
) -> NewTown:
    """A new town: its folder in TENANTS_DIR (unless there), its row, hosts and
    plugins available, and an invitation to its first admin (queued mail).

    Needs a request context on the new town's host for the invitation's link
    when ``admin_email`` is given (the command line makes one)."""
    try:
        config_files.validate_slug(slug)
        host_list = config_files.validate_hosts(hosts)
    except config_files.TenantConfigError as exc:
        raise ConsoleRefusal(str(exc), "slug") from exc
    if not name.strip():
        raise ConsoleRefusal(_("Please enter the town's name."), "name")
    if town_by_slug(slug) is not None:
        raise ConsoleRefusal(_("A town with this short name exists already."), "slug")
    folder = Path(current_app.config["TENANTS_DIR"]) / slug
    wrote = config_files.write_new(folder, slug, name.strip(), host_list, plugins)
    try:
        spec = config_files.load(folder)
        spec.name, spec.hosts = name.strip(), host_list
        town = config_files.apply(spec)
        link = None
        if admin_email:
            with tenant_context(town):
                admin = accounts.create_user(
                    admin_email, None, role=Role.ADMIN, verified=False, kind=Kind.ADMINISTRATION
                )
                link = accounts.invite(admin)
                db.session.flush()  # while the town is in context
    except (config_files.TenantConfigError, accounts.AccountError) as exc:
        if wrote:
            (folder / "tenant.toml").unlink()
        message = getattr(exc, "message", str(exc))
        raise ConsoleRefusal(message, getattr(exc, "field", None) or "slug") from exc
    record(
        operator,
        "town.create",
        slug,
        ("first admin invited; " if admin_email else "") + f"plugins: {', '.join(plugins) or '-'}",
    )
    return NewTown(town, link, folder / "tenant.toml" if wrote else None)


# --- what a town may use: its hosts and plugins (in its tenant.toml) -----------------


def _config(tenant: Tenant) -> Path:
    path = Path(current_app.config["TENANTS_DIR"]) / tenant.slug / "tenant.toml"
    if not path.is_file():
        raise ConsoleRefusal(
            _("The town has no tenant.toml in the towns' folder; nothing was changed."), "hosts"
        )
    return path


def _sync(path: Path) -> Tenant:
    try:
        return config_files.apply(config_files.load(path.parent))
    except config_files.TenantConfigError as exc:
        raise ConsoleRefusal(str(exc), "hosts") from exc


def change_hosts(tenant: Tenant, hosts: list[str], operator: Operator | None) -> None:
    """The town's hosts (the first canonical), in its tenant.toml and the database."""
    try:
        cleaned = config_files.validate_hosts(hosts)
    except config_files.TenantConfigError as exc:
        raise ConsoleRefusal(str(exc), "hosts") from exc
    taken = db.session.scalars(
        select(TenantHost.host).where(
            TenantHost.host.in_(cleaned), TenantHost.tenant_id != tenant.id
        )
    ).all()
    if taken:
        raise ConsoleRefusal(
            _("Another town uses %(hosts)s already.", hosts=", ".join(sorted(taken))), "hosts"
        )
    path = _config(tenant)
    before = path.read_text(encoding="utf-8")
    config_edit.set_hosts(path, cleaned)
    try:
        _sync(path)
    except ConsoleRefusal:
        path.write_text(before, encoding="utf-8")
        raise
    record(operator, "town.hosts", tenant.slug, ", ".join(cleaned))


def set_plugins_available(tenant: Tenant, names: list[str], operator: Operator | None) -> None:
    """Exactly these installed plugins may be used by the town (its admin switches them)."""
    from projektfabrik.plugins.manager import get_manager

    installed = {p.name for p in get_manager().installed}
    path = _config(tenant)
    before = path.read_text(encoding="utf-8")
    for name in sorted(installed):
        if name in names:
            config_edit.list_plugin(path, name)
        else:
            config_edit.unlist_plugin(path, name)
    try:
        with tenant_context(tenant):
            _sync(path)
    except ConsoleRefusal:
        path.write_text(before, encoding="utf-8")
        raise
    record(operator, "town.plugins", tenant.slug, ", ".join(sorted(set(names) & installed)) or "-")


def available_plugins(tenant: Tenant) -> set[str]:
    from projektfabrik.plugins.state import invalidate, town_plugins

    with tenant_context(tenant):
        invalidate()  # kept per request for the current town; here the town is another's
        try:
            return {name for name, row in town_plugins().items() if row.allowed}
        finally:
            invalidate()
