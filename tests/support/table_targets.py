"""Where a test's own typed tables go: SQLite files in the SQLite pass, tables of a fresh
datastore schema on the PostgreSQL server in the PostgreSQL pass (TEST_DATABASE_URL).

`tables.build(target, ...)` and `tables.Table(target)` then run on the engine the pass is
about. Tables are written through an autocommit connection (each build commits) and read
through their own connections, in READ ONLY transactions, as the portal reads them.
"""
from __future__ import annotations

import contextlib
import uuid
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def table_targets(folder: Path, postgres_url: str | None) -> Iterator:
    if not postgres_url:
        yield lambda name: folder / name
        return
    import psycopg

    from app.tables.pg_engine import PgTable

    url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    schema = f"t_{uuid.uuid4().hex[:12]}_datastore"
    writer = psycopg.connect(url, autocommit=True)
    readers: list = []

    def connect():
        con = psycopg.connect(url)
        readers.append(con)
        return con

    def target(name: str) -> PgTable:
        stem = "v" + uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:24]
        return PgTable(schema, stem, connection=writer, connect=connect)

    try:
        yield target
    finally:
        for con in readers:
            con.close()
        writer.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        writer.close()


def stored_tables(folder: Path) -> list[str]:
    """The typed tables the portal holds (inside an app context): the .sqlite files of a version's
    folder, or in the PostgreSQL pass `pg:<name>` for every table of its datastore schema (then
    the folder holds the original only)."""
    from app import db
    from app.services import datastore
    from app.tables import pg_engine

    schema = datastore.datastore_schema()
    if schema is None:
        return sorted(p.name for p in Path(folder).iterdir() if p.suffix == ".sqlite")
    with db.engine().connect() as con:
        return sorted(datastore.PG_PREFIX + n for n in pg_engine.table_names(con.connection.driver_connection, schema))


class StoredTable:
    """A version's stored typed table, to remove or damage as a failing disk or a careless
    operator would: its SQLite file, or its PostgreSQL table."""

    def __init__(self, app, folder: Path, table_file: str) -> None:
        self.app, self.folder, self.table_file = app, Path(folder), table_file

    def _pg(self):
        from app.services import datastore

        return datastore.pg_table(self.table_file)

    def _run(self, sql: str) -> None:
        from app import db

        with self.app.app_context(), db.engine().begin() as con:
            con.exec_driver_sql(sql)

    def remove(self) -> None:
        if not self.table_file.startswith("pg:"):
            (self.folder / self.table_file).unlink()
            return
        from app.tables.pg_engine import SUFFIXES

        with self.app.app_context():
            target = self._pg()
        for suffix in SUFFIXES:  # the table and its companions
            self._run(f"DROP TABLE IF EXISTS {target.qualified(suffix)}")  # the page keys may not be kept yet

    def damage(self) -> None:
        if not self.table_file.startswith("pg:"):
            (self.folder / self.table_file).write_bytes(b"not a table at all " * 100)
            return
        with self.app.app_context():
            target = self._pg()
        self._run(f"DROP TABLE {target.qualified()}")  # its rows; its meta and plans stay


def table_files(app) -> list[str]:
    """The table file a version's folder holds beside its original: none in the PostgreSQL pass."""
    from app.services import datastore

    with app.app_context():
        return [] if datastore.datastore_schema() else ["table.sqlite"]
