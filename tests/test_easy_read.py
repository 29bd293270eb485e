"""The site explained in Leichte Sprache / Easy Read (BITV 2.0 § 4): one page per
town, linked from every footer, the core's text until the town writes its own,
and a link (never an embedded player) to the town's sign-language video."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from projektfabrik.extensions import db
from projektfabrik.tenancy import config_files
from projektfabrik.testing import Town, login


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _sync(town: Town, folder: Path, toml: str, **files: str) -> None:
    """Write the town's tenant.toml and texts, then ``tenant sync`` it."""
    folder.mkdir(parents=True, exist_ok=True)
    hosts = ", ".join(f'"{h}"' for h in [town.host, *town.aliases])
    (folder / "tenant.toml").write_text(
        f'slug = "{town.slug}"\nname = "{town.tenant.name}"\nhosts = [{hosts}]\n' + toml,
        encoding="utf-8",
    )
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    config_files.apply(config_files.load(folder))
    db.session.commit()


def test_every_page_links_to_the_easy_read_page(town_a: Town) -> None:
    client = town_a.client()
    for path in ("/", "/anmelden", "/projekte", "/impressum", "/leichte-sprache"):
        page = client.get(path).get_data(as_text=True)
        assert '<a href="/leichte-sprache"' in page, path
        assert ">Leichte Sprache</a>" in page, path


def test_the_core_text_explains_the_site_in_leichte_sprache(town_a: Town) -> None:
    response = town_a.client().get("/leichte-sprache")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(html)
    assert "<h1>Leichte Sprache</h1>" in html
    assert "Diese Internet-Seite ist von Stadt A." in text
    assert "So machen Sie mit" in text and "Ein Pass-Wort ist ein geheimes Wort." in text
    # One statement per line: the line breaks of the text stay on the page.
    assert "Hier machen Menschen aus Stadt A zusammen Projekte.</p>" in html
    assert "Ein Projekt ist eine Idee für den Ort.<br" in html
    # Its links lead to the town's own pages.
    for path in ("/registrieren", "/anmelden", "/barrierefreiheit", "/impressum"):
        assert f'href="{path}"' in html, path
    assert "Gebärden" not in text  # no video set: no empty promise


def test_in_english_it_is_easy_read(town_a: Town) -> None:
    client = town_a.client()
    client.post("/language", data={"locale": "en", "next": "/leichte-sprache"})
    html = client.get("/leichte-sprache").get_data(as_text=True)
    assert '<html lang="en">' in html and "<h1>Easy Read</h1>" in html
    assert "This website belongs to Stadt A." in _text(html)
    assert ">Easy Read</a>" in html
    assert "Internet-Seite" not in html


def test_the_town_replaces_the_text_and_links_its_sign_language_video(
    town_a: Town, town_b: Town, tmp_path: Path
) -> None:
    video = "https://video.stadt-a.test/gebaerdensprache.mp4"
    # A visitor's page is cached; the sync ends that (the town's content version).
    assert "Diese Internet-Seite ist von" in town_a.client().get("/leichte-sprache").get_data(
        as_text=True
    )
    with town_a.context():
        _sync(
            town_a,
            tmp_path / town_a.slug,
            f'sign_language_video_url = "{video}"\n'
            '[texts]\neasy_read = "leichte-sprache.md"\neasy_read_en = "easy-read.md"\n',
            **{
                "leichte-sprache.md": "## Unser Rathaus\n\nDas Rathaus ist am Markt.\n"
                "Es ist von 8 bis 12 Uhr offen.",
                "easy-read.md": "## Our town hall\n\nThe town hall is at the market.",
            },
        )
    client = town_a.client()
    html = client.get("/leichte-sprache").get_data(as_text=True)
    assert "Das Rathaus ist am Markt.<br" in html
    assert "Diese Internet-Seite ist von" not in html  # the core's text is replaced
    assert f'<a href="{video}" rel="noopener noreferrer">' in html
    assert "Video in Deutscher Gebärden-Sprache ansehen" in html
    assert "<iframe" not in html and "<video" not in html and "<script" not in html
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "The town hall is at the market." in client.get("/leichte-sprache").get_data(
        as_text=True
    )
    # Town B keeps the core's text and has no video: nothing of town A crosses.
    other = town_b.client().get("/leichte-sprache").get_data(as_text=True)
    assert "Diese Internet-Seite ist von Stadt B." in _text(other)
    assert "Rathaus" not in other and video not in other and "Stadt A" not in other


def test_a_logged_in_person_sees_the_page_too(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    html = client.get("/leichte-sprache").get_data(as_text=True)
    assert 'aria-current="page">Leichte Sprache</a>' in html


@pytest.mark.parametrize(
    "value",
    ['"javascript:alert(1)"', '"video.mp4"', '"https://x.test/a b"', "42", '"https://x.test/<b>"'],
)
def test_the_video_must_be_a_web_address(app: Flask, tmp_path: Path, value: str) -> None:
    folder = tmp_path / "kleinstadt"
    folder.mkdir()
    (folder / "tenant.toml").write_text(
        f'name = "Kleinstadt"\nhosts = ["kleinstadt.test"]\nsign_language_video_url = {value}\n'
    )
    with pytest.raises(config_files.TenantConfigError, match="sign_language_video_url"):
        config_files.load(folder)


def test_a_new_towns_tenant_toml_mentions_the_easy_read_texts(tmp_path: Path) -> None:
    config_files.write_new(tmp_path / "neustadt", "neustadt", "Neustadt", ["neustadt.test"])
    toml = (tmp_path / "neustadt" / "tenant.toml").read_text(encoding="utf-8")
    assert '# easy_read = "leichte-sprache.md"' in toml
    assert "sign_language_video_url" in toml
    spec = config_files.load(tmp_path / "neustadt")
    assert spec.sign_language_video_url is None and "easy_read_md" not in spec.texts
