"""A consistent copy of the portal's database, and loading one into an empty database.

SQLite: the online backup API copies every page under one read transaction, so a running server
goes on writing (WAL) while it copies. PostgreSQL: `pg_dump` (custom format) reads inside a
snapshot this module exports from its own REPEATABLE READ transaction, and the list of stored
versions is read in that same transaction: the files a backup takes are exactly those the dumped
rows name. A dump is loaded with `pg_restore` (to SQL) and `psql` in one transaction.

A dump holds one schema (the one the database URL reaches: `public`, or the schema a
`search_path` option names); loaded into a database whose schema has another name, its tables
are moved into that schema in the same transaction.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine

from ..models import Base

# The stored versions whose files a backup takes: (id, resource id, number, storage, table file).
VERSIONS_SQL = ("SELECT id, resource_id, number, storage, table_file FROM resource_version "
                "WHERE storage != 'purged' ORDER BY resource_id, number")
COUNTS_SQL = {"datasets": "SELECT count(*) FROM dataset", "versions": "SELECT count(*) FROM resource_version",
              "users": 'SELECT count(*) FROM "user"'}


class SnapshotError(Exception):
    """The database could not be copied or loaded; the message says why, for an operator."""


@dataclass
class Snapshot:
    """A copy of the database in `path`, and what it holds."""

    path: Path
    dialect: str
    versions: list[tuple] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    schema: str | None = None  # PostgreSQL: the dumped schema
    datastore: str | None = None  # PostgreSQL: the dumped datastore schema (the typed tables)


# -- taking a snapshot ----------------------------------------------------------------------------

def take(engine: Engine, folder: Path, datastore: str | None = None) -> Snapshot:
    """Copy the database into `folder` and read from the copy's moment what it holds (PostgreSQL:
    with the `datastore` schema of the typed tables, in the same snapshot)."""
    if engine.dialect.name == "sqlite":
        return _take_sqlite(engine, folder)
    if engine.dialect.name == "postgresql":
        return _take_postgres(engine, folder, datastore)
    raise SnapshotError(f"backups of a {engine.dialect.name} database are not supported")


def _take_sqlite(engine: Engine, folder: Path) -> Snapshot:
    target = folder / "portal.sqlite"
    source = sqlite3.connect(_sqlite_path(engine), timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        # The copy stands alone: no -wal file beside it to take or to forget.
        copy.execute("PRAGMA journal_mode=DELETE")
        versions = copy.execute(VERSIONS_SQL).fetchall()
        counts = {k: copy.execute(q).fetchone()[0] for k, q in COUNTS_SQL.items()}
    except sqlite3.Error as exc:
        raise SnapshotError(f"the SQLite database could not be copied: {exc}") from None
    finally:
        copy.close()
        source.close()
    return Snapshot(target, "sqlite", versions, counts)


def _take_postgres(engine: Engine, folder: Path, datastore: str | None) -> Snapshot:
    target = folder / "portal.pgdump"
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as con:
        with con.begin():
            con.execute(text("SET TRANSACTION READ ONLY"))
            schema = con.scalar(text("SELECT current_schema()"))
            if datastore and not con.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"),
                                            {"s": datastore}):
                datastore = None  # no table written there yet
            exported = con.scalar(text("SELECT pg_export_snapshot()"))
            schemas = [f"--schema={_pattern(schema)}"] + ([f"--schema={_pattern(datastore)}"] if datastore else [])
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                  *schemas, f"--snapshot={exported}", f"--file={target}",
                  f"--dbname={libpq_url(engine.url)}"], engine.url)
            versions = [tuple(r) for r in con.execute(text(VERSIONS_SQL))]
            counts = {k: con.scalar(text(q)) for k, q in COUNTS_SQL.items()}
    return Snapshot(target, "postgresql", versions, counts, schema, datastore)


# -- the target -----------------------------------------------------------------------------------

def current_schema(engine: Engine) -> str | None:
    """The schema the portal's tables are in (PostgreSQL), or None."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as con:
        return con.scalar(text("SELECT current_schema()"))


def schema_exists(engine: Engine, schema: str) -> bool:
    with engine.connect() as con:
        return bool(con.scalar(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}))


def count_rows(con: Connection, table: str) -> int:
    return con.scalar(text(f'SELECT count(*) FROM "{table}"'))


# -- loading a snapshot ---------------------------------------------------------------------------

