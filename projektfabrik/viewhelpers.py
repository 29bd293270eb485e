"""Small pieces that views share: the core's planning and team views, and plugins
(``projektfabrik.api`` exports ``found_or_404`` and ``show_refusal``)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, flash

from projektfabrik.extensions import db
from projektfabrik.refusal import Refusal

T = TypeVar("T")


def found_or_404(item: T | None) -> T:
    """The thing a URL names; a ref that names nothing here answers 404.

    Another team's or town's ref looks up as nothing too, so both look the same.
    """
    if item is None:
        abort(404)
    return item


def show_refusal(form: Any, error: Refusal) -> None:
    """Roll back the refused change and say why, so the form can be shown again as typed.

    The message goes beside the field it concerns; when that field is not on
    this form (or there is no form: ``None``, or the error names no ``field``),
    it is flashed as an error instead, so it is never lost.
    """
    db.session.rollback()
    name = getattr(error, "field", None)
    field = getattr(form, name, None) if name and form is not None else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
