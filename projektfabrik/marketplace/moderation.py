"""The moderators' queue of reported comments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from projektfabrik.accounts.permissions import moderator_required
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.forms import HideForm
from projektfabrik.projects.models import Project

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
