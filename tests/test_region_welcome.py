"""The region's welcome text in the visitor's language (``[texts.welcome]`` in region.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from projektfabrik.extensions import db
from projektfabrik.regions import config
from projektfabrik.testing import Town

HOST = "region-welcome.test"


def _folder(tmp_path: Path, toml_texts: str, **files: str) -> Path:
    folder = tmp_path / "_regions" / "kreis"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    (folder / "region.toml").write_text(
        f'name = "Landkreis Test"\nhost = "{HOST}"\nmembers = ["stadt-a"]\n{toml_texts}',
        encoding="utf-8",
    )
    return folder


def _page(app: Flask, language: str | None) -> str:
    client = app.test_client()
    if language:
        client.set_cookie("sprache", language, domain=HOST)
    response = client.get("/region/projekte", base_url=f"http://{HOST}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_language_reads_its_own_welcome(app: Flask, town_a: Town, tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[texts.welcome]\nde = "willkommen.md"\nen = "welcome.md"\n',
        willkommen_md="Willkommen im Kreis.",
        welcome_md="Welcome to the district.",
    )
    config.apply(config.load(folder))
    db.session.commit()
    german, english = _page(app, "de"), _page(app, "en")
    assert "Willkommen im Kreis." in german and "Welcome to the district." not in german
    assert "Welcome to the district." in english and "Willkommen im Kreis." not in english


def test_a_language_without_its_own_text_reads_the_german_one(
    app: Flask, town_a: Town, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path, '[texts.welcome]\nde = "willkommen.md"\n', willkommen_md="Willkommen im Kreis."
    )
    config.apply(config.load(folder))
    db.session.commit()
    assert "Willkommen im Kreis." in _page(app, "en")


def test_the_single_welcome_file_still_shows_in_every_language(
    app: Flask, town_a: Town, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, '[texts]\nwelcome = "text.md"\n', text_md="Ein Text für alle.")
    loaded = config.load(folder)
    assert loaded.welcome_md == "Ein Text für alle." and loaded.welcome_by_language == ()
    config.apply(loaded)
    db.session.commit()
    assert "Ein Text für alle." in _page(app, "de")
    assert "Ein Text für alle." in _page(app, "en")


def test_a_later_sync_with_one_text_forgets_the_languages(
    app: Flask, town_a: Town, tmp_path: Path
) -> None:
    folder = _folder(
        tmp_path,
        '[texts.welcome]\nde = "willkommen.md"\nen = "welcome.md"\n',
        willkommen_md="Willkommen.",
        welcome_md="Welcome.",
    )
    region = config.apply(config.load(folder))
    db.session.commit()
    (folder / "region.toml").write_text(
        f'name = "Landkreis Test"\nhost = "{HOST}"\nmembers = ["stadt-a"]\n'
        '[texts]\nwelcome = "willkommen.md"\n',
        encoding="utf-8",
    )
    config.apply(config.load(folder))
    db.session.commit()
    assert region.welcome_by_language == {}
    assert "Willkommen." in _page(app, "en")


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ('[texts.welcome]\nDeutsch = "a.md"\n', "no language code"),
        ('[texts.welcome]\nde = "fehlt.md"\n', "fehlt.md"),
        ("[texts.welcome]\nde = 3\n", "file names"),
    ],
)
def test_a_wrong_welcome_table_is_refused_with_its_reason(
    tmp_path: Path, texts: str, message: str
) -> None:
    folder = _folder(tmp_path, texts, a_md="x")
    with pytest.raises(config.RegionConfigError, match=message):
        config.load(folder)
