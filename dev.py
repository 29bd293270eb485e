#!/usr/bin/env python3
"""The developer's front door. Needs only Python 3.11+; sets up everything else.

    python3 dev.py demo           install, migrate, seed the demo towns, serve on :8000
    python3 dev.py test           lint, tests on SQLite and PostgreSQL, the file tests
                                  with S3 storage (moto), browser tests
    python3 dev.py test ARGS...   quick loop: only pytest ARGS on SQLite, without the
                                  tests marked slow or browser unless ARGS choose
                                  a marker (-m) or name tests/browser

Both commands first make sure ``.venv`` exists and holds the dependencies pinned
with hashes in ``requirements.lock``, then the project (editable) and every
plugin in ``plugins/*/`` without dependencies of their own. That install is
repeated only when ``requirements.lock`` or a ``setup.cfg``/``pyproject.toml``/
``setup.py`` changes (a hash of them is kept in ``.venv/.projektfabrik-install``),
so a second start is fast.

``test`` honours these environment variables:

    CI                                  set: a missing PostgreSQL or Chromium fails
                                        the run instead of being skipped
    PROJEKTFABRIK_TEST_DATABASE_URL     PostgreSQL for the second run (default
                                        postgresql://postgres@127.0.0.1:5432/projektfabrik_test)
    PROJEKTFABRIK_CHROMIUM              the browser (default /usr/bin/chromium)
    PROJEKTFABRIK_TEST_STORAGE          s3: the app's files in moto's S3 server on
                                        loopback (the full run sets it for -m storage)
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if sys.version_info < (3, 11):  # noqa: UP036 - say it plainly instead of failing obscurely
    sys.exit("dev.py needs Python 3.11 or newer (python3 --version)")

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PYTHON = BIN / "python"
STAMP = VENV / ".projektfabrik-install"
PACKAGING_FILES = ("setup.cfg", "pyproject.toml", "setup.py")
#: Every dependency of the core, the plugins and the test extras, pinned with hashes
#: (compiled from requirements.in; refresh: docs/operations.md).
LOCK_FILE = ROOT / "requirements.lock"

DEMO_BIND = "127.0.0.1:8000"
DEMO_TOWNS = ("musterstadt", "beispielhausen")
#: The operator console's host in the demo (PROJEKTFABRIK_OPERATOR_HOST).
DEMO_CONSOLE = "betrieb.localhost"
DEMO_LOGIN = ("admin@musterstadt.example", "demo-passwort")
DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/projektfabrik_test"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def warn(message: str) -> None:
    print(f"\n!!! WARNING: {message}\n", file=sys.stderr, flush=True)


def run(args: list[str | Path], env: dict[str, str] | None = None) -> int:
    """Run a command in the repository; return its exit code."""
    print("$ " + shlex.join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env).returncode


def must(args: list[str | Path], env: dict[str, str] | None = None) -> None:
    code = run(args, env)
    if code != 0:
        sys.exit(f"dev.py: failed (exit {code}): {shlex.join(str(a) for a in args)}")


# --- setting up ------------------------------------------------------------------


def plugin_dirs() -> list[Path]:
    """Every plugin distribution: a folder in plugins/ with its own packaging file."""
    folder = ROOT / "plugins"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and any((p / f).is_file() for f in PACKAGING_FILES)
    )


def typed_packages() -> list[Path]:
    """What mypy checks: the core and every plugin's Python packages (not its tests)."""
    packages = [ROOT / "projektfabrik"]
    for folder in plugin_dirs():
        packages += sorted(
            p for p in folder.iterdir() if (p / "__init__.py").is_file() and p.name != "tests"
        )
    return packages


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    pyvenv = VENV / "pyvenv.cfg"  # a .venv rebuilt for another Python installs again
    if pyvenv.is_file():
        digest.update(pyvenv.read_bytes() + b"\0")
    if LOCK_FILE.is_file():
        digest.update(LOCK_FILE.read_bytes() + b"\0")
    for folder in [ROOT, *plugin_dirs()]:
        for name in PACKAGING_FILES:
            path = folder / name
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextlib.contextmanager
def venv_lock() -> Iterator[None]:
    """One installer at a time, when several shells start dev.py at once."""
    VENV.mkdir(exist_ok=True)
    with open(VENV / ".projektfabrik-install.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_environment() -> None:
    """Create .venv, install what changed, compile the message catalogues."""
    with venv_lock():
        created = not PYTHON.exists()
        if created:
            say(f"creating {VENV.relative_to(ROOT)} with Python {sys.version.split()[0]}")
            if run([sys.executable, "-m", "venv", VENV]) != 0:
                sys.exit(
                    "dev.py: could not create .venv. On Debian or Ubuntu: "
                    "apt-get install python3-venv, then remove .venv and try again."
                )
        fingerprint = install_fingerprint()
        current = STAMP.read_text().strip() if STAMP.exists() else ""
        if current != fingerprint:
            plugins = plugin_dirs()
            say(
                "installing the project"
                + (f" and {len(plugins)} plugin(s)" if plugins else " (no plugins in plugins/)")
                + (" - the first time takes a few minutes" if created else "")
            )
            pip = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            # Exactly the locked versions, each checked against its hash; then our own
            # distributions without dependencies, so nothing unpinned slips in.
            must([*pip, "--require-hashes", "-r", LOCK_FILE])
            targets: list[str | Path] = ["-e", "."]
            for folder in plugins:
                targets += ["-e", "./" + str(folder.relative_to(ROOT))]
            must([*pip, "--no-deps", *targets])
            if run([PYTHON, "-m", "pip", "check", "--disable-pip-version-check"]) != 0:
                sys.exit(
                    "dev.py: a dependency declared in a setup.cfg is missing from "
                    "requirements.lock, or the pins do not fit it; refresh the lock file "
                    "(docs/operations.md, 'Dependencies and the lock file')."
                )
            STAMP.write_text(fingerprint + "\n")
    compile_translations()


def compile_translations() -> None:
    """Compile every catalogue (core and plugins) that has a messages.po; *.mo are not in git."""
    roots = [ROOT / "translations", *(p for d in plugin_dirs() for p in d.rglob("translations"))]
    for folder in roots:
        if (
            folder.is_dir()
            and ".venv" not in folder.parts
            and any(folder.glob("*/LC_MESSAGES/messages.po"))
        ):
            must([BIN / "pybabel", "-q", "compile", "-d", folder])


# --- demo ----------------------------------------------------------------------------


def demo() -> None:
    ensure_environment()
    env = dict(os.environ)
    bind = env.setdefault("PROJEKTFABRIK_BIND", DEMO_BIND)
    port = bind.rsplit(":", 1)[-1]
    env.setdefault("PROJEKTFABRIK_PUBLIC_PORT", port)
    env.setdefault("PROJEKTFABRIK_OPERATOR_HOST", DEMO_CONSOLE)
    # With PROJEKTFABRIK_SMTP_URL unset, mail is printed on this console (the
    # console transport), so verification links can be copied from here.
    must([BIN / "projektfabrik", "db", "upgrade"], env)
    # The core's demo content, then each enabled plugin's own (its pf_demo hook).
    must([BIN / "projektfabrik", "demo"], env)
    public_port = env["PROJEKTFABRIK_PUBLIC_PORT"]
    print(
        "\n  Projektfabrik demo\n\n"
        + "".join(f"    http://{town}.localhost:{public_port}/\n" for town in DEMO_TOWNS)
        + f"\n  Log in as {DEMO_LOGIN[0]} with the password {DEMO_LOGIN[1]}"
        + "\n  (every demo person has that password; beispielhausen: admin@beispielhausen.example)."
        + "\n  Mail (e.g. the link to confirm a new account) is printed here."
        + f"\n\n  Operator console: http://{env['PROJEKTFABRIK_OPERATOR_HOST']}:{public_port}/"
        + "\n  (first: .venv/bin/projektfabrik operator create you@example.org)"
        + "\n  Stop with Ctrl-C.\n",
        flush=True,
    )
    # The mail worker beside the web server, printing mail in this terminal; Ctrl-C
    # reaches both (one process group).
    subprocess.Popen([str(BIN / "projektfabrik"), "worker"], env=env, cwd=ROOT)
    args = [
        str(BIN / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "projektfabrik.wsgi:app",
    ]
    os.chdir(ROOT)
    os.execve(args[0], args, env)


# --- test ------------------------------------------------------------------------------


@dataclass
class Part:
    name: str
    status: str = "not run"  # passed | FAILED | skipped
    seconds: float = 0.0
    note: str = ""


def postgres_reachable(url: str) -> tuple[bool, str]:
    """Can we reach the server's maintenance database (the tests create their own)?"""
    probe = (
        "import sys, psycopg\n"
        "from sqlalchemy.engine import make_url\n"
        "u = make_url(sys.argv[1]).set(drivername='postgresql', database='postgres')\n"
        "try:\n"
        "    psycopg.connect(u.render_as_string(hide_password=False), connect_timeout=3).close()\n"
        "except Exception as exc:\n"
        "    sys.exit(' '.join(str(exc).split())[:200])\n"
    )
    try:
        result = subprocess.run(
            [str(PYTHON), "-c", probe, url], cwd=ROOT, capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        return False, "no answer within 30 s"
    lines = result.stderr.strip().splitlines()
    return result.returncode == 0, (lines[-1] if lines else "")


def chromium_path() -> str:
    return os.environ.get("PROJEKTFABRIK_CHROMIUM") or DEFAULT_CHROMIUM


QUICK_LOOP_MARKERS = "not slow and not browser"


def quick_loop_selection(pytest_args: list[str]) -> list[str]:
    """The marker selection ``dev.py test ARGS`` adds: leave out tests marked slow
    or browser, unless ARGS choose a marker (``-m``) or name browser tests
    (``tests/browser``, a plugin's ``tests/browser``); then ARGS decide alone."""
    chooses = any(
        a == "-m" or (a.startswith("-m") and not a.startswith("--")) or "browser" in a
        for a in pytest_args
    )
    return [] if chooses else ["-m", QUICK_LOOP_MARKERS]


def test(pytest_args: list[str]) -> int:
    ensure_environment()
    in_ci = bool(os.environ.get("CI"))
    base_env = dict(os.environ)
    # The SQLite runs must not pick up a PostgreSQL URL from the caller's shell.
    pg_url = base_env.pop("PROJEKTFABRIK_TEST_DATABASE_URL", "") or DEFAULT_TEST_DATABASE_URL
    pytest = [PYTHON, "-m", "pytest"]
    parts: list[Part] = []

    def step(name: str, args: list[str | Path], env: dict[str, str] | None = None) -> Part:
        part = Part(name)
        say(name)
        started = time.monotonic()
        code = run(args, env or base_env)
        part.seconds = time.monotonic() - started
        # pytest exit 5: nothing collected (e.g. no browser tests yet) is not a failure.
        part.status = "passed" if code == 0 or (code == 5 and args[:3] == pytest) else "FAILED"
        if code == 5 and args[:3] == pytest:
            part.note = "no tests collected"
        parts.append(part)
        return part

    def unavailable(name: str, why: str) -> None:
        if in_ci:
            print(f"\n!!! {name}: {why} (CI is set, so this fails the run)\n", file=sys.stderr)
            parts.append(Part(name, "FAILED", note=why))
        else:
            warn(f"{name} SKIPPED: {why}")
            parts.append(Part(name, "skipped", note=why))

    if pytest_args:
        # Quick loop: only what was asked, on SQLite, without slow and browser tests
        # unless the arguments choose a marker or point at browser tests.
        selection = quick_loop_selection(pytest_args)
        step("pytest (SQLite) " + shlex.join(pytest_args), [*pytest, *selection, *pytest_args])
    else:
        step("ruff check", [BIN / "ruff", "check", "."])
        step("ruff format --check", [BIN / "ruff", "format", "--check", "."])
        step("mypy", [BIN / "mypy", *(p.relative_to(ROOT) for p in typed_packages())])
        # Two worker processes (pytest-xdist): the machines CI runs on have two cores.
        # loadgroup: tests marked xdist_group("...") stay in one worker (the fault
        # tests share one deployment of their own); the rest spread as before.
        parallel = ["-n", os.environ.get("PROJEKTFABRIK_TEST_WORKERS", "2"), "--dist", "loadgroup"]
        step("pytest on SQLite", [*pytest, *parallel, "-m", "not browser"])

        name = "pytest on PostgreSQL"
        ok, why = postgres_reachable(pg_url)
        if ok:
            step(
                name,
                [*pytest, *parallel, "-m", "not browser"],
                {**base_env, "PROJEKTFABRIK_TEST_DATABASE_URL": pg_url},
            )
        else:
            unavailable(name, f"PostgreSQL not reachable at {pg_url} ({why})")

        # The file tests once more with the files in S3 (moto's server on loopback,
        # started by the tests themselves): docs/operations.md, "Files".
        step(
            "pytest with S3 storage (moto)",
            [*pytest, *parallel, "-m", "storage and not browser"],
            {**base_env, "PROJEKTFABRIK_TEST_STORAGE": "s3"},
        )

        name = "browser tests (Chromium, SQLite)"
        chromium = chromium_path()
        if os.access(chromium, os.X_OK):
            # Two workers here too: a browser test mostly waits for Chromium and the
            # app's thread, and each worker has its own Chromium, app and database.
            step(
                name,
                [*pytest, *parallel, "-m", "browser"],
                {**base_env, "PROJEKTFABRIK_CHROMIUM": chromium},
            )
        else:
            unavailable(
                name, f"no Chromium at {chromium} (install it or set PROJEKTFABRIK_CHROMIUM)"
            )

    print("\n" + "=" * 72)
    for part in parts:
        note = f"  ({part.note})" if part.note else ""
        print(f"{part.status:>8}  {part.name:<40} {part.seconds:7.1f}s{note}")
    failed = [p for p in parts if p.status == "FAILED"]
    skipped = [p for p in parts if p.status == "skipped"]
    verdict = "FAILED" if failed else ("passed, with parts skipped" if skipped else "all passed")
    print("=" * 72 + f"\n{verdict}\n", flush=True)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    command, rest = argv[1], argv[2:]
    if command == "demo":
        demo()  # replaces this process with gunicorn
        return 0
    if command == "test":
        return test(rest)
    print(f"dev.py: unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
