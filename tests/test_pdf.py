"""The core's PDF helper: the town's branding, page numbers in the reader's language,
title and language in the metadata, tagged, and a fetcher that reads nothing but
the town's own files."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_babel import force_locale
from jinja2 import ChoiceLoader, DictLoader
from PIL import Image
from pypdf import PdfReader

from projektfabrik import pdf
from projektfabrik.extensions import db
from projektfabrik.testing import Town


def needs_pdf() -> None:
    if pdf.available():
        return
    if os.environ.get("CI"):
        pytest.fail("WeasyPrint cannot be loaded here")
    pytest.skip("WeasyPrint cannot be loaded here (Pango missing?)")


@contextmanager
def as_town(town: Town) -> Iterator[None]:
    with town.app.test_request_context(base_url=f"http://{town.host}"), town.context():
        yield


def give_logo(town: Town, colour: str) -> Path:
    folder = Path(town.app.config["TENANTS_DIR"]) / town.slug
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 40), colour).save(folder / "logo.png")
    with town.context():
        tenant = db.session.merge(town.tenant)
        tenant.logo_file = "logo.png"
        db.session.commit()
    return folder / "logo.png"


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


# --- the fetcher ---------------------------------------------------------------------------


def test_the_fetcher_reads_the_towns_logo_and_static_files_only(
    town_a: Town, town_b: Town, tmp_path: Path
) -> None:
    logo_a = give_logo(town_a, "red")
    logo_b = give_logo(town_b, "blue")
    outside = tmp_path / "secret.txt"
    outside.write_text("geheim")
    with as_town(town_a):
        fetcher = pdf.town_fetcher()
        css = Path(town_a.app.static_folder or "") / "css" / "pdf-base.css"
        assert fetcher.allows(logo_a.as_uri())
        assert fetcher.allows(css.as_uri())
        refused = [
            "http://example.org/logo.png",
            "https://stadt-a.test/static/css/pdf-base.css",
            "data:text/plain,hello",
            outside.as_uri(),
            "file:///etc/passwd",
            css.as_uri().replace("/css/pdf-base.css", "/css/../../../setup.cfg"),
            logo_b.as_uri(),  # another town's logo
        ]
        for url in refused:
            assert not fetcher.allows(url), url
            with pytest.raises(pdf.FetchRefused):
                fetcher.fetch(url)
        assert fetcher.fetch(logo_a.as_uri()).read()[:8] == b"\x89PNG\r\n\x1a\n"
    with as_town(town_b):
        assert not pdf.town_fetcher().allows(logo_a.as_uri())
        assert pdf.town_fetcher().allows(logo_b.as_uri())


# --- rendering ---------------------------------------------------------------------------


def test_a_pdf_has_title_language_tags_and_page_numbers(town_a: Town) -> None:
    needs_pdf()
    with as_town(town_a), force_locale("de"):
        data = pdf.render_pdf("pdf/base.html", title="Förderantrag: Gartenbank")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None and reader.metadata.title == "Förderantrag: Gartenbank"
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("de")
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    text = text_of(data)
    assert "Seite 1 von 1" in text and "Stadt A" in text
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)


def test_the_page_numbers_follow_the_readers_language(town_a: Town) -> None:
    needs_pdf()
    with as_town(town_a), force_locale("en"):
        data = pdf.render_pdf("pdf/base.html", title="Application")
    assert "Page 1 of 1" in text_of(data)
    assert str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]).startswith("en")


def test_a_template_cannot_make_the_renderer_fetch_elsewhere(
    town_a: Town, town_b: Town, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever ends up in a template (people's text, a plugin's mistake), only the
    town's own logo is read: the other images are left out."""
    needs_pdf()
    give_logo(town_a, "red")
    logo_b = give_logo(town_b, "blue")
    stolen = tmp_path / "stolen.png"
    Image.new("RGB", (10, 10), "green").save(stolen)
    page = (
        '{% extends "pdf/base.html" %}{% block content %}'
        '<img src="http://127.0.0.1:9/x.png" alt="">'
        f'<img src="{stolen.as_uri()}" alt="">'
        f'<img src="{logo_b.as_uri()}" alt="">'
        "<p>Inhalt</p>{% endblock %}"
    )
    app = town_a.app
    monkeypatch.setattr(
        app.jinja_env, "loader", ChoiceLoader([DictLoader({"t.html": page}), app.jinja_loader])
    )
    asked: list[str] = []
    allows = pdf.LockedFetcher.allows

    def spy(self: pdf.LockedFetcher, url: str) -> bool:
        asked.append(url)
        return allows(self, url)

    monkeypatch.setattr(pdf.LockedFetcher, "allows", spy)
    with as_town(town_a):
        data = pdf.render_pdf("t.html", title="Test")
    assert {stolen.as_uri(), logo_b.as_uri(), "http://127.0.0.1:9/x.png"} <= set(asked)
    reader = PdfReader(io.BytesIO(data))
    images = [image for p in reader.pages for image in p.images]
    assert len(images) == 1  # the town's own logo, nothing else
    assert "Inhalt" in text_of(data)


# --- one way to make a PDF ------------------------------------------------------------------


def test_no_code_but_pdf_py_uses_weasyprint() -> None:
    """Every PDF a person gets (the plan, the funding application and notice, any
    plugin's) goes through :func:`projektfabrik.pdf.render_pdf`, which tags it and
    sets title and language. The equivalent of ``grep -r weasyprint projektfabrik
    plugins`` over the files in git: only pdf.py may name it (a plugin gets PDFs
    through ``projektfabrik.api``, so it does not depend on WeasyPrint either)."""
    root = Path(__file__).resolve().parents[1]
    listed = (
        subprocess.run(
            [
                "git",
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
                "projektfabrik",
                "plugins",
            ],
            cwd=root,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    files = [root / name for name in listed if name]
    assert any(f.name == "pdf.py" for f in files) and len(files) > 50
    naming = sorted(
        str(f.relative_to(root))
        for f in files
        if f.is_file() and b"weasyprint" in f.read_bytes() and f != root / "projektfabrik/pdf.py"
    )
    assert naming == [], f"WeasyPrint used outside projektfabrik/pdf.py: {naming}"
