"""A whole deployment on loopback, for the fault tests and ``bench/soak.py``.

Every part is this process's own child and is ended by it: a PostgreSQL
cluster (``initdb`` into a temporary folder, optionally with a streaming
standby), a Redis, an SMTP server that can be switched off or made to hang,
moto's S3 server (``testing_s3``) for the files, two gunicorns (standing for
two app machines) on the same database, Redis and S3 bucket, and nginx with
the proxy settings of ``deploy/nginx.conf``.
The machine's own PostgreSQL and Redis are never touched.

Nothing here is imported by the app; it lives in the package (like
``testing.py``) so that the tests and the benchmark share it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from projektfabrik.config import REPO_ROOT
from projektfabrik.testing import free_port
from projektfabrik.testing_s3 import S3Server, serve

BIN = Path(sys.executable).parent
DEPLOY = REPO_ROOT / "deploy"
SECRET_KEY = "cluster-test-secret-key-shared-by-every-app-machine"


def wait_until(check: Any, timeout: float, what: str, step: float = 0.1) -> float:
    """Call ``check`` until it is true; the seconds it took. Raises after ``timeout``."""
    started = time.monotonic()
    while True:
        with contextlib.suppress(Exception):
            if check():
                return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{what}: not within {timeout} s")
        time.sleep(step)


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


# --- PostgreSQL ----------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return on_path


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _own_folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    return folder


@dataclass
class Postgres:
    """One PostgreSQL server of our own on 127.0.0.1:``port``."""

    port: int
    folder: Path = field(default_factory=lambda: _own_folder("pf-pg-"))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "projektfabrik") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(_as_postgres(list(args)), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.stderr or done.stdout}")
        return done

    def init(self) -> Postgres:
        self._run(
            _pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._configure()
        return self

    def _configure(self) -> None:
        # fsync off: these clusters never outlive an operating system crash, and the
        # faults here (restart, SIGKILL of the postmaster) keep the page cache, so a
        # committed transaction is still durable for what is tested.
        settings = (
            f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{self.folder}'\nfsync = off\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
            "max_connections = 60\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(settings)

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args, check=check
        )

    def start(self) -> None:
        self.pg_ctl("-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-w", "-m", mode, "stop", check=False)

    def restart(self) -> None:
        self.pg_ctl("-w", "-t", "60", "-m", "fast", "restart")

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """SIGKILL the postmaster (its backends end when they notice it is gone)."""
        pid = self.postmaster_pid()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not Path(f"/proc/{pid}").exists(), 10, "postmaster gone")
        # Backends left from the killed postmaster hold shared memory until they exit.
        wait_until(lambda: not self._orphans(), 20, "old backends gone")

    def _orphans(self) -> list[int]:
        found = []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                with contextlib.suppress(OSError):
                    cmd = (proc / "cmdline").read_bytes()
                    if b"postgres" in cmd and str(self.data).encode() in cmd:
                        found.append(int(proc.name))
        return found

    def promote(self) -> None:
        self.pg_ctl("-w", "promote")

    def standby(self, port: int) -> Postgres:
        """A streaming standby of this server, made with ``pg_basebackup -R``."""
        other = Postgres(port)
        self._run(
            _pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-D", str(other.data), "-R", "-X", "stream", "--no-sync", "--checkpoint=fast",
        )  # fmt: skip
        with (other.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {port}\nunix_socket_directories = '{other.folder}'\n")
        return other

    def sql(self, statement: str, database: str = "projektfabrik") -> str:
        done = self._run(
            _pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "-d", database, "-At", "-c", statement,
        )  # fmt: skip
        return done.stdout.strip()

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop("immediate")
        with contextlib.suppress(Exception):
            self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- Redis -------------------------------------------------------------------------


@dataclass
class Redis:
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server", "--port", str(self.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: _port_open(self.port), 10, "redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


# --- SMTP ---------------------------------------------------------------------------


class Smtp:
    """An SMTP server on loopback that can be up, down (refuses) or hanging
    (accepts the connection and never answers)."""

    def __init__(self, port: int) -> None:
        from projektfabrik.testing import Mailbox

        self.port = port
        self.mailbox = Mailbox()
        self._controller: Any = None
        self._hanging: socket.socket | None = None
        self._held: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def up(self) -> None:
        from aiosmtpd.controller import Controller

        self._stop_hanging()
        mailbox = self.mailbox

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                mailbox.add(envelope.original_content or envelope.content)
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def down(self) -> None:
        self._stop_hanging()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def hang(self) -> None:
        self.down()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._hanging = listener

        def accept() -> None:
            while self._hanging is listener:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                self._held.append(conn)  # kept open, never a greeting

        threading.Thread(target=accept, daemon=True).start()

    def _stop_hanging(self) -> None:
        if self._hanging is not None:
            listener, self._hanging = self._hanging, None
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for conn in self._held:
            conn.close()
        self._held.clear()


# --- gunicorn and nginx ----------------------------------------------------------------


@dataclass
class AppServer:
    """One gunicorn, standing for one app machine."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    #: The WSGI app; a test may give a module of its own that wraps the real one.
    wsgi: str = "projektfabrik.wsgi:app"
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.launch()
        self.wait()

    def launch(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), self.wsgi],
                env={**self.env, "PROJEKTFABRIK_BIND": f"127.0.0.1:{self.port}"},
                cwd=REPO_ROOT, stdout=out, stderr=out,
            )  # fmt: skip

    def wait(self) -> None:
        wait_until(self._answers, 180, f"gunicorn {self.name}")
        # Every worker booted (the first answer may come from the first one alone).
        workers = int(self.env.get("PROJEKTFABRIK_WORKERS", "1"))
        wait_until(lambda: len(self.workers()) >= workers, 60, f"{self.name}'s workers")

    def _answers(self) -> bool:
        import requests

        return requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).ok

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The pids of the master's worker processes."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None


