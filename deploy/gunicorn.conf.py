"""Gunicorn settings for Projektfabrik: ``gunicorn -c deploy/gunicorn.conf.py projektfabrik.wsgi:app``.

Workers are stateless (sessions live in signed cookies, data in the database,
rate limits in Redis when PROJEKTFABRIK_REDIS_URL is set), so any number of
them, on any number of machines, can serve any town.

Environment:
    PROJEKTFABRIK_BIND               address(es) to listen on, comma-separated
                                     (default 127.0.0.1:8000; "unix:/run/projektfabrik/web.sock" works too)
    PROJEKTFABRIK_WORKERS            worker processes (default 2 x CPU cores + 1)
    PROJEKTFABRIK_THREADS            threads per worker (default 1)
    PROJEKTFABRIK_TIMEOUT            seconds before a stuck worker is restarted (default 30)
    PROJEKTFABRIK_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* gunicorn trusts (default 127.0.0.1)
    PROJEKTFABRIK_SCHEMA_CHECK       0: start even when `projektfabrik db check` fails (default 1)
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "projektfabrik.wsgi:app"
proc_name = "projektfabrik"

bind = [
    b.strip()
    for b in os.environ.get("PROJEKTFABRIK_BIND", "127.0.0.1:8000").split(",")
    if b.strip()
]
workers = _int("PROJEKTFABRIK_WORKERS", 2 * _cores() + 1)
threads = _int("PROJEKTFABRIK_THREADS", 1)

# A request that needs longer than this is a bug (slow work belongs in a timer job).
timeout = _int("PROJEKTFABRIK_TIMEOUT", 30)
graceful_timeout = 30
# nginx keeps connections to the upstream open; a few seconds are enough.
keepalive = 5

# Recycle workers now and then so a slow leak never grows large.
max_requests = 2000
max_requests_jitter = 200

# Only the local proxy may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("PROJEKTFABRIK_FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn >= 25.1 opens a control socket at ~/.gunicorn/gunicorn.ctl by default:
# a second instance on the same machine (another checkout, a second service)
# would fight over that one path, and nothing here uses it. Older gunicorn
# ignores the setting.
control_socket_disable = True

# Metrics (projektfabrik/metrics.py) summed over the workers: prometheus-client's
# multiprocess mode wants its folder named before anything imports it. One per
# server (the master's pid), emptied at start and removed at exit.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(
        "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp", f"projektfabrik-metrics-{os.getpid()}"
    ),
)


def on_starting(server):  # type: ignore[no-untyped-def]
    import shutil
    import subprocess
    import sys

    # No workers on a schema this code does not fit (upgrade: `db upgrade` first).
    if os.environ.get("PROJEKTFABRIK_SCHEMA_CHECK", "1") != "0":
        command = os.path.join(os.path.dirname(sys.executable), "projektfabrik")
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        done = subprocess.run([command, "db", "check"], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise SystemExit(done.stderr.strip() or done.stdout.strip())
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, mode=0o700, exist_ok=True)


def on_exit(server):  # type: ignore[no-untyped-def]
    import shutil

    shutil.rmtree(_metrics_dir, ignore_errors=True)


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    from projektfabrik.metrics import WORKER_EXITS

    multiprocess.mark_process_dead(worker.pid)
    WORKER_EXITS.inc()


# Heartbeat files in memory, not on a disk that may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Logs: JSON lines on stderr (journald or the container runtime collects them),
# gunicorn's own lines and the app's alike (projektfabrik/logs.py). No access log
# from gunicorn: it would hold client addresses and query strings; the app logs
# each request itself with its town, route rule, status and duration.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PROJEKTFABRIK_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "projektfabrik.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": loglevel.upper(), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
