"""Engine, the per-context session, and the transaction a service owns."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from .models import Base


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            # A deleted row's bytes are overwritten, not left in free pages (a takedown is meant).
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def session() -> Session:
    """Return the session of the current app context (one per request/command)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.close()


@contextmanager
def transaction() -> Iterator[Session]:
    """Yield the session; commit when the block ends cleanly, else roll back."""
    s = session()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise


# Columns added since the first release: (table, column, SQL type and default). create_all makes
# new tables only, so an existing database gets these with ALTER TABLE ADD COLUMN.
ADDED_COLUMNS = [
    ("resource_version", "storage", "VARCHAR(20) NOT NULL DEFAULT 'public'"),
    ("resource_version", "downloads", "INTEGER NOT NULL DEFAULT 0"),
    ("resource_version", "table_file", "VARCHAR(80) NOT NULL DEFAULT 'table.sqlite'"),
    ("user", "session_token", "VARCHAR(64)"),
    ("user", "password_changed", "TIMESTAMP"),
    ("user", "deactivated", "TIMESTAMP"),
    ("user", "totp_secret", "VARCHAR(64)"),
    ("user", "totp_last_step", "INTEGER"),
]

# Indexes of added columns (SQLite cannot add a UNIQUE column): the names create_all gives them.
ADDED_INDEXES = [
    'CREATE UNIQUE INDEX IF NOT EXISTS ix_user_session_token ON "user" (session_token)',
]


def create_schema() -> None:
    """Create missing tables, and add the columns an older database lacks."""
    eng = engine()
    Base.metadata.create_all(eng)
    have: dict[str, set[str]] = {}
    for table, column, ddl in ADDED_COLUMNS:
        if table not in have:
            have[table] = {c["name"] for c in inspect(eng).get_columns(table)}
        if column in have[table]:
            continue
        exists = " IF NOT EXISTS" if eng.dialect.name == "postgresql" else ""
        try:
            with eng.begin() as con:
                con.execute(text(f'ALTER TABLE "{table}" ADD COLUMN{exists} {column} {ddl}'))
        except DBAPIError as exc:  # another process added it first (SQLite has no IF NOT EXISTS here)
            if "duplicate column" not in str(exc).lower():
                raise
        have[table].add(column)
    with eng.begin() as con:
        for ddl in ADDED_INDEXES:
            con.execute(text(ddl))


def compact() -> None:
    """Write SQLite's log back and truncate it, so deleted rows' old pages leave the disk
    (with secure_delete, the database file keeps none). Best effort: a reader may hold it."""
    eng = engine()
    if eng.dialect.name != "sqlite":
        return
    with eng.connect() as con:
        con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def drop_schema() -> None:
    Base.metadata.drop_all(engine())
