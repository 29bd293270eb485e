"""The notification settings form: one choice per kind."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

from projektfabrik.notifications.kinds import NotificationKind
from projektfabrik.notifications.models import Delivery


def delivery_choices() -> list[SelectChoice]:
    return [
        SelectChoice(Delivery.IMMEDIATELY.value, _l("Mail right away")),
        SelectChoice(Delivery.DAILY.value, _l("In a daily summary")),
        SelectChoice(Delivery.OFF.value, _l("No mail")),
    ]


def settings_form(kinds: Iterable[NotificationKind], current: dict[str, str]) -> FlaskForm:
    """A form with a radio group per kind (field name: the kind's key)."""

    class SettingsForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(
            SettingsForm,
            kind.key,
            RadioField(kind.label, choices=delivery_choices(), default=current.get(kind.key)),
        )
    return SettingsForm()
