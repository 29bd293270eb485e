"""What the "Module" page shows and does, without the HTTP around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from projektfabrik.plugins import state
from projektfabrik.plugins.manager import PluginRecord, get_manager

#: Fields that are part of every form, not settings.
NOT_SETTINGS = {"csrf_token", "submit"}


@dataclass
class Module:
    name: str
    title: str
    description: str
    version: str
    enabled: bool
    form: FlaskForm | None
    #: Labels of secret settings whose stored value cannot be decrypted.
    unreadable: list[str] = field(default_factory=list)


def available(name: str) -> PluginRecord | None:
    """The plugin, if it is installed and this town may use it."""
    if not any(row.name == name for row in state.available_plugins()):
        return None
    return get_manager().records[name]


def settings_form(record: PluginRecord, formdata: MultiDict | None = None) -> FlaskForm | None:
    """The plugin's settings form for this town, filled with the current values.

    Secret settings are never put into the form: their fields stay empty, with
    a hint whether a value is stored. With ``formdata`` (a POST) the caller
    hides them after validation, with :func:`hide_secrets`.
    """
    spec = record.settings
    if spec is None or spec.form is None:
        return None
    values = state.settings(record.name)
    data = {key: value for key, value in values.items() if key not in spec.secret}
    form = spec.form(formdata=formdata, prefix=record.name, data=data)
    if formdata is None:
        hide_secrets(form, record, values)
    return form


def hide_secrets(form: FlaskForm, record: PluginRecord, values: dict[str, Any]) -> None:
    assert record.settings is not None
    unreadable = state.unreadable_secrets(record.name)
    for key in record.settings.secret:
        if key not in form:
            continue
        secret_field = form[key]
        secret_field.data = ""
        secret_field.raw_data = []
        if key in unreadable:
            secret_field.description = _(
                "The stored value can no longer be read (the site's key has changed or "
                "the value comes from another site). Please enter it again."
            )
        elif values.get(key):
            secret_field.description = _(
                "A value is stored and not shown. Leave the field empty to keep it."
            )
        else:
            secret_field.description = _("No value is stored.")


def unreadable_labels(form: FlaskForm | None, record: PluginRecord) -> list[str]:
    """The labels of the secret settings the admin has to enter again."""
    if form is None:
        return []
    unreadable = state.unreadable_secrets(record.name)
    return [form[key].label.text for key in sorted(unreadable) if key in form]


def settings_from(form: FlaskForm, record: PluginRecord) -> dict[str, Any]:
    assert record.settings is not None
    return {
        field.short_name: field.data
        for field in form
        if field.short_name not in NOT_SETTINGS and field.short_name in record.settings.defaults
    }


def modules(bound: str | None = None, bound_form: FlaskForm | None = None) -> list[Module]:
    """The modules this town may use, each with its settings form.

    ``bound_form`` replaces the form of the module ``bound`` (a form that failed
    validation and is shown again with its errors).
    """
    manager = get_manager()
    entries = []
    for row in state.available_plugins():
        record = manager.records[row.name]
        form = bound_form if row.name == bound else settings_form(record)
        entries.append(
            Module(
                name=record.name,
                title=record.title,
                description=record.description,
                version=record.version,
                enabled=row.enabled,
                form=form,
                unreadable=unreadable_labels(form, record),
            )
        )
    return entries
