"""The moderators' queue of reported comments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from projektfabrik.accounts.models import User
from projektfabrik.accounts.permissions import admin_required, moderator_required
from projektfabrik.accounts.services import find_by_ref
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.forms import HideForm
from projektfabrik.projects.models import Project
from projektfabrik.viewhelpers import show_refusal

bp = Blueprint("moderation", __name__)


@bp.get("/moderation")
@moderator_required
def queue() -> str:
    reports = services.open_reports()
    projects = {
        p.id: p
        for p in db.session.scalars(
            select(Project).where(Project.id.in_({r.project_id for r in reports}))
        )
    }
    return render_template(
        "marketplace/moderation.html",
        reports=reports,
        projects=projects,
        hide_form=HideForm(formdata=None),
        hidden=services.recently_hidden(),
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
        if report.comment is not None:
            flash(_("The comment is hidden and its author is notified."), "success")
        else:
            flash(_("The news is hidden and its author is notified."), "success")
        return redirect(url_for("moderation.queue"))
    flash(_("Please give the reason; the author will read it."), "error")
    return redirect(url_for("moderation.queue") + f"#meldung-{ref}")


@bp.post("/moderation/<ref>/ablehnen")
@moderator_required
def dismiss(ref: str) -> Response:
    services.dismiss_report(_report(ref), current_user)
    db.session.commit()
    flash(_("The report is closed; what was reported stays visible."), "success")
    return redirect(url_for("moderation.queue"))


@bp.post("/moderation/kommentare/<ref>/wiederherstellen")
@moderator_required
def restore(ref: str) -> Response:
    comment = services.find_comment(ref)
    if comment is None or comment.hidden_at is None:
        abort(404)
    services.restore_comment(comment, current_user)
    db.session.commit()
    flash(_("The comment is visible again and its author is notified."), "success")
    return redirect(url_for("moderation.queue"))


def _person(ref: str) -> User:
    person = find_by_ref(ref)
    if person is None or person.deleted_at is not None:
        abort(404)
    return person


@bp.post("/moderation/personen/<ref>/kommentare-ausblenden")
@moderator_required
def hide_person_comments(ref: str) -> Response:
    """All comments of one account at once (spam, abuse); linked from the admin's page."""
    person = _person(ref)
    form = HideForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason; the author will read it."), "error")
        return redirect(url_for("moderation.queue"))
    count = services.hide_comments_of(person, current_user, form.reason.data or "")
    db.session.commit()
    flash(
        ngettext(
            "%(num)d comment of %(name)s is hidden.",
            "%(num)d comments of %(name)s are hidden.",
            count,
            name=person.display_name,
        ),
        "success",
    )
    return redirect(url_for("moderation.queue"))


@bp.post("/moderation/personen/<ref>/spam-loeschen")
@admin_required
def delete_spam(ref: str) -> Response:
    """Admins only: the account is anonymised and its comments deleted."""
    person = _person(ref)
    name = person.display_name
    if request.form.get("confirm") != "1":
        flash(
            _("Please confirm that this is a spam account; deleting it cannot be undone."), "error"
        )
        return redirect(url_for("admin.person", ref=ref))
    try:
        count = services.delete_spam_account(person, current_user)
    except services.MarketplaceError as refused:
        show_refusal(None, refused)
        return redirect(url_for("moderation.queue"))
    db.session.commit()
    flash(
        ngettext(
            "The account of %(name)s is deleted with %(num)d comment.",
            "The account of %(name)s is deleted with %(num)d comments.",
            count,
            name=name,
        ),
        "success",
    )
    return redirect(url_for("admin.people_list"))
