"""The storage interface: both backends, per-town keys, atomic writes, faults.

The backend tests run against the local folder and against S3 (moto's server
on loopback) in every run. The app-level tests run on the storage the run
chooses (``PROJEKTFABRIK_TEST_STORAGE=s3`` in CI's second pass, marker
``storage``), plus the fault tests that set up their broken storage themselves.
"""

from __future__ import annotations

import errno
import io
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from projektfabrik import config as config_module
from projektfabrik.accounts.models import User
from projektfabrik.api import upload_folder
from projektfabrik.downloads import send_download
from projektfabrik.extensions import db
from projektfabrik.storage import BadKey, Storage, StorageUnavailable
from projektfabrik.storage.local import LocalStorage
from projektfabrik.storage.s3 import S3Storage
from projektfabrik.teams.models import TeamFile
from projektfabrik.tenancy import lifecycle
from projektfabrik.testing import Town, free_port, login, stored_bytes, stored_names
from projektfabrik.testing_s3 import S3Server
from projektfabrik.uploads import (
    PDF,
    CheckedUpload,
    UploadRefused,
    delete_upload,
    discard_upload,
    store_upload,
    stored_file,
    town_key,
)

pytestmark = pytest.mark.storage

PDF_BYTES = b"%PDF-1.4\n%test\n"
REFUSED = "konnte gerade nicht gespeichert werden"


# --- the backends, each against the same expectations --------------------------------


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    server: S3Server = request.getfixturevalue("s3_server")
    return S3Storage.from_config(server.config(f"b-{uuid.uuid4().hex[:12]}"))


def read(backend: Storage, key: str) -> bytes | None:
    found = backend.get(key)
    if found is None:
        return None
    with found.open() as stream:
        return stream.read()


def test_a_file_goes_in_and_comes_out(backend: Storage) -> None:
    backend.put("7/team-files/a.pdf", PDF_BYTES)
    backend.put("7/avatars/b.webp", io.BytesIO(b"x" * 200_000))  # a stream
    assert read(backend, "7/team-files/a.pdf") == PDF_BYTES
    found = backend.get("7/avatars/b.webp")
    assert found is not None and found.size == 200_000 and found.modified is not None
    assert read(backend, "7/team-files/missing.pdf") is None
    backend.put("7/team-files/a.pdf", b"%PDF-1.7 new")  # replaced whole
    assert read(backend, "7/team-files/a.pdf") == b"%PDF-1.7 new"
    assert list(backend.list("7")) == [("7/avatars/b.webp", 200_000), ("7/team-files/a.pdf", 12)]
    assert list(backend.list("7/avatars")) == [("7/avatars/b.webp", 200_000)]
    backend.delete("7/team-files/a.pdf")
    backend.delete("7/team-files/a.pdf")  # missing: nothing happens
    assert read(backend, "7/team-files/a.pdf") is None


def test_a_towns_prefix_is_its_own(backend: Storage) -> None:
    backend.put("7/logo/a.png", b"seven")
    backend.put("70/logo/a.png", b"seventy")  # a prefix of the same digits is another town
    backend.put("17/logo/a.png", b"seventeen")
    assert [k for k, _ in backend.list("7")] == ["7/logo/a.png"]
    backend.delete_prefix("7")
    assert read(backend, "7/logo/a.png") is None
    assert read(backend, "70/logo/a.png") == b"seventy"
    assert read(backend, "17/logo/a.png") == b"seventeen"


@pytest.mark.parametrize(
    "key",
    [
        "a.pdf",
        "7/../8/a.pdf",
        "7/team-files/../../etc/passwd",
        "7/.hidden",
        "/7/a",
        "7//a",
        "7/a b",
    ],
)
def test_keys_that_could_escape_are_refused(backend: Storage, key: str) -> None:
    with pytest.raises(BadKey):
        backend.put(key, b"x")
    with pytest.raises(BadKey):
        backend.get(key)


class Breaks(io.RawIOBase):
    """A stream that fails after some bytes, as a client that goes away mid-upload."""

    def __init__(self, good: int) -> None:
        self.left = good

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            raise OSError(errno.ECONNRESET, "the upload broke off")
        size = min(len(buffer), self.left, 1 << 16)
        buffer[:size] = b"y" * size
        self.left -= size
        return size


