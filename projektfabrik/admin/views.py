"""The town admin's pages. Admins only: guests are sent to log in, everyone else gets 403."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from projektfabrik.accounts import permissions, secondfactor, sso
from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Role
from projektfabrik.admin import auditlog, legal, names, people, services, settings, statistics
from projektfabrik.admin.forms import (
    AppearanceForm,
    ButtonForm,
    LegalTextForm,
    LogoForm,
    NameForm,
    OrganisationForm,
    RoleForm,
    SecondFactorPolicyForm,
    StaffForm,
    SwitchForm,
)
from projektfabrik.audit import services as audit
from projektfabrik.downloads import send_download
from projektfabrik.exports import csv_for_people
from projektfabrik.extensions import db
from projektfabrik.markup import render_markdown
from projektfabrik.plugins import runtime, state
from projektfabrik.plugins.types import NavArea
from projektfabrik.requestsize import accepts_files
from projektfabrik.tenancy.branding import palette
from projektfabrik.viewhelpers import found_or_404, show_refusal

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/verwaltung")


@bp.before_request
def only_admins() -> ResponseReturnValue | None:
    return permissions.gate(permissions.is_admin)


@bp.get("/")
def index() -> str:
    return render_template(
        "admin/index.html",
        sections=runtime.nav_items(NavArea.ADMIN),
        missing=legal.missing_before_launch(g.tenant),
        no_contact=not (g.tenant.contact_email or g.tenant.contact_address),
    )


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
    audit.record("module.switched", actor=current_user, target=name, detail={"on": enabled})
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
        audit.record("module.settings_saved", actor=current_user, target=name)
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
            audit.record("staff.confirmed", actor=current_user, subject=person)
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
    audit.record("staff.revoked", actor=current_user, subject=person)
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


# --- appearance and contact ------------------------------------------------------------


def _appearance_page(
    form: AppearanceForm, logo_form: LogoForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "admin/appearance.html",
        form=form,
        logo_form=logo_form,
        palette=palette(g.tenant.primary_color, g.tenant.on_brand_color),
    ), status


@bp.route("/erscheinungsbild", methods=["GET", "POST"])
def appearance() -> ResponseReturnValue:
    tenant = g.tenant
    form = AppearanceForm(
        data={
            "name": tenant.name,
            "short_name": tenant.short_name,
            "primary_color": tenant.primary_color,
            "text_on_brand": settings.text_choice(tenant),
            "headline": tenant.headline,
            "welcome_md": tenant.welcome_md,
            "contact_email": tenant.contact_email,
            "contact_address": tenant.contact_address,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        try:
            changed = settings.save_appearance(
                tenant,
                current_user,
                settings.Appearance(
                    name=form.name.data or "",
                    short_name=form.short_name.data or "",
                    primary_color=form.primary_color.data or "",
                    text_on_brand=form.text_on_brand.data or "auto",
                    headline=form.headline.data or "",
                    welcome_md=form.welcome_md.data or "",
                    contact_email=form.contact_email.data or "",
                    contact_address=form.contact_address.data or "",
                ),
            )
        except settings.SettingsError as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            if changed:
                flash(_("The appearance is saved. Every page shows it now."), "success")
            else:
                flash(_("Nothing was changed."), "success")
            return redirect(url_for("admin.appearance"))
    return _appearance_page(form, LogoForm(), 400 if form.errors else 200)


@bp.post("/erscheinungsbild/logo")
@accepts_files
def upload_logo() -> ResponseReturnValue:
    logo_form = LogoForm()
    if logo_form.validate_on_submit():
        try:
            old = settings.save_logo(g.tenant, current_user, logo_form.logo.data.stream)
        except settings.SettingsError as refused:
            show_refusal(logo_form, refused)
        else:
            db.session.commit()
            settings.delete_logo_file(old)
            flash(_("The new logo is saved."), "success")
            return redirect(url_for("admin.appearance") + "#logo-heading")
    form = AppearanceForm(
        formdata=None,
        data={
            "name": g.tenant.name,
            "short_name": g.tenant.short_name,
            "primary_color": g.tenant.primary_color,
            "text_on_brand": settings.text_choice(g.tenant),
            "headline": g.tenant.headline,
            "welcome_md": g.tenant.welcome_md,
            "contact_email": g.tenant.contact_email,
            "contact_address": g.tenant.contact_address,
        },
    )
    return _appearance_page(form, logo_form, 400)


@bp.post("/erscheinungsbild/logo/entfernen")
def remove_logo() -> ResponseReturnValue:
    if not g.tenant.has_logo:
        return redirect(url_for("admin.appearance"))
    old = settings.remove_logo(g.tenant, current_user)
    db.session.commit()
    settings.delete_logo_file(old)
    flash(_("The logo is removed."), "success")
    return redirect(url_for("admin.appearance"))


# --- legal pages -----------------------------------------------------------------------


@bp.get("/rechtstexte")
def legal_pages() -> str:
    return render_template(
        "admin/legal_pages.html",
        pages=[
            (page, bool(legal.current_text(g.tenant, page).strip()))
            for page in legal.PAGES.values()
        ],
    )


def _legal_page(slug: str) -> legal.LegalPage:
    page = legal.PAGES.get(slug)
    if page is None:
        abort(404)
    return page


@bp.route("/rechtstexte/<slug>", methods=["GET", "POST"])
def edit_legal(slug: str) -> ResponseReturnValue:
    page = _legal_page(slug)
    form = LegalTextForm()
    preview = None
    if request.method == "GET":
        start = request.args.get("vorlage") == "1"
        source = request.args.get("version", "")
        if source:
            version = found_or_404(legal.find_version(page, source))
            form.body.data = version.body_md
        elif start or not legal.current_text(g.tenant, page).strip():
            form.body.data = legal.template_text(g.tenant, page)
        else:
            form.body.data = legal.current_text(g.tenant, page)
    elif form.validate_on_submit():
        body = form.body.data or ""
        if request.form.get("action") == "save":
            legal.save(g.tenant, current_user, page, body)
            db.session.commit()
            flash(_("“%(title)s” is saved and shown on the site.", title=page.title()), "success")
            return redirect(url_for("admin.edit_legal", slug=slug))
        preview = render_markdown(body, top_level=3, line_breaks=True)
    return render_template(
        "admin/legal_edit.html",
        page=page,
        form=form,
        preview=preview,
        has_versions=bool(legal.versions(page)),
    ), (400 if form.errors else 200)


@bp.get("/rechtstexte/<slug>/versionen")
def legal_history(slug: str) -> str:
    page = _legal_page(slug)
    return render_template("admin/legal_history.html", page=page, versions=legal.versions(page))


@bp.get("/rechtstexte/<slug>/versionen/<ref>")
def legal_version(slug: str, ref: str) -> str:
    page = _legal_page(slug)
    version = found_or_404(legal.find_version(page, ref))
    return render_template(
        "admin/legal_version.html",
        page=page,
        version=version,
        body=render_markdown(version.body_md, line_breaks=True),
    )


# --- people and roles ------------------------------------------------------------------


@bp.get("/personen")
def people_list() -> str:
    query = request.args.get("q", "")
    page = request.args.get("seite", 1, type=int) or 1
    blocked_only = request.args.get("gesperrt") == "1"
    found = people.search(query, min(max(page, 1), 100_000), blocked_only=blocked_only)
    return render_template("admin/people.html", found=found, query=query, blocked_only=blocked_only)


@bp.get("/personen/<ref>")
def person(ref: str) -> ResponseReturnValue:
    found = found_or_404(people.find(ref))
    return _person_page(found, RoleForm(data={"role": found.role.value}))


def _person_page(
    found: Any,
    role_form: RoleForm,
    status: int = 200,
    organisation_form: OrganisationForm | None = None,
) -> ResponseReturnValue:
    if organisation_form is None:
        organisation_form = OrganisationForm(
            formdata=None,
            data={"organisation": found.confirmed_organisation or found.organisation},
        )
    return render_template(
        "admin/person.html",
        person=found,
        role_form=role_form,
        organisation_form=organisation_form,
        role_label=people.role_label(found.role),
    ), status


@bp.post("/personen/<ref>/rolle")
def change_role(ref: str) -> ResponseReturnValue:
    found = found_or_404(people.find(ref))
    form = RoleForm()
    if form.validate_on_submit():
        try:
            changed = people.set_role(current_user, found, Role(form.role.data))
        except people.PeopleError as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            if changed:
                flash(
                    _(
                        "%(name)s is now: %(role)s.",
                        name=found.display_name,
                        role=people.role_label(found.role),
                    ),
                    "success",
                )
            if found.id == current_user.id and not found.is_admin:
                return redirect(url_for("site.landing"))
            return redirect(url_for("admin.person", ref=ref))
    return _person_page(found, form, 400)


@bp.post("/personen/<ref>/organisation")
def confirm_organisation(ref: str) -> ResponseReturnValue:
    found = found_or_404(people.find(ref))
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            people.confirm_organisation(current_user, found, form.organisation.data or "")
        except people.PeopleError as refused:
            show_refusal(form, refused)
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is confirmed as %(organisation)s.",
                    name=found.display_name,
                    organisation=found.confirmed_organisation,
                ),
                "success",
            )
            return redirect(url_for("admin.person", ref=ref))
    return _person_page(found, RoleForm(data={"role": found.role.value}), 400, form)


@bp.post("/personen/<ref>/organisation/entziehen")
def revoke_organisation(ref: str) -> ResponseReturnValue:
    found = found_or_404(people.find(ref))
    people.revoke_organisation(current_user, found)
    db.session.commit()
    flash(_("The confirmation is taken back."), "success")
    return redirect(url_for("admin.person", ref=ref))


@bp.post("/personen/<ref>/<any(sperren, entsperren):what>")
def block_person(ref: str, what: str) -> ResponseReturnValue:
    found = found_or_404(people.find(ref))
    try:
        if what == "sperren":
            people.block(current_user, found)
        else:
            people.unblock(current_user, found)
    except people.PeopleError as refused:
        show_refusal(None, refused)
    else:
        db.session.commit()
        if what == "sperren":
            flash(_("%(name)s is blocked.", name=found.display_name), "success")
        else:
            flash(_("%(name)s is unblocked.", name=found.display_name), "success")
    return redirect(url_for("admin.person", ref=ref))


# --- audit log -------------------------------------------------------------------------


@bp.get("/protokoll")
def audit_log() -> str:
    before = request.args.get("vor", type=int)
    if before is not None and not 0 < before < 2**31:
        before = None  # not a row id any database holds
    rows = audit.entries(limit=51, before_id=before)
    return render_template(
        "admin/audit.html",
        rows=rows[:50],
        more=rows[49].id if len(rows) > 50 else None,
        audit_text=auditlog.describe,
    )


# --- statistics ------------------------------------------------------------------------


@bp.get("/statistik")
def statistics_page() -> str:
    stats = statistics.gather()
    return render_template(
        "admin/statistics.html",
        stats=stats,
        sections=statistics.sections(stats) + statistics.plugin_sections(),
    )


@bp.get("/statistik.csv")
def statistics_csv() -> Response:
    stats = statistics.gather()
    rows = statistics.csv_rows(statistics.sections(stats) + statistics.plugin_sections())
    name = _("statistics") + f"-{g.tenant.slug}.csv"
    return send_download(csv_for_people(rows), name, "text/csv")
