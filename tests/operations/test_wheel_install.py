"""An install from wheels, as an operator makes it (deploy/README.md, step 2, "install from
wheels"): the core and every plugin built as wheels from a clean copy of the
sources (no compiled catalogues lying around), installed with pip into a new
virtualenv outside the checkout, give the whole German and English site.

Dependencies come from the package index at the versions pinned in
requirements.lock (pip's cache makes a second run quick); the project's own
wheels only from the folder they were built into (``--no-index`` would refuse
the dependencies, so the local wheels are named by path).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from projektfabrik.config import REPO_ROOT

pytestmark = pytest.mark.slow

#: What a wheel is built from; everything else in the checkout (tests, .venv,
#: compiled .mo files, build folders) stays behind.
SOURCES = ("setup.py", "setup.cfg", "pyproject.toml", "README.md", "projektfabrik", "translations")
LEFT_BEHIND = shutil.ignore_patterns(
    "*.mo", "__pycache__", "*.pyc", "build", "*.egg-info", "tests", "tools", "instance"
)


def _run(
    args: list[str | Path], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=900
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (
        f"{result.args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def _clean_copy(target: Path) -> list[Path]:
    """The core's and each plugin's sources, as a fresh clone has them."""
    target.mkdir()
    for name in SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=LEFT_BEHIND)
        else:
            shutil.copy2(source, target / name)
    shutil.copytree(REPO_ROOT / "tenants", target / "tenants")
    plugins = []
    for folder in sorted((REPO_ROOT / "plugins").iterdir()):
        if (folder / "setup.cfg").is_file():
            shutil.copytree(folder, target / "plugins" / folder.name, ignore=LEFT_BEHIND)
            plugins.append(target / "plugins" / folder.name)
    return [target, *plugins]


def _pins_without_hashes(lock: Path, target: Path) -> Path:
    """requirements.lock as a constraints file (pip takes no hashes in constraints)."""
    pins = [
        line.split("\\")[0].strip()
        for line in lock.read_text().splitlines()
        if re.match(r"^[A-Za-z0-9]", line)
    ]
    target.write_text("\n".join(pins) + "\n")
    return target


# Runs in the new virtualenv: the installed package, never the checkout.
SERVE = textwrap.dedent(
    """
    import sys
    checkout = sys.argv[1]
    assert not any(p and p.startswith(checkout) for p in sys.path), sys.path
    import projektfabrik, projektfabrik_funding
    assert not projektfabrik.__file__.startswith(checkout), projektfabrik.__file__
    assert not projektfabrik_funding.__file__.startswith(checkout)
    from projektfabrik.wsgi import app
    client = app.test_client()
    def get(host, path, language=None):
        if language:
            client.set_cookie("sprache", language, domain=host)
        answer = client.get(path, base_url="http://" + host)
        print("=====", host, path, language, answer.status_code)
        print(answer.get_data(as_text=True))
    get("teststadt.localhost", "/")
    get("musterstadt.localhost", "/foerderung/")
    get("musterstadt.localhost", "/foerderung/", "en")
    get("musterstadt.localhost", "/static/" + sys.argv[2])
    """
)


def _pages(output: str) -> dict[tuple[str, str, str], tuple[int, str]]:
    pages = {}
    for chunk in output.split("===== ")[1:]:
        head, _, body = chunk.partition("\n")
        host, path, language, status = head.split(" ")
        pages[(host, path, language)] = (int(status), body)
    return pages


def test_wheels_installed_outside_the_checkout_give_the_german_and_english_site(
    tmp_path: Path,
) -> None:
    if os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL"):
        # What it checks does not depend on the database; once per CI run is enough.
        pytest.skip("runs in the SQLite pass (its site has a SQLite file of its own)")
    sources = _clean_copy(tmp_path / "src")
    wheels = tmp_path / "wheels"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROJEKTFABRIK_", "PYTHON"))}
    # Built with this environment's setuptools and Babel (the build requirements).
    _ok(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
              "-q", "-w", wheels, *sources], env, tmp_path))  # fmt: skip
    built = sorted(wheels.glob("*.whl"))
    assert len(built) == len(sources)

    venv = tmp_path / "venv"
    _ok(_run([sys.executable, "-m", "venv", venv], env, tmp_path))
    constraints = _pins_without_hashes(REPO_ROOT / "requirements.lock", tmp_path / "pins.txt")
    _ok(_run([venv / "bin" / "python", "-m", "pip", "install", "-q",
              "--disable-pip-version-check", "-c", constraints, *built], env, tmp_path))  # fmt: skip
    projektfabrik = venv / "bin" / "projektfabrik"

    site = tmp_path / "site"  # the operator's folders (deploy/README.md)
    site.mkdir()
    settings = {
        "PROJEKTFABRIK_DATABASE_URL": f"sqlite:///{site / 'db.sqlite'}",
        "PROJEKTFABRIK_UPLOADS_DIR": str(site / "uploads"),
    }
    # Production settings are required, and the error names them.
    refused = _run([projektfabrik, "db", "upgrade"], {**env, **settings}, tmp_path)
    assert refused.returncode != 0
    assert "PROJEKTFABRIK_TENANTS_DIR" in refused.stderr
    assert "PROJEKTFABRIK_SECRET_KEY" in refused.stderr
    assert "Traceback" not in refused.stderr

    settings |= {
        "PROJEKTFABRIK_TENANTS_DIR": str(site / "tenants"),
        "PROJEKTFABRIK_SECRET_KEY": "wheel-test-" + "x" * 40,
    }
    env |= settings
    _ok(_run([projektfabrik, "db", "upgrade"], env, tmp_path))
    _ok(_run([projektfabrik, "tenant", "create", "teststadt", "--name", "Teststadt",
              "--host", "teststadt.localhost"], env, tmp_path))  # fmt: skip
    # The demo brings its towns' folders in the package.
    demo = _ok(_run([projektfabrik, "demo"], env, tmp_path))
    assert (site / "tenants" / "musterstadt" / "tenant.toml").is_file(), demo

    stylesheet = "css/site.css"
    output = _ok(_run([venv / "bin" / "python", "-c", SERVE, str(REPO_ROOT), stylesheet],
                      env, tmp_path))  # fmt: skip
    pages = _pages(output)

    status, home = pages[("teststadt.localhost", "/", "None")]
    assert status == 200
    assert '<html lang="de"' in home
    assert "Anmelden" in home  # "Log in" from the core's catalogue
    assert ">Log in<" not in home

    status, funding = pages[("musterstadt.localhost", "/foerderung/", "None")]
    assert status == 200
    assert "Fördertöpfe von Musterstadt" in funding  # the plugin's catalogue

    status, funding_en = pages[("musterstadt.localhost", "/foerderung/", "en")]
    assert status == 200
    assert '<html lang="en"' in funding_en
    assert "Funding pots of Musterstadt" in funding_en

    status, _css = pages[("musterstadt.localhost", f"/static/{stylesheet}", "None")]
    assert status == 200
