"""Plugin catalogues are merged into the UI; the core's wins where msgids collide."""

from __future__ import annotations

import os
import time
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from flask import Flask
from flask_babel import gettext, refresh

from projektfabrik.plugins import get_manager
from projektfabrik.plugins.i18n import EXTENSION, MergedDomain, load_catalogue
from projektfabrik.testing import Town, use_plugin


def _catalogue(folder: Path, messages: dict[str, str], mo: bool = False) -> Path:
    catalog = Catalog(locale="de")
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    target = folder / "de" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ("messages.mo" if mo else "messages.po"), "wb") as out:
        (write_mo if mo else write_po)(out, catalog)
    return target


def test_german_pages_show_the_plugins_german_strings(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    client = town_a.client()
    page = client.get("/pinnwand/").get_data(as_text=True)
    assert "<h1>Pinnwand" in page and "Die Pinnwand ist leer." in page
    assert "Zur Pinnwand" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    page = client.get("/pinnwand/").get_data(as_text=True)
    assert "<h1>Notice board" in page and "The board is empty." in page


def test_the_example_plugin_registers_its_catalogue(app: Flask) -> None:
    # Other plugins of the repository (e.g. funding) may be installed too.
    folders = [
        f
        for f in get_manager(app).translation_folders()
        if f.parent.name == "projektfabrik_pinnwand"
    ]
    assert len(folders) == 1
    assert (folders[0] / "de" / "LC_MESSAGES" / "messages.po").is_file()


def test_a_po_file_is_compiled_in_memory_and_wins_over_a_stale_mo(tmp_path: Path) -> None:
    _catalogue(tmp_path, {"Hello": "Hallo alt"}, mo=True)
    stale = tmp_path / "de" / "LC_MESSAGES" / "messages.mo"
    past = time.time() - 60
    os.utime(stale, (past, past))
    _catalogue(tmp_path, {"Hello": "Hallo neu"})
    assert load_catalogue(tmp_path, Locale("de")).gettext("Hello") == "Hallo neu"
    os.utime(stale, None)  # now the .mo is the newer one
    assert load_catalogue(tmp_path, Locale("de")).gettext("Hello") == "Hallo alt"
    assert load_catalogue(tmp_path, Locale("fr")) is None


def test_the_core_catalogue_wins_over_a_plugins(app: Flask, town_a: Town, tmp_path: Path) -> None:
    plugin_folder = tmp_path / "translations"
    _catalogue(plugin_folder, {"Log in": "Reinkommen", "Only in the plugin": "Nur im Plugin"})
    core = app.extensions[EXTENSION]._folders[-1:]
    domain = MergedDomain(core, [plugin_folder])
    with app.test_request_context(base_url=f"http://{town_a.host}"):
        domain.as_default()
        refresh()
        assert gettext("Log in") == "Anmelden"
        assert gettext("Only in the plugin") == "Nur im Plugin"