def load(engine: Engine, dump: Path, dialect: str, schema: str | None,
         datastore: tuple[str | None, str | None] = (None, None)) -> None:
    """Replace the (empty) database's portal tables with those of `dump`, all at once or not at all.
    PostgreSQL: `datastore` is (the dump's datastore schema, this portal's), moved into the latter.

    The engine's pooled connections are closed first and after: the tables they knew are gone.
    """
    engine.dispose()
    try:
        if dialect == "sqlite":
            _load_sqlite(engine, dump)
        else:
            _load_postgres(engine, dump, schema, datastore)
    finally:
        engine.dispose()


def _load_sqlite(engine: Engine, dump: Path) -> None:
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(engine), timeout=30)
    try:
        source.backup(target)  # page by page into the live file, its WAL included
        target.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        raise SnapshotError(f"the SQLite database could not be written: {exc}") from None
    finally:
        target.close()
        source.close()


def _load_postgres(engine: Engine, dump: Path, schema: str | None,
                   datastore: tuple[str | None, str | None] = (None, None)) -> None:
    if not schema:
        raise SnapshotError("the backup does not say which schema it holds")
    target = current_schema(engine)
    engine.dispose()
    folder = dump.parent
    script = folder / "restore.sql"
    kept, ours = datastore
    schemas = [f"--schema={_pattern(schema)}"] + ([f"--schema={_pattern(kept)}"] if kept else [])
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", *schemas,
          f"--file={script}", str(dump)], engine.url)
    before, after = folder / "before.sql", folder / "after.sql"
    before.write_text(_before_sql(target, schema) + _before_datastore_sql(kept, ours), encoding="utf-8")
    after.write_text(_after_sql(target, schema) + _after_datastore_sql(kept, ours), encoding="utf-8")
    _run([_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
          f"--dbname={libpq_url(engine.url)}", f"--file={before}", f"--file={script}", f"--file={after}"],
         engine.url)


def _before_sql(target: str, schema: str) -> str:
    """Drop the empty portal tables of the target; make room for the dump's schema."""
    drops = [f"DROP TABLE IF EXISTS {_ident(target)}.{_ident(t.name)} CASCADE;"
             for t in reversed(Base.metadata.sorted_tables)]
    create = [] if schema == target else [f"CREATE SCHEMA {_ident(schema)};"]
    return "\n".join(drops + create) + "\n"


def _after_sql(target: str, schema: str) -> str:
    """Move the loaded tables (with their sequences and indexes) into the target's schema."""
    if schema == target:
        return "SELECT 1;\n"
    return (
        "DO $$ DECLARE r record; BEGIN\n"
        f"  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = {_literal(schema)} LOOP\n"
        f"    EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', {_literal(schema)}, r.tablename, {_literal(target)});\n"
        "  END LOOP;\nEND $$;\n"
        f"DROP SCHEMA {_ident(schema)};\n")


def _before_datastore_sql(kept: str | None, ours: str | None) -> str:
    """The (empty) portal's own datastore schema goes; the dump's is made to load its tables into."""
    if not kept:
        return ""
    drop = f"DROP SCHEMA IF EXISTS {_ident(ours)} CASCADE;\n" if ours else ""
    return drop + f"CREATE SCHEMA IF NOT EXISTS {_ident(kept)};\n"


def _after_datastore_sql(kept: str | None, ours: str | None) -> str:
    """Move the typed tables (with their indexes and sequences) into this portal's datastore schema."""
    if not kept or not ours or kept == ours:
        return ""
    return (
        f"CREATE SCHEMA {_ident(ours)};\n"
        "DO $$ DECLARE r record; BEGIN\n"
        f"  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = {_literal(kept)} LOOP\n"
        f"    EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', {_literal(kept)}, r.tablename, {_literal(ours)});\n"
        "  END LOOP;\nEND $$;\n"
        f"DROP SCHEMA {_ident(kept)};\n")


# -- PostgreSQL tools -----------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    """`name` on PATH, else from the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda p: [int(x) for x in re.findall(r"\d+", p.split("/")[4])] or [0])
    if candidates:
        return candidates[-1]
    raise SnapshotError(f"{name} was not found (install the PostgreSQL client, e.g. apt-get install postgresql-client)")


def libpq_url(url: URL) -> str:
    """The database URL as libpq reads it, without its password (that goes in PGPASSWORD)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> None:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise SnapshotError(f"{Path(command[0]).name} failed: " + (detail[0] if detail else f"exit {done.returncode}"))


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _pattern(schema: str) -> str:
    """A schema name as pg_dump's -n pattern matching it exactly."""
    return _ident(schema) if re.fullmatch(r"[a-z_][a-z0-9_]*", schema) is None else schema


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:":
        raise SnapshotError("an in-memory SQLite database cannot be backed up")
    return path


@contextmanager
def scratch(folder: Path) -> Iterator[Path]:
    """A private temporary folder inside `folder`, removed afterwards."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".portal-backup-", dir=folder))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
