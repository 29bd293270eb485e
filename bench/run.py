"""Throughput and latency of the marketplace pages next to a bare Flask page.

    .venv/bin/python bench/seed.py --rev 1b99f14      # once: 50 towns × 2,000 projects
    .venv/bin/python bench/run.py --rev 1b99f14       # about four minutes

``--rev`` serves the code of one commit (bench/snapshot.py); without it, the
working tree.
docs/benchmarks.md has the results and how to read them.

Starts two gunicorns on free loopback ports: the application
(``projektfabrik.wsgi:app`` on the seeded database) and bench/bare_app.py (no
database, a page of the same byte size). Then it loads them in short slices,
each application page paired with a slice of the bare page right before or
after it, round after round, so both see the same machine (other work on it
included). Every request goes to a random town (``Host`` header).

Pages:
  marketplace  /projekte
  search       /projekte?suche=<word>            (a random word of wordlists.SEARCH_WORDS)
  filters      /projekte?<status, category, district, skill, sort, page combos>
  project      /projekte/<random number>         (a first view, as a rule: 2,000 per town)
  project-hot  /projekte/<one of the newest 24>  (the marketplace's first page: seen again)
  plan         /projekte/<random number>/plan
  plan-hot     /projekte/<one of the newest 24>/plan
  bare         / on the bare app

Reports requests per second, p50/p95/p99 latency, the ratio to the bare
page's throughput, and the CPU time per request of the gunicorn workers and of
their PostgreSQL backends (read from /proc: less sensitive to other work on
the machine than throughput). Writes bench/results/run-<time>.json and prints
a Markdown table.

The load comes from threads with raw sockets (no dependency), or from wrk
when ``--client wrk`` is given (or ``auto`` finds it). gunicorn's sync
workers close the connection after each response, so there is no keep-alive
with either client: every request pays for a TCP connect on loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import snapshot  # noqa: E402
import wordlists  # noqa: E402

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/"
APP_PAGES = ("marketplace", "search", "filters", "project", "project-hot", "plan", "plan-hot")
#: What a run measures unless --pages says otherwise (about four minutes).
DEFAULT_PAGES = ("marketplace", "search", "filters", "project")
#: How many of each town's newest projects "project-hot" and "plan-hot" choose
#: from: the marketplace's first page, where people find what they open.
HOT_PROJECTS = 24
CLK_TCK = os.sysconf("SC_CLK_TCK")
SECRET_KEY = "bench-secret-key-not-for-production"


# --- what to request ------------------------------------------------------------------


@dataclass
class TownInfo:
    host: str
    projects: int
    categories: list[str]
    districts: list[str]
    tenant_id: int = 0
    cookie: str = ""  # a signed-in person's session cookie (--login)


def load_towns(url: str) -> list[TownInfo]:
    """Hosts, project counts, category and district names of the seeded towns."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """
            SELECT t.id, h.host,
                   (SELECT coalesce(max(number), 0) FROM project p WHERE p.tenant_id = t.id),
                   ARRAY(SELECT name FROM category c WHERE c.tenant_id = t.id ORDER BY name),
                   ARRAY(SELECT name FROM district d WHERE d.tenant_id = t.id ORDER BY name)
            FROM tenant t JOIN tenant_host h ON h.tenant_id = t.id AND h.is_canonical
            ORDER BY t.slug
            """
        ).fetchall()
    return [TownInfo(h, n, list(c), list(d), i) for i, h, n, c, d in rows if n]


def q(**params: Any) -> str:
    return urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})


def app_request(page: str, town: TownInfo, rng: random.Random) -> tuple[str, str]:
    """``(label, path)`` of one request for ``page`` in ``town``."""
    if page == "marketplace":
        return "marketplace", "/projekte"
    if page == "search":
        word = rng.choice(wordlists.SEARCH_WORDS)
        return f"suche={word}", "/projekte?" + q(suche=word)
    if page == "project":
        return "project", f"/projekte/{rng.randint(1, town.projects)}"
    if page == "project-hot":
        return "project-hot", f"/projekte/{_hot(town, rng)}"
    if page == "plan":
        return "plan", f"/projekte/{rng.randint(1, town.projects)}/plan"
    if page == "plan-hot":
        return "plan-hot", f"/projekte/{_hot(town, rng)}/plan"
    if page == "filters":
        combo = rng.randrange(6)
        pages = max(town.projects // 24 // 3, 2)
        if combo == 0:
            return "status", "/projekte?" + q(status="running")
        if combo == 1:
            category = rng.choice(town.categories)
            return "kategorie+sort=supported", "/projekte?" + q(
                kategorie=category, sortierung="supported"
            )
        if combo == 2:
            return "ortsteil+sucht", "/projekte?" + q(
                ortsteil=rng.choice(town.districts), sucht="1"
            )
        if combo == 3:
            skill = rng.choice(["Gärtnern", "Handwerk", "Fotografie", "Fördermittel", "Musik"])
            return "faehigkeit", "/projekte?" + q(faehigkeit=skill)
        if combo == 4:
            return "sort=active+seite", "/projekte?" + q(
                sortierung="active", seite=rng.randint(2, pages)
            )
        word = rng.choice(wordlists.SEARCH_WORDS)
        return "suche+status+kategorie", "/projekte?" + q(
            suche=word, status="idea", kategorie=rng.choice(town.categories)
        )
    raise ValueError(page)


def _hot(town: TownInfo, rng: random.Random) -> int:
    """One of the town's newest projects (the marketplace's first page)."""
    return rng.randint(max(1, town.projects - HOT_PROJECTS + 1), town.projects)


def raw_request(host: str, path: str, cookie: str = "") -> bytes:
    cookie_line = f"Cookie: session={cookie}\r\n" if cookie else ""
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: projektfabrik-bench\r\n"
        f"Accept: text/html\r\nAccept-Language: de\r\n{cookie_line}Connection: close\r\n\r\n"
    ).encode()


def log_in_everywhere(url: str, towns: list[TownInfo], secret_key: str) -> None:
    """Give each town's ``cookie`` a login session of one of its people.

    As if they had logged in (accounts/sessions.py): a ``login_session`` row
    with the key's hash, and Flask's signed session cookie naming it. The rows
    stay (a benchmark database); each run adds one per town.
    """
    import hashlib
    import secrets

    import psycopg
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask("bench-cookies")
    signer.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    with psycopg.connect(url) as conn:
        for town in towns:
            row = conn.execute(
                "SELECT id, session_token FROM user_account WHERE tenant_id = %s"
                " AND deleted_at IS NULL AND blocked_at IS NULL ORDER BY id LIMIT 1",
                (town.tenant_id,),
            ).fetchone()
            if row is None:
                continue
            key = secrets.token_urlsafe(24)
            conn.execute(
                "INSERT INTO login_session (tenant_id, user_id, key_hash, created_at)"
                " VALUES (%s, %s, %s, now())",
                (town.tenant_id, row[0], hashlib.sha256(key.encode()).hexdigest()),
            )
            town.cookie = str(
                serializer.dumps(
                    {
                        "_user_id": f"{row[0]}:{row[1]}:{key}",
                        "_fresh": True,
                        "tenant": town.tenant_id,
                    }
                )
            )


@dataclass
class Target:
    name: str
    port: int
    towns: list[TownInfo]

    def next(self, rng: random.Random) -> tuple[str, bytes]:
        if self.name == "bare":
            return "bare", raw_request("bare.bench.test", "/")
        town = rng.choice(self.towns)
        label, path = app_request(self.name, town, rng)
        return label, raw_request(town.host, path, town.cookie)


# --- measuring ----------------------------------------------------------------------


@dataclass
class Slice:
    """One timed run of one page."""

    page: str
    round: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    labels: list[str] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0
    cache_hits: int = 0  # responses with "X-Page-Cache: hit" (python client only)
    app_cpu: float = 0.0  # CPU seconds of the server's workers during the slice
    db_cpu: float = 0.0  # CPU seconds of their PostgreSQL backends
    client_cpu: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)


def proc_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


class CpuMeter:
    """CPU time of the gunicorn workers and of the database's backends."""

    def __init__(self, database_url: str | None, database: str | None) -> None:
        self._conn = None
        self._database = database
        if database_url:
            import psycopg

            self._conn = psycopg.connect(database_url, autocommit=True)

    def backends(self) -> list[int]:
        if self._conn is None:
            return []
        rows = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (self._database,),
        ).fetchall()
        return [r[0] for r in rows]

    def sample(self, master: int) -> dict[int, float]:
        pids = children(master) + self.backends()
        return {pid: proc_cpu(pid) for pid in pids}

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def _delta(before: dict[int, float], after: dict[int, float], pids: set[int]) -> float:
    return sum(after.get(p, 0.0) - before.get(p, 0.0) for p in pids if p in after)


