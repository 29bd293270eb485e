"""Moderators' queue, and the admin's lists of categories and districts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from projektfabrik.accounts.permissions import admin_required, moderator_required
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.forms import HideForm, NameForm
from projektfabrik.projects.models import Category, Project
from projektfabrik.tenancy.models import District

bp = Blueprint("moderation", __name__)


@bp.get("/moderation")
@moderator_required
def queue() -> str:
    reports = services.open_reports()
    projects = {
        p.id: p
        for p in db.session.scalars(
            select(Project).where(Project.id.in_({r.comment.project_id for r in reports}))
        )
    }
    return render_template(
        "marketplace/moderation.html",
        reports=reports,
        projects=projects,
        hide_form=HideForm(formdata=None),
    )


def _report(ref: str):  # type: ignore[no-untyped-def]
    from projektfabrik.marketplace.models import Report

    report = db.session.scalar(select(Report).where(Report.ref == ref))
    if report is None:
        abort(404)
    return report


@bp.post("/moderation/<ref>/ausblenden")
@moderator_required
def hide(ref: str) -> ResponseReturnValue:
    report = _report(ref)
    form = HideForm()
    if form.validate_on_submit():
        services.hide_comment(report, current_user, form.reason.data)
        db.session.commit()
        flash(_("The comment is hidden and its author is notified."), "success")
        return redirect(url_for("moderation.queue"))
    flash(_("Please give the reason; the author will read it."), "error")
    return redirect(url_for("moderation.queue") + f"#meldung-{ref}")


@bp.post("/moderation/<ref>/ablehnen")
@moderator_required
def dismiss(ref: str) -> Response:
    services.dismiss_report(_report(ref), current_user)
    db.session.commit()
    flash(_("The report is closed; the comment stays visible."), "success")
    return redirect(url_for("moderation.queue"))


# --- categories and districts ------------------------------------------------------

LISTS = {
    "kategorien": (Category, lambda: _("Categories")),
    "ortsteile": (District, lambda: _("Districts")),
}


@bp.route("/verwaltung/<any(kategorien, ortsteile):kind>", methods=["GET", "POST"])
@admin_required
def names(kind: str) -> ResponseReturnValue:
    model, title = LISTS[kind]
    form = NameForm()
    if form.validate_on_submit():
        name = " ".join(form.name.data.split())
        if db.session.scalar(select(model).where(model.name == name)) is not None:
            form.name.errors = [_("This name is already in the list.")]
        else:
            position = len(db.session.scalars(select(model.id)).all())
            db.session.add(model(name=name, position=position))
            db.session.commit()
            flash(_("“%(name)s” is added.", name=name), "success")
            return redirect(url_for("moderation.names", kind=kind))
    rows = db.session.scalars(select(model).order_by(model.position, model.name)).all()
    return render_template(
        "marketplace/names.html", form=form, rows=rows, kind=kind, title=title()
    ), (400 if form.errors else 200)


@bp.post("/verwaltung/<any(kategorien, ortsteile):kind>/loeschen")
@admin_required
def delete_name(kind: str) -> Response:
    model, _title = LISTS[kind]
    row = db.session.scalar(select(model).where(model.name == request.form.get("name", "")))
    if row is None:
        abort(404)
    db.session.delete(row)  # projects and people keep working; they just lose the tag
    db.session.commit()
    flash(_("“%(name)s” is removed.", name=row.name), "success")
    return redirect(url_for("moderation.names", kind=kind))
