"""Every string the core shows has a German translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from projektfabrik.config import REPO_ROOT

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _source_messages() -> set[str]:
    with open(REPO_ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO_ROOT / "projektfabrik"),
        method_map,
        options_map,
        keywords={"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)},
    ):
        # A plural message is known by its singular form.
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def german() -> dict[str, str]:
    """Message id (singular for plurals) -> German text (all plural forms joined)."""
    path = Path(REPO_ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po")
    with open(path, "rb") as po:
        catalog = read_po(po, locale="de")
    german = {}
    for m in catalog:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, str):
            german[m.id] = m.string
        else:
            forms = list(m.string)
            german[m.id[0]] = " | ".join(forms) if all(forms) else ""
    return german


def test_every_message_has_a_german_translation(german: dict[str, str]) -> None:
    missing = sorted(m for m in _source_messages() if not german.get(m))
    assert not missing, (
        "German translations missing (see docs/i18n.md for the workflow):\n" + "\n".join(missing)
    )


def test_translations_keep_their_placeholders(german: dict[str, str]) -> None:
    wrong = [
        msgid
        for msgid, text in german.items()
        if text and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    ]
    assert not wrong, wrong


def test_a_german_page_is_german(town_a) -> None:  # type: ignore[no-untyped-def]
    page = town_a.client().get("/anmelden").get_data(as_text=True)
    assert "Passwort vergessen?" in page
    assert "Forgot your password?" not in page


def test_a_template_inside_force_locale_speaks_that_language(town_a) -> None:  # type: ignore[no-untyped-def]
    # The templates' _() keeps the request's last catalogue (plugins/i18n.py,
    # translations()); a mail rendered in the reader's language within a German
    # request must not get it, and the page must get German back afterwards.
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ _('Forgot your password?') }} {{ ngettext('%(num)d supporter', '%(num)d supporters', 2) }}"
    with town_a.request_context():
        assert render_template_string(template) == "Passwort vergessen? 2 Unterstützungen"
        with force_locale("en"):
            assert render_template_string(template) == "Forgot your password? 2 supporters"
        assert render_template_string(template) == "Passwort vergessen? 2 Unterstützungen"


def test_wtforms_own_messages_speak_the_request_s_language(town_a) -> None:  # type: ignore[no-untyped-def]
    # WTForms' catalogue comes from the worker's memory (i18n.AppRequest), per language.
    from flask_babel import force_locale
    from flask_wtf import FlaskForm
    from wtforms import StringField
    from wtforms.validators import DataRequired

    class Form(FlaskForm):
        name = StringField(validators=[DataRequired()])

    with town_a.request_context():
        form = Form(formdata=None, meta={"csrf": False})
        assert not form.validate() and form.name.errors == ["Dieses Feld wird benötigt."]
        with force_locale("en"):
            form = Form(formdata=None, meta={"csrf": False})
            assert not form.validate() and form.name.errors == ["This field is required."]
