"""``tenants/<slug>/tenant.toml``: the operator's description of a town.

The file says what the town may use (hosts, modules, limits) and how it
starts; ``projektfabrik tenant sync`` (and ``tenant create``, ``demo``) copy
it into the database, where the running site reads it. Texts (welcome, legal
pages) live in Markdown files beside it.

What the town's admin changes in the browser (:data:`ADMIN_OWNED`) is theirs
from then on: its name is kept in ``Tenant.admin_edited`` and sync leaves that
setting alone (docs/architecture.md, "Who sets what").
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.tenancy.branding import HEX_COLOUR
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import District, Tenant, TenantHost
from projektfabrik.tenancy.resolver import normalise_host

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
TEXT_FIELDS = {
    "welcome": "welcome_md",
    "impressum": "impressum_md",
    "privacy": "privacy_md",
    "accessibility": "accessibility_md",
    "easy_read": "easy_read_md",
    "easy_read_en": "easy_read_en_md",
}
#: Settings the town's admin may change in the browser, each with the columns it
#: covers. Until the admin changes one, ``tenant sync`` copies it from the file.
ADMIN_OWNED: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "colours": ("primary_color",),
    "logo": ("logo_file",),
    "welcome": ("welcome_md",),
    "impressum": ("impressum_md",),
    "privacy": ("privacy_md",),
    "accessibility": ("accessibility_md",),
}

#: A link people follow from the town's own site: a web address, nothing else.
VIDEO_URL = re.compile(r"^https?://[^\s<>\"']+$")


class TenantConfigError(ValueError):
    pass


@dataclass
class TenantSpec:
    slug: str
    name: str
    hosts: list[str]
    default_locale: str = "de"
    timezone: str = "Europe/Berlin"
    primary_color: str = "#005a9c"
    logo: str | None = None
    mail_sender_name: str | None = None
    upload_max_mb: int | None = None
    sign_language_video_url: str | None = None
    texts: dict[str, str] = field(default_factory=dict)  # field name -> markdown
    districts: list[str] = field(default_factory=list)
    plugins: dict[str, Any] = field(default_factory=dict)


def validate_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise TenantConfigError(
            f"invalid slug {slug!r}: lower-case letters, digits and dashes, at most 63"
        )
    return slug


def validate_hosts(hosts: list[str]) -> list[str]:
    cleaned = []
    for host in hosts:
        normal = normalise_host(host)
        if not normal or normal != host.strip().lower():
            raise TenantConfigError(f"invalid host name {host!r} (no port, no scheme)")
        cleaned.append(normal)
    if not cleaned:
        raise TenantConfigError("a municipality needs at least one host")
    return cleaned


def load(folder: Path) -> TenantSpec:
    path = folder / "tenant.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TenantConfigError(f"{path}: {exc}") from exc
    branding = raw.get("branding", {})
    color = branding.get("primary_color", "#005a9c")
    if not HEX_COLOUR.match(color):
        raise TenantConfigError(f"{path}: primary_color must look like #1a2b3c")
    texts = {}
    for key, filename in raw.get("texts", {}).items():
        if key not in TEXT_FIELDS:
            raise TenantConfigError(f"{path}: unknown text {key!r}")
        text_path = folder / filename
        if text_path.parent.resolve() != folder.resolve():
            raise TenantConfigError(f"{path}: text files must lie beside tenant.toml")
        texts[TEXT_FIELDS[key]] = text_path.read_text(encoding="utf-8")
    locale = raw.get("default_locale", "de")
    if locale not in ("de", "en"):
        raise TenantConfigError(f"{path}: default_locale must be de or en")
    max_mb = raw.get("uploads", {}).get("max_mb")
    if max_mb is not None and (
        isinstance(max_mb, bool) or not isinstance(max_mb, int) or not 1 <= max_mb <= 1024
    ):
        raise TenantConfigError(f"{path}: [uploads] max_mb must be a whole number of MB, 1 to 1024")
    video = raw.get("sign_language_video_url")
    if video is not None and (
        not isinstance(video, str) or len(video) > 500 or not VIDEO_URL.match(video)
    ):
        raise TenantConfigError(
            f"{path}: sign_language_video_url must be a web address (https://...), "
            "at most 500 characters"
        )
    return TenantSpec(
        slug=validate_slug(raw.get("slug", folder.name)),
        name=raw["name"],
        hosts=validate_hosts(raw.get("hosts", [])),
        default_locale=locale,
        timezone=raw.get("timezone", "Europe/Berlin"),
        primary_color=color,
        logo=branding.get("logo"),
        mail_sender_name=raw.get("mail_sender_name"),
        upload_max_mb=max_mb,
        sign_language_video_url=video or None,
        texts=texts,
        districts=list(raw.get("districts", [])),
        plugins=_plugin_table(raw.get("plugins", {}), path),
    )


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def write_new(
    folder: Path, slug: str, name: str, hosts: list[str], plugins: Sequence[str] = ()
) -> bool:
    """Write a starter ``tenant.toml`` unless one exists; return whether it wrote.

    ``plugins``: listed as available to the town (switched off until its admin
    switches them on)."""
    path = folder / "tenant.toml"
    if path.exists():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "\n".join(
            [
                f"# {name}: configuration of this municipality's site.",
                "# After editing, run: projektfabrik tenant sync " + slug,
                "# Name, colour, logo and texts are where the town starts: once its admin",
                "# changes one in the browser (/verwaltung/), sync keeps the admin's.",
                f"name = {_q(name)}",
                "# The first host is canonical; the others redirect to it.",
                "hosts = [" + ", ".join(_q(h) for h in hosts) + "]",
                'default_locale = "de"',
                'timezone = "Europe/Berlin"',
                "districts = []",
                "",
                "[branding]",
                'primary_color = "#005a9c"',
                "",
                "# Largest file people may upload, in MB (default: the deployment's",
                "# PROJEKTFABRIK_TEAM_FILE_MAX_MB).",
                "# [uploads]",
                "# max_mb = 10",
                "",
                "# A video that explains the site in German Sign Language (BITV 2.0),",
                "# linked from the page /leichte-sprache; it is not embedded.",
                '# sign_language_video_url = "https://..."',
                "",
                "[texts]",
                '# welcome = "welcome.md"',
                '# impressum = "impressum.md"',
                '# privacy = "datenschutz.md"',
                '# accessibility = "barrierefreiheit.md"',
                "# The site in Leichte Sprache and in English Easy Read (/leichte-sprache);",
                "# without them the page shows the text that comes with Projektfabrik.",
                '# easy_read = "leichte-sprache.md"',
                '# easy_read_en = "easy-read.md"',
                "",
                "# Plugins this town may use, with the switch's first position and",
                "# default settings (docs/plugins.md). Installed: projektfabrik plugins",
                "# [plugins.pinnwand]",
                "# enabled = true",
                "",
                *(f"[plugins.{p}]\nenabled = false\n" for p in plugins),
            ]
        ),
        encoding="utf-8",
    )
    return True


def apply(spec: TenantSpec) -> Tenant:
    """Create or update the town in the database from its spec (caller commits)."""
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == spec.slug))
    if tenant is None:
        tenant = Tenant(slug=spec.slug, name=spec.name)
        db.session.add(tenant)
    from_file: dict[str, Any] = {
        "name": spec.name,
        "primary_color": spec.primary_color,
        "logo_file": spec.logo,
        "default_locale": spec.default_locale,
        "timezone": spec.timezone,
        "mail_sender_name": spec.mail_sender_name,
        "upload_max_mb": spec.upload_max_mb,
        "sign_language_video_url": spec.sign_language_video_url,
    }
    for column in TEXT_FIELDS.values():
        from_file[column] = spec.texts.get(column, "")
    kept = admin_kept_columns(tenant)
    for column, value in from_file.items():
        if column not in kept:
            setattr(tenant, column, value)
    _apply_hosts(tenant, spec.hosts)
    db.session.flush()
    with tenant_context(tenant):
        _apply_districts(spec.districts)
        _apply_plugins(spec)
        db.session.flush()  # while the town is in context: the flush guard checks it
    return tenant


def admin_kept_columns(tenant: Tenant) -> set[str]:
    """The columns ``tenant sync`` must not touch: the admin changed them in the browser."""
    return {column for name in tenant.admin_edited or () for column in ADMIN_OWNED.get(name, ())}


def _apply_hosts(tenant: Tenant, hosts: list[str]) -> None:
    for row in db.session.scalars(select(TenantHost).where(TenantHost.host.in_(hosts))):
        if row.tenant_id != tenant.id:
            raise TenantConfigError(f"host {row.host} already serves another municipality")
    existing = {h.host: h for h in tenant.hosts}
    for host_row in list(tenant.hosts):
        if host_row.host not in hosts:
            tenant.hosts.remove(host_row)
    for position, host in enumerate(hosts):
        found = existing.get(host)
        row = found if found is not None else TenantHost(host=host)
        if found is None:
            tenant.hosts.append(row)
        row.is_canonical = position == 0


def _plugin_table(table: Any, path: Path) -> dict[str, Any]:
    """``[plugins.NAME]`` tables; the format is checked in projektfabrik.plugins.state."""
    from projektfabrik.plugins.state import parse_plugin_table

    if not isinstance(table, dict):
        raise TenantConfigError(f"{path}: [plugins] must be a table")
    parse_plugin_table(table, str(path))
    return dict(table)


def _apply_plugins(spec: TenantSpec) -> None:
    from projektfabrik.plugins.state import apply_plugin_table

    apply_plugin_table(spec.plugins, f"tenants/{spec.slug}/tenant.toml")


def _apply_districts(names: list[str]) -> None:
    """Add missing districts and order them; never delete one (people may point to it)."""
    current = {d.name: d for d in db.session.scalars(select(District))}
    for position, name in enumerate(names):
        district = current.get(name)
        if district is None:
            district = District(name=name)
            db.session.add(district)
        district.position = position
