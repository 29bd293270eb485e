"""The SQL a page sends, each statement with its PostgreSQL plan (EXPLAIN ANALYZE).

    .venv/bin/python bench/explain.py                        # the default pages, town-01
    .venv/bin/python bench/explain.py --host town-07.bench.test "/projekte?suche=Garten"

Requests each page twice through the Flask test client (the first warms the
caches), records every statement of the second request with its parameters,
and runs ``EXPLAIN (ANALYZE, BUFFERS)`` on it with the same parameters. Prints
per page the number of statements, the database time per statement and the
indexes each plan uses; the full plans go to bench/results/explain-<time>.txt.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

BENCH = Path(__file__).resolve().parent

import snapshot  # noqa: E402

snapshot.activate()  # --rev: projektfabrik from that commit

from projektfabrik.app import create_app  # noqa: E402
from projektfabrik.extensions import db  # noqa: E402

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/"
DEFAULT_PATHS = [
    "/projekte",
    "/projekte?suche=Garten",
    "/projekte?suche=Kinder",
    "/projekte?suche=Trinkbrunnen",
    "/projekte?kategorie=Umwelt&sortierung=supported",
    "/projekte?faehigkeit=G%C3%A4rtnern",
    "/projekte?sortierung=active&seite=30",
    "/projekte/1000",
]
INDEX = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)")
EXEC_TIME = re.compile(r"Execution Time: ([\d.]+) ms")


def capture(app: Any, client: Any, host: str, path: str) -> tuple[int, list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        statements.append((statement, parameters))

    client.get(path, headers={"Host": host})  # warm up: connection, caches
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        status = client.get(path, headers={"Host": host}).status_code
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return status, statements


def explain(statement: str, parameters: Any) -> list[str]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return [r[0] for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--database", default="projektfabrik_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--host", default="town-01.bench.test")
    parser.add_argument("--rev", help="explain the code of this commit (see snapshot.py)")
    args = parser.parse_args(argv)

    app = create_app(
        {
            "DATABASE_URL": args.server.rstrip("/") + "/" + args.database,
            "SECRET_KEY": "bench-explain",
            "RATELIMIT_ENABLED": False,
            # The SQL of rendering the page, not of a cache hit.
            "PAGE_CACHE_SECONDS": 0,
        }
    )
    report: list[str] = []
    with app.app_context():
        client = app.test_client()
        for path in args.paths:
            status, statements = capture(app, client, args.host, path)
            print(f"\n{path}  (HTTP {status}, {len(statements)} statements)")
            report.append(f"\n=== {args.host}{path}  HTTP {status}, {len(statements)} statements")
            total = 0.0
            for n, (statement, parameters) in enumerate(statements, start=1):
                plan = explain(statement, parameters)
                found = EXEC_TIME.search("\n".join(plan))
                ms = float(found.group(1)) if found else 0.0
                total += ms
                indexes = sorted(set(INDEX.findall("\n".join(plan))))
                first = " ".join(statement.split())[:90]
                print(f"  {n:2}. {ms:8.3f} ms  {first}")
                if indexes:
                    print(f"      indexes: {', '.join(indexes)}")
                report += [f"\n--- {n}. {ms:.3f} ms", statement, f"parameters: {parameters}"]
                report += plan
            print(f"  database time: {total:.2f} ms")
            report.append(f"\ndatabase time: {total:.2f} ms")
        db.engine.dispose()

    out = BENCH / "results" / f"explain-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(report) + "\n")
    print(f"\nfull plans: {out.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
