"""The town's own pages: landing page, legal pages, branding, language switch, health."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text
from werkzeug.wrappers import Response

from projektfabrik.downloads import send_download
from projektfabrik.extensions import csrf, db
from projektfabrik.i18n import LOCALE_COOKIE, LOCALES
from projektfabrik.marketplace.listing import Filters, list_projects
from projektfabrik.markup import render_markdown
from projektfabrik.pagecache import cached_for_visitors
from projektfabrik.plugins.state import enabled_plugins
from projektfabrik.site import services
from projektfabrik.tenancy.branding import LOGO_AREA, palette
from projektfabrik.uploads import stored_file
from projektfabrik.urls import safe_next_url

bp = Blueprint("site", __name__)


@bp.get("/")
@cached_for_visitors
def landing() -> str:
    return render_template(
        "site/landing.html",
        welcome=render_markdown(services.town_text(g.tenant.welcome_md, enabled_plugins())),
        stats=services.landing_stats(),
        recent_people=services.recent_people(limit=6),
        newest=list_projects(Filters(), page_size=3),
    )


LEGAL_PAGES = {
    "impressum": ("impressum_md", lambda: _("Legal notice")),
    "datenschutz": ("privacy_md", lambda: _("Privacy notice")),
    "barrierefreiheit": ("accessibility_md", lambda: _("Accessibility statement")),
}


@bp.get("/<any(impressum, datenschutz, barrierefreiheit):page>")
@cached_for_visitors
def legal(page: str) -> str:
    field, title = LEGAL_PAGES[page]
    body = getattr(g.tenant, field)
    return render_template(
        "site/legal.html",
        title=title(),
        # Line breaks kept: addresses and contact lines are written one per line.
        body=render_markdown(services.town_text(body, enabled_plugins()), line_breaks=True),
    )


@bp.get("/leichte-sprache")
@cached_for_visitors
def easy_read() -> str:
    """The site explained in Leichte Sprache (German) or Easy Read (English), as
    BITV 2.0 § 4 asks of public bodies: the town's own text, else the core's."""
    english = get_locale().language == "en"
    own = g.tenant.easy_read_en_md if english else g.tenant.easy_read_md
    text = own or render_template(
        f"site/easy_read/{'en' if english else 'de'}.md", town=g.tenant.name
    )
    return render_template(
        "site/easy_read.html",
        body=render_markdown(text, line_breaks=True),
        video_url=g.tenant.sign_language_video_url,
    )


@bp.get("/branding/theme.css")
def theme_css() -> Response:
    """The town's colours as CSS custom properties (no inline style: the CSP forbids it)."""
    css = render_template(
        "site/theme.css", palette=palette(g.tenant.primary_color, g.tenant.on_brand_color)
    )
    response = current_app.response_class(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/branding/logo")
def logo() -> Response:
    if g.tenant.logo_upload:
        # The admin's upload, re-encoded as PNG (admin/settings.py): safe to show inline.
        uploaded = stored_file(LOGO_AREA, g.tenant.logo_upload)
        if uploaded is None:
            abort(404)
        return send_download(
            uploaded, "logo.png", "image/png", inline_image=True, max_age=300, private=False
        )
    if not g.tenant.logo_file:
        abort(404)
    folder = Path(current_app.config["TENANTS_DIR"]).resolve() / g.tenant.slug
    path = (folder / g.tenant.logo_file).resolve()
    if folder not in path.parents or not path.is_file():
        abort(404)
    # The operator's file, not re-encoded: an attachment (an <img> shows it all the same).
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_download(path, path.name, mimetype, max_age=300, private=False)


@bp.post("/language")
@csrf.exempt
def set_language() -> Response:
    """Remember the chosen language in a cookie (and on the account, if logged in).

    Exempt from CSRF so that the footer's switch needs no token, and a page
    without a form of its own leaves the visitor's session empty (cacheable,
    see pagecache.py). A forged cross-site post can at most switch a visitor's
    language: the session cookie is SameSite=Lax, so it never reaches an account.
    """
    locale = request.form.get("locale", "")
    response = redirect(safe_next_url(request.form.get("next"), url_for("site.landing")))
    if locale in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=365 * 24 * 3600,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return response


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Liveness: the process answers and reaches its database."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200


@bp.get("/readyz")
def readyz() -> tuple[dict[str, object], int]:
    """Readiness: everything a request needs is there (projektfabrik/readiness.py)."""
    from projektfabrik.readiness import check

    problems = check()
    if problems:
        return {"status": "not ready", "problems": problems}, 503
    return {"status": "ok"}, 200
