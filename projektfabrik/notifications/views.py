"""The bell: a person's notifications."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from projektfabrik.extensions import db
from projektfabrik.notifications import services

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


def init_app(app: Flask) -> None:
    @app.context_processor
    def unread() -> dict[str, int]:
        if current_user and current_user.is_authenticated:
            return {"unread_notifications": services.unread_count(current_user)}
        return {"unread_notifications": 0}
