"""Where a version's typed table is, and where a new one is written: the engine is chosen by
the configuration.

With a PostgreSQL DATABASE_URL every new table is written into PostgreSQL's datastore schema
(DATASTORE_SCHEMA; by default `datastore`, or `<schema>_datastore` when the portal's own tables
live in a schema other than `public`, as each test's do), else into a SQLite file beside the
version's original. A version's `table_file` says where its table is: `pg:<name>` for a
PostgreSQL table, else the file's name (so the SQLite tables of a portal moved to PostgreSQL
stay readable until they are read again).

A PostgreSQL table is loaded (COPY) inside the session's transaction, the one that records the
version, under a savepoint: a failed upload rolls the savepoint back, a killed one loses the
whole transaction, and a table exists for others from the commit that names it on.
"""
from __future__ import annotations

import logging
import secrets

from flask import current_app
from sqlalchemy import text

from .. import db
from ..models import ResourceVersion
from ..storage import Incoming
from ..tables import add_page_keys, pg_engine
from ..tables.pg_engine import PgTable

log = logging.getLogger("portal.datastore")

PG_PREFIX = "pg:"


def datastore_schema() -> str | None:
    """The PostgreSQL schema new tables are written to; None when they are SQLite files."""
    ext = current_app.extensions
    if "datastore_schema" not in ext:
        engine = db.engine()
        schema = None
        if engine.dialect.name == "postgresql" and current_app.config.get("DATASTORE") != "sqlite":
            schema = current_app.config.get("DATASTORE_SCHEMA")
            if not schema:
                with engine.connect() as con:
                    current = con.scalar(text("SELECT current_schema()"))
                schema = "datastore" if current in (None, "public") else f"{current}_datastore"
        ext["datastore_schema"] = schema
    return ext["datastore_schema"]


def in_database(table_file: str | None) -> bool:
    return bool(table_file) and table_file.startswith(PG_PREFIX)


def pg_table(table_file: str, connection=None) -> PgTable:
    """The PostgreSQL table a `pg:<name>` table_file names; read through pooled connections."""
    schema = datastore_schema() or current_app.config.get("DATASTORE_SCHEMA") or "datastore"
    connect = None if connection is not None else db.engine().raw_connection
    return PgTable(schema, table_file[len(PG_PREFIX):], connection=connection, connect=connect)


def stored_table(version: ResourceVersion) -> PgTable | None:
    """A version's table when it is in PostgreSQL (to drop with the version), else None."""
    return pg_table(version.table_file) if in_database(version.table_file) else None


def new_table(version_id: str, incoming: Incoming):
    """Where an upload's (or a new reading's) table is written, and the `table_file` naming it.

    PostgreSQL: a new table named from the version id, written in the session's transaction
    (the one that records the version: see `begin_load`); SQLite: a file in the staging folder.
    """
    if datastore_schema() is None:
        return incoming.table, "table.sqlite"
    name = f"v{version_id.replace('-', '')[:24]}_{secrets.token_hex(3)}"
    connection = db.session().connection().connection
    return pg_table(PG_PREFIX + name, connection=connection), PG_PREFIX + name


def begin_load():
    """A savepoint around a table loaded in the session's transaction: `abandon` takes the
    table back when the upload fails before it is recorded (a killed process loses it anyway)."""
    if datastore_schema() is None:
        return None
    s = db.session()
    savepoint = s.begin_nested()
    s.connection()  # SQLAlchemy emits the SAVEPOINT when the connection is next asked for
    return savepoint


def abandon(savepoint) -> None:
    if savepoint is not None and savepoint.is_active:
        savepoint.rollback()


def drop_table(engine, table: PgTable) -> bool:
    """Drop a version's PostgreSQL table, waiting at most a few seconds for its readers (a download
    still streaming it); False when it stays (the upkeep drops tables no version names)."""
    try:
        with engine.begin() as con:
            raw = con.connection.driver_connection
            raw.execute("SET LOCAL lock_timeout = '5s'")
            pg_engine.drop(raw, table.schema, table.name)
        return True
    except Exception as exc:  # noqa: BLE001 - best effort: the row is gone, the table unreachable
        log.warning("table %s not dropped yet (%s); `portal check --repair` will", table, exc)
        return False


# -- page keys, after the commit -------------------------------------------------------------------

def queue_page_keys(table_file: str | None) -> None:
    """After the commit that named a PostgreSQL table: queue the keeping of its page keys (the
    queue's second task runs `keep_page_keys`). Never fails the upload it follows: a key the
    queue lost is kept by `portal check --repair`, and pages are right without them."""
    if not in_database(table_file):
        return
    from . import job_queue

    try:
        job_queue.queue().enqueue_page_keys(table_file)
    except Exception as exc:  # noqa: BLE001 - the queue's server gone for a moment
        log.warning("page keys of %s not queued (%s); `portal check --repair` keeps them", table_file, exc)


def keep_page_keys(table_file: str) -> bool:
    """Keep a PostgreSQL table's page keys when it has none (the queue's task); True when written."""
    if not in_database(table_file):
        return False
    kept = add_page_keys(pg_table(table_file))
    if kept:
        log.info("page keys kept for %s", table_file)
    return kept


def tables_without_page_keys() -> list[str]:
    """The `pg:<name>` of every datastore table that has no page keys yet."""
    schema = datastore_schema()
    if schema is None:
        return []
    with db.engine().connect() as con:
        raw = con.connection.driver_connection
        names = pg_engine.table_names(raw, schema)
        kept = {n[:-3] for n in pg_engine.companion_names(raw, schema, "__k")}
    return sorted(PG_PREFIX + n for n in names - kept)
