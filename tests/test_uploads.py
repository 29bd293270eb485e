"""The core's upload check: by content, per use, with each town's own size limit."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_babel import force_locale
from PIL import Image

from projektfabrik import uploads
from projektfabrik.extensions import db
from projektfabrik.tenancy import config_files
from projektfabrik.testing import Town, stored_bytes

# Run once more with PROJEKTFABRIK_TEST_STORAGE=s3 in CI (the marker's meaning: setup.cfg).
pytestmark = pytest.mark.storage

PDF_BYTES = b"%PDF-1.4\n%test\n"
EXE_BYTES = b"MZ\x90\x00\x03" + bytes(200)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@contextmanager
def as_town(town: Town) -> Iterator[None]:
    with (
        town.app.test_request_context(base_url=f"http://{town.host}"),
        town.context(),
        force_locale("de"),
    ):
        yield


def set_limit(town: Town, mb: int | None) -> None:
    with town.context():
        tenant = db.session.merge(town.tenant)
        tenant.upload_max_mb = mb
        db.session.commit()


def test_a_good_file_passes_and_is_stored_with_its_real_extension(town_a: Town) -> None:
    with as_town(town_a):
        checked = uploads.check_upload(
            io.BytesIO(PDF_BYTES), ["pdf", "png"], original_name="Satzung 2026.PDF"
        )
        assert checked.kind is uploads.PDF and checked.size == len(PDF_BYTES)
        assert checked.display_name == "Satzung 2026.pdf"
        name = uploads.store_upload("test-area", checked)
        assert name.endswith(".pdf")
        assert stored_bytes(town_a.app, town_a.tenant.id, "test-area", name) == PDF_BYTES
        assert uploads.check_upload(docx_bytes(), ["docx"]).kind is uploads.DOCX
        assert uploads.check_upload(png_bytes(), ["png", "jpeg"]).kind is uploads.PNG


@pytest.mark.parametrize(
    ("data", "name", "allowed"),
    [
        (PDF_BYTES, "bild.png", [uploads.PNG, uploads.JPEG]),  # a PDF called PNG
        (EXE_BYTES, "antrag.pdf", [uploads.PDF]),  # a program called PDF
        (b"\x89PNG\r\n\x1a\nnot really", "bild.png", [uploads.PNG]),  # a broken picture
        (b"PK\x03\x04" + bytes(30), "brief.docx", [uploads.DOCX]),  # a broken ZIP
        (b"<script>alert(1)</script>\x00", "notiz.txt", [uploads.TXT]),
    ],
)
def test_the_content_decides_not_the_name(
    town_a: Town, data: bytes, name: str, allowed: list[uploads.FileKind]
) -> None:
    with as_town(town_a), pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(data, allowed, original_name=name, field="attachment")
    assert refused.value.field == "attachment"
    assert "nicht angenommen" in refused.value.message


def test_the_refusal_names_the_allowed_kinds_in_the_readers_language(town_a: Town) -> None:
    with as_town(town_a), pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(EXE_BYTES, ["pdf", "jpeg", "png"])
    assert "PDF, JPEG oder PNG" in refused.value.message
    with (
        town_a.app.test_request_context(base_url=f"http://{town_a.host}"),
        town_a.context(),
        force_locale("en"),
        pytest.raises(uploads.UploadRefused) as english,
    ):
        uploads.check_upload(EXE_BYTES, ["pdf", "jpeg", "png"])
    assert "PDF, JPEG or PNG" in english.value.message


def test_an_empty_file_is_refused(town_a: Town) -> None:
    with as_town(town_a), pytest.raises(uploads.UploadRefused):
        uploads.check_upload(b"", ["txt"])


def test_a_too_large_file_is_refused_with_the_limit(town_a: Town) -> None:
    town_a.app.config["TEAM_FILE_MAX_MB"] = 2
    big = PDF_BYTES + b"x" * (2 * 1024 * 1024)
    with as_town(town_a):
        assert uploads.max_upload_mb() == 2
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.check_upload(io.BytesIO(big), ["pdf"])
        assert "2 MB" in refused.value.message
        # A use may set its own, smaller limit.
        with pytest.raises(uploads.UploadRefused) as smaller:
            uploads.check_upload(PDF_BYTES + b"x" * (1024 * 1024), ["pdf"], max_mb=1)
        assert "1 MB" in smaller.value.message


def test_a_towns_limit_applies_to_that_town_only(town_a: Town, town_b: Town) -> None:
    town_a.app.config["TEAM_FILE_MAX_MB"] = 10
    set_limit(town_a, 1)
    two_mb = PDF_BYTES + b"x" * (2 * 1024 * 1024)
    with as_town(town_a):
        assert uploads.max_upload_mb() == 1
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.check_upload(two_mb, ["pdf"])
        assert "1 MB" in refused.value.message
    with as_town(town_b):
        assert uploads.max_upload_mb() == 10
        assert uploads.check_upload(two_mb, ["pdf"]).size == len(two_mb)
    set_limit(town_b, 20)
    with as_town(town_a):
        assert uploads.max_upload_mb() == 1  # town B's larger limit does not reach town A


def test_a_towns_limit_comes_from_its_tenant_toml(tmp_path: Path) -> None:
    folder = tmp_path / "kleinstadt"
    folder.mkdir()
    base = 'name = "Kleinstadt"\nhosts = ["kleinstadt.test"]\n'
    (folder / "tenant.toml").write_text(base + "[uploads]\nmax_mb = 25\n")
    assert config_files.load(folder).upload_max_mb == 25
    (folder / "tenant.toml").write_text(base)
    assert config_files.load(folder).upload_max_mb is None
    (folder / "tenant.toml").write_text(base + '[uploads]\nmax_mb = "viel"\n')
    with pytest.raises(config_files.TenantConfigError):
        config_files.load(folder)


def test_team_files_use_the_towns_limit(town_a: Town, town_b: Town) -> None:
    """The team space's check is the core's: town A's 1 MB does not apply in town B."""
    from projektfabrik.teams import files

    set_limit(town_a, 1)
    two_mb = PDF_BYTES + b"x" * (2 * 1024 * 1024)
    with as_town(town_a), pytest.raises(uploads.UploadRefused):
        files.store(io.BytesIO(two_mb), "plan.pdf")
    with as_town(town_b):
        stored = files.store(io.BytesIO(two_mb), "plan.pdf")
        assert stored.size == len(two_mb) and stored.filename == "plan.pdf"