def fetch(port: int, request: bytes, timeout: float = 30.0) -> tuple[int, int, bool]:
    """Send one request; return ``(status, bytes, from the page cache)``.

    The server closes the connection.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            chunk = sock.recv(262144)
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, len(body), b"\r\nX-Page-Cache: hit" in head


def python_load(
    target: Target, seconds: float, max_requests: int, concurrency: int, seed: int, slice_: Slice
) -> None:
    deadline = time.perf_counter() + seconds
    budget = [max_requests]
    lock = threading.Lock()

    def work(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        latencies, labels, errors, size, hits = [], [], 0, 0, 0
        while time.perf_counter() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            label, request = target.next(rng)
            start = time.perf_counter()
            try:
                status, length, hit = fetch(target.port, request)
            except OSError:
                status, length, hit = 0, 0, False
            elapsed = time.perf_counter() - start
            if status == 200:
                latencies.append(elapsed)
                labels.append(label)
                size += length
                hits += hit
            else:
                errors += 1
        with lock:
            slice_.latencies += latencies
            slice_.labels += labels
            slice_.errors += errors
            slice_.bytes += size
            slice_.cache_hits += hits

    threads = [threading.Thread(target=work, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


WRK_SCRIPT = r"""
local requests = {}
init = function(args)
  for line in io.lines(args[1]) do
    local host, path = line:match("([^\t]+)\t(.+)")
    table.insert(requests, wrk.format("GET", path, {["Host"] = host,
      ["Connection"] = "close", ["Accept-Language"] = "de"}))
  end
  math.randomseed(tonumber(args[2]))
