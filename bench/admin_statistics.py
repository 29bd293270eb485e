"""How long the admin's statistics page takes for a town of 2,000 projects.

    .venv/bin/python bench/admin_statistics.py                                # SQLite, 2,000
    .venv/bin/python bench/admin_statistics.py --database postgresql://postgres@127.0.0.1:5432/pf_stats
    .venv/bin/python bench/admin_statistics.py --projects 20000 --runs 30

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL
database named, dropped and created), one town with ``--projects`` projects
spread over the last two years, districts and statuses, one status change per
project and a person per four projects; then gathers the figures and renders
the page ``--runs`` times and prints the median and slowest time and the
number of SQL statements (it must not grow with the projects). Results go to
docs/benchmarks.md ("Statistics page").
"""

from __future__ import annotations

import argparse
import random
import statistics as stats_module  # the standard library
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import render_template
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from projektfabrik.accounts.models import User  # noqa: E402
from projektfabrik.admin import statistics  # noqa: E402
from projektfabrik.app import create_app  # noqa: E402
from projektfabrik.db import utcnow  # noqa: E402
from projektfabrik.extensions import db  # noqa: E402
from projektfabrik.projects.models import Project, Status, StatusChange  # noqa: E402
from projektfabrik.tenancy import config_files  # noqa: E402
from projektfabrik.tenancy.context import tenant_context  # noqa: E402
from projektfabrik.tenancy.models import District  # noqa: E402
from projektfabrik.testing import QueryCounter  # noqa: E402

DISTRICTS = ["Altstadt", "Neustadt", "Am Hafen", "Nordviertel", "Südheide"]


def _fresh_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def seed(projects: int, seed_value: int) -> None:
    rnd = random.Random(seed_value)
    spec = config_files.TenantSpec(
        slug="statistik", name="Statistikstadt", hosts=["statistik.bench.test"], districts=DISTRICTS
    )
    tenant = config_files.apply(spec)
    db.session.commit()
    now = utcnow()
    with tenant_context(tenant):
        district_ids = [d.id for d in db.session.scalars(db.select(District))] + [None]
        people = [
            {
                "tenant_id": tenant.id,
                "ref": f"p{i:07d}",
                "email": f"person{i}@bench.test",
                "display_name": f"Person {i}",
                "district_id": rnd.choice(district_ids),
                "created_at": now - timedelta(days=rnd.randrange(730)),
                "email_verified_at": now,
                "session_token": f"t{i}",
            }
            for i in range(projects // 4)
        ]
        db.session.execute(insert(User), people)
        statuses = list(Status)
        rows = []
        for i in range(projects):
            rows.append(
                {
                    "tenant_id": tenant.id,
                    "number": i + 1,
                    "title": f"Projekt {i}",
                    "pitch": "Eine Idee für die Stadt.",
                    "status": rnd.choice(statuses),
                    "district_id": rnd.choice(district_ids),
                    "support_count": rnd.randrange(40),
                    "created_at": now - timedelta(days=rnd.randrange(730)),
                    "last_activity_at": now,
                }
            )
        db.session.execute(insert(Project), rows)
        ids = list(db.session.scalars(db.select(Project.id).order_by(Project.id)))
        changes = [
            {
                "tenant_id": tenant.id,
                "project_id": pid,
                "to_status": rnd.choice(statuses),
                "changed_at": now - timedelta(days=rnd.randrange(730)),
            }
            for pid in ids
        ]
        db.session.execute(insert(StatusChange), changes)
        db.session.commit()


def measure_page(
    *,
    description: str,
    prefix: str,
    host: str,
    seed_town: Callable[[int, int], None],
    gather: Callable[[], Any],
    render: Callable[[Any], str],
    runs: int,
    seed_value: int,
) -> None:
    """Seed one town, then time ``gather()`` (the figures) and ``render(figures)`` (the
    page) in-process ``runs`` times, counting SELECT statements: the statistics page
    and the impact dashboard (strategy_dashboard.py) are measured alike."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", help="a PostgreSQL URL (dropped and created); default SQLite")
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--seed", type=int, default=seed_value)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    url = args.database or f"sqlite:///{folder / 'bench.sqlite'}"
    if args.database:
        _fresh_postgres(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "TENANTS_DIR": str(folder / "tenants"),
            "UPLOADS_DIR": str(folder / "uploads"),
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        db.create_all()
        seed_town(args.projects, args.seed)
        tenant = db.session.scalars(db.select(config_files.Tenant)).one()
        gather_times, page_times, queries = [], [], []
        with tenant_context(tenant), app.test_request_context(base_url=f"http://{host}"):
            from flask import g

            g.tenant = tenant
            for _ in range(args.runs):
                db.session.expire_all()
                with QueryCounter() as counter:
                    start = time.perf_counter()
                    figures = gather()
                    gathered = time.perf_counter()
                    render(figures)
                    done = time.perf_counter()
                gather_times.append((gathered - start) * 1000)
                page_times.append((done - start) * 1000)
                queries.append(
                    len([s for s in counter.statements if s.lstrip().upper().startswith("SELECT")])
                )
        backend = make_url(url).get_backend_name()
        print(f"{backend}, {args.projects} projects, {args.runs} runs")
        print(
            f"  figures: median {stats_module.median(gather_times):.1f} ms, "
            f"slowest {max(gather_times):.1f} ms"
        )
        print(
            f"  figures + page: median {stats_module.median(page_times):.1f} ms, "
            f"slowest {max(page_times):.1f} ms"
        )
        print(f"  SELECT statements per run: {sorted(set(queries))}")
        db.engine.dispose()


def main() -> None:
    def gather() -> Any:
        figures = statistics.gather()
        return figures, statistics.plugin_sections()  # the marketplace's supports, comments

    def render(gathered: Any) -> str:
        figures, extra = gathered
        return render_template(
            "admin/statistics.html", stats=figures, sections=statistics.sections(figures) + extra
        )

    measure_page(
        description=__doc__.splitlines()[0],
        prefix="pf-stats-",
        host="statistik.bench.test",
        seed_town=seed,
        gather=gather,
        render=render,
        runs=50,
        seed_value=12,
    )


if __name__ == "__main__":
    main()
