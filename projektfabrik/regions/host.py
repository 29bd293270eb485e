"""The region's own host: no town's, so no town in context, and only the region's pages.

Claimed through :data:`projektfabrik.tenancy.web.HOST_CLAIMS`, which is asked only
when no town has the host; a town's request never pays for regions.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from projektfabrik.extensions import db
from projektfabrik.regions.models import Region
from projektfabrik.tenancy.web import HOST_CLAIMS

#: A town's endpoints whose URL the region's site answers with its own view: the
#: open-data API keeps its address (``/api/v1/projects``) on every host.
SAME_ADDRESS = {
    "opendata.projects": "region.api_projects",
    "opendata.openapi": "region.api_openapi",
}
#: Besides the region's own pages (blueprint ``region``).
ALSO = {"site.set_language"}


def claim(host: str) -> Response | bool | None:
    found = db.session.scalar(select(Region).where(Region.host == host)) if host else None
    if found is None:
        return None
    g.region = found
    endpoint = request.endpoint or ""
    if request.path == "/":
        return redirect(url_for("region.index"))
    if endpoint in SAME_ADDRESS:
        # The region's view has a rule with the same path, registered after the
        # town's (so routing never finds it): hand the request to it, and let every
        # later hook (input guard, limits) see the region's endpoint.
        request.url_rule = next(current_app.url_map.iter_rules(SAME_ADDRESS[endpoint]))
        return True
    if not (endpoint.startswith("region.") or endpoint in ALSO):
        abort(404)
    return True


def init_app(app: Flask) -> None:
    app.extensions.setdefault(HOST_CLAIMS, []).append(claim)