end
request = function()
  return requests[math.random(#requests)]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_load(
    wrk: str, target: Target, seconds: float, concurrency: int, seed: int, workdir: Path
) -> dict[str, Any]:
    rng = random.Random(seed)
    paths = workdir / f"paths-{target.name}-{seed}.tsv"
    with paths.open("w") as f:
        for _ in range(3000):
            _, request = target.next(rng)
            first, host_line = request.decode().split("\r\n")[:2]
            f.write(f"{host_line.split(': ', 1)[1]}\t{first.split(' ')[1]}\n")
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT)
    out = subprocess.run(
        [wrk, "-t2", f"-c{concurrency}", f"-d{max(int(seconds), 1)}s", "--timeout", "30s",
         "-s", str(script), f"http://127.0.0.1:{target.port}/", "--", str(paths), str(seed)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    return json.loads(line[4:])


# --- servers ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = name
        self.port = free_port()
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.log = (RESULTS / f"gunicorn-{name}.log").open("w")
        self.proc = subprocess.Popen(
            [*argv, "--bind", f"127.0.0.1:{self.port}"],
            env=env,
            cwd=cwd,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait(self, host: str, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} gunicorn exited; see {self.log.name}")
            try:
                if fetch(self.port, raw_request(host, path), timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"{self.name} gunicorn did not answer in {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def gunicorn_argv(app: str, workers: int) -> list[str]:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return [gunicorn, "--workers", str(workers), "--worker-class", "sync",
            "--worker-tmp-dir", "/dev/shm", "--timeout", "60", app]  # fmt: skip


def server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROJEKTFABRIK_", "BENCH_"))}
    env.update(extra)
    return env


# --- reporting ----------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def summarise(slices: list[Slice]) -> dict[str, Any]:
    latencies = sorted(x for s in slices for x in s.latencies)
    requests = sum(s.requests for s in slices)
    seconds = sum(s.seconds for s in slices)
    per_label: dict[str, list[float]] = defaultdict(list)
    for s in slices:
        for label, value in zip(s.labels, s.latencies, strict=True):
            per_label[label].append(value)
    return {
        "requests": requests,
        "errors": sum(s.errors for s in slices),
        "seconds": round(seconds, 3),
        "rps": requests / seconds if seconds else 0.0,
        "rps_per_slice": [round(s.requests / s.seconds, 1) for s in slices],
        "p50_ms": percentile(latencies, 50) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
        "bytes_per_response": sum(s.bytes for s in slices) / requests if requests else 0,
        "cache_hit_rate": sum(s.cache_hits for s in slices) / requests if requests else 0.0,
        "app_cpu_ms_per_request": 1000 * sum(s.app_cpu for s in slices) / max(requests, 1),
        "db_cpu_ms_per_request": 1000 * sum(s.db_cpu for s in slices) / max(requests, 1),
        "client_cpu_ms_per_request": 1000 * sum(s.client_cpu for s in slices) / max(requests, 1),
        "per_label": {
            label: {
                "requests": len(values),
                "p50_ms": percentile(sorted(values), 50) * 1000,
                "p95_ms": percentile(sorted(values), 95) * 1000,
            }
            for label, values in sorted(per_label.items())
        },
    }


def markdown(result: dict[str, Any]) -> str:
    pages = result["pages"]
    lines = [
        "| Page | Requests | req/s | p50 ms | p95 ms | req/s ÷ bare (paired) "
        "| CPU ms/request (app + db) | bare CPU ÷ page CPU | page cache hits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("bare", *APP_PAGES):
        if name not in pages:
            continue
        p = pages[name]
        ratio = "1" if name == "bare" else f"{p['ratio_to_bare']:.2f}"
        cpu_ratio = "1" if name == "bare" else f"{p['cpu_ratio_to_bare']:.2f}"
        cpu = p["app_cpu_ms_per_request"] + p["db_cpu_ms_per_request"]
        hits = "–" if name == "bare" else f"{100 * p.get('cache_hit_rate', 0):.0f} %"
        lines.append(
            f"| {name} | {p['requests']:,} | {p['rps']:.0f} | {p['p50_ms']:.1f} "
            f"| {p['p95_ms']:.1f} | {ratio} | {cpu:.1f} ({p['app_cpu_ms_per_request']:.1f} "
            f"+ {p['db_cpu_ms_per_request']:.1f}) | {cpu_ratio} | {hits} |"
        )
    target = result["target"]
    lines.append("")
    lines.append(
        f"Target: marketplace ≥ 1/3 of the bare page's throughput: "
        f"{target['marketplace_ratio']:.2f} → {'met' if target['met'] else 'NOT met'}"
    )
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "projektfabrik"],
        cwd=ROOT, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # The checkout's state; with --rev the code served is in result["code"].
        "checkout_head": commit,
        "checkout_changes_in_projektfabrik": dirty,
    }


def postgres_settings(url: str) -> dict[str, str]:
    import psycopg

    names = ("server_version", "shared_buffers", "work_mem", "effective_cache_size", "jit")
    with psycopg.connect(url) as conn:
        return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}


# --- main ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="projektfabrik_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="PostgreSQL URL without database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument(
        "--app", default="projektfabrik.wsgi:app", help="WSGI app to measure (module:name)"
    )
    parser.add_argument("--pythonpath", default="", help="extra import path for --app")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slice", type=float, default=8.0, help="seconds per slice")
    parser.add_argument("--max-requests", type=int, default=20000, help="per slice")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds per page, unrecorded")
    parser.add_argument("--pages", default=",".join(DEFAULT_PAGES), help=", ".join(APP_PAGES))
    parser.add_argument("--client", choices=("auto", "python", "wrk"), default="python")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rev", help="serve the code of this commit (see snapshot.py)")
    parser.add_argument(
        "--app-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the application, e.g. PROJEKTFABRIK_PAGE_CACHE_SECONDS=0",
    )
    parser.add_argument(
        "--login",
        action="store_true",
        help="send every application request as a signed-in person of its town",
    )
    parser.add_argument(
        "--changes-per-second",
        type=float,
        default=1.0,
        help="during the slices, raise a random town's content version this often "
        "(as a support, comment or edit would), so the page cache sees changes",
    )
    args = parser.parse_args(argv)

    # A plain `kill` stops the servers too (the finally block below runs).
    signal.signal(signal.SIGTERM, _terminate)
    pages = [p for p in args.pages.split(",") if p]
    unknown = set(pages) - set(APP_PAGES)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; choose from {APP_PAGES}")
    wrk = shutil.which("wrk") if args.client in ("auto", "wrk") else None
    if args.client == "wrk" and not wrk:
        parser.error("wrk is not installed (apt-get install wrk), or use --client python")
    client = "wrk" if wrk else "python"

    source = snapshot.export(args.rev) if args.rev else ROOT
    pythonpath = [p for p in args.pythonpath.split(",") if p]
    app_env = dict(item.split("=", 1) for item in args.app_env)
    if args.rev:
        # The commit's code, without the plugins installed from the working tree.
        pythonpath += [str(BENCH), str(source)]
        app_env["BENCH_NO_PLUGINS"] = "1"
        if args.app == "projektfabrik.wsgi:app":
            args.app = "serve:app"
    database_url = args.server.rstrip("/") + "/" + args.database
    towns = load_towns(database_url)
    if not towns:
        raise SystemExit(f"no seeded towns in {args.database}: run bench/seed.py first")
    print(f"{len(towns)} towns, {sum(t.projects for t in towns):,} projects; client: {client}")
    if args.login:
        log_in_everywhere(database_url, towns, SECRET_KEY)
        print("every request signed in (a person of the town): no page cache")

    app_server = Server(
        "app",
        gunicorn_argv(args.app, args.workers)
        + (["--pythonpath", ",".join(pythonpath)] if pythonpath else []),
        server_env(
            {
                "PROJEKTFABRIK_DATABASE_URL": database_url,
                "PROJEKTFABRIK_SECRET_KEY": SECRET_KEY,
                "PROJEKTFABRIK_RATELIMIT_ENABLED": "0",
                **app_env,
            }
        ),
        source,
    )
    servers = [app_server]
    meter = CpuMeter(database_url, args.database)
    changer = Changer(
        database_url, towns, args.changes_per_second, app_env.get("PROJEKTFABRIK_REDIS_URL")
    )
    workdir = Path(tempfile.mkdtemp(prefix="projektfabrik-bench-"))
    try:
        app_server.wait(towns[0].host, "/projekte")
        # The bare page is as large as the marketplace page (median over some towns).
        sizes = sorted(
            fetch(app_server.port, raw_request(t.host, "/projekte"))[1] for t in towns[:11]
        )
        page_bytes = sizes[len(sizes) // 2]
        bare_server = Server(
            "bare",
            gunicorn_argv("bare_app:app", args.workers),
            server_env({"BENCH_PAGE_BYTES": str(page_bytes)}),
            BENCH,
        )
        servers.append(bare_server)
        bare_server.wait("bare.bench.test", "/")
        bare_bytes = fetch(bare_server.port, raw_request("bare.bench.test", "/"))[1]
        print(f"marketplace page {page_bytes:,} bytes, bare page {bare_bytes:,} bytes")

        targets = {name: Target(name, app_server.port, towns) for name in pages}
        targets["bare"] = Target("bare", bare_server.port, towns)
        masters = {name: app_server.proc.pid for name in pages}
        masters["bare"] = bare_server.proc.pid

        def run_slice(name: str, round_: int, seconds: float, seed: int) -> Slice:
            target = targets[name]
            db_pids = set(meter.backends()) if name != "bare" else set()
            worker_pids = set(children(masters[name]))
            before = meter.sample(masters[name])
            client_before = _client_cpu()
            started = time.perf_counter()
            if name != "bare":
                changer.start()
            if client == "wrk":
                out = wrk_load(wrk, target, seconds, args.concurrency, seed, workdir)
                elapsed = out["duration_us"] / 1e6
                result = Slice(name, round_, elapsed)
                # wrk gives percentiles, not every latency: keep them as a summary.
                result.latencies = [0.0] * out["requests"]
                result.labels = [name] * out["requests"]
                result.errors = out["errors"]
                result.bytes = out["bytes"]
                result.wrk = out  # type: ignore[attr-defined]
            else:
                result = Slice(name, round_, 0.0)
                python_load(target, seconds, args.max_requests, args.concurrency, seed, result)
                result.seconds = time.perf_counter() - started
            changer.stop()
            after = meter.sample(masters[name])
            result.client_cpu = _client_cpu() - client_before
            result.app_cpu = _delta(before, after, worker_pids)
            result.db_cpu = _delta(before, after, db_pids)
            return result

        print(f"warming up ({args.warmup:.0f} s per page)", flush=True)
        for name in ("bare", *pages):
            run_slice(name, -1, args.warmup, 999)

        slices: list[Slice] = []
        pairs: dict[str, list[tuple[Slice, Slice]]] = defaultdict(list)
        load_before = os.getloadavg()
        started = time.monotonic()
        seed = args.seed
        for round_ in range(args.rounds):
            order = pages[round_ % len(pages) :] + pages[: round_ % len(pages)]
            for i, name in enumerate(order):
                seed += 1
                first_bare = (round_ + i) % 2 == 0
                sequence = ["bare", name] if first_bare else [name, "bare"]
                done = {n: run_slice(n, round_, args.slice, seed) for n in sequence}
                slices += done.values()
                pairs[name].append((done[name], done["bare"]))
                print(
                    f"  round {round_ + 1}/{args.rounds} {name:12} "
                    f"{done[name].requests / done[name].seconds:7.1f} req/s   "
                    f"bare {done['bare'].requests / done['bare'].seconds:7.1f} req/s",
                    flush=True,
                )
        measured = time.monotonic() - started

        result_pages: dict[str, Any] = {}
        for name in ("bare", *pages):
            own = [s for s in slices if s.page == name]
            summary = summarise(own)
            if client == "wrk":
                _wrk_percentiles(summary, own)
            if name != "bare":
                paired_bare = [b for _, b in pairs[name]]
                bare_rps = sum(b.requests for b in paired_bare) / sum(
                    b.seconds for b in paired_bare
                )
                summary["paired_bare_rps"] = bare_rps
                summary["ratio_to_bare"] = summary["rps"] / bare_rps
                summary["ratio_per_pair"] = [
                    round((a.requests / a.seconds) / (b.requests / b.seconds), 3)
                    for a, b in pairs[name]
                ]
            result_pages[name] = summary
        bare_cpu = (
            result_pages["bare"]["app_cpu_ms_per_request"]
            + result_pages["bare"]["db_cpu_ms_per_request"]
        )
        for name in pages:
            p = result_pages[name]
            cpu = p["app_cpu_ms_per_request"] + p["db_cpu_ms_per_request"]
            p["cpu_ratio_to_bare"] = bare_cpu / cpu if cpu else float("nan")
        marketplace_ratio = result_pages.get("marketplace", {}).get("ratio_to_bare", float("nan"))
        result = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "code": {
                "rev": args.rev or "working tree",
                "commit": snapshot.resolve(args.rev or "HEAD"),
                "source": str(source),
            },
            "postgresql": postgres_settings(database_url),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            "config": {
                "app": args.app,
                "database": args.database,
                "towns": len(towns),
                "projects": sum(t.projects for t in towns),
                "workers": args.workers,
                "concurrency": args.concurrency,
                "rounds": args.rounds,
                "slice_seconds": args.slice,
                "client": client,
                "app_env": app_env,
                "changes_per_second": args.changes_per_second,
                "login": args.login,
                "page_bytes": page_bytes,
                "bare_bytes": bare_bytes,
                "measured_seconds": round(measured, 1),
            },
            "pages": result_pages,
            "target": {
                "marketplace_ratio": marketplace_ratio,
                "required": 1 / 3,
                "met": marketplace_ratio >= 1 / 3,
            },
        }
    finally:
        for server in servers:
            server.stop()
        meter.close()
        changer.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"run-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print()
    print(markdown(result))
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


