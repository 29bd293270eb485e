"""When the storage fails (#18): the refused upload and the download that cannot be
served, as people see them, in German and English, accessible, on a phone."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.storage.local import LocalStorage
from projektfabrik.teams.models import TeamFile
from projektfabrik.testing import TEST_PASSWORD, Town

pytestmark = [pytest.mark.browser, pytest.mark.storage]

PDF = b"%PDF-1.4\n%test\n"
TEXTS = {
    "de": ("konnte gerade nicht gespeichert werden", "Datei gerade nicht verfügbar"),
    "en": ("could not be stored just now", "File not available just now"),
}


class FullDisk(LocalStorage):
    """Writes fail as on a full disk; reads find nothing it did not write."""

    def _write(self, out: Any, source: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")


class Unreachable(LocalStorage):
    """Every read fails, as when the S3 endpoint is down."""

    def get(self, key: str) -> Any:
        from projektfabrik.storage import StorageUnavailable

        raise StorageUnavailable("endpoint down")


def _shoot(page: Any, name: str) -> None:
    folder = os.environ.get("PROJEKTFABRIK_SCREENSHOTS")
    if folder:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{folder}/{name}-1280.png", full_page=True)
        page.set_viewport_size({"width": 360, "height": 800})
        page.screenshot(path=f"{folder}/{name}-360.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_failing_storage_refuses_the_upload_and_the_download_clearly(
    browser: Any,
    live_server: Any,
    app: Flask,
    town_a: Town,
    tmp_path: Path,
    check_page: Callable[[Any], None],
    language: str,
) -> None:
    owner = town_a.user("olga@example.org", name="Olga Owner")
    with town_a.request_context():
        user = db.session.get_one(User, owner.id)
        user.locale = language
        marketplace.publish_idea(
            user, marketplace.ProjectInput(title="Garten am Hafen", pitch="Hochbeete für alle.")
        )
        db.session.commit()
    refused, unavailable = TEXTS[language]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url(town_a, "/anmelden"))
        page.fill("#email", "olga@example.org")
        page.fill("#password", TEST_PASSWORD)
        with page.expect_navigation():
            page.locator("main form.stacked button[type=submit]").click()

        # A file that goes in while the storage works, for the download below.
        page.goto(live_server.url(town_a, "/projekte/1/teamraum/dateien"))
        upload = tmp_path / "plan.pdf"
        upload.write_bytes(PDF)
        page.set_input_files("#file", str(upload))
        with page.expect_navigation():
            page.locator("main form.stacked button[type=submit]").click()
        with town_a.context():
            item = db.session.scalar(select(TeamFile))
            download = f"/projekte/1/teamraum/dateien/{item.ref}/{item.filename}"

        working = app.extensions["projektfabrik.storage"]
        app.extensions["projektfabrik.storage"] = FullDisk(tmp_path / "full")
        try:
            page.set_input_files("#file", str(upload))
            with page.expect_navigation():
                page.locator("main form.stacked button[type=submit]").click()
            assert refused in page.content()
            check_page(page)
            _shoot(page, f"storage-refused-{language}")
        finally:
            app.extensions["projektfabrik.storage"] = working

        app.extensions["projektfabrik.storage"] = Unreachable(tmp_path / "down")
        try:
            response = page.goto(live_server.url(town_a, download))
            assert response is not None and response.status == 503
            assert unavailable in page.content()
            check_page(page)
            _shoot(page, f"storage-unavailable-{language}")
        finally:
            app.extensions["projektfabrik.storage"] = working
        with town_a.context():
            assert db.session.scalar(select(TeamFile.id).where(TeamFile.id != item.id)) is None
    finally:
        context.close()
