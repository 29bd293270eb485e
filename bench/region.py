"""The regional marketplace over many towns: time per request and SQL statements.

    .venv/bin/python bench/seed.py --database projektfabrik_bench_regions   # 50 × 2,000
    .venv/bin/python bench/region.py --database projektfabrik_bench_regions

Puts every seeded town into one region and opts each in (as the town's admin
would, with the neighbours' section on), then asks the app in-process (Flask's
test client, one thread, no network) for the region's pages and API as a
visitor, and for a town's landing page with "projects nearby looking for help"
as a person logged in (the page cache serves visitors, so that is the page that
costs). Prints the median and 95th percentile per kind and the statements each
request sent; docs/benchmarks.md has the numbers. The region's rows are removed
again at the end, so the database stays usable for bench/run.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from projektfabrik.accounts import services as accounts  # noqa: E402
from projektfabrik.app import create_app  # noqa: E402
from projektfabrik.extensions import db  # noqa: E402
from projektfabrik.projects.models import Project  # noqa: E402
from projektfabrik.regions import config as regions  # noqa: E402
from projektfabrik.regions.models import Region, RegionalChoice  # noqa: E402
from projektfabrik.tenancy.context import tenant_context  # noqa: E402
from projektfabrik.tenancy.isolation import ALL_TENANTS  # noqa: E402
from projektfabrik.tenancy.links import public_url  # noqa: E402
from projektfabrik.tenancy.models import Tenant  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
HOST = "region-bench.localhost"
WORDS = ["garten", "repair", "musik", "spielplatz", "fahrrad", "kultur"]
#: One letter wrong, missing, extra or swapped: found only with typos (docs/search.md).
TYPOS = ["reperatur", "spielplaz", "fahrad", "kulturr"]


def setup(app: Any) -> tuple[list[Tenant], str]:
    towns = list(db.session.scalars(select(Tenant).order_by(Tenant.slug)))
    regions.apply(
        regions.RegionConfig(
            slug="bench", name="Benchkreis", host=HOST,
            members=tuple(t.slug for t in towns), primary_color="#2e6b30", welcome_md="",
        )
    )  # fmt: skip
    for town in towns:
        with tenant_context(town):
            if db.session.scalar(select(RegionalChoice)) is None:
                db.session.add(RegionalChoice(opted_in=True, neighbours_section=True))
                db.session.flush()
    db.session.commit()
    town = towns[0]
    email = "bench-region@example.org"
    with tenant_context(town), app.test_request_context(base_url=public_url(town, "/")):
        if accounts.find_by_email(email) is None:
            accounts.create_user(email, "correct horse battery", verified=True)
            db.session.commit()
    return towns, email


def teardown() -> None:
    db.session.execute(delete(Region).where(Region.host == HOST))
    for town in db.session.scalars(select(Tenant)).all():
        with tenant_context(town):
            db.session.execute(delete(RegionalChoice))
    db.session.commit()


def measure(client: Any, paths: list[str], rounds: int) -> tuple[list[float], list[int]]:
    times, counts = [], []
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for _ in range(rounds):
            for path in paths:
                statements.clear()
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
                counts.append(len(statements))
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return times, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="projektfabrik_bench_regions")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="leave the region in the database")
    args = parser.parse_args(argv)
    app = create_app(
        {
            "DATABASE_URL": args.server + args.database,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PAGE_CACHE_SECONDS": 0,  # measure the work, not the cache
        }
    )
    rng = random.Random(17)
    with app.app_context():
        towns, email = setup(app)
        projects = db.session.scalar(
            select(func.count()).select_from(Project).execution_options(**ALL_TENANTS)
        )
        print(f"{len(towns)} towns, {projects} projects in the region")
        visitor = app.test_client()
        kinds = {
            "region list": ["/region/projekte"],
            "region list, page 40": ["/region/projekte?seite=40"],
            "region search": [f"/region/projekte?suche={w}" for w in WORDS],
            "region search with a typo": [f"/region/projekte?suche={w}" for w in TYPOS],
            "region town + looking": [
                f"/region/projekte?gemeinde={rng.choice(towns).slug}&sucht=1" for _ in range(6)
            ],
            "region API": ["/api/v1/projects", "/api/v1/projects?sortierung=supported"],
            "region feed": ["/region/projekte/feed.atom"],
        }
        rows = []
        for label, paths in kinds.items():
            times, counts = measure(_on(visitor, HOST), paths, args.rounds)
            rows.append((label, "visitor", times, counts))
        person = app.test_client()
        host = towns[0].canonical_host
        response = person.post(
            "/anmelden",
            data={"email": email, "password": "correct horse battery"},
            base_url=f"http://{host}",
        )
        assert response.status_code == 302, response.status_code
        times, counts = measure(_on(person, host), ["/"], args.rounds * 3)
        rows.append(("town landing with neighbours", "logged in", times, counts))
        print("| page | who | median ms | p95 ms | statements |")
        print("|---|---|---|---|---|")
        for label, who, times, counts in rows:
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            spread = (
                f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
            )
            print(f"| {label} | {who} | {statistics.median(times):.0f} | {p95:.0f} | {spread} |")
        if not args.keep:
            teardown()
    return 0


class _on:  # noqa: N801 - reads as "client on host"
    """A test client that sends every request to one host."""

    def __init__(self, client: Any, host: str) -> None:
        self.client, self.host = client, host

    def get(self, path: str) -> Any:
        return self.client.get(path, base_url=f"http://{self.host}")


if __name__ == "__main__":
    sys.exit(main())