def test_a_write_that_breaks_off_leaves_the_old_file_and_nothing_half_written(
    backend: Storage, tmp_path: Path
) -> None:
    backend.put("7/funding/a.pdf", b"old and whole")
    with pytest.raises((StorageUnavailable, OSError)):
        backend.put("7/funding/a.pdf", io.BufferedReader(Breaks(300_000)))
    with pytest.raises((StorageUnavailable, OSError)):
        backend.put("7/funding/new.pdf", io.BufferedReader(Breaks(300_000)))
    assert read(backend, "7/funding/a.pdf") == b"old and whole"
    assert read(backend, "7/funding/new.pdf") is None
    assert [k for k, _ in backend.list("7")] == ["7/funding/a.pdf"]
    if isinstance(backend, LocalStorage):  # no temporary file left behind either
        assert [p.name for p in (tmp_path / "files" / "7" / "funding").iterdir()] == ["a.pdf"]


def test_a_full_disk_is_a_storage_failure_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable) as failed:
        FullDisk(tmp_path / "full").put("7/team-files/a.pdf", PDF_BYTES)
    assert failed.value.errno == errno.ENOSPC
    assert _files_anywhere(tmp_path) == []


def test_an_s3_endpoint_that_does_not_answer_fails_within_seconds(s3_server: S3Server) -> None:
    closed = S3Storage.from_config(
        {**s3_server.config("x"), "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    )
    for attempt in (
        lambda: closed.put("7/a/b.pdf", b"x"),
        lambda: closed.get("7/a/b.pdf"),
        lambda: list(closed.list("7")),
        lambda: closed.delete("7/a/b.pdf"),
    ):
        with pytest.raises(StorageUnavailable):
            attempt()


def test_the_setting_chooses_the_backend(tmp_path: Path) -> None:
    base = {"PROJEKTFABRIK_DATABASE_URL": "sqlite://", "PROJEKTFABRIK_SECRET_KEY": "x"}
    assert config_module.from_environment(str(tmp_path), base)["STORAGE"] == "local"
    with pytest.raises(ValueError, match="local, s3"):
        config_module.from_environment(str(tmp_path), {**base, "PROJEKTFABRIK_STORAGE": "nfs"})
    with pytest.raises(ValueError, match="S3_BUCKET"):
        config_module.from_environment(str(tmp_path), {**base, "PROJEKTFABRIK_STORAGE": "s3"})
    chosen = config_module.from_environment(
        str(tmp_path),
        {
            **base,
            "PROJEKTFABRIK_STORAGE": "s3",
            "PROJEKTFABRIK_S3_BUCKET": "dateien",
            "PROJEKTFABRIK_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "PROJEKTFABRIK_S3_REGION": "eu-central-1",
        },
    )
    backend = S3Storage.from_config(chosen)
    assert backend.bucket == "dateien"
    assert backend.client.meta.endpoint_url == "http://127.0.0.1:9000"
    assert backend.client.meta.region_name == "eu-central-1"


# --- the app's files: per town, with the transaction ----------------------------------


def checked_pdf() -> CheckedUpload:
    return CheckedUpload(data=PDF_BYTES, kind=PDF, original_name="a.pdf")


def test_keys_start_with_the_town_in_context(town_a: Town, town_b: Town) -> None:
    with town_a.context():
        assert town_key("team-files", "x.pdf") == f"{town_a.tenant.id}/team-files/x.pdf"
        with pytest.raises(BadKey):
            town_key("team-files", "../x.pdf")
        name = store_upload("team-files", checked_pdf())
        db.session.commit()
        assert stored_file("team-files", name) is not None
        assert stored_file("team-files", "../" + name) is None
    with town_b.context():  # the same name in another town is another key: nothing there
        assert stored_file("team-files", name) is None


def test_a_rollback_removes_the_file_a_commit_keeps_it(town_a: Town) -> None:
    app = town_a.app
    with town_a.context():
        dropped = store_upload("team-files", checked_pdf())
        db.session.rollback()
        kept = store_upload("team-files", checked_pdf())
        db.session.commit()
    assert stored_names(app, town_a.tenant.id, "team-files") == [kept]
    assert dropped != kept

    with town_a.context():
        discard_upload("team-files", kept)
        db.session.rollback()  # the row that named it stays: so does the file
    assert stored_names(app, town_a.tenant.id, "team-files") == [kept]
    with town_a.context():
        db.session.execute(select(User)).all()  # a transaction is open
        discard_upload("team-files", kept)
        assert stored_names(app, town_a.tenant.id, "team-files") == [kept]
        db.session.commit()
    assert stored_names(app, town_a.tenant.id, "team-files") == []

    with town_a.context():  # after the commit that removed the row: at once
        other = store_upload("team-files", checked_pdf())
        db.session.commit()
        db.session.execute(select(User)).all()  # a new transaction began by itself
        delete_upload("team-files", other)
        assert stored_names(app, town_a.tenant.id, "team-files") == []
        db.session.rollback()


def test_a_stored_file_is_streamed_not_read_whole(town_a: Town) -> None:
    big = b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)
    with town_a.request_context():
        name = store_upload("team-files", CheckedUpload(data=big, kind=PDF, original_name="b.pdf"))
        db.session.commit()
        found = stored_file("team-files", name)
        assert found is not None
        response = send_download(found, "b.pdf", "application/pdf")
        assert response.is_streamed and response.content_length == len(big)
        assert b"".join(response.response) == big  # type: ignore[arg-type]
        response.close()


def test_a_download_answers_ranges_and_revalidation(town_a: Town) -> None:
    anna = town_a.user("anna@example.org")
    client = town_a.client()
    login(client, "anna@example.org")
    picture = io.BytesIO()
    Image.new("RGB", (300, 300), "teal").save(picture, "PNG")
    picture.seek(0)
    response = client.post(
        "/profil",
        data={
            "display_name": "Anna",
            "kind": "citizen",
            "district": "",
            "avatar": (picture, "a.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with town_a.context():
        anna = db.session.get_one(User, anna.id)
        url = f"/leute/{anna.ref}/bild/{anna.avatar_file}"
    whole = client.get(url)
    assert whole.status_code == 200 and whole.data[:4] == b"RIFF"
    part = client.get(url, headers={"Range": "bytes=0-3"})
    assert part.status_code == 206 and part.data == b"RIFF"
    assert whole.headers.get("ETag") and whole.headers.get("Last-Modified")
    again = client.get(url, headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304


# --- one town cannot reach another's files through any route --------------------------


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(data, "PNG")
    data.seek(0)
    return data


def test_town_b_cannot_read_town_as_files_through_any_route(town_a: Town, town_b: Town) -> None:
    """Even a row of town B that names town A's stored file (as if copied over) finds
    nothing: the key is built from the town that asks."""
    from tests.teams.teamkit import person, publish

    results = {}
    for town in (town_a, town_b):
        owner, client = person(town, "olga@example.org", "Olga")
        publish(town, owner)  # Olga owns project 1 of her town
        team_file = client.post(
            "/projekte/1/teamraum/dateien",
            data={"file": (io.BytesIO(PDF_BYTES), "plan.pdf")},
            content_type="multipart/form-data",
        )
        assert team_file.status_code == 302
        profile = client.post(
            "/profil",
            data={
                "display_name": "Olga",
                "kind": "citizen",
                "district": "",
                "avatar": (_png(), "o.png"),
            },
            content_type="multipart/form-data",
        )
        assert profile.status_code == 302
        with town.context():
            item = db.session.scalar(select(TeamFile))
            user = db.session.get_one(User, owner.id)
            results[town.slug] = (client, item.ref, item.stored_name, user.ref, user.avatar_file)

    a_client, a_ref, a_stored, a_user, a_avatar = results["stadt-a"]
    b_client, b_ref, _b_stored, b_user, _b_avatar = results["stadt-b"]
    # Town A's own downloads work.
    assert a_client.get(f"/projekte/1/teamraum/dateien/{a_ref}/plan.pdf").data == PDF_BYTES
    assert a_client.get(f"/leute/{a_user}/bild/{a_avatar}").status_code == 200
    # Town A's references on town B's host: nothing.
    assert b_client.get(f"/projekte/1/teamraum/dateien/{a_ref}/plan.pdf").status_code == 404
    assert b_client.get(f"/leute/{a_user}/bild/{a_avatar}").status_code == 404
    # Town B's rows made to name town A's files: still nothing, the key is B's.
    with town_b.context():
        item = db.session.scalar(select(TeamFile))
        item.stored_name = a_stored
        user = db.session.get_one(User, _user_id(town_b))
        user.avatar_file = a_avatar
        db.session.commit()
    assert b_client.get(f"/projekte/1/teamraum/dateien/{b_ref}/plan.pdf").status_code == 404
    assert b_client.get(f"/leute/{b_user}/bild/{a_avatar}").status_code == 404
    assert stored_bytes(town_a.app, town_a.tenant.id, "team-files", a_stored) == PDF_BYTES


def _user_id(town: Town) -> int:
    with town.context():
        return int(db.session.scalar(select(User.id).where(User.email == "olga@example.org")))


# --- faults: a full disk, an S3 endpoint that is down -----------------------------------


class FullDisk(LocalStorage):
    """The local folder on a disk that fills up: a write gets some bytes out, then
    the OS says ENOSPC (as ``write(2)`` does on a full file system)."""

    def _write(self, out: Any, source: bytes | Any) -> None:
        out.write(b"%PDF-1.4 half")
        out.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(params=["full-disk", "s3-down"])
def broken(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> Iterator[str]:
    """The app's storage broken for writes and reads: a full disk or a closed S3 port."""
    key = "projektfabrik.storage"
    working = app.extensions[key]
    if request.param == "full-disk":
        app.extensions[key] = FullDisk(tmp_path / "full")
    else:
        server: S3Server = request.getfixturevalue("s3_server")
        config = {**server.config("down"), "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
        app.extensions[key] = S3Storage.from_config(config)
    yield request.param
    app.extensions[key] = working


def _files_anywhere(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "full").rglob("*") if p.is_file()]


def test_uploads_are_refused_in_the_readers_language_when_the_storage_fails(
    town_a: Town, broken: str, tmp_path: Path
) -> None:
    from tests.teams.teamkit import person, publish

    owner, client = person(town_a, "olga@example.org", "Olga")
    publish(town_a, owner)

    team_file = client.post(
        "/projekte/1/teamraum/dateien",
        data={"file": (io.BytesIO(PDF_BYTES), "plan.pdf")},
        content_type="multipart/form-data",
    )
    assert team_file.status_code == 400
    assert REFUSED in team_file.get_data(as_text=True)

    profile = client.post(
        "/profil",
        data={
            "display_name": "Olga Neu",
            "kind": "citizen",
            "district": "",
            "avatar": (_png(), "o.png"),
        },
        content_type="multipart/form-data",
    )
    assert profile.status_code == 200
    page = profile.get_data(as_text=True)
    assert REFUSED in page and "Olga Neu" in page  # what was typed is kept

    image = client.post(
        "/projekte/1/bearbeiten",
        data={
            "title": "Garten am Hafen",
            "pitch": "Hochbeete.",
            "category": "",
            "district": "",
            "image": (_png(), "p.png"),
        },
        content_type="multipart/form-data",
    )
    assert image.status_code in (200, 400) and REFUSED in image.get_data(as_text=True)

    # Nothing half-saved: no row, no file; and the rest of the site works.
    with town_a.context():
        assert db.session.scalar(select(TeamFile)) is None
        assert db.session.get_one(User, owner.id).avatar_file is None
    if broken == "full-disk":
        assert _files_anywhere(tmp_path) == []
    for page_path in ("/", "/projekte", "/projekte/1", "/projekte/1/teamraum", "/profil"):
        assert client.get(page_path).status_code == 200, page_path


def test_a_download_while_the_storage_is_down_is_a_clear_page_not_a_crash(
    town_a: Town, app: Flask, s3_server: S3Server
) -> None:
    from tests.teams.teamkit import person, publish

    owner, client = person(town_a, "olga@example.org", "Olga")
    publish(town_a, owner)
    assert (
        client.post(
            "/projekte/1/teamraum/dateien",
            data={"file": (io.BytesIO(PDF_BYTES), "plan.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    with town_a.context():
        ref = db.session.scalar(select(TeamFile.ref))
    working = app.extensions["projektfabrik.storage"]
    config = {**s3_server.config("down"), "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    app.extensions["projektfabrik.storage"] = S3Storage.from_config(config)
    try:
        response = client.get(f"/projekte/1/teamraum/dateien/{ref}/plan.pdf")
        assert response.status_code == 503
        assert "Nichts ist verloren" in response.get_data(as_text=True)
        assert client.get("/projekte/1").status_code == 200
    finally:
        app.extensions["projektfabrik.storage"] = working
    assert client.get(f"/projekte/1/teamraum/dateien/{ref}/plan.pdf").data == PDF_BYTES


# --- the town's archive carries its files, from whichever backend ---------------------


def test_the_town_archive_carries_the_files(town_a: Town, app: Flask) -> None:
    with town_a.context():
        name = store_upload("funding", checked_pdf())
        db.session.commit()
    with app.app_context():
        tenant = db.session.get_one(type(town_a.tenant), town_a.tenant.id)
        archive = io.BytesIO()
        manifest = lifecycle.export_town(tenant, archive)
        assert f"files/uploads/funding/{name}" in manifest.checksums
        db.session.rollback()
        archive.seek(0)
        moved, _counts = lifecycle.import_town(archive, slug="stadt-a2", hosts=["a2.test"])
        db.session.commit()
        moved_id = moved.id
    assert stored_bytes(app, moved_id, "funding", name) == PDF_BYTES
    assert stored_bytes(app, town_a.tenant.id, "funding", name) == PDF_BYTES
    with app.app_context():
        lifecycle.delete_files(moved_id, "stadt-a2")
    assert stored_names(app, moved_id, "funding") == []
    assert stored_names(app, town_a.tenant.id, "funding") == [name]


# --- plugins never touch paths -----------------------------------------------------------


def test_no_plugin_and_no_core_module_outside_the_storage_touches_the_upload_folder() -> None:
    root = Path(__file__).resolve().parent.parent
    allowed = {
        "projektfabrik/config.py",  # the setting itself
        "projektfabrik/testing.py",  # the tests' folder
        "projektfabrik/console/views.py",  # an export in progress, next to the folder
    }
    offenders = []
    for path in [
        *root.glob("projektfabrik/**/*.py"),
        *root.glob("plugins/*/projektfabrik_*/**/*.py"),
    ]:
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        inside = relative in allowed or relative.startswith("projektfabrik/storage/")
        if not inside and "UPLOADS_DIR" in text:
            offenders.append(relative)
        if relative.startswith("plugins/") and re.search(
            r"\b(upload_folder|resolve_upload)\b", text
        ):
            offenders.append(relative)
    assert offenders == []


def test_the_deprecated_folder_helper_refuses_with_s3(town_a: Town, s3_server: S3Server) -> None:
    app = town_a.app
    working = app.extensions["projektfabrik.storage"]
    app.extensions["projektfabrik.storage"] = S3Storage.from_config(s3_server.config("dep"))
    try:
        with town_a.context(), pytest.warns(DeprecationWarning), pytest.raises(RuntimeError):
            upload_folder("x")
    finally:
        app.extensions["projektfabrik.storage"] = working


def test_store_upload_refusal_says_nothing_was_saved(
    town_a: Town, app: Flask, tmp_path: Path
) -> None:
    working = app.extensions["projektfabrik.storage"]
    app.extensions["projektfabrik.storage"] = FullDisk(tmp_path / "full")
    try:
        with town_a.request_context(), pytest.raises(UploadRefused) as refused:
            store_upload("team-files", checked_pdf(), field="scan")
        assert refused.value.field == "scan" and REFUSED in refused.value.message
    finally:
        app.extensions["projektfabrik.storage"] = working


def test_the_run_uses_the_storage_it_chose(app: Flask) -> None:
    from projektfabrik.storage import storage
    from projektfabrik.testing_s3 import wanted

    with app.app_context():
        assert storage().name == ("s3" if wanted() else "local")


def test_an_import_whose_storage_fails_writes_nothing(
    town_a: Town, app: Flask, s3_server: S3Server
) -> None:
    with town_a.context():
        store_upload("funding", checked_pdf())
        db.session.commit()
    with app.app_context():
        tenant = db.session.get_one(type(town_a.tenant), town_a.tenant.id)
        archive = io.BytesIO()
        lifecycle.export_town(tenant, archive)
        db.session.rollback()
        archive.seek(0)
        working = app.extensions["projektfabrik.storage"]
        config = {**s3_server.config("down"), "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
        app.extensions["projektfabrik.storage"] = S3Storage.from_config(config)
        try:
            with pytest.raises(lifecycle.ArchiveError, match="storage failed"):
                lifecycle.import_town(archive, slug="stadt-a2", hosts=["a2.test"])
            db.session.rollback()
            assert lifecycle.delete_files(999, "stadt-a2") is False  # logged, not raised
        finally:
            app.extensions["projektfabrik.storage"] = working
        assert db.session.scalar(select(type(town_a.tenant)).filter_by(slug="stadt-a2")) is None
