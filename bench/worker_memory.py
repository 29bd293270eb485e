"""Memory of one real gunicorn worker after warm-up and a soak of mixed traffic.

    .venv/bin/python bench/worker_memory.py --database projektfabrik_bench_t1000 \
        --towns-warm 1000 --soak 1500 [--redis redis://127.0.0.1:6379/11] \
        [--env PROJEKTFABRIK_WORKER_CACHE_FRAGMENT_MB=4]

``profile_pages.py --soak`` measures the benchmark's own process, which holds
the app and the benchmark (and pyinstrument). This starts the app as
production does (``gunicorn -c deploy/gunicorn.conf.py``, one sync worker,
on a loopback port of its own) and reads the worker's RSS from
``/proc/<pid>/status``: after start-up, after every town's marketplace was
asked for once (``--towns-warm``), and after ``--soak`` requests of the same
mix as ``profile_pages.py`` (the marketplace, a deep page, a search, a
project page; random towns; visitors, and every other request to the first
town as a person who is logged in there). Prints a line and writes
``bench/results/worker-memory-<time>.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
SECRET = "bench-worker-memory"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def login_cookie(url: str, host: str) -> str:
    """A signed session cookie for an owner of project 1 of ``host`` (as profile_pages.py)."""
    import logging

    logging.disable(logging.CRITICAL)
    import profile_pages

    from projektfabrik.app import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "SERVER_NAME": None})
    tenant_id, cookie, _number = profile_pages.login_cookie(app, host)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    value = serializer.dumps({"_user_id": cookie, "_fresh": True, "tenant": tenant_id})
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def hosts_of(url: str) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT host FROM tenant_host WHERE is_canonical ORDER BY tenant_id")
        )
        return [row[0] for row in found]


def get(port: int, host: str, path: str, cookie: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": host, **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="projektfabrik_bench")
    parser.add_argument("--server", default=DEFAULT_SERVER)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--towns-warm", type=int, default=0)
    parser.add_argument("--soak", type=int, default=1500)
    parser.add_argument("--redis", help="Redis URL for the page cache (a database of your own)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the app")
    args = parser.parse_args()

    from sqlalchemy.engine import make_url

    url = make_url(args.server).set(database=args.database).render_as_string(hide_password=False)
    hosts = hosts_of(url)
    first = hosts[0]
    cookie = login_cookie(url, first)
    env = {
        **os.environ,
        "PROJEKTFABRIK_DATABASE_URL": url,
        "PROJEKTFABRIK_SECRET_KEY": SECRET,
        "PROJEKTFABRIK_BIND": f"127.0.0.1:{args.port}",
        "PROJEKTFABRIK_WORKERS": "1",
        "PROJEKTFABRIK_RATELIMIT_ENABLED": "0",
        "PROJEKTFABRIK_LOG_LEVEL": "WARNING",
        **({"PROJEKTFABRIK_REDIS_URL": args.redis} if args.redis else {}),
        **dict(item.split("=", 1) for item in args.env),
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    master = subprocess.Popen(
        # deploy/gunicorn.conf.py recycles a worker after 2,000-2,200 requests,
        # which bounds its memory in production; here the one worker must live
        # through the whole soak to be measured.
        [
            gunicorn,
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--max-requests",
            "0",
            "projektfabrik.wsgi:app",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                if get(args.port, first, "/healthz") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer")
        pid = worker_pid(master.pid)
        started = rss_mb(pid)
        for host in hosts[: args.towns_warm]:
            get(args.port, host, "/projekte")
        warm = rss_mb(pid)
        import profile_pages  # after login_cookie() has imported it quietly

        statuses: dict[int, int] = {}
        for host, path, signed_in in profile_pages.soak_traffic(hosts, first, args.soak):
            status = get(args.port, host, path, cookie if signed_in else "")
            statuses[status] = statuses.get(status, 0) + 1
        soaked = rss_mb(pid)
    finally:
        master.terminate()
        master.wait(timeout=30)
    report: dict[str, Any] = {
        "database": args.database,
        "towns": len(hosts),
        "towns_warm": args.towns_warm,
        "soak": args.soak,
        "redis": bool(args.redis),
        "env": args.env,
        "statuses": statuses,
        "rss_mb": {"started": started, "warm": warm, "soaked": soaked},
        "load_average": Path("/proc/loadavg").read_text().split()[:3],
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = BENCH / "results" / f"worker-memory-{stamp}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(
        f"{len(hosts)} towns; worker RSS: started {started:.0f} MB, after warm-up {warm:.0f} MB, "
        f"after {args.soak} requests {soaked:.0f} MB; statuses {statuses}; written to {out.name}"
    )


if __name__ == "__main__":
    main()
