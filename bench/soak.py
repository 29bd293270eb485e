"""Soak: mixed traffic for minutes at two app machines behind nginx, on PostgreSQL.

    .venv/bin/python bench/soak.py                 # 10 minutes, 12 towns
    .venv/bin/python bench/soak.py --minutes 3 --towns 12

Starts a deployment of its own on loopback (``projektfabrik.testing_cluster``:
a PostgreSQL cluster made with initdb, Redis, an SMTP server, the mail worker,
two gunicorns with ``deploy/gunicorn.conf.py`` and nginx with the proxy
settings of ``deploy/nginx.conf``), seeds the demo towns plus ``--towns - 2``
empty ones, then sends, until the time is up:

  visitor   not signed in, any town: the start page, the marketplace, a project
  member    signed in (three demo people of two towns): profile, a project, and
            every tenth request a comment
  planner   signed in, the garden project's plan; every tenth request a new
            work package
  clerk     the funding office: the funds' list in the admin area, the admin page

Reports per kind the requests, errors (no answer or a status of 500 and above,
or a 4xx where the page exists), p50/p95/p99 latency; the resident memory of
every gunicorn worker at the start and the end; and the database connections
(``pg_stat_activity``) sampled every 5 s. Writes bench/results/soak-<time>.json
and prints a Markdown table for docs/benchmarks.md. Needs PostgreSQL's
programs, redis-server and nginx; not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from projektfabrik.testing_cluster import BIN, Cluster, Person, cluster  # noqa: E402

PASSWORD = "demo-passwort"
DEMO_TOWNS = ("musterstadt", "beispielhausen")


def add_towns(deployment: Cluster, count: int) -> list[str]:
    """Empty towns beside the demo's, made as ``tenant sync`` makes them."""
    slugs = [f"ort{n:02d}" for n in range(1, count + 1)]
    script = (
        "import sys\n"
        "from projektfabrik.app import create_app\n"
        "from projektfabrik.extensions import db\n"
        "from projektfabrik.tenancy import config_files\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    for slug in sys.argv[1:]:\n"
        "        config_files.apply(config_files.TenantSpec(slug=slug, name=slug.title(),\n"
        "            hosts=[slug + '.localhost'], districts=['Mitte'], default_locale='de'))\n"
        "    db.session.commit()\n"
    )
    subprocess.run([str(BIN / "python"), "-c", script, *slugs], env=deployment.env(), check=True)
    return slugs


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory(deployment: Cluster) -> dict[str, dict[int, int]]:
    return {app.name: {pid: rss_kib(pid) for pid in app.workers()} for app in deployment.apps}


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Soak:
    def __init__(self, deployment: Cluster, towns: list[str], seconds: float) -> None:
        self.deployment = deployment
        self.towns = towns
        self.until = time.monotonic() + seconds
        self.results: dict[str, list[tuple[float, int]]] = defaultdict(list)
        self.lock = threading.Lock()
        self.connections: list[int] = []
        port = deployment.nginx.port
        self.host = {town: f"{town}.localhost:{port}" for town in towns}

    def person(self, town: str, email: str | None = None) -> Person:
        person = Person(self.deployment.nginx.base, self.host[town])
        if email:
            person.login(email, PASSWORD)
        return person

    def record(self, kind: str, started: float, status: int) -> None:
        with self.lock:
            self.results[kind].append((time.monotonic() - started, status))

    def ask(self, kind: str, call: Any, *args: Any, **kwargs: Any) -> None:
        import requests

        started = time.monotonic()
        try:
            status = call(*args, **kwargs).status_code
        except requests.RequestException:
            status = 0
        self.record(kind, started, status)

    def visitor(self, seed: int) -> None:
        rng = random.Random(seed)
        people = {town: self.person(town) for town in self.towns}
        while time.monotonic() < self.until:
            town = rng.choice(self.towns)
            paths = ["/", "/projekte"]
            if town in DEMO_TOWNS:
                paths.append(f"/projekte/{rng.randint(1, 2)}")
            self.ask("visitor", people[town].get, rng.choice(paths))

    def member(self, seed: int) -> None:
        rng = random.Random(seed)
        accounts = [
            ("musterstadt", "jonas@musterstadt.example", 2),
            ("musterstadt", "fatima@musterstadt.example", 3),
            ("beispielhausen", "clara@beispielhausen.example", 1),
        ]
        people = [(self.person(t, e), n) for t, e, n in accounts]
        turn = 0
        while time.monotonic() < self.until:
            person, number = people[turn % len(people)]
            turn += 1
            if turn % 10 == 0:
                text = f"Soak-Kommentar {rng.randrange(10**9)}"
                self.ask(
                    "member", person.post, f"/projekte/{number}/kommentare", {"body": text},
                    form_from=f"/projekte/{number}",
                )  # fmt: skip
            else:
                path = rng.choice(["/profil", f"/projekte/{number}", "/projekte"])
                self.ask("member", person.get, path)

    def planner(self, seed: int) -> None:
        planner = self.person("musterstadt", "lena@musterstadt.example")
        turn = 0
        while time.monotonic() < self.until:
            turn += 1
            if turn % 10 == 0:
                form = "/projekte/1/plan/eintraege/arbeitspakete/neu"
                fields = {"name": f"Paket {seed}-{turn}", "description": "", "responsible": ""}
                self.ask("planner", planner.post, form, fields)
            else:
                self.ask("planner", planner.get, "/projekte/1/plan")

    def clerk(self, seed: int) -> None:
        clerk = self.person("musterstadt", "admin@musterstadt.example")
        turn = 0
        while time.monotonic() < self.until:
            turn += 1
            path = "/foerderung/verwaltung/" if turn % 2 else "/verwaltung/"
            self.ask("clerk", clerk.get, path)

    def watch_connections(self) -> None:
        while time.monotonic() < self.until:
            count = self.deployment.postgres.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'projektfabrik'"
            )
            self.connections.append(int(count))
            time.sleep(5)

    def run(self) -> None:
        roles = [
            (self.visitor, 4), (self.member, 2), (self.planner, 1), (self.clerk, 1),
            (lambda _seed: self.watch_connections(), 1),
        ]  # fmt: skip
        threads = [
            threading.Thread(target=role, args=(index * 100 + n,), daemon=True)
            for index, (role, many) in enumerate(roles)
            for n in range(many)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def report(soak: Soak, before: dict[str, Any], after: dict[str, Any], minutes: float) -> dict:
    kinds = {}
    for kind, rows in sorted(soak.results.items()):
        durations = [d * 1000 for d, _ in rows]
        errors = sum(1 for _, status in rows if status == 0 or status >= 400)
        kinds[kind] = {
            "requests": len(rows),
            "errors": errors,
            "error_rate": errors / len(rows) if rows else 0.0,
            "p50_ms": round(percentile(durations, 0.50), 1),
            "p95_ms": round(percentile(durations, 0.95), 1),
            "p99_ms": round(percentile(durations, 0.99), 1),
            "mean_ms": round(statistics.fmean(durations), 1) if durations else 0.0,
            "statuses": sorted({s for _, s in rows}),
        }
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "minutes": minutes,
        "towns": len(soak.towns),
        "kinds": kinds,
        "memory_kib": {"start": before, "end": after},
        "db_connections": {
            "max": max(soak.connections, default=0),
            "last": soak.connections[-1] if soak.connections else 0,
            "samples": len(soak.connections),
        },
    }


