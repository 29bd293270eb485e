"""How long making a prefilled A3 sheet of a full plan takes, and how much memory.

    .venv/bin/python bench/pubtools_sheet.py [--rounds 5]

Builds a throwaway town in a temporary SQLite database (no server needed) with
one project whose plan is full: 12 work packages, 80 tasks, 20 milestones, 60
resource requirements, 25 further costs and 8 financing lines, a profile with
every field filled and a team of 8. Then it asks for each of the six sheets as
an A3 PDF the way a team member's browser does (the test client, so the whole
view runs: the plan read through the plugin API, the code issued, WeasyPrint),
``--rounds`` times each, and prints the median and the slowest time per sheet,
the pages, the PDF's size and the process's peak memory (RSS) before and after.
docs/benchmarks.md ("Kneipentools") keeps the results.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from projektfabrik.accounts import services as accounts
    from projektfabrik.app import create_app
    from projektfabrik.extensions import db
    from projektfabrik.marketplace import services as marketplace
    from projektfabrik.plugins.state import apply_plugin_table

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fullplan import fill_plan

    from projektfabrik.teams import services as teams
    from projektfabrik.tenancy import config_files
    from projektfabrik.tenancy.context import tenant_context

    folder = Path(tempfile.mkdtemp(prefix="pubtools-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}",
            "SECRET_KEY": "bench",
            "TENANTS_DIR": str(folder / "tenants"),
            "UPLOADS_DIR": str(folder / "uploads"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_FAST": True,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
        }
    )
    host = "bench.test"
    with app.app_context():
        db.create_all()
        town = config_files.apply(
            config_files.TenantSpec(
                slug="bench", name="Benchhausen", hosts=[host], districts=[], default_locale="de"
            )
        )
        db.session.commit()
        with tenant_context(town), app.test_request_context(base_url=f"http://{host}"):
            apply_plugin_table({"pubtools": {"enabled": True, "settings": {}}})
            owner = accounts.create_user(
                "owner@example.org", "bench-password-1", display_name="Olga"
            )
            people = [
                accounts.create_user(
                    f"p{i}@example.org", "bench-password-1", display_name=f"Person {i}"
                )
                for i in range(7)
            ]
            project = marketplace.publish_idea(
                owner,
                marketplace.ProjectInput(title="Stadtteilgarten", pitch="Ein Garten für alle."),
            )
            for person in people:
                person.skills = "Gärtnern, Tischlern, Buchhaltung"
                teams._add_member(project, person, via="code")
            fill_plan(project, owner)  # the full plan of bench/fullplan.py
            db.session.commit()
            number = project.number

        client = app.test_client()
        base = f"http://{host}"
        response = client.post(
            "/anmelden",
            data={"email": "owner@example.org", "password": "bench-password-1"},
            base_url=base,
        )
        assert response.status_code == 302, response.status_code

        import io

        from pypdf import PdfReader

        print(f"rounds per sheet: {args.rounds}; peak RSS before: {peak_rss_mb():.0f} MB")
        print(f"{'sheet':<14} {'median s':>9} {'max s':>7} {'pages':>6} {'PDF kB':>7}")
        for step in (
            "teamfindung",
            "teamprofil",
            "projektprofil",
            "vision",
            "arbeitsplan",
            "ressourcen",
        ):
            times = []
            content = b""
            for _round in range(args.rounds):
                began = time.perf_counter()
                response = client.get(
                    f"/kneipentools/projekt/{number}/bogen/{step}/a3.pdf", base_url=base
                )
                times.append(time.perf_counter() - began)
                assert response.status_code == 200, (step, response.status_code)
                content = response.data
            pages = len(PdfReader(io.BytesIO(content)).pages)
            print(
                f"{step:<14} {statistics.median(times):>9.2f} {max(times):>7.2f} {pages:>6} "
                f"{len(content) / 1024:>7.0f}"
            )
        print(f"peak RSS after: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
