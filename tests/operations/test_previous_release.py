"""The previous release runs on the new schema (expand, then contract one release
later: deploy/README.md, "Upgrading"). During an upgrade the old workers keep
serving after ``db upgrade`` until the reload replaces them, so the new
migrations must leave a schema the old code can read and write.

The previous release's code (``PREVIOUS_RELEASE``, from git history: CI clones
with it) is taken out of the repository with ``git archive``. The new code
migrates an empty database to its head; the old code then seeds its demo into
it (inserts through the old models: a new column without a default fails here)
and crawls its towns as a visitor and as the admin with its own page list
(``tests/operations/pages.py`` of that release). No page may fail. The old
release's pytest suite is not run: its fixtures build their own schema, so
they would test the old schema, not the new one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import textwrap
from io import BytesIO
from pathlib import Path

import pytest

from projektfabrik.config import REPO_ROOT

pytestmark = pytest.mark.slow

#: The commit of the release before this one (CHANGELOG.md). Bump it with each release.
PREVIOUS_RELEASE = "80cfbe9b0fb151ad38959581699c967c079ce47b"  # 0.4.0

OLD_CODE = textwrap.dedent(
    """
    import json, sys
    old = sys.argv[1]
    from projektfabrik.app import create_app
    from projektfabrik.demo import seed
    from projektfabrik.testing import HostClient
    app = create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False})
    app.test_client_class = HostClient
    with app.app_context():
        for line in seed():
            print(line, file=sys.stderr)
    from tests.operations.pages import BEISPIEL, MUSTER, snapshot
    answers = {}
    for host in (MUSTER, BEISPIEL):
        for as_admin in (False, True):
            for path, answer in snapshot(app, host, as_admin).items():
                answers[f"{host}{path} admin={as_admin}"] = int(answer.split(" ", 1)[0])
    modules = {
        name: getattr(module, "__file__", None) or ""
        for name, module in sys.modules.items()
        if name.split(".")[0].startswith("projektfabrik")
    }
    print(json.dumps({"answers": answers, "modules": modules}))
    """
)


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True)


def _previous_release(target: Path) -> None:
    if _git("cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}").returncode != 0:
        message = f"the previous release {PREVIOUS_RELEASE[:12]} is not in this clone's history"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI clones with history)")
        pytest.skip(message)
    archive = _git("archive", "--format=tar", PREVIOUS_RELEASE)
    assert archive.returncode == 0, archive.stderr.decode()
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def test_the_previous_release_serves_its_pages_on_the_new_schema(
    empty_database_url: str, tmp_path: Path
) -> None:
    if not os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL"):
        # Upgrades run on PostgreSQL in production; once per CI run is enough.
        pytest.skip("runs in the PostgreSQL pass (an upgrade meets the production database)")
    old = tmp_path / "previous"
    _previous_release(old)
    folders = [old, *sorted(p for p in (old / "plugins").iterdir() if (p / "setup.cfg").is_file())]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PROJEKTFABRIK_", "PYTHON"))}
    env = {
        **base,
        "PROJEKTFABRIK_DATABASE_URL": empty_database_url,
        "PROJEKTFABRIK_SECRET_KEY": "previous-release-test",
        "PROJEKTFABRIK_UPLOADS_DIR": str(tmp_path / "uploads"),
        "PROJEKTFABRIK_MAIL_DELIVERY": "after_response",
    }
    # The new code: its migrations, core and plugins, to the head.
    new = subprocess.run(
        [sys.executable, "-c", "from projektfabrik.cli import main; main()", "db", "upgrade"],
        env={**env, "PROJEKTFABRIK_TENANTS_DIR": str(REPO_ROOT / "tenants")},
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert new.returncode == 0, new.stderr[-3000:]

    # The old code: its packages first on the path, its own catalogues compiled.
    for catalogues in [old / "translations", *old.glob("plugins/*/*/translations")]:
        subprocess.run([Path(sys.executable).parent / "pybabel", "-q", "compile", "-d",
                        catalogues], check=True, capture_output=True)  # fmt: skip
    previous = subprocess.run(
        [sys.executable, "-c", OLD_CODE, str(old)],
        env={
            **env,
            "PROJEKTFABRIK_TENANTS_DIR": str(old / "tenants"),
            "PYTHONPATH": os.pathsep.join(str(f) for f in folders),
        },
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert previous.returncode == 0, previous.stderr[-5000:]
    result = json.loads(previous.stdout.strip().splitlines()[-1])

    # Every module of the core and the plugins came from the previous release; a
    # plugin new since then would come from the checkout and must be left out here.
    strays = [name for name, path in result["modules"].items() if not path.startswith(str(old))]
    assert not strays, f"not from the previous release: {strays}"
    answers = result["answers"]
    assert answers["musterstadt.localhost/ admin=False"] == 200
    assert answers["musterstadt.localhost/ admin=True"] == 200
    assert len(answers) > 100, "the crawl reached too little to mean anything"
    failed = {page: status for page, status in answers.items() if status >= 500}
    assert not failed, failed
