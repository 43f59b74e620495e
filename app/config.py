"""Settings from the environment, with safe development defaults."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

# A source checkout (app/ beside pyproject.toml): the runtime folders live beside app/ by default.
_CHECKOUT = Path(__file__).resolve().parent.parent


def data_home() -> Path:
    """Where instance/, datasets/ and search_index/ are created unless set one by one.

    PORTAL_HOME if set; else the source checkout when run from one (`pip install -e .`);
    else the current directory (an installed wheel must never write into site-packages).
    """
    if os.environ.get("PORTAL_HOME"):
        return Path(os.environ["PORTAL_HOME"]).resolve()
    if (_CHECKOUT / "pyproject.toml").exists() and (_CHECKOUT / "app").is_dir():
        return _CHECKOUT
    return Path.cwd()


def instance_path() -> str:
    """The instance folder (database, secret key, demo password): PORTAL_INSTANCE_PATH or <home>/instance."""
    return os.environ.get("PORTAL_INSTANCE_PATH") or str(data_home() / "instance")


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    os.replace(tmp, path)
    return key


def _xlsx_limits() -> dict[str, int]:
    """Limits on one workbook (app.ingest.XlsxLimits) set in the environment: XLSX_MAX_CELLS=... for
    max_cells, and so on; the others keep their defaults."""
    from .ingest.model import XlsxLimits

    limits = {}
    for name in XlsxLimits.__dataclass_fields__:
        value = os.environ.get("XLSX_" + name.upper())
        if value:
            limits[name] = int(value)
    return limits


def load_config(instance_path: str) -> dict:
    """Build the configuration mapping from the environment."""
    instance = Path(instance_path)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.sqlite'}"
    if db_url.startswith("postgres://"):  # Heroku-style URLs
        db_url = "postgresql://" + db_url[len("postgres://"):]
    if db_url.startswith("postgresql://"):
        db_url = "postgresql+psycopg://" + db_url[len("postgresql://"):]
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": db_url,
        "DATASETS_DIR": os.environ.get("DATASETS_DIR") or str(data_home() / "datasets"),
        # With a PostgreSQL DATABASE_URL the typed tables live in this schema (services/datastore.py);
        # empty: `datastore`, or `<schema>_datastore` when the portal's tables are in another schema.
        "DATASTORE_SCHEMA": os.environ.get("DATASTORE_SCHEMA", ""),
        # "sqlite": keep the typed tables in SQLite files even on PostgreSQL (empty: follow DATABASE_URL).
        "DATASTORE": os.environ.get("DATASTORE", ""),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR") or str(data_home() / "search_index"),
        # Days of the log of index changes kept (services/index_log.py); a machine that was off
        # for longer rebuilds its index from the database when it starts.
        "INDEX_LOG_DAYS": int(os.environ.get("INDEX_LOG_DAYS", "30")),
        # Uploads refused for personal data: private, outside DATASETS_DIR, purged after QUARANTINE_DAYS.
        "QUARANTINE_DIR": os.environ.get("QUARANTINE_DIR") or str(instance / "quarantine"),
        "QUARANTINE_DAYS": int(os.environ.get("QUARANTINE_DAYS", "30")),
        "BABEL_DEFAULT_LOCALE": "id",
        "LANGUAGES": ["id", "en"],
        # The longest an upload may take to be read; a staged or half-installed file that has not
        # changed for twice this long belongs to a stopped process and is removed (services/upkeep).
        "UPLOAD_TIME_LIMIT_S": int(os.environ.get("UPLOAD_TIME_LIMIT_MIN", "30")) * 60,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "200")) * 1024 * 1024,
        # The queue of uploads waiting for a worker (huey): empty for a SQLite file in the instance
        # folder (the embedded default), redis://host:6379/0 for Redis (several machines).
        "JOB_QUEUE_URL": os.environ.get("JOB_QUEUE_URL", ""),
        # Read uploads in a thread of the serving process (`portal serve`, `portal demo`,
        # `portal upload`): on by default without JOB_QUEUE_URL, off with it (run `portal worker`).
        "INGEST_IN_PROCESS": os.environ.get("INGEST_IN_PROCESS", "0" if os.environ.get("JOB_QUEUE_URL") else "1") == "1",
        # A reading worker marks its job alive this often; a job silent for INGEST_STALE_S is taken
        # for one whose worker was killed: read again, at most INGEST_MAX_ATTEMPTS times, else failed.
        "INGEST_HEARTBEAT_S": float(os.environ.get("INGEST_HEARTBEAT_S", "2")),
        "INGEST_STALE_S": float(os.environ.get("INGEST_STALE_S", "30")),
        "INGEST_MAX_ATTEMPTS": int(os.environ.get("INGEST_MAX_ATTEMPTS", "2")),
        # The upload form waits this long for the reading: a small file goes straight to its review.
        "INGEST_FORM_WAIT_S": float(os.environ.get("INGEST_FORM_WAIT_S", "0.5")),
        "XLSX_LIMITS": _xlsx_limits(),
        "SMALL_CELL_THRESHOLD": int(os.environ.get("SMALL_CELL_THRESHOLD", "5")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "SITE_URL": os.environ.get("SITE_URL", ""),
        # The office's own logo (SVG, PNG, JPEG or WebP); unset: logo.svg or logo.png in the instance folder,
        # else the portal's neutral emblem (app/static/logo.svg).
        "LOGO_PATH": os.environ.get("LOGO_PATH", ""),
        "PREVIEW_PAGE_SIZE": 25,
        # Behind a reverse proxy (nginx): how many proxies set X-Forwarded-For, so that throttling
        # counts the reader's address, not the proxy's.
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", "0")),
        # Failed logins: per address (the `limits` library; memory:// is one process's, redis://
        # is shared by every server process) and per account name (in the database).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_ADDRESS_LIMIT": os.environ.get("LOGIN_ADDRESS_LIMIT", "20/minute;100/hour"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_S": int(os.environ.get("LOGIN_LOCK_MIN", "15")) * 60,
        "PASSWORD_RESET_MAX_AGE_S": int(os.environ.get("PASSWORD_RESET_MAX_AGE_MIN", "60")) * 60,
        "PASSWORD_RESET_ADDRESS_LIMIT": os.environ.get("PASSWORD_RESET_ADDRESS_LIMIT", "5/hour"),
        # The public forms (information requests, comments, messages) an address may send.
        "PUBLIC_FORM_LIMIT": os.environ.get("PUBLIC_FORM_LIMIT", "5/hour;20/day"),
        # A requester's name and contact are erased this many days after the request closes.
        "REQUESTER_DATA_DAYS": int(os.environ.get("REQUESTER_DATA_DAYS", "365")),
        # The largest file an answer may attach (kept in the database, for the requester only).
        "ANSWER_MAX_MB": int(os.environ.get("ANSWER_MAX_MB", "10")),
        # Outgoing mail (password reset links); without MAIL_SERVER nothing is sent.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL", "") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Portal Data Sosial NTB <portal@localhost>"),
    }


def configure_logging() -> None:
    """Send INFO and above to stderr, once per process (a no-op if logging is already set up).

    Entry points call this (the `portal` command); create_app never does, so building an app
    in a test or another program leaves that process's logging alone.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
