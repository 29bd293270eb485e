"""How long the public impact dashboard (``/wirkung``) takes for a town of 2,000 projects.

    .venv/bin/python bench/strategy_dashboard.py                                # SQLite, 2,000
    .venv/bin/python bench/strategy_dashboard.py --database postgresql://postgres@127.0.0.1:5432/pf_goals
    .venv/bin/python bench/strategy_dashboard.py --projects 20000 --runs 20

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL
database named, dropped and created), one town with ``--projects`` projects
over five districts and every status, three goals with five indicators, each
project serving one or two goals with an expected value per indicator and a
reported result (two thirds confirmed) for one or two years; then gathers
the figures and renders the page ``--runs`` times and prints the median and
slowest time and the number of SQL statements (it must not grow with the
projects). Results go to docs/benchmarks.md ("Impact dashboard").
"""

from __future__ import annotations

import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import render_template
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from admin_statistics import DISTRICTS, measure_page  # noqa: E402

from projektfabrik.db import utcnow  # noqa: E402
from projektfabrik.extensions import db  # noqa: E402
from projektfabrik.projects.models import Project, Status  # noqa: E402
from projektfabrik.strategy import figures, services  # noqa: E402
from projektfabrik.strategy.models import (  # noqa: E402
    Contribution,
    ProjectGoal,
    ReportedResult,
)
from projektfabrik.tenancy import config_files  # noqa: E402
from projektfabrik.tenancy.context import tenant_context  # noqa: E402
from projektfabrik.tenancy.models import District  # noqa: E402

GOALS = [
    ("Klimaschutz", [("CO₂-Einsparung", "t CO₂ pro Jahr"), ("Bäume", "Bäume")]),
    ("Nachbarschaft", [("Erreichte Menschen", "Personen"), ("Stunden", "Stunden")]),
    ("Bildung", [("Geförderte Kinder", "Kinder")]),
]


def seed(projects: int, seed_value: int) -> None:
    rnd = random.Random(seed_value)
    spec = config_files.TenantSpec(
        slug="wirkung", name="Wirkungsstadt", hosts=["wirkung.bench.test"], districts=DISTRICTS
    )
    tenant = config_files.apply(spec)
    db.session.commit()
    now = utcnow()
    with tenant_context(tenant):
        goals = []
        for title, indicators in GOALS:
            goal = services.save_goal(
                None, title=title, summary="", source_url="", group=None, actor=None
            )
            for name, unit in indicators:
                indicator = services.add_indicator(goal, name=name, unit=unit, actor=None)
                db.session.flush()
                services.set_target(indicator, 2030, Decimal(projects * 10), actor=None)
            goals.append(goal)
        db.session.commit()
        district_ids = [d.id for d in db.session.scalars(db.select(District))] + [None]
        statuses = list(Status)
        db.session.execute(
            insert(Project),
            [
                {
                    "tenant_id": tenant.id, "number": i + 1, "title": f"Projekt {i}",
                    "pitch": "Eine Idee.", "status": rnd.choice(statuses),
                    "district_id": rnd.choice(district_ids), "created_at": now,
                    "last_activity_at": now,
                }
                for i in range(projects)
            ],
        )  # fmt: skip
        ids = list(db.session.scalars(db.select(Project.id).order_by(Project.id)))
        links, expected, results = [], [], []
        for pid in ids:
            for goal in rnd.sample(goals, rnd.choice([1, 2])):
                links.append({"tenant_id": tenant.id, "project_id": pid, "goal_id": goal.id})
                for indicator in goal.indicators:
                    value = Decimal(rnd.randrange(1, 10_000)) / 100
                    expected.append(
                        {"tenant_id": tenant.id, "project_id": pid, "indicator_id": indicator.id,
                         "expected": value, "basis": "", "updated_at": now}
                    )  # fmt: skip
                    for year in rnd.sample([2024, 2025, 2026], rnd.choice([1, 2])):
                        results.append(
                            {"tenant_id": tenant.id, "ref": f"r{len(results):09d}",
                             "project_id": pid, "indicator_id": indicator.id, "year": year,
                             "value": value / 2, "achieved_on": date(year, 6, 1), "note": "",
                             "file_name": "", "file_title": "", "reported_at": now,
                             "confirmed_at": now if rnd.random() < 0.67 else None}
                        )  # fmt: skip
        db.session.execute(insert(ProjectGoal), links)
        db.session.execute(insert(Contribution), expected)
        db.session.execute(insert(ReportedResult), results)
        db.session.commit()


def main() -> None:
    measure_page(
        description=__doc__.splitlines()[0],
        prefix="pf-goals-",
        host="wirkung.bench.test",
        seed_town=seed,
        # As the view does: the goals' figures and the plugins' (funding: euros per goal).
        gather=lambda: (figures.gather(), figures.plugin_figures()),
        render=lambda gathered: render_template(
            "strategy/dashboard.html", goals=gathered[0], extra=gathered[1]
        ),
        runs=30,
        seed_value=23,
    )


if __name__ == "__main__":
    main()
