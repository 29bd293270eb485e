"""Configuration read from ``PROJEKTFABRIK_*`` environment variables.

Every setting has a default that works for the demo on one machine. The full
list with explanations is in the README's configuration table; keep both in step.

Two settings have a default only in a source checkout (the demo's and the
developer's setup, where ``tenants/`` lies beside the package): the towns'
folder and the secret key. Installed from a wheel, which is production, both
must be set; ``require_settings`` says which one is missing rather than
letting a random key or a folder inside site-packages slip into service.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PREFIX = "PROJEKTFABRIK_"
PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
#: Running from the repository (``dev.py demo``, the tests), not from an installed wheel.
FROM_CHECKOUT = (REPO_ROOT / "setup.cfg").is_file() and (REPO_ROOT / "tenants").is_dir()
#: The demo towns' folders: in a wheel they are copied into the package (setup.py).
DEMO_TENANTS_DIR = REPO_ROOT / "tenants" if FROM_CHECKOUT else PACKAGE_DIR / "demo_tenants"
#: Settings without a default outside a checkout (see the module's doc).
REQUIRED_IN_PRODUCTION = ("TENANTS_DIR", "SECRET_KEY")


def _translations_dir() -> Path:
    """The core's catalogues: compiled into the package in a wheel (setup.py), else
    the repository's ``translations/`` (compiled in place by dev.py)."""
    packaged = PACKAGE_DIR / "translations"
    return packaged if packaged.is_dir() else REPO_ROOT / "translations"


# name -> (default, type). Defaults may be callables taking the instance path.
SETTINGS: dict[str, tuple[Any, type]] = {
    "DATABASE_URL": (None, str),
    "SECRET_KEY": (None, str),
    # Default only in a checkout: the repository's tenants/ (from_environment).
    "TENANTS_DIR": (None, str),
    "TRANSLATIONS_DIR": (str(_translations_dir()), str),
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
    # With Redis: the copy of the last pages served that each worker keeps (0: none).
    "PAGE_CACHE_WORKER_MB": (2, int),
    "PAGE_CACHE_RECHECK_SECONDS": (2.0, float),
    # Per-town values and HTML fragments a worker keeps between requests
    # (workercache.py), ended by the town's content version; 0 switches it off.
    "WORKER_CACHE_SECONDS": (300.0, float),
    "WORKER_CACHE_TOWNS": (2000, int),
    "WORKER_CACHE_FRAGMENT_MB": (3, int),
    "WORKER_CACHE_RESULT_MB": (2, int),
    "WORKER_CACHE_OBJECTS_MB": (4, int),
    "WORKER_CACHE_PEOPLE": (10000, int),
    # With Redis: how long a town's token lives, under which each worker keeps the
    # town and the people logged in (requestmemo.py); 0 switches it off.
    "REQUEST_MEMO_SECONDS": (60, int),
    "PREFERRED_URL_SCHEME": ("http", str),
    "PUBLIC_PORT": ("", str),
    "PROXY_FIX": (False, bool),
    "RATELIMIT_ENABLED": (True, bool),
    # /metrics answers only with "Authorization: Bearer <this>"; empty: no /metrics.
    "METRICS_TOKEN": ("", str),
    # The app's log level (its log lines are JSON on stderr: projektfabrik/logs.py).
    "LOG_LEVEL": ("INFO", str),
    # Error reports to Sentry or GlitchTip (errorreports.py, needs the sentry extra); empty: off.
    "SENTRY_DSN": ("", str),
}


#: Where files are kept (storage/).
STORAGE_BACKENDS = ("local", "s3")
#: Who sends queued mail (mail/outbox.py).
MAIL_DELIVERY_MODES = ("worker", "after_response")


def _parse(value: str, kind: type) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def from_environment(
    instance_path: str, environ: dict[str, str] | None = None, *, from_checkout: bool | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from the environment.

    Outside a checkout, ``TENANTS_DIR`` and ``SECRET_KEY`` stay ``None`` when not
    set; ``require_settings`` refuses that once the caller's overrides are in.
    """
    checkout = FROM_CHECKOUT if from_checkout is None else from_checkout
    environ = dict(os.environ if environ is None else environ)
    config: dict[str, Any] = {}
    for name, (default, kind) in SETTINGS.items():
        raw = environ.get(PREFIX + name)
        config[name] = _parse(raw, kind) if raw not in (None, "") else default

    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = "sqlite:///" + str(Path(instance_path) / "projektfabrik.sqlite")
    if not config["UPLOADS_DIR"]:
        config["UPLOADS_DIR"] = str(Path(instance_path) / "uploads")
    if not config["SECRET_KEY"] and checkout:
        config["SECRET_KEY"] = _instance_secret(Path(instance_path))
    if config["STORAGE"] not in STORAGE_BACKENDS:
        raise ValueError(
            f"{PREFIX}STORAGE must be one of {', '.join(STORAGE_BACKENDS)}, "
            f"not {config['STORAGE']!r}"
        )
    if config["STORAGE"] == "s3" and not config["S3_BUCKET"]:
        raise ValueError(f"{PREFIX}STORAGE=s3 needs {PREFIX}S3_BUCKET")
    if not config["TENANTS_DIR"] and checkout:
        config["TENANTS_DIR"] = str(REPO_ROOT / "tenants")
    if config["MAIL_DELIVERY"] not in MAIL_DELIVERY_MODES:
        raise ValueError(
            f"{PREFIX}MAIL_DELIVERY must be one of {', '.join(MAIL_DELIVERY_MODES)}, "
            f"not {config['MAIL_DELIVERY']!r}"
        )
    return config


class MissingSetting(RuntimeError):
    """A setting production must have is not set (the message names it)."""


def require_settings(config: dict[str, Any]) -> None:
    """Refuse to start without the settings that have no default in production."""
    missing = [name for name in REQUIRED_IN_PRODUCTION if not config.get(name)]
    if missing:
        hints = {
            "TENANTS_DIR": "the folder with one sub-folder per town (tenant.toml, texts, logo)",
            "SECRET_KEY": 'a long random string, the same on every machine: python3 -c "import '
            'secrets; print(secrets.token_urlsafe(48))"',
        }
        raise MissingSetting(
            "Projektfabrik is installed as a package, so these settings are required: "
            + "; ".join(f"{PREFIX}{name} ({hints[name]})" for name in missing)
            + ". See deploy/README.md, 'One machine', steps 2 and 4."
        )


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
