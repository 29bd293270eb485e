"""Configuration read from ``PROJEKTFABRIK_*`` environment variables.

Every setting has a default that works for the demo on one machine. The full
list with explanations is in the README's configuration table; keep both in step.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PREFIX = "PROJEKTFABRIK_"
REPO_ROOT = Path(__file__).resolve().parent.parent

# name -> (default, type). Defaults may be callables taking the instance path.
SETTINGS: dict[str, tuple[Any, type]] = {
    "DATABASE_URL": (None, str),
    "SECRET_KEY": (None, str),
    "TENANTS_DIR": (str(REPO_ROOT / "tenants"), str),
    "TRANSLATIONS_DIR": (str(REPO_ROOT / "translations"), str),
    "UPLOADS_DIR": (None, str),
    # Where files are kept (storage/): "local" (UPLOADS_DIR) or "s3" (the S3_* settings).
    "STORAGE": ("local", str),
    "S3_BUCKET": ("", str),
    # Empty: AWS itself; else the S3-compatible server (MinIO, Ceph, Garage …).
    "S3_ENDPOINT_URL": ("", str),
    "S3_REGION": ("", str),
    # A folder inside the bucket, when the bucket is shared with something else.
    "S3_PREFIX": ("", str),
    # Empty: boto3's own chain (AWS_ACCESS_KEY_ID …, the machine's role).
    "S3_ACCESS_KEY_ID": ("", str),
    "S3_SECRET_ACCESS_KEY": ("", str),
    # Seconds to wait for a connection (reads: six times as long) before a refusal.
    "S3_TIMEOUT": (5.0, float),
    "SMTP_URL": ("", str),
    # Seconds to wait for the SMTP server before a message is retried later.
    "SMTP_TIMEOUT": (10.0, float),
    # "worker": projektfabrik worker sends queued mail (production); "after_response":
    # the web worker sends it after the answer went out (tests). mail/outbox.py.
    "MAIL_DELIVERY": ("worker", str),
    # /readyz answers 503 when due mail has waited longer than this (worker down?).
    "READY_MAIL_BACKLOG_MINUTES": (15, int),
    # How often projektfabrik worker looks for mail on SQLite (PostgreSQL wakes it).
    "WORKER_POLL_SECONDS": (2.0, float),
    "MAIL_FROM": ("", str),
    "MAIL_REPLY_DOMAIN": ("", str),
    # The authserv-id of the receiving mail server's Authentication-Results
    # header (teams/mailin.py); empty: no reply by mail is accepted.
    "MAIL_AUTHSERV_ID": ("", str),
    # Sent (and given-up) mail is deleted this many days after it was sent:
    # bodies and addresses are personal data (docs/operations.md, "What is kept").
    "MAIL_RETENTION_DAYS": (30, int),
    "TEAM_FILE_MAX_MB": (10, int),
    # Largest request body in MB; routes that take files allow the upload limit on top.
    "MAX_REQUEST_MB": (1, int),
    "REDIS_URL": ("", str),
    # The operator console's host (console/); empty: no console.
    "OPERATOR_HOST": ("", str),
    # Pages for visitors who are not logged in (pagecache.py); 0 switches it off.
    "PAGE_CACHE_SECONDS": (60, int),
    "PAGE_CACHE_MAX_MB": (32, int),
    "PAGE_CACHE_RECHECK_SECONDS": (2.0, float),
    # Per-town values and HTML fragments a worker keeps between requests
    # (workercache.py), ended by the town's content version; 0 switches it off.
    "WORKER_CACHE_SECONDS": (300.0, float),
    "WORKER_CACHE_TOWNS": (2000, int),
    "WORKER_CACHE_FRAGMENT_MB": (16, int),
    "PREFERRED_URL_SCHEME": ("http", str),
    "PUBLIC_PORT": ("", str),
    "PROXY_FIX": (False, bool),
    "RATELIMIT_ENABLED": (True, bool),
    # /metrics answers only with "Authorization: Bearer <this>"; empty: no /metrics.
    "METRICS_TOKEN": ("", str),
    # The app's log level (its log lines are JSON on stderr: projektfabrik/logs.py).
    "LOG_LEVEL": ("INFO", str),
}


#: Where files are kept (storage/).
STORAGE_BACKENDS = ("local", "s3")
#: Who sends queued mail (mail/outbox.py).
MAIL_DELIVERY_MODES = ("worker", "after_response")


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def from_environment(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment."""
    environ = dict(os.environ if environ is None else environ)
    config: dict[str, Any] = {}
    for name, (default, kind) in SETTINGS.items():
        raw = environ.get(PREFIX + name)
        config[name] = _parse(raw, kind) if raw not in (None, "") else default

    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "projektfabrik.sqlite")
    if not config["UPLOADS_DIR"]:
        config["UPLOADS_DIR"] = str(Path(instance_path) / "uploads")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(Path(instance_path))
    if config["STORAGE"] not in STORAGE_BACKENDS:
        raise ValueError(
            f"{PREFIX}STORAGE must be one of {', '.join(STORAGE_BACKENDS)}, "
            f"not {config['STORAGE']!r}"
        )
    if config["STORAGE"] == "s3" and not config["S3_BUCKET"]:
        raise ValueError(f"{PREFIX}STORAGE=s3 needs {PREFIX}S3_BUCKET")
    if config["MAIL_DELIVERY"] not in MAIL_DELIVERY_MODES:
        raise ValueError(
            f"{PREFIX}MAIL_DELIVERY must be one of {', '.join(MAIL_DELIVERY_MODES)}, "
            f"not {config['MAIL_DELIVERY']!r}"
        )
    return config


def _instance_secret(instance_path: Path) -> str:
    """A random key kept in the instance folder, so the demo needs no setup.

    Production sets ``PROJEKTFABRIK_SECRET_KEY``; every worker must share it.
    """
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let operators write ``postgresql://`` and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
