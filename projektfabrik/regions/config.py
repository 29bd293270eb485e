"""``tenants/_regions/<slug>/region.toml``: the operator's description of a region.

Like a town's ``tenant.toml``: the file is the truth, ``projektfabrik region sync``
(and ``demo``) copy it into the database and write an entry in the operator's
audit log. Being listed as a member shows nothing yet: each town's admin opts
in on the town's own site (:mod:`projektfabrik.regions.services`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from projektfabrik.console.services import record
from projektfabrik.extensions import db
from projektfabrik.regions.models import Region, RegionMember
from projektfabrik.tenancy import versioning
from projektfabrik.tenancy.branding import HEX_COLOUR
from projektfabrik.tenancy.config_files import SLUG
from projektfabrik.tenancy.models import Tenant, TenantHost
from projektfabrik.tenancy.resolver import normalise_host

#: Regions live beside the towns' folders; the leading "_" is no town slug.
FOLDER = "_regions"
#: A language code as the locale selector knows them ("de", "en", "pt_BR").
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")


class RegionConfigError(ValueError):
    pass


@dataclass(frozen=True)
class RegionConfig:
    slug: str
    name: str
    host: str
    members: tuple[str, ...]
    primary_color: str
    #: Shown to visitors whose language has no text of its own.
    welcome_md: str
    #: ``(language, Markdown)`` pairs from ``[texts.welcome]``; empty with one text for all.
    welcome_by_language: tuple[tuple[str, str], ...] = ()


def folders(tenants_dir: Path) -> list[Path]:
    return sorted(p.parent for p in (tenants_dir / FOLDER).glob("*/region.toml"))


def load(folder: Path) -> RegionConfig:
    slug = folder.name
    if not SLUG.match(slug):
        raise RegionConfigError(f"{folder}: the folder's name is no valid slug")
    try:
        data = tomllib.loads((folder / "region.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegionConfigError(f"{folder / 'region.toml'}: {exc}") from exc
    name = str(data.get("name", "")).strip()
    host = normalise_host(str(data.get("host", "")))
    members = data.get("members", [])
    colour = str(data.get("branding", {}).get("primary_color", "#005a9c"))
    if not name:
        raise RegionConfigError(f"region {slug}: name is missing")
    if not host or host != str(data.get("host", "")).strip().lower():
        raise RegionConfigError(f"region {slug}: host must be a plain host name")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise RegionConfigError(f"region {slug}: members must be a list of town slugs")
    if not HEX_COLOUR.match(colour):
        raise RegionConfigError(f"region {slug}: primary_color must look like #1a2b3c")
    welcome, by_language = _welcome(folder, slug, data.get("texts", {}).get("welcome"))
    return RegionConfig(slug, name, host, tuple(members), colour, welcome, by_language)


def _welcome(folder: Path, slug: str, given: object) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``welcome = "file.md"`` (one text for every language) or a table of files by
    language, ``[texts.welcome] de = "welcome.md"  en = "welcome.en.md"``.

    With a table, the German text (else the first) is also the one shown to
    visitors whose language the table lacks, so nobody gets an empty page top.
    """
    if not given:
        return "", ()
    files = given if isinstance(given, dict) else {"": given}
    texts: dict[str, str] = {}
    for language, name in files.items():
        if language and not LANGUAGE.match(language):
            raise RegionConfigError(f"region {slug}: {language!r} is no language code (de, en)")
        if not isinstance(name, str) or not name:
            raise RegionConfigError(f"region {slug}: texts.welcome needs file names")
        try:
            texts[language] = (folder / name).read_text(encoding="utf-8")
        except OSError as exc:
            raise RegionConfigError(f"region {slug}: {exc}") from exc
    if "" in texts:
        return texts[""], ()
    fallback = texts.get("de") or next(iter(texts.values()))
    return fallback, tuple(sorted(texts.items()))


def apply(config: RegionConfig) -> Region:
    """Create or update the region and its member list (in the caller's transaction)."""
    if db.session.scalar(select(TenantHost.id).where(TenantHost.host == config.host)):
        raise RegionConfigError(f"region {config.slug}: {config.host} is a town's host")
    if config.host == current_app.config.get("OPERATOR_HOST"):
        raise RegionConfigError(f"region {config.slug}: {config.host} is the console's host")
    towns = {
        t.slug: t for t in db.session.scalars(select(Tenant).where(Tenant.slug.in_(config.members)))
    }
    unknown = sorted(set(config.members) - set(towns))
    if unknown:
        raise RegionConfigError(f"region {config.slug}: no such town: {', '.join(unknown)}")
    elsewhere = db.session.scalars(
        select(Tenant.slug)
        .join(RegionMember, RegionMember.town_id == Tenant.id)
        .join(Region)
        .where(Tenant.slug.in_(config.members), Region.slug != config.slug)
    ).all()
    if elsewhere:
        raise RegionConfigError(
            f"region {config.slug}: already in another region: {', '.join(sorted(elsewhere))}"
        )
    region = db.session.scalar(select(Region).where(Region.slug == config.slug))
    if region is None:
        region = Region(slug=config.slug, members=[])
        db.session.add(region)
    before = sorted(m.tenant.slug for m in region.members)
    touched = {m.town_id for m in region.members}
    region.name, region.host = config.name, config.host
    region.primary_color, region.welcome_md = config.primary_color, config.welcome_md
    region.welcome_by_language = dict(config.welcome_by_language)
    wanted = {towns[s].id for s in config.members}
    region.members = [m for m in region.members if m.town_id in wanted] + [
        RegionMember(town_id=tid) for tid in sorted(wanted - {m.town_id for m in region.members})
    ]
    db.session.flush()
    # Every member's cached landing page may show its neighbours: let them all expire.
    versioning.mark_changed(db.session, touched | wanted)
    after = sorted(config.members)
    if before != after:
        record(None, "region.members", "", f"{config.slug}: {', '.join(after) or '-'}")
    return region


def rejoin(town_slug: str, tenants_dir: Path) -> list[str]:
    """Apply every region whose ``region.toml`` lists ``town_slug``: a town imported
    from an archive is back in its region (the membership is the operator's row and
    stays out of the town's archive). Returns the regions applied."""
    applied = []
    for folder in folders(tenants_dir):
        config = load(folder)
        if town_slug in config.members:
            applied.append(apply(config).slug)
    return applied
