"""The "write your own plugin" walkthrough in docs/plugins.md works as written.

Every file of the walkthrough is copied out of the page, the distribution is
built and installed with pip (into a folder of its own, not into the project's
environment), and then the page's steps run, command by command, in a fresh
interpreter that has it installed: the entry point loads, `projektfabrik plugins` lists it, `db upgrade` creates its table
as the model describes it, a town lists it in tenant.toml and syncs, its
command adds an office hour, its German page and landing-page box show it,
and the walkthrough's own tests pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from projektfabrik.config import REPO_ROOT

DOC = REPO_ROOT / "docs" / "plugins.md"
FILE_BLOCK = re.compile(
    r"<!-- file: (?P<path>[^ ]+) -->\n```[a-z]*\n(?P<body>.*?)^```\n", re.S | re.M
)

STEPS = r"""
import sys
from pathlib import Path
from importlib.metadata import entry_points
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner
from projektfabrik.app import create_app
from projektfabrik.cli import main
from projektfabrik.extensions import db


def cli(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.output


(ep,) = [e for e in entry_points(group="projektfabrik.plugins") if e.name == "sprechstunde"]
ep.load()
assert "sprechstunde\t0.1.0\tprojektfabrik-sprechstunde" in cli("plugins")
cli("db", "upgrade")
cli("tenant", "create", "musterdorf", "--name", "Musterdorf", "--host", "musterdorf.test")
toml = Path(sys.argv[1]) / "musterdorf" / "tenant.toml"
toml.write_text(toml.read_text() + "\n[plugins.sprechstunde]\nenabled = true\n")
cli("tenant", "sync", "musterdorf")
out = cli("sprechstunde", "add", "musterdorf", "Dienstag 16–18 Uhr", "Rathaus, Zimmer 3")
assert "added to musterdorf" in out, out

app = create_app()
with app.app_context():
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    mine = [d for d in diff if "sprechstunde" in repr(d)]
    assert not mine, mine
client = app.test_client()
page = client.get("/sprechstunde/", base_url="http://musterdorf.test").get_data(as_text=True)
assert "<h1>Sprechstunden</h1>" in page, page
assert "Rathaus, Zimmer 3" in page, page
landing = client.get("/", base_url="http://musterdorf.test").get_data(as_text=True)
assert "Nächste Sprechstunde" in landing and 'href="/sprechstunde/"' in landing, landing
print("walkthrough works")
"""


def walkthrough_files() -> dict[str, str]:
    return {m["path"]: m["body"] for m in FILE_BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def test_the_walkthrough_names_its_files() -> None:
    files = walkthrough_files()
    assert "plugins/sprechstunde/setup.cfg" in files
    assert "plugins/sprechstunde/projektfabrik_sprechstunde/plugin.py" in files
    assert any(p.endswith("messages.po") for p in files)
    assert any("/migrations/versions/" in p for p in files)
    assert any(p.startswith("plugins/sprechstunde/tests/") for p in files)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_the_walkthrough_example_builds_installs_and_works(tmp_path: Path) -> None:
    source = tmp_path / "src"
    for path, body in walkthrough_files().items():
        target = source / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")

    site = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(site)}
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site)]
    try:
        import wheel  # noqa: F401 - only asked whether it is there

        pip.append("--no-build-isolation")  # fast and offline
    except ImportError:
        pass
    _run([*pip, str(source / "plugins" / "sprechstunde")], tmp_path, env)
    assert (
        site / "projektfabrik_sprechstunde" / "templates" / "sprechstunde" / "index.html"
    ).is_file()

    # The steps of "7. Install it and try it", on a database of their own.
    run = tmp_path / "run"
    run.mkdir()
    env.update(
        PROJEKTFABRIK_DATABASE_URL="sqlite:///" + str(run / "db.sqlite"),
        PROJEKTFABRIK_TENANTS_DIR=str(run / "tenants"),
        PROJEKTFABRIK_SECRET_KEY="walkthrough",
    )
    steps = [sys.executable, "-c", STEPS, env["PROJEKTFABRIK_TENANTS_DIR"]]
    assert "walkthrough works" in _run(steps, run, env)

    # "8. Tests": the walkthrough's own tests, with the fixtures the repository's
    # root conftest.py provides.
    (source / "conftest.py").write_text('pytest_plugins = ["projektfabrik.testing"]\n')
    (source / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    test_env = {k: v for k, v in env.items() if not k.startswith("PROJEKTFABRIK_")}
    if "PROJEKTFABRIK_TEST_DATABASE_URL" in os.environ:
        test_env["PROJEKTFABRIK_TEST_DATABASE_URL"] = os.environ["PROJEKTFABRIK_TEST_DATABASE_URL"]
    out = _run(
        [sys.executable, "-m", "pytest", "-q", "plugins/sprechstunde/tests"], source, test_env
    )
    assert "2 passed" in out
