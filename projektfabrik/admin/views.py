"""The town admin's pages. Admins only: guests are sent to log in, everyone else gets 403."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from projektfabrik.accounts import permissions, secondfactor, sso
from projektfabrik.accounts import services as accounts
from projektfabrik.admin import names, services
from projektfabrik.admin.forms import (
    ButtonForm,
    NameForm,
    SecondFactorPolicyForm,
    StaffForm,
    SwitchForm,
)
from projektfabrik.audit import services as audit
from projektfabrik.extensions import db
from projektfabrik.plugins import runtime, state
from projektfabrik.plugins.types import NavArea
from projektfabrik.viewhelpers import found_or_404, show_refusal

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/verwaltung")


@bp.before_request
def only_admins() -> ResponseReturnValue | None:
    return permissions.gate(permissions.is_admin)


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html", sections=runtime.nav_items(NavArea.ADMIN))


@bp.get("/module")
def modules() -> str:
    return render_template("admin/modules.html", modules=services.modules())


@bp.post("/module/<name>/schalten")
def switch_module(name: str) -> ResponseReturnValue:
    record = services.available(name)
    if record is None:
        abort(404)
    form = SwitchForm()
    if not form.validate_on_submit():
        abort(400)
    enabled = form.enabled.data == "1"
    state.set_enabled(name, enabled)
    db.session.commit()
    log.info(
        "%s switched %s %s in %s",
        current_user.ref,
        name,
        "on" if enabled else "off",
        current_user.tenant_id,
    )
    if enabled:
        flash(_("%(module)s is switched on.", module=record.title), "success")
    else:
        flash(_("%(module)s is switched off.", module=record.title), "success")
    return redirect(url_for("admin.modules") + f"#module-{name}")


@bp.post("/module/<name>/einstellungen")
def save_module_settings(name: str) -> ResponseReturnValue:
    record = services.available(name)
    if record is None or record.settings is None or record.settings.form is None:
        abort(404)
    form = services.settings_form(record, formdata=request.form)
    assert form is not None
    if form.validate():
        state.save_settings(name, services.settings_from(form, record))
        db.session.commit()
        flash(_("The settings of %(module)s are saved.", module=record.title), "success")
        return redirect(url_for("admin.modules") + f"#module-{name}")
    services.hide_secrets(form, record, state.settings(name))
    return render_template(
        "admin/modules.html", modules=services.modules(bound=name, bound_form=form)
    ), 400


# --- categories and districts ------------------------------------------------------


@bp.route("/<any(kategorien, ortsteile):kind>", methods=["GET", "POST"])
def names_page(kind: str) -> ResponseReturnValue:
    chosen = names.LISTS[kind]
    form = NameForm()
    if form.validate_on_submit():
        try:
            name = names.add(chosen, form.name.data)
        except names.NameListError as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(_("“%(name)s” is added.", name=name), "success")
            return redirect(url_for("admin.names_page", kind=kind))
    return render_template(
        "admin/names.html", form=form, rows=names.rows(chosen), kind=kind, title=chosen.title
    ), (400 if form.errors else 200)


@bp.post("/<any(kategorien, ortsteile):kind>/loeschen")
def delete_name(kind: str) -> ResponseReturnValue:
    row = found_or_404(names.find(names.LISTS[kind], request.form.get("name", "")))
    names.remove(row)
    db.session.commit()
    flash(_("“%(name)s” is removed.", name=row.name), "success")
    return redirect(url_for("admin.names_page", kind=kind))


# --- staff of the administration -----------------------------------------------------


@bp.route("/mitarbeitende", methods=["GET", "POST"])
def staff() -> ResponseReturnValue:
    """Only here does someone become staff ("Verwaltung") with an office."""
    form = StaffForm()
    if form.validate_on_submit():
        person = accounts.find_by_email(form.email.data)
        try:
            if person is None:
                raise accounts.AccountError(
                    _("No account in this town uses this address."), "email"
                )
            accounts.confirm_staff(person, form.organisation.data)
        except accounts.AccountError as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            log.info("%s confirmed %s as staff", current_user.ref, person.ref)
            flash(_("%(name)s is confirmed as staff.", name=person.display_name), "success")
            return redirect(url_for("admin.staff"))
    return render_template("admin/staff.html", form=form, people=accounts.confirmed_staff()), (
        400 if form.errors else 200
    )


@bp.post("/mitarbeitende/<ref>/entziehen")
def revoke_staff(ref: str) -> ResponseReturnValue:
    person = found_or_404(accounts.find_by_ref(ref))
    if not person.is_confirmed_staff:
        abort(404)
    accounts.revoke_staff(person)
    db.session.commit()
    log.info("%s revoked staff of %s", current_user.ref, person.ref)
    flash(_("%(name)s is no longer shown as staff.", name=person.display_name), "success")
    return redirect(url_for("admin.staff"))


# --- sign-in: the town's provider (read only) and the second factor -------------------


@bp.get("/anmeldung")
def sign_in() -> str:
    row = secondfactor.settings()
    return render_template(
        "admin/sign_in.html",
        settings=row,
        provider=sso.provider(),
        people=secondfactor.people_it_concerns(),
        policy_form=SecondFactorPolicyForm(),
        reset_form=ButtonForm(),
        lists=sso.configured_lists(row) if row else {},
    )


@bp.post("/anmeldung/zweiter-faktor")
def second_factor_policy() -> ResponseReturnValue:
    form = SecondFactorPolicyForm()
    if not form.validate_on_submit():
        abort(400)
    required = form.required.data == "1"
    admin = current_user._get_current_object()
    if required and not admin.has_second_factor and not session.get("sso_mfa"):
        # Otherwise the admin would lock themselves out of these pages.
        flash(_("Please set up a second factor for your own account first."), "error")
        return redirect(url_for("admin.sign_in"))
    secondfactor.settings_for_update().require_second_factor = required
    audit.record(
        "sign_in.second_factor_required" if required else "sign_in.second_factor_optional",
        actor=admin,
    )
    db.session.commit()
    if required:
        flash(_("Admins and moderators now need a second factor."), "success")
    else:
        flash(_("A second factor is now optional for admins and moderators."), "success")
    return redirect(url_for("admin.sign_in"))


@bp.post("/anmeldung/<ref>/zuruecksetzen")
def reset_second_factor(ref: str) -> ResponseReturnValue:
    """Someone lost their phone and their recovery codes: another admin switches
    their second factor off (audited); they set it up again at their next login."""
    person = found_or_404(accounts.find_by_ref(ref))
    if not ButtonForm().validate_on_submit():
        abort(400)
    if person.id == current_user.id or not person.has_second_factor:
        abort(404)
    secondfactor.reset_by_admin(person)
    audit.record("second_factor.reset", actor=current_user._get_current_object(), subject=person)
    db.session.commit()
    log.info("%s reset the second factor of %s", current_user.ref, person.ref)
    flash(_("The second factor of %(name)s is switched off.", name=person.display_name), "success")
    return redirect(url_for("admin.sign_in"))