def nginx_config(port: int, upstreams: list[int], folder: Path) -> str:
    """An nginx configuration for loopback made from ``deploy/nginx.conf``: its
    ``upstream`` block (with our app servers' addresses) and its ``location /``
    block, with every proxy setting, unchanged; TLS and the hosts' names are
    what a test on loopback leaves out (plain HTTP on ``port``, any host)."""
    source = (DEPLOY / "nginx.conf").read_text()
    upstream = _block(source, "upstream projektfabrik")
    first = re.search(r"^\s*server 127\.0\.0\.1:8000(.*);$", upstream, re.M)
    assert first is not None, "deploy/nginx.conf: upstream has no 'server 127.0.0.1:8000'"
    servers = "".join(f"    server 127.0.0.1:{p}{first.group(1)};\n" for p in upstreams)
    upstream = re.sub(r"^\s*server .*;\n", "", upstream, flags=re.M)
    upstream = upstream.replace("{\n", "{\n" + servers, 1)
    # The last "location /": the HTTPS server's, which proxies (the first redirects).
    location = _block(source, "location / ", last=True)
    body_size = re.search(r"^\s*client_max_body_size .*;$", source, re.M)
    assert body_size is not None
    temp = "".join(
        f"    {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        f"    access_log off;\n{temp}"
        f"{upstream}\n"
        "    server {\n"
        f"        listen 127.0.0.1:{port};\n"
        f"    {body_size.group(0).strip()}\n"
        f"    {location}\n"
        "    }\n"
        "}\n"
    )


def _block(source: str, opening: str, last: bool = False) -> str:
    """The text of the ``{...}`` block that starts with ``opening`` (braces balanced)."""
    start = source.rindex(opening) if last else source.index(opening)
    depth, at = 0, source.index("{", start)
    for index in range(at, len(source)):
        if source[index] == "{":
            depth += 1
        elif source[index] == "}":
            depth -= 1
            if depth == 0:
                return source[start : index + 1]
    raise ValueError(f"unbalanced block {opening!r}")


