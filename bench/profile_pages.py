"""CPU time, statements and memory of pages built for someone who is logged in.

    .venv/bin/python bench/profile_pages.py                       # town-01 of projektfabrik_bench
    .venv/bin/python bench/profile_pages.py --profile             # plus pyinstrument profiles
    .venv/bin/python bench/profile_pages.py --rev 4a1b2c3         # the code of one commit
    .venv/bin/python bench/profile_pages.py --database projektfabrik_bench_1000 --soak 5000

Everything runs in this one process through the Flask test client (no
gunicorn, no sockets), so the figures are the application's own work and
depend little on what else runs on the machine: **CPU time per request**
(``time.process_time``, median and mean over ``--requests``), statements
sent per request, and the process's memory (RSS) after warm-up and after a
soak. The database's own CPU is not in it (``bench/run.py`` reads that).

The person is an owner of project 1 in the first town (``--host``): a login
session is created for them directly (no password check: the seed's people
have none). Project 1 gets a full plan (``bench/fullplan.py``) the first time,
so the plan pages have something to show; that changes the benchmark
database (one project's plan), nothing else.

Pages: the marketplace (``/projekte``), a deep page (``sortierung=active``,
``seite=30``), the project page, the plan overview, and the plan as PDF (a
few rounds only; ``--pdf-rounds``). ``--profile`` writes a pyinstrument text
profile per page to ``bench/results/profile-<page>-<time>.txt`` (pyinstrument
is in the ``bench`` extra: ``pip install -e '.[bench]'``).

``--towns-warm N`` first requests the marketplace of N other towns once as a
visitor (what a worker serving 1,000 towns sees), before the measurement.
``--soak N`` then sends N requests of mixed traffic (the pages above, a random
town and project each, logged in and not) and reports the RSS after it.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

import snapshot  # noqa: E402

SOURCE = snapshot.activate()  # --rev: projektfabrik from that commit

STARTED = time.perf_counter()
from projektfabrik.app import create_app  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Statements:
    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, *args: Any) -> None:
        self.count += 1


def login_cookie(app: Any, host: str) -> tuple[int, str, int]:
    """A login session for an owner of project 1: (tenant id, cookie value, project number)."""
    from sqlalchemy import select

    from projektfabrik.accounts.models import LoginSession, User
    from projektfabrik.accounts.sessions import _hash
    from projektfabrik.extensions import db
    from projektfabrik.projects.models import Membership, Project, TeamRole
    from projektfabrik.tenancy.context import tenant_context
    from projektfabrik.tenancy.models import Tenant, TenantHost

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).join(TenantHost).where(TenantHost.host == host))
        if tenant is None:
            sys.exit(f"no town answers on {host}")
        with tenant_context(tenant), app.test_request_context(base_url=f"http://{host}"):
            project = db.session.scalar(select(Project).order_by(Project.number).limit(1))
            assert project is not None, "the town has no projects"
            member = db.session.scalar(
                select(Membership)
                .where(Membership.project_id == project.id)
                .order_by((Membership.role == TeamRole.OWNER).desc(), Membership.id)
                .limit(1)
            )
            assert member is not None, "project 1 has no team"
            user = db.session.get(User, member.user_id)
            assert user is not None
            if member.role != TeamRole.OWNER:
                member.role = TeamRole.OWNER
            from projektfabrik.planning.models import WorkPackage

            if (
                db.session.scalar(
                    select(WorkPackage.id).where(WorkPackage.project_id == project.id).limit(1)
                )
                is None
            ):
                import fullplan

                fullplan.fill_plan(project, user)
            key = secrets.token_urlsafe(24)
            db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
            cookie = f"{user.id}:{user.session_token}:{key}"
            number = project.number
            db.session.commit()
            return tenant.id, cookie, number


def soak_traffic(
    hosts: list[str], signed_in_host: str, count: int
) -> Iterator[tuple[str, str, bool]]:
    """``count`` requests of mixed traffic, the same sequence every time: (host, path,
    whether as the person logged in to ``signed_in_host``). worker_memory.py uses it too."""
    rng = random.Random(1)
    paths = ["/projekte", "/projekte?sortierung=active&seite=3", "/projekte?suche=Garten"]
    for i in range(count):
        host = rng.choice(hosts)
        path = rng.choice([*paths, f"/projekte/{rng.randint(1, 20)}"])
        yield host, path, bool(host == signed_in_host and i % 2)


def measure(
    client: Any, counter: Statements, host: str, path: str, requests: int
) -> dict[str, Any]:
    cpu, wall, statements = [], [], []
    status = 0
    size = 0
    for _ in range(requests):
        before_count = counter.count
        c0, w0 = time.process_time(), time.perf_counter()
        response = client.get(path, headers={"Host": host})
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        statements.append(counter.count - before_count)
        status = response.status_code
        size = len(response.data)
    return {
        "path": path,
        "status": status,
        "bytes": size,
        "cpu_ms_median": statistics.median(cpu),
        "cpu_ms_mean": statistics.fmean(cpu),
        "wall_ms_median": statistics.median(wall),
        "statements": max(statements),
        "statements_min": min(statements),
    }


def measure_bare(results: dict[str, Any], requests: int) -> dict[str, Any]:
    """CPU per request of bench/bare_app.py's page, as large as the marketplace page."""
    import os

    size = results.get("marketplace", next(iter(results.values()), {})).get("bytes", 0)
    if not size:
        return {}
    os.environ["BENCH_PAGE_BYTES"] = str(size)
    sys.path.insert(0, str(BENCH))
    import bare_app

    client = bare_app.app.test_client()
    for _ in range(3):
        client.get("/")
    cpu = []
    status = 0
    for _ in range(requests):
        c0 = time.process_time()
        response = client.get("/")
        cpu.append((time.process_time() - c0) * 1000)
        status = response.status_code
    return {"status": status, "bytes": len(response.data), "cpu_ms_median": statistics.median(cpu)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="projektfabrik_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--host", default="town-01.bench.test")
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--pdf-rounds", type=int, default=3)
    parser.add_argument("--pages", default="marketplace,deep,project,plan,plan_pdf")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile per page")
    parser.add_argument("--towns-warm", type=int, default=0)
    parser.add_argument("--soak", type=int, default=0)
    parser.add_argument("--redis", help="Redis URL for the page cache (a database of your own)")
    parser.add_argument("--config", action="append", default=[], help="KEY=INT for create_app")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="with --soak: what grew, by source line"
    )
    parser.add_argument("--rev", help="the code of this commit (see snapshot.py)")
    args = parser.parse_args()

    from sqlalchemy.engine import make_url

    url = make_url(args.server).set(database=args.database).render_as_string(hide_password=False)
    t0 = time.perf_counter()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            # The page cache's store: Redis (shared, outside the worker) or,
            # without, the worker's own memory (PAGE_CACHE_MAX_MB).
            **({"REDIS_URL": args.redis} if args.redis else {}),
            # e.g. --config WORKER_CACHE_FRAGMENT_MB=4 (integers only)
            **{k: int(v) for k, v in (item.split("=", 1) for item in args.config)},
        }
    )
    startup_s = time.perf_counter() - t0
    from projektfabrik.extensions import db

    tenant_id, cookie, number = login_cookie(app, args.host)
    with app.app_context():
        counter = Statements(db.engine)
        from sqlalchemy import select

        from projektfabrik.tenancy.models import TenantHost

        hosts = sorted(db.session.scalars(select(TenantHost.host).where(TenantHost.is_canonical)))
    pages = {
        "marketplace": "/projekte",
        "deep": "/projekte?sortierung=active&seite=30",
        "project": f"/projekte/{number}",
        "plan": f"/projekte/{number}/plan",
        "plan_pdf": f"/projekte/{number}/plan/export/pdf",
    }
    chosen = [p for p in args.pages.split(",") if p]

    visitor = app.test_client()
    first_request_s = 0.0
    w0 = time.perf_counter()
    visitor.get("/projekte", headers={"Host": args.host})
    first_request_s = time.perf_counter() - w0
    for host in hosts[: args.towns_warm]:
        visitor.get("/projekte", headers={"Host": host})

    client = app.test_client()
    with client.session_transaction(headers={"Host": args.host}) as session:
        session["_user_id"] = cookie
        session["_fresh"] = True
        session["tenant"] = tenant_id
    for name in chosen:  # warm up: templates compiled, connections open
        for _ in range(3 if name != "plan_pdf" else 1):
            response = client.get(pages[name], headers={"Host": args.host})
            assert response.status_code == 200, (name, response.status_code)
    gc.collect()
    rss_warm = rss_mb()

    results: dict[str, Any] = {}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in chosen:
        rounds = args.pdf_rounds if name == "plan_pdf" else args.requests
        results[name] = measure(client, counter, args.host, pages[name], rounds)
        if args.profile and name != "plan_pdf":
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(rounds):
                client.get(pages[name], headers={"Host": args.host})
            profiler.stop()
            out = BENCH / "results" / f"profile-{name}-{stamp}.txt"
            out.parent.mkdir(exist_ok=True)
            out.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
            (out.with_suffix(".html")).write_text(profiler.output_html())
            results[name]["profile"] = str(out.relative_to(BENCH.parent))

    # The bare Flask page (bench/bare_app.py, the same size as the marketplace
    # page) in this process, right after the pages: its CPU time over the
    # page's is the page's throughput as a share of the bare page's, measured
    # on the same machine at the same time (what bench/run.py does with gunicorn).
    bare = measure_bare(results, args.requests)
    for r in results.values():
        if bare and r["cpu_ms_median"]:
            r["bare_ratio"] = round(bare["cpu_ms_median"] / r["cpu_ms_median"], 3)

    soak: dict[str, Any] = {}
    if args.soak and args.tracemalloc:
        import tracemalloc

        tracemalloc.start(1)
        before_soak = tracemalloc.take_snapshot()
    if args.soak:
        for host, path, signed_in in soak_traffic(hosts, args.host, args.soak):
            (client if signed_in else visitor).get(path, headers={"Host": host})
        gc.collect()
        soak = {"requests": args.soak, "rss_mb": rss_mb()}
        if args.tracemalloc:
            # What grew during the soak, by the line that allocated it.
            grown = tracemalloc.take_snapshot().compare_to(before_soak, "lineno")
            soak["grown_kb"] = [
                (str(stat.traceback[0]), round(stat.size_diff / 1024)) for stat in grown[:25]
            ]
            tracemalloc.stop()
        from projektfabrik import workercache

        with app.app_context(), app.test_request_context():
            soak["workercache"] = workercache.stats()

    report = {
        "database": args.database,
        "host": args.host,
        "towns": len(hosts),
        "source": str(SOURCE),
        "import_and_startup_s": round(time.perf_counter() - STARTED - 0, 2),
        "create_app_s": round(startup_s, 3),
        "first_request_s": round(first_request_s, 3),
        "towns_warmed": min(args.towns_warm, len(hosts)),
        "rss_mb_after_warmup": round(rss_warm, 1),
        "pages": results,
        "bare": bare,
        "soak": soak,
        "redis": bool(args.redis),
        "config": args.config,
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
    }
    # Two runs started together (before and after) must not share a file.
    suffix = f"-{args.rev}" if args.rev else ""
    out = BENCH / "results" / f"profile-pages-{stamp}{suffix}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(
        f"towns {len(hosts)}; create_app {startup_s:.2f} s; first request {first_request_s:.2f} s; "
        f"RSS after warm-up {rss_warm:.0f} MB"
        + (f"; after soak {soak['rss_mb']:.0f} MB" if soak else "")
    )
    for where, kb in soak.get("grown_kb", []):
        print(f"  grew {kb:>7} kB  {where}")
    if soak:
        print(f"worker cache entries after the soak: {soak.get('workercache')}")
    print(
        f"{'page':<12} {'status':>6} {'CPU ms med':>10} {'mean':>7} {'wall ms':>8} {'stmts':>6} "
        f"{'bytes':>7} {'× bare':>7}"
    )
    for name, r in results.items():
        print(
            f"{name:<12} {r['status']:>6} {r['cpu_ms_median']:>10.2f} {r['cpu_ms_mean']:>7.2f} "
            f"{r['wall_ms_median']:>8.1f} {r['statements']:>6} {r['bytes']:>7} "
            f"{r.get('bare_ratio', 0):>7.3f}"
        )
    if bare:
        print(f"{'bare':<12} {bare['status']:>6} {bare['cpu_ms_median']:>10.2f}")
    print(f"written to {out.relative_to(BENCH.parent)}")


if __name__ == "__main__":
    main()
