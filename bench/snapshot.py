"""Run the benchmark on one commit, whatever the working tree holds right now.

Several people work in this checkout at once; a half-finished change (a new
column, a migration not yet written) would break or skew a run. ``--rev REV``
on seed.py, run.py and explain.py exports that commit with ``git archive`` to
bench/results/src/<commit>/ (compiling its message catalogues, which git does
not hold) and imports ``projektfabrik`` from there instead of the checkout.
Without ``--rev`` the scripts use the working tree.

Plugins are installed into the shared virtualenv from the working tree, so
their code follows the working tree, not the commit; with ``--rev`` they are
left out (the seeded towns enable none, so the core's pages are measured
either way). ``BENCH_NO_PLUGINS=1`` does the same for the gunicorn workers.
"""

from __future__ import annotations

import importlib.metadata
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SOURCES = BENCH / "results" / "src"


def resolve(rev: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def export(rev: str) -> Path:
    """The source tree of ``rev`` (exported once, then reused)."""
    commit = resolve(rev)
    dest = SOURCES / commit[:12]
    if (dest / ".complete").exists():
        return dest
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp, filter="data")
    pybabel = Path(sys.executable).parent / "pybabel"
    for po in tmp.rglob("LC_MESSAGES/messages.po"):
        folder = po.parent.parent.parent  # <folder>/<locale>/LC_MESSAGES/messages.po
        subprocess.run(
            [str(pybabel), "-q", "compile", "-d", str(folder), "-l", po.parent.parent.name],
            check=True,
        )
    (tmp / ".complete").write_text(commit + "\n")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


PLUGIN_GROUP = "projektfabrik.plugins"


def hide_installed_plugins() -> None:
    """Make plugin discovery find nothing. Call before ``projektfabrik`` is imported."""
    original = importlib.metadata.entry_points

    def entry_points(**params):  # type: ignore[no-untyped-def]
        if params.get("group") == PLUGIN_GROUP:
            return importlib.metadata.EntryPoints(())
        return original(**params)

    importlib.metadata.entry_points = entry_points  # type: ignore[assignment]


def isolate_from_environment() -> None:
    """What gunicorn workers call: ``BENCH_NO_PLUGINS=1`` hides installed plugins."""
    if os.environ.get("BENCH_NO_PLUGINS") == "1":
        hide_installed_plugins()


def rev_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--rev" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--rev="):
            return arg.split("=", 1)[1]
    return None


def activate(argv: list[str] | None = None) -> Path:
    """Put the source named by ``--rev`` first on ``sys.path``; return the source root.

    Call before anything imports ``projektfabrik``.
    """
    rev = rev_from_argv(sys.argv[1:] if argv is None else argv)
    if rev is None:
        return ROOT
    source = export(rev)
    sys.path.insert(0, str(source))
    hide_installed_plugins()
    print(f"using projektfabrik from {rev} ({source.relative_to(ROOT)})", flush=True)
    return source