def markdown(result: dict) -> str:
    lines = [
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in result["kinds"].items():
        lines.append(
            f"| {kind} | {row['requests']} | {row['errors']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['p99_ms']} |"
        )
    lines.append("")
    lines.append("| machine | worker memory at start (MiB) | at the end (MiB) |")
    lines.append("|---|---|---|")
    for name in result["memory_kib"]["start"]:
        start = [round(v / 1024) for v in result["memory_kib"]["start"][name].values()]
        end = [round(v / 1024) for v in result["memory_kib"]["end"][name].values()]
        lines.append(f"| {name} | {start} | {end} |")
    db = result["db_connections"]
    lines.append(f"\nDatabase connections: at most {db['max']}, {db['last']} at the end.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--towns", type=int, default=12, help="towns in all (demo's two included)")
    args = parser.parse_args(argv)
    print("starting the deployment (a minute or two) ...", flush=True)
    with cluster() as deployment:
        towns = [*DEMO_TOWNS, *add_towns(deployment, max(0, args.towns - len(DEMO_TOWNS)))]
        soak = Soak(deployment, towns, args.minutes * 60)
        # Warm up: every worker has imported its templates once.
        for town in towns:
            soak.person(town).get("/")
        before = memory(deployment)
        print(f"soaking for {args.minutes} minutes over {len(towns)} towns ...", flush=True)
        soak.run()
        after = memory(deployment)
        result = report(soak, before, after, args.minutes)
    folder = BENCH / "results"
    folder.mkdir(exist_ok=True)
    target = folder / f"soak-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    print(f"\nwritten: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
