"""Request-time tenancy: resolve the town, redirect aliases, bind the session."""

from __future__ import annotations

from flask import (
    Flask,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from projektfabrik.tenancy.context import reset_tenant, set_tenant
from projektfabrik.tenancy.links import public_url
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.tenancy.resolver import normalise_host, resolve

#: Endpoints that answer on any host (load balancers probe by IP address).
HOSTLESS_ENDPOINTS = {"site.healthz", "site.readyz", "metrics", "static"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
#: Changes nothing of the town: reading in another language stays possible.
READ_ONLY_ALLOWED = {"site.set_language"}
#: What answers on the operator console's host besides the console itself.
CONSOLE_ALSO = {"site.set_language"}
#: ``app.extensions`` key: functions that may claim a host no town has (a region's
#: site, projektfabrik/regions/host.py). Each takes the normalised host and returns
#: None (not mine), True (let the view run, no town in context) or a response.
HOST_CLAIMS = "projektfabrik_host_claims"


def _enter_tenant() -> Response | None:
    if request.endpoint in HOSTLESS_ENDPOINTS:
        g.tenant = None
        return None
    console_host = current_app.config.get("OPERATOR_HOST")
    if console_host and normalise_host(request.host) == console_host:
        # The operator console's host is no town's: only the console answers here.
        g.tenant, g.console = None, True
        if request.path == "/":
            return redirect(url_for("console.towns"))
        if not (request.endpoint or "").startswith("console.") and (
            request.endpoint not in CONSOLE_ALSO
        ):
            abort(404)
        return None
    resolution = resolve(request)
    if resolution is None:
        g.tenant = None
        # Asked only for hosts no town has: a town's request costs nothing more.
        for claim in current_app.extensions.get(HOST_CLAIMS, ()):
            answer = claim(normalise_host(request.host))
            if isinstance(answer, Response):
                return answer
            if answer:
                return None
        abort(404)
    tenant = resolution.tenant
    if not resolution.is_canonical:
        target = request.full_path if request.query_string else request.path
        return redirect(public_url(tenant, target), code=308)
    g.tenant = tenant
    g.tenant_token = set_tenant(tenant)
    # A cookie issued by another town (copied, or a shared parent domain) is void here.
    # An operator's session (console/views.py) is worth nothing on a town's host.
    if session.get("tenant", tenant.id) != tenant.id or "console_operator" in session:
        session.clear()
    return _state_gate(tenant)


def _state_gate(tenant: Tenant) -> Response | None:
    """A suspended town shows only a notice; a read-only town accepts no changes."""
    from projektfabrik import errors

    if tenant.state == TenantState.SUSPENDED:
        return make_response(errors.town_suspended())
    if (
        tenant.state == TenantState.READ_ONLY
        and request.method not in SAFE_METHODS
        and request.endpoint not in READ_ONLY_ALLOWED
    ):
        return make_response(errors.town_read_only())
    return None


def _bind_session(response: Response) -> Response:
    tenant = g.get("tenant")
    if tenant is not None and session and "tenant" not in session:
        session["tenant"] = tenant.id
    return response


def _leave_tenant(exc: BaseException | None) -> None:
    token = g.pop("tenant_token", None)
    if token is not None:
        reset_tenant(token)


def init_app(app: Flask) -> None:
    app.before_request(_enter_tenant)
    app.after_request(_bind_session)
    app.teardown_request(_leave_tenant)
