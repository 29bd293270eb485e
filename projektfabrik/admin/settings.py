"""The town's appearance and contact as its admin sets them; no request needed,
nothing committed. Each change is marked as the admin's (``tenant sync`` keeps
it, :data:`projektfabrik.tenancy.config_files.ADMIN_OWNED`) and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from projektfabrik.accounts.models import User
from projektfabrik.audit import services as audit
from projektfabrik.formatting import format_number
from projektfabrik.images import KINDS
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy.branding import (
    HEX_COLOUR,
    LOGO_AREA,
    MIN_CONTRAST,
    best_text_on,
    contrast,
)
from projektfabrik.tenancy.models import Tenant
from projektfabrik.uploads import UploadRefused, check_upload, delete_upload, store_bytes

LOGO_MAX_MB = 2
#: The largest logo kept (it is shown at 40 px height; room for sharp screens).
LOGO_BOX = (960, 320)
WHITE, BLACK = "#ffffff", "#000000"


class SettingsError(Refusal):
    """The admin's change is refused; ``message`` says why, in their language."""


@dataclass(frozen=True)
class Appearance:
    name: str
    short_name: str
    primary_color: str
    #: ``"auto"``, ``"white"`` or ``"black"``: the text on the main colour.
    text_on_brand: str
    headline: str
    welcome_md: str
    contact_email: str
    contact_address: str


def text_choice(tenant: Tenant) -> str:
    return {WHITE: "white", BLACK: "black"}.get(tenant.on_brand_color or "", "auto")


def mark_edited(tenant: Tenant, *names: str) -> None:
    """Remember that the admin owns these settings now (a new list: JSON is not tracked)."""
    tenant.admin_edited = sorted({*(tenant.admin_edited or ()), *names})


def check_colours(primary: str, text_on_brand: str) -> str | None:
    """The text colour to store (``None``: automatic); refuse a pair people cannot read."""
    primary = primary.strip().lower()
    if not HEX_COLOUR.match(primary):
        raise SettingsError(
            _("Please enter the colour as # and six hex digits, e.g. #0b5e3b."), "primary_color"
        )
    chosen = {"white": WHITE, "black": BLACK}.get(text_on_brand)
    text = chosen or best_text_on(primary)
    ratio = contrast(primary, text)
    if ratio < MIN_CONTRAST:
        if text == WHITE:
            advice = _("Choose a darker colour or black text.")
        else:
            advice = _("Choose a lighter colour or white text.")
        raise SettingsError(
            _(
                "Text on this colour would be hard to read: the contrast is %(ratio)s to 1, "
                "at least 4.5 to 1 is needed (WCAG 2.1 AA).",
                ratio=format_number(ratio, 1),
            )
            + " "
            + advice,
            "primary_color",
        )
    return chosen


def save_appearance(tenant: Tenant, actor: User, values: Appearance) -> list[str]:
    """Apply the admin's appearance and contact; return the names of what changed."""
    name = values.name.strip()
    if not name:
        raise SettingsError(_("Please enter the town's name."), "name")
    on_brand = check_colours(values.primary_color, values.text_on_brand)
    new = {
        "name": name,
        "short_name": values.short_name.strip(),
        "primary_color": values.primary_color.strip().lower(),
        "on_brand_color": on_brand,
        "headline": values.headline.strip(),
        "welcome_md": values.welcome_md.strip(),
        "contact_email": values.contact_email.strip(),
        "contact_address": values.contact_address.strip(),
    }
    changed = [column for column, value in new.items() if getattr(tenant, column) != value]
    for column in changed:
        setattr(tenant, column, new[column])
    owned = set()
    if "name" in changed:
        owned.add("name")
    if {"primary_color", "on_brand_color"} & set(changed):
        owned.add("colours")
    if "welcome_md" in changed:
        owned.add("welcome")
    if owned:
        mark_edited(tenant, *owned)
    if changed:
        audit.record(
            "appearance.saved", actor=actor, target="appearance", detail={"changed": changed}
        )
    return changed


_SVG = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg", re.S | re.I)


def save_logo(tenant: Tenant, actor: User, stream: IO[bytes]) -> str | None:
    """Check and re-encode an uploaded logo as PNG; return the replaced file's name,
    which the caller deletes (:func:`delete_logo_file`) once the change is committed.
    A refused upload changes nothing: the previous logo stays."""
    data = stream.read(LOGO_MAX_MB * 1024 * 1024 + 1)
    if _SVG.match(data[:4096]):
        # SVG can carry scripts and links that run when the file is opened; we do
        # not try to clean it, we ask for a picture.
        raise SettingsError(
            _(
                "SVG files are not accepted: they can contain scripts. "
                "Please upload the logo as PNG, JPEG or WebP."
            ),
            "logo",
        )
    try:
        checked = check_upload(data, KINDS, max_mb=LOGO_MAX_MB, field="logo")
    except UploadRefused as refused:
        raise SettingsError(refused.message, "logo") from refused
    try:
        with Image.open(BytesIO(checked.data)) as image:
            image.load()
            picture = image.convert("RGBA")
            picture.thumbnail(LOGO_BOX)
            out = BytesIO()
            picture.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise SettingsError(_("This file is not a picture we can read."), "logo") from exc
    try:
        filename = store_bytes(LOGO_AREA, out.getvalue(), ".png", field="logo")
    except UploadRefused as refused:  # the storage failed: the previous logo stays
        raise SettingsError(refused.message, "logo") from refused
    old = tenant.logo_upload
    tenant.logo_upload = filename
    mark_edited(tenant, "logo")
    audit.record("logo.uploaded", actor=actor, target="logo")
    return old


def remove_logo(tenant: Tenant, actor: User) -> str | None:
    """No logo at all (the operator's logo is not shown either); return the file to delete."""
    old = tenant.logo_upload
    tenant.logo_upload = None
    tenant.logo_file = None
    mark_edited(tenant, "logo")
    audit.record("logo.removed", actor=actor, target="logo")
    return old


def delete_logo_file(filename: str | None) -> None:
    """At once: the caller has committed the change that dropped it."""
    delete_upload(LOGO_AREA, filename)
