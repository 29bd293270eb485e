"""Two blueprints: the region's site (only on its host) and the towns' regional pages.

``region``: the regional marketplace, its feed and API, on the region's host
(:mod:`projektfabrik.regions.host`); a 404 on every town's host.
``regional``: on a town's host, the admin's opt-in page and a team's choice for
its project. Everything another town contributes comes from
:mod:`projektfabrik.regions.readmodel`.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.accounts import permissions
from projektfabrik.extensions import csrf, db
from projektfabrik.marketplace.listing import PUBLIC_STATUSES, Filters
from projektfabrik.marketplace.opendata import (
    API_PAGE_SIZE,
    ApiParameterError,
    api_filters,
    openapi_document,
)
from projektfabrik.markup import render_markdown
from projektfabrik.pagecache import cached_beyond_a_town
from projektfabrik.projects import access
from projektfabrik.projects import services as projects
from projektfabrik.refusal import Refusal
from projektfabrik.regions import readmodel, services
from projektfabrik.regions.forms import ProjectRegionForm, TownRegionForm
from projektfabrik.regions.models import Region
from projektfabrik.tenancy.branding import palette
from projektfabrik.tenancy.models import Tenant
from projektfabrik.viewhelpers import show_refusal
from projektfabrik.xmlout import AtomEntry, atom_feed

bp = Blueprint("region", __name__)
csrf.exempt(bp)  # read-only pages
town_bp = Blueprint("regional", __name__)

#: The filter by town: a participant's slug.
TOWN_PARAM = "gemeinde"


@bp.before_request
def _only_on_a_region_host() -> None:
    if g.get("region") is None:
        abort(404)


def _region() -> Region:
    region: Region = g.region
    return region


def _town_arg(taking_part: list[readmodel.Participant]) -> str:
    wanted = request.args.get(TOWN_PARAM, "")
    return wanted if wanted in {p.town.slug for p in taking_part} else ""


@bp.get("/region/projekte")
def index() -> ResponseReturnValue:
    # Cached for visitors under a key that changes with every member town's content
    # version (an opt-out, a team's "no", a suspension, a new project show on the
    # next request); reading the towns is the query the page needs first anyway.
    region = _region()
    towns = readmodel.member_towns(region)
    return cached_beyond_a_town(
        f"region-{region.id}",
        readmodel.content_version(region, towns),
        lambda: _index(region, towns),
    )


def _index(region: Region, towns: dict[int, Tenant]) -> str:
    filters = Filters.from_args(request.args)
    taking_part = readmodel.participants(region, towns)
    town = _town_arg(taking_part)
    return render_template(
        "region/index.html",
        region=region,
        welcome=render_markdown(region.welcome_for(str(get_locale() or ""))),
        filters=filters,
        town=town,
        towns=taking_part,
        page=readmodel.projects(region, filters, town=town, taking_part=taking_part),
        statuses=[(s.value, projects.status_label(s)) for s in PUBLIC_STATUSES],
    )


@bp.get("/region/theme.css")
def theme_css() -> Response:
    """The region's colours, like a town's (no inline style: the CSP forbids it)."""
    css = render_template("site/theme.css", palette=palette(_region().primary_color))
    response = current_app.response_class(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/region/projekte/feed.atom")
def feed() -> Response:
    region = _region()
    items = readmodel.newest(region)
    base = url_for("region.index", _external=True)
    xml = atom_feed(
        id=base,
        title=_("New projects of the region %(region)s", region=region.name),
        link=base,
        self_link=url_for("region.feed", _external=True),
        updated=items[0].created_at if items else region.created_at,
        author=region.name,
        author_uri=base,
        language=get_locale().language if get_locale() else "de",
        entries=[
            AtomEntry(
                id=p.url,
                title=f"{p.title} ({p.town.name})",
                link=p.url,
                published=p.created_at,
                updated=p.last_activity_at,
                summary=p.pitch,
                # People's names are not open data: the town publishes the entry.
                author=p.town.name,
            )
            for p in items
        ],
    )
    return current_app.response_class(xml, mimetype="application/atom+xml")


def project_json(p: readmodel.RegionalProject) -> dict[str, Any]:
    """The town's API's project, plus the town it belongs to (the same schema)."""
    return {
        "ref": str(p.number),
        "url": p.url,
        "title": p.title,
        "pitch": p.pitch,
        "description": p.description_md,
        "status": p.status.value,
        "category": p.category,
        "district": p.district,
        "looking_for_members": p.looking_for_members,
        "wanted_skills": list(p.wanted_skills),
        # The region counts the team, not its make-up (docs/architecture.md).
        "team": {"size": p.team_size},
        "supporters": p.supporters,
        "created_at": p.created_at.isoformat(),
        "last_activity_at": p.last_activity_at.isoformat(),
        "municipality": {"name": p.town.name, "url": p.town.url, "slug": p.town.slug},
    }


@bp.get("/api/v1/projects")
def api_projects() -> Response:
    region = _region()
    try:
        filters = api_filters(request.args)  # checks gemeinde too (its document says so)
    except ApiParameterError as error:
        return _json({"error": error.message, "parameter": error.field}, 400)
    town = request.args.get(TOWN_PARAM, "")
    taking_part = readmodel.participants(region)
    if town and town not in {p.town.slug for p in taking_part}:
        page = readmodel.RegionalPage(items=[], total=0, page=1, pages=1)
    else:
        page = readmodel.projects(
            region, filters, town=town, page_size=API_PAGE_SIZE, taking_part=taking_part
        )
    body: dict[str, Any] = {
        "region": {"name": region.name, "url": url_for("region.index", _external=True)},
        "municipalities": [
            {"name": p.town.name, "url": p.town.url, "slug": p.town.slug} for p in taking_part
        ],
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "items": [project_json(p) for p in page.items],
    }
    if page.page < page.pages:
        args = filters.to_args(page=page.page + 1)
        if town:
            args[TOWN_PARAM] = town
        body["next"] = url_for("region.api_projects", _external=True, **args)
    return _json(body)


@bp.get("/api/v1/openapi.json")
def api_openapi() -> Response:
    return _json(openapi_document(region=_region().name))


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response: Response = current_app.json.response(body)  # type: ignore[assignment]
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"  # public data
    return response


# --- on a town's site ------------------------------------------------------------


@town_bp.route("/verwaltung/region", methods=["GET", "POST"])
def town_settings() -> ResponseReturnValue:
    refused = permissions.gate(permissions.is_admin)
    if refused is not None:
        return refused
    region = services.region()
    if region is None:
        abort(404)
    form = TownRegionForm()
    if request.method == "GET":
        form.fill(services.current_choice())
    if form.validate_on_submit():
        try:
            services.set_choice(current_user, form.choice())
        except Refusal as refusal:
            db.session.rollback()
            show_refusal(refusal, form)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("regional.town_settings"))
    return render_template(
        "region/town_settings.html",
        region=region,
        form=form,
        taking_part=readmodel.participants(region),
        region_url=readmodel.region_url(region),
    )


@town_bp.route("/projekte/<int:number>/region", methods=["GET", "POST"])
@login_required
def project_settings(number: int) -> ResponseReturnValue:
    project = access.project_or_404(number)
    if not access.can_manage(project, current_user):
        abort(403)
    region = services.region()
    if region is None:
        abort(404)
    form = ProjectRegionForm()
    if request.method == "GET":
        form.fill(project.shown_in_region)
    if form.validate_on_submit():
        services.set_project_shown(project, current_user, form.shown_choice())
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("marketplace.project", number=project.number))
    return render_template(
        "region/project_settings.html",
        project=project,
        region=region,
        town=services.current_choice(),
        form=form,
    )
