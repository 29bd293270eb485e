"""The town's legal pages as its admin writes them: templates with what German law
asks for, saving with a version history, and the "before going live" checklist.

No request needed (an app context for the templates), nothing committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.admin.models import LegalTextVersion
from projektfabrik.admin.settings import mark_edited
from projektfabrik.audit import services as audit
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.formatting import format_date
from projektfabrik.tenancy.models import Tenant


@dataclass(frozen=True)
class LegalPage:
    slug: str  # the public page's path, /impressum
    key: str  # in the version table, the audit log and Tenant.admin_edited
    column: str  # the text in force, on the town
    title: Callable[[], str]
    #: Must be written before the site goes live.
    required: bool


PAGES: dict[str, LegalPage] = {
    page.slug: page
    for page in (
        LegalPage("impressum", "impressum", "impressum_md", lambda: str(_l("Legal notice")), True),
        LegalPage("datenschutz", "privacy", "privacy_md", lambda: str(_l("Privacy notice")), True),
        LegalPage(
            "barrierefreiheit",
            "accessibility",
            "accessibility_md",
            lambda: str(_l("Accessibility statement")),
            False,
        ),
    )
}


def current_text(tenant: Tenant, page: LegalPage) -> str:
    return str(getattr(tenant, page.column) or "")


def template_text(tenant: Tenant, page: LegalPage) -> str:
    """A starting text in the town's language with the fields the law asks for;
    what the admin must fill in is in [square brackets]."""
    locale = tenant.default_locale if tenant.default_locale in ("de", "en") else "de"
    return (
        render_template(
            f"admin/legal_templates/{locale}/{page.slug}.md",
            town=tenant,
            today=format_date(utcnow(), locale=locale),
        ).strip()
        + "\n"
    )


def save(tenant: Tenant, actor: User, page: LegalPage, body: str) -> LegalTextVersion | None:
    """Put ``body`` in force and keep it as a version; ``None`` if nothing changed.

    The first time a text is saved in the browser, the text that was in force
    (from the operator's file) is kept as the first version, so it is not lost.
    """
    body = body.replace("\r\n", "\n").strip()
    before = current_text(tenant, page).strip()
    if body == before:
        return None
    if before and not _has_versions(page):
        db.session.add(LegalTextVersion(page=page.key, body_md=before, author_id=None))
    version = LegalTextVersion(page=page.key, body_md=body, author_id=actor.id)
    db.session.add(version)
    setattr(tenant, page.column, body)
    mark_edited(tenant, page.key)
    audit.record("legal.saved", actor=actor, target=page.key)
    return version


def _has_versions(page: LegalPage) -> bool:
    return (
        db.session.scalar(
            select(LegalTextVersion.id).where(LegalTextVersion.page == page.key).limit(1)
        )
        is not None
    )


def versions(page: LegalPage) -> list[LegalTextVersion]:
    """Newest first."""
    return list(
        db.session.scalars(
            select(LegalTextVersion)
            .where(LegalTextVersion.page == page.key)
            .order_by(LegalTextVersion.id.desc())
        )
    )


def find_version(page: LegalPage, ref: str) -> LegalTextVersion | None:
    return db.session.scalar(
        select(LegalTextVersion).where(
            LegalTextVersion.page == page.key, LegalTextVersion.ref == ref
        )
    )


def missing_before_launch(tenant: Tenant) -> list[LegalPage]:
    """The required legal pages still empty: the admin sees a checklist until none is."""
    return [
        page for page in PAGES.values() if page.required and not current_text(tenant, page).strip()
    ]