class Changer:
    """Raises random towns' content versions in the background, as real edits would.

    Without changes every cached page would stay valid forever, and the
    benchmark would measure a cache that never misses. Each change is what a
    new support or comment on a random project of a random town does
    (tenancy/versioning.py): it raises the town's content version, which ends
    every cached page of the town, and that project's version, which ends what
    workers keep for its pages (where the schema has it: code before d5b7e1f
    has no ``project.version``). With ``redis_url`` (the app's Redis) it then
    renews the town's token, as the app does after a commit (requestmemo.py),
    so workers see the change at once, not when the token expires. The data
    itself stays as seeded.
    """

    def __init__(
        self, url: str, towns: list[TownInfo], per_second: float, redis_url: str | None = None
    ) -> None:
        self.url = url
        self.redis_url = redis_url
        self.towns = towns
        self.per_second = per_second
        self.changes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.per_second <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        import psycopg

        rng = random.Random(7)
        tokens = None
        if self.redis_url:
            import redis

            tokens = redis.Redis.from_url(self.redis_url)
        with psycopg.connect(self.url, autocommit=True) as conn:
            per_project = conn.execute(
                "SELECT 1 FROM information_schema.columns"
                " WHERE table_name = 'project' AND column_name = 'version'"
            ).fetchone()
            while not self._stop.wait(rng.expovariate(self.per_second)):
                town = rng.choice(self.towns)
                with conn.transaction():
                    if per_project:
                        conn.execute(
                            "UPDATE project SET version = version + 1"
                            " WHERE tenant_id = %s AND number = %s",
                            (town.tenant_id, rng.randint(1, town.projects)),
                        )
                    conn.execute(
                        "UPDATE tenant SET content_version = content_version + 1 WHERE id = %s",
                        (town.tenant_id,),
                    )
                if tokens is not None:
                    # requestmemo._key and the default REQUEST_MEMO_SECONDS.
                    tokens.set(f"pf:memo:town:{town.tenant_id}", rng.randbytes(8).hex(), ex=60)
                self.changes += 1


def _client_cpu() -> float:
    """CPU seconds of this process and of finished children (wrk)."""
    children_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children_usage.ru_utime + children_usage.ru_stime


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def _wrk_percentiles(summary: dict[str, Any], slices: list[Slice]) -> None:
    """With wrk: request-weighted means of each slice's percentiles."""
    outs = [s.wrk for s in slices]  # type: ignore[attr-defined]
    total = sum(o["requests"] for o in outs) or 1
    for key in ("p50", "p95", "p99"):
        summary[f"{key}_ms"] = sum(o[f"{key}_us"] * o["requests"] for o in outs) / total / 1000
    summary["mean_ms"] = sum(o["mean_us"] * o["requests"] for o in outs) / total / 1000
    summary["bytes_per_response"] = sum(o["bytes"] for o in outs) / total
    summary["per_label"] = {}


if __name__ == "__main__":
    sys.exit(main())