@dataclass
class Nginx:
    port: int
    upstreams: list[int]
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        self.folder.mkdir(parents=True, exist_ok=True)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / kind).mkdir(exist_ok=True)
            # Its workers run as nobody when nginx starts as root.
            (self.folder / kind).chmod(0o777)
        conf = self.folder / "nginx.conf"
        conf.write_text(nginx_config(self.port, self.upstreams, self.folder))
        self.process = subprocess.Popen(
            [binary, "-p", str(self.folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=(self.folder / "stderr.log").open("ab"),
        )  # fmt: skip
        wait_until(lambda: _port_open(self.port), 15, "nginx")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


# --- the whole deployment ---------------------------------------------------------------


@dataclass
class Cluster:
    folder: Path
    postgres: Postgres
    redis: Redis
    smtp: Smtp
    apps: list[AppServer]
    nginx: Nginx
    #: Where every machine keeps its files (the bucket's "cluster" prefix).
    s3: S3Server | None = None
    worker: subprocess.Popen[bytes] | None = None
    database_url: str = ""
    #: Where a standby may listen (the second address in the database URL).
    standby_port: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    #: Servers no longer in use (an old primary after a failover), removed at the end.
    spare: list[Postgres] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("PROJEKTFABRIK_")}
        keep.pop("PROMETHEUS_MULTIPROC_DIR", None)
        return {
            **keep,
            "PROJEKTFABRIK_DATABASE_URL": self.database_url,
            "PROJEKTFABRIK_SECRET_KEY": SECRET_KEY,
            "PROJEKTFABRIK_REDIS_URL": self.redis.url,
            "PROJEKTFABRIK_SMTP_URL": self.smtp.url,
            "PROJEKTFABRIK_SMTP_TIMEOUT": "3",
            **self._storage_env(),
            # The towns' configuration folders (tenant.toml, logos) are still files:
            # a folder both machines read, as deploy/README.md sets up.
            "PROJEKTFABRIK_TENANTS_DIR": str(self.folder / "shared" / "tenants"),
            "PROJEKTFABRIK_PUBLIC_PORT": str(self.nginx.port),
            "PROJEKTFABRIK_PROXY_FIX": "1",
            "PROJEKTFABRIK_WORKERS": os.environ.get("PROJEKTFABRIK_CLUSTER_WORKERS", "2"),
            "PROJEKTFABRIK_TIMEOUT": "30",
            "PROJEKTFABRIK_LOG_LEVEL": "warning",
            **self.extra_env,
        }

    def _storage_env(self) -> dict[str, str]:
        """Uploads and made files in S3, shared by both machines and the worker."""
        assert self.s3 is not None, "the S3 server starts before anything reads env()"
        return {
            f"PROJEKTFABRIK_{name}": str(value) for name, value in self.s3.config("cluster").items()
        }

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(BIN / "projektfabrik"), *args], env=self.env(), cwd=REPO_ROOT,
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"projektfabrik {' '.join(args)}: {done.stderr[-2000:]}")
        return done

    def start_worker(self) -> None:
        with (self.folder / "worker.log").open("ab") as out:
            self.worker = subprocess.Popen(
                [str(BIN / "projektfabrik"), "worker"], env=self.env(), cwd=REPO_ROOT,
                stdout=out, stderr=out,
            )  # fmt: skip

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(20)
            self.worker = None

    def restart_apps(self) -> None:
        for app in self.apps:
            app.stop()
            app.env = self.env()
            app.start()

    def log_tail(self, lines: int = 40) -> str:
        out = []
        for path in sorted(self.folder.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(out)


def _timed(step: str, began: float) -> None:
    if os.environ.get("PROJEKTFABRIK_CLUSTER_VERBOSE"):
        print(f"cluster: {step} ready after {time.monotonic() - began:.1f} s", file=sys.stderr)


@contextlib.contextmanager
def cluster(
    demo: bool = True,
    mail_worker: bool = True,
    wsgi: str = "projektfabrik.wsgi:app",
    extra_env: dict[str, str] | None = None,
) -> Iterator[Cluster]:
    """Start everything, seed the demo towns, yield; stop and remove everything."""
    with (
        contextlib.contextmanager(serve)() as s3,
        _deployment(s3, demo, mail_worker, wsgi, extra_env) as made,
    ):
        yield made


@contextlib.contextmanager
def _deployment(
    s3: S3Server,
    demo: bool,
    mail_worker: bool,
    wsgi: str,
    extra_env: dict[str, str] | None,
) -> Iterator[Cluster]:
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="pf-cluster-"))
    (folder / "shared").mkdir()
    shutil.copytree(REPO_ROOT / "tenants", folder / "shared" / "tenants")
    postgres = Postgres(free_port())
    ports = [free_port() for _ in range(3)]
    made = Cluster(
        folder=folder,
        postgres=postgres,
        redis=Redis(free_port()),
        smtp=Smtp(free_port()),
        apps=[],
        s3=s3,
        extra_env=dict(extra_env or {}),
        nginx=Nginx(ports[2], ports[:2], folder / "nginx"),
    )
    try:
        postgres.init().start()
        postgres.sql("CREATE DATABASE projektfabrik", database="postgres")
        # Both addresses from the start, as an operator configures a primary and its
        # standby: libpq takes the first that accepts writes (docs/operations.md).
        made.standby_port = free_port()
        made.database_url = (
            f"postgresql://postgres@/projektfabrik?host=127.0.0.1:{postgres.port}"
            f"&host=127.0.0.1:{made.standby_port}&target_session_attrs=read-write"
            "&connect_timeout=3"
        )
        made.redis.start()
        made.smtp.up()
        _timed("database and services", began)
        made.command("db", "upgrade")
        _timed("db upgrade", began)
        if demo:
            made.command("demo")
            _timed("demo", began)
        made.apps = [
            AppServer(name, port, made.env(), folder / f"gunicorn-{name}.log", wsgi)
            for name, port in zip(("a", "b"), ports[:2], strict=True)
        ]
        for app in made.apps:
            app.launch()
        for app in made.apps:
            app.wait()
        _timed("app servers", began)
        made.nginx.start()
        if mail_worker:
            made.start_worker()
        yield made
    finally:
        stopping = time.monotonic()
        made.stop_worker()
        _timed("stop: mail worker", stopping)
        made.nginx.stop()
        for app in made.apps:
            app.stop()
        _timed("stop: nginx and app servers", stopping)
        made.smtp.down()
        made.redis.stop()
        for server in [made.postgres, *made.spare, postgres]:
            server.remove()
        _timed("stop: PostgreSQL", stopping)
        if os.environ.get("PROJEKTFABRIK_CLUSTER_KEEP"):
            print(f"cluster folder kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


# --- a person with a browser ----------------------------------------------------------


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Person:
    """A browser of one town: cookies, the town's Host header, CSRF tokens from forms.

    ``base`` is where requests go (nginx, or one app server directly); the Host
    header names the town, as a browser would through the proxy."""

    def __init__(self, base: str, host: str, address: str | None = None) -> None:
        import requests

        self.base = base
        self.host = host
        self.http = requests.Session()
        self.http.headers["Host"] = host
        self.http.headers["Accept-Language"] = "de"
        if address is not None:  # the client's address as the proxy would pass it on
            self.http.headers["X-Forwarded-For"] = address

    def get(self, path: str, via: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.http.get((via or self.base) + path, **kwargs)

    def post(self, path: str, data: dict[str, Any], via: str | None = None,
             form_from: str | None = None, **kwargs: Any) -> Any:  # fmt: skip
        """POST with the CSRF token of the form on ``form_from`` (default: ``path``)."""
        page = self.get(form_from or path, via=via)
        found = CSRF.search(page.text)
        fields = dict(data)
        if found:
            fields["csrf_token"] = found.group(1) or found.group(2)
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.http.post((via or self.base) + path, data=fields, **kwargs)

    def login(self, email: str, password: str, via: str | None = None) -> None:
        answer = self.post("/anmelden", {"email": email, "password": password}, via=via)
        if answer.status_code != 302:
            raise AssertionError(f"login of {email}: {answer.status_code} {answer.text[:500]}")


# --- bounded load ----------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    #: Seconds since the load began, when the request was sent.
    started: float
    seconds: float
    #: The HTTP status; 0 when no answer came (connection refused or reset).
    status: int
    #: Either a success, or the app's own 503 page for a database it cannot reach.
    clean: bool = True


@dataclass
class Load:
    """A few people asking pages one after the other, through the proxy and at each
    app server directly, until stopped; bounded by ``max_seconds`` and ``max_requests``
    (loopback only)."""

    targets: list[str]
    host: str
    paths: list[str]
    threads: int = 4
    max_seconds: float = 90.0
    max_requests: int = 20000
    pause: float = 0.02
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.began = 0.0

    def now(self) -> float:
        return time.monotonic() - self.began

    def start(self) -> Load:
        self.began = time.monotonic()
        for number in range(self.threads):
            thread = threading.Thread(target=self._run, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _run(self, number: int) -> None:
        import requests

        http = requests.Session()
        http.headers["Host"] = self.host
        turn = number
        while not self._stop.is_set() and self.now() < self.max_seconds:
            with self._lock:
                if len(self.outcomes) >= self.max_requests:
                    return
            target = self.targets[turn % len(self.targets)]
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = self.now()
            try:
                answer = http.get(target + path, timeout=15, allow_redirects=False)
                status, retry = answer.status_code, answer.headers.get("Retry-After")
            except requests.RequestException:
                status, retry = 0, None
                http = requests.Session()
                http.headers["Host"] = self.host
            # The only clean failure is the app's own 503 page ("Gleich wieder da",
            # with Retry-After); a 500, a proxy's 502 or no answer are not.
            clean = 0 < status < 500 or (status == 503 and retry is not None)
            outcome = Outcome(path, started, self.now() - started, status, clean)
            with self._lock:
                self.outcomes.append(outcome)
            time.sleep(self.pause)

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)
        return list(self.outcomes)

    def failed(self, after: float = 0.0, before: float = float("inf")) -> list[Outcome]:
        with self._lock:
            return [
                o
                for o in self.outcomes
                if after <= o.started < before and not 200 <= o.status < 400
            ]

    def count(self, after: float = 0.0) -> int:
        with self._lock:
            return sum(1 for o in self.outcomes if o.started >= after)
