"""Export and import one town of 2,000 projects: time and peak memory.

    .venv/bin/python bench/town_archive.py              # seeds 2 towns × 2,000 projects first
    .venv/bin/python bench/town_archive.py --no-seed    # reuse projektfabrik_bench_archive

Seeds a PostgreSQL database with ``bench/seed.py`` (people, projects, teams,
followers, supporters, status history, news and comments), then, each in a
fresh process so its peak memory is its own: ``tenant export`` of the first
town, and ``tenant import`` of that archive into a second, empty database at
the same schema. Prints a Markdown table for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"


def url(server: str, database: str) -> str:
    return server.rstrip("/") + "/" + database


MEASURED = """
import resource, sys
from projektfabrik.cli import main
main(sys.argv[1:], prog_name="projektfabrik", standalone_mode=False)
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def child(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``projektfabrik ARGV`` in a new process; its wall time and its own peak RSS."""
    started = time.monotonic()
    done = subprocess.run(
        [PYTHON, "-c", MEASURED, *argv], env=env, check=True, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    peak_kb = int(done.stderr.rsplit("PEAK_KB", 1)[1].split()[0])
    return {"seconds": seconds, "peak_mb": peak_kb / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--database", default="projektfabrik_bench_archive")
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--no-seed", action="store_true")
    args = parser.parse_args(argv)

    if not args.no_seed:
        subprocess.run(
            [PYTHON, str(BENCH / "seed.py"), "--database", args.database, "--towns", "2",
             "--projects", str(args.projects)],
            check=True,
        )  # fmt: skip
    target = args.database + "_target"
    sys.path.insert(0, str(BENCH))
    from seed import recreate_database

    recreate_database(args.server, target)
    work = Path(tempfile.mkdtemp(prefix="pf-archive-"))
    base = {
        **os.environ,
        "PROJEKTFABRIK_SECRET_KEY": "bench",
        "PROJEKTFABRIK_TENANTS_DIR": str(work / "tenants"),
    }
    source_env = {**base, "PROJEKTFABRIK_DATABASE_URL": url(args.server, args.database),
                  "PROJEKTFABRIK_UPLOADS_DIR": str(work / "uploads-source")}  # fmt: skip
    target_env = {**base, "PROJEKTFABRIK_DATABASE_URL": url(args.server, target),
                  "PROJEKTFABRIK_UPLOADS_DIR": str(work / "uploads-target"),
                  "PROJEKTFABRIK_TENANTS_DIR": str(work / "tenants-target")}  # fmt: skip
    subprocess.run(
        [str(Path(PYTHON).parent / "projektfabrik"), "db", "upgrade"], env=target_env, check=True
    )
    listing = subprocess.run(
        [str(Path(PYTHON).parent / "projektfabrik"), "tenant", "list"],
        env=source_env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    slug = listing.stdout.split()[0]
    archive = work / f"{slug}.zip"
    # The same command line doing next to nothing: what the app itself takes.
    baseline = child(["tenant", "list"], source_env)
    exported = child(["tenant", "export", slug, "-o", str(archive)], source_env)
    imported = child(["tenant", "import", str(archive)], target_env)
    with __import__("zipfile").ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    rows = sum(t["rows"] for t in manifest["tables"].values())
    result = {
        "town": slug,
        "rows": rows,
        "projects": manifest["tables"].get("project", {}).get("rows"),
        "archive_mb": archive.stat().st_size / 1e6,
        "baseline": baseline,
        "export": exported,
        "import": imported,
    }
    print(json.dumps(result, indent=1))
    print()
    print("| step | time | peak memory (whole process) |")
    print("|---|---|---|")
    b = result["baseline"]
    print(f"| baseline (`tenant list`) | {b['seconds']:.1f} s | {b['peak_mb']:.0f} MB |")  # type: ignore[index]
    for step in ("export", "import"):
        r = result[step]
        print(
            f"| {step} ({rows:,} rows, {result['projects']:,} projects) | {r['seconds']:.1f} s | {r['peak_mb']:.0f} MB |"
        )  # type: ignore[index]
    print(f"\narchive: {result['archive_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
