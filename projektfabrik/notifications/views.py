"""The bell, the mail settings, and one-click unsubscribe links."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.extensions import csrf, db
from projektfabrik.notifications import services
from projektfabrik.notifications.forms import settings_form
from projektfabrik.notifications.kinds import DIGEST, kinds_for, label_for
from projektfabrik.notifications.tokens import UnsubscribeTokenError, redeem_unsubscribe_token

bp = Blueprint("notifications", __name__)


@bp.get("/benachrichtigungen")
@login_required
def index() -> str:
    return render_template("notifications/index.html", notifications=services.recent(current_user))


@bp.post("/benachrichtigungen/gelesen")
@login_required
def mark_read() -> Response:
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/benachrichtigungen/einstellungen", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    kinds = kinds_for(current_user)
    current = {k: d.value for k, d in services.preferences(current_user).items()}
    form = settings_form(kinds, current)
    if form.validate_on_submit():
        services.set_preferences(current_user, {k.key: form[k.key].data for k in kinds})
        db.session.commit()
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form, kinds=kinds), status


def _kind_text(kind: str) -> str:
    return _("Daily summaries") if kind == DIGEST else label_for(kind)


# A mail client's one-click POST (RFC 8058) carries no CSRF token: the signed
# link is the authorisation, and unsubscribing twice does no harm.
@bp.route("/benachrichtigungen/abbestellen/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        found = redeem_unsubscribe_token(token)
    except UnsubscribeTokenError:
        return render_template("notifications/unsubscribe_invalid.html"), 400
    if request.method == "GET":
        return render_template(
            "notifications/unsubscribe.html", what=_kind_text(found.kind), done=False
        )
    services.unsubscribe(found.user, found.kind)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", what=_kind_text(found.kind), done=True)


def init_app(app: Flask) -> None:
    @app.context_processor
    def unread() -> dict[str, int]:
        # No town (an unknown host's bare error page): nobody can be logged in.
        if g.get("tenant") is None:
            return {"unread_notifications": 0}
        if current_user and current_user.is_authenticated:
            return {"unread_notifications": services.unread_count(current_user)}
        return {"unread_notifications": 0}
