"""The operator console's pages. They answer only on ``OPERATOR_HOST``
(:mod:`projektfabrik.console.host`); every other host gets a 404 for them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SelectChoice

from projektfabrik.console import services
from projektfabrik.console.forms import (
    ConfirmSlugForm,
    HostsForm,
    NewTownForm,
    PluginsForm,
    SignInForm,
)
from projektfabrik.console.models import Operator
from projektfabrik.downloads import send_download
from projektfabrik.extensions import db
from projektfabrik.refusal import Refusal
from projektfabrik.tenancy import lifecycle
from projektfabrik.tenancy.models import Tenant, TenantState
from projektfabrik.throttle import client_address
from projektfabrik.viewhelpers import show_refusal

bp = Blueprint("console", __name__)

#: The session key of a signed-in operator (only ever set on the console's host).
SESSION_KEY = "console_operator"
STATES = {s.value: s for s in TenantState}


def action_label(action: str) -> str:
    labels = {
        "operator.create": _("Operator account created"),
        "operator.sign_in": _("Signed in"),
        "town.create": _("Town created"),
        "town.active": _("Town made active"),
        "town.read_only": _("Town made read only"),
        "town.suspended": _("Town suspended"),
        "town.export": _("Town exported"),
        "town.import": _("Town imported"),
        "town.delete": _("Town deleted"),
        "town.hosts": _("Host names changed"),
        "town.plugins": _("Modules available changed"),
        "region.members": _("Region's member towns changed"),
    }
    return labels.get(action, action)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {"action_label": action_label}


@bp.before_request
def _only_on_the_console_host() -> None:
    """Never through a town's host (tenancy/web.py sets ``g.console`` on the console's)."""
    if not g.get("console"):
        abort(404)


def operator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        operator_id = session.get(SESSION_KEY)
        operator = db.session.get(Operator, operator_id) if isinstance(operator_id, int) else None
        if operator is None:
            session.pop(SESSION_KEY, None)
            return redirect(url_for("console.sign_in"))
        g.operator = operator
        return view(*args, **kwargs)

    return wrapper


def _town_or_404(slug: str) -> Tenant:
    town = services.town_by_slug(slug)
    if town is None:
        abort(404)
    return town


@bp.route("/anmelden", methods=["GET", "POST"])
def sign_in() -> str | BaseResponse:
    form = SignInForm()
    if form.validate_on_submit():
        try:
            operator = services.sign_in(
                form.email.data or "", form.password.data or "", form.code.data or "",
                client_address(),
            )  # fmt: skip
        except Refusal as error:
            show_refusal(form, error)
            db.session.commit()  # the throttle counted; nothing else changed
        else:
            db.session.commit()
            session.clear()  # a new session for the signed-in operator
            session[SESSION_KEY] = operator.id
            return redirect(url_for("console.towns"))
    return render_template("console/sign_in.html", form=form)


@bp.post("/abmelden")
@operator_required
def sign_out() -> BaseResponse:
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("console.sign_in"))


@bp.get("/")
@operator_required
def towns() -> str:
    current, expected = services.schema_state()
    return render_template(
        "console/towns.html",
        rows=services.towns(),
        schema_current=current,
        schema_expected=expected,
        schema_ok=set(current) == set(expected),
    )


def _plugin_choices() -> list[SelectChoice]:
    from projektfabrik.plugins.manager import get_manager

    return [SelectChoice(p.name, p.title) for p in get_manager().installed]


@bp.route("/gemeinden/neu", methods=["GET", "POST"])
@operator_required
def new_town() -> str | BaseResponse:
    form = NewTownForm()
    form.plugins.choices = _plugin_choices()
    if form.validate_on_submit():
        hosts = [h.strip() for h in (form.hosts.data or "").splitlines() if h.strip()]
        try:
            created = services.create_town(
                (form.slug.data or "").strip(), form.name.data or "", hosts,
                (form.admin_email.data or "").strip() or None, list(form.plugins.data or []),
                operator=g.operator,
            )  # fmt: skip
        except Refusal as error:
            if error.field == "slug" and hosts and "host" in error.message:
                error.field = "hosts"
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("The town %(name)s was created.", name=created.tenant.name), "success")
            return redirect(url_for("console.town", slug=created.tenant.slug))
    return render_template("console/new_town.html", form=form)


def _town_page(
    tenant: Tenant,
    delete_form: ConfirmSlugForm | None = None,
    hosts_form: HostsForm | None = None,
    plugins_form: PluginsForm | None = None,
) -> str:
    row = next(r for r in services.towns() if r.tenant.id == tenant.id)
    if hosts_form is None:
        hosts_form = HostsForm(formdata=None, hosts="\n".join(h.host for h in tenant.hosts))
    if plugins_form is None:
        plugins_form = PluginsForm(
            formdata=None, plugins=sorted(services.available_plugins(tenant))
        )
    plugins_form.plugins.choices = _plugin_choices()
    return render_template(
        "console/town.html",
        row=row,
        town=tenant,
        delete_form=delete_form or ConfirmSlugForm(),
        hosts_form=hosts_form,
        plugins_form=plugins_form,
        states=TenantState,
    )


@bp.get("/gemeinden/<slug>")
@operator_required
def town(slug: str) -> str:
    return _town_page(_town_or_404(slug))


@bp.post("/gemeinden/<slug>/hosts")
@operator_required
def hosts(slug: str) -> str | BaseResponse:
    tenant = _town_or_404(slug)
    form = HostsForm()
    if form.validate_on_submit():
        wanted = [h.strip() for h in (form.hosts.data or "").splitlines() if h.strip()]
        try:
            services.change_hosts(tenant, wanted, g.operator)
        except Refusal as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("console.town", slug=slug))
    return _town_page(_town_or_404(slug), hosts_form=form)


@bp.post("/gemeinden/<slug>/module")
@operator_required
def plugins(slug: str) -> str | BaseResponse:
    tenant = _town_or_404(slug)
    form = PluginsForm()
    form.plugins.choices = _plugin_choices()
    if form.validate_on_submit():
        try:
            services.set_plugins_available(tenant, list(form.plugins.data or []), g.operator)
        except Refusal as error:
            show_refusal(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("console.town", slug=slug))
    return _town_page(_town_or_404(slug), plugins_form=form)


@bp.post("/gemeinden/<slug>/zustand/<state>")
@operator_required
def set_state(slug: str, state: str) -> BaseResponse:
    tenant = _town_or_404(slug)
    if state not in STATES:
        abort(404)
    lifecycle.set_state(tenant, STATES[state])
    services.record(g.operator, f"town.{state}", tenant.slug)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("console.town", slug=slug))


@bp.post("/gemeinden/<slug>/export")
@operator_required
def export(slug: str) -> Response:
    tenant = _town_or_404(slug)
    folder = Path(current_app.config["UPLOADS_DIR"]).parent
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - removed when the response closes
        prefix="town-export-", suffix=".zip", dir=folder, delete=False
    )
    path = Path(handle.name)
    with handle:
        lifecycle.export_town(tenant, handle)
    services.record(g.operator, "town.export", tenant.slug)
    db.session.commit()
    response = send_download(path, f"{tenant.slug}.zip", "application/zip")
    response.call_on_close(lambda: path.unlink(missing_ok=True))
    return response


@bp.post("/gemeinden/<slug>/loeschen")
@operator_required
def delete(slug: str) -> str | BaseResponse:
    tenant = _town_or_404(slug)
    form = ConfirmSlugForm()
    if form.validate_on_submit() and (form.slug.data or "").strip() == tenant.slug:
        tenant_id, name = tenant.id, tenant.name
        lifecycle.delete_town(tenant)
        services.record(g.operator, "town.delete", slug)
        db.session.commit()
        lifecycle.delete_files(tenant_id, slug)
        flash(_("The town %(name)s was deleted.", name=name), "success")
        return redirect(url_for("console.towns"))
    if not form.errors:
        form.slug.errors = [_("The short name did not match. Nothing was deleted.")]
    return _town_page(tenant, delete_form=form)


@bp.get("/regionen")
@operator_required
def regions() -> str:
    """Read-only: regions are changed in region.toml and ``projektfabrik region sync``,
    which audits the member list; the page says so instead of offering a form."""
    return render_template("console/regions.html", regions=services.regions())


@bp.get("/protokoll")
@operator_required
def audit() -> str:
    return render_template("console/audit.html", entries=services.audit_log())
