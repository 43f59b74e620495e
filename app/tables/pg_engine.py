"""The PostgreSQL engine of the typed tables (the DataStore on PostgreSQL).

Each version's table is `<schema>."<name>"` in the datastore schema (see services/tables.py),
with real column types (bigint, double precision, text in byte order, date), an `_id` primary
key and one index per column on (column NULLS FIRST, _id): SQLite's order, whose indexes hold
the rowid, so keyset pages seek in both engines. Its companions are `<name>__s` (the cells each
suppression plan hides), `<name>__m` (meta) and `<name>__vs`, `__cs`, `__cv` (the sums kept for
the summary and the charts), `<name>__k` (page keys, see positions), the same tables a SQLite
file holds.

The writer loads with COPY (psycopg 3) inside the caller's transaction, the one that records
the version: a failed or killed ingest leaves no table at all, and a table is visible from the
commit that names it. Readers borrow a pooled connection and read in a READ ONLY transaction.

`PgDb` speaks the same small language as `sqlite_engine.SqliteDb` (`?` placeholders, the
tables' names, the SQL the two spell differently).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import psycopg
from psycopg import sql as pgsql

Error = psycopg.Error

PG_TYPES = {
    "integer": "bigint",
    "year": "bigint",
    "decimal": "double precision",
    "date": "date",
    "text": 'text COLLATE "C"',
    "region_code": 'text COLLATE "C"',
}
# The binary COPY's type of each column type.
COPY_TYPES = {"integer": "int8", "year": "int8", "decimal": "float8", "date": "date"}
SUFFIXES = ("", "__s", "__m", "__vs", "__cs", "__cv", "__k")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass
class PgTable:
    """Where one version's table is: its schema and name, and a connection to reach it.

    `connection` is borrowed (the writer's transaction: never closed here); `connect()` gives
    a pooled DBAPI connection whose `close()` returns it to the pool (readers use it when given).
    """

    schema: str
    name: str
    connection: Any = None
    connect: Callable[[], Any] | None = None

    def __post_init__(self) -> None:
        if not NAME.match(self.name) or not SCHEMA.match(self.schema):
            raise ValueError(f"not a datastore table name: {self.schema}.{self.name}")

    def __str__(self) -> str:
        return f"postgresql:{self.schema}.{self.name}"

    def qualified(self, suffix: str = "") -> str:
        return pgsql.Identifier(self.schema, self.name + suffix).as_string(None)


def driver(connection: Any) -> psycopg.Connection:
    """The psycopg connection behind a pooled SQLAlchemy one (or itself)."""
    return getattr(connection, "driver_connection", connection)


class PgDb:
    engine = "postgresql"
    real = "double precision"  # an 8-byte float
    takes_dates = True  # the binary COPY loads date values
    seq = "seq"
    missing_table = psycopg.errors.UndefinedTable
    taken_table = (psycopg.errors.DuplicateTable, psycopg.errors.UniqueViolation)  # another keeper's
    # The page keys (see positions) are kept after the commit that makes the table visible (see
    # writer.add_page_keys): an upload's review does not wait for them.
    keys_after_commit = True

    def __init__(self, target: PgTable, con: psycopg.Connection, pooled: Any = None) -> None:
        self.target = target
        self.con = con
        self._pooled = pooled
        self.data = target.qualified()
        self.suppress = target.qualified("__s")
        self.meta = target.qualified("__m")
        self.visible_sums = target.qualified("__vs")
        self.chart_sums = target.qualified("__cs")
        self.chart_sums_visible = target.qualified("__cv")
        self.page_keys = target.qualified("__k")
        self._copy = None
        self._cursor = None
        self._own = False  # a transaction of its own, which `commit` commits (open_write)

    @classmethod
    def _borrow(cls, target: PgTable) -> tuple[Any, psycopg.Connection]:
        pooled = target.connect()
        con = driver(pooled)
        try:
            if con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                con.rollback()
        except BaseException:
            pooled.close()
            raise
        return pooled, con

    @classmethod
    def open_write(cls, target: PgTable) -> "PgDb":
        """Change a committed table (its page keys) in a transaction of its own, on a pooled
        connection: `commit` commits it, `close` without it takes everything back."""
        pooled, con = cls._borrow(target)
        db = cls(target, con, pooled)
        db._own = True
        return db

    @classmethod
    def open_read(cls, target: PgTable) -> "PgDb":
        """Read through a pooled connection in a READ ONLY transaction, or, without `connect`,
        through the borrowed one (the writer's transaction, before it commits)."""
        if target.connect is None:
            return cls(target, driver(target.connection))
        pooled, con = cls._borrow(target)
        try:
            con.execute("SET TRANSACTION READ ONLY")
        except BaseException:
            pooled.close()
            raise
        return cls(target, con, pooled)

    @classmethod
    def create(cls, target: PgTable) -> "PgDb":
        if target.connection is None:
            raise ValueError("a datastore table is written inside the caller's transaction")
        db = cls(target, driver(target.connection))
        db.drop_all()
        return db

    @property
    def label(self) -> str:
        return f"{self.target.schema}.{self.target.name}"

    def stamp(self) -> Any:
        return self.target.name  # a table is never changed: a new reading gets a new name

    # -- statements ---------------------------------------------------------------------------
    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()):
        return self.con.execute(self._sql(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        cur = self.con.cursor()
        cur.executemany(self._sql(sql), list(rows))
        return cur.rowcount

    def stream(self, sql: str, params: Sequence[Any] = ()):
        """A server-side cursor: a whole table is read a batch at a time, never all at once."""
        cur = self.con.cursor(name=f"rows_{id(self):x}")
        cur.itersize = 5000
        cur.execute(self._sql(sql), list(params))
        return cur

    def commit(self) -> None:
        """Nothing for a new table (the caller's transaction commits it with the row that names
        it); the own transaction of `open_write`."""
        if self._own:
            self.con.commit()

    def close(self) -> None:
        if self._pooled is not None:
            pooled, self._pooled = self._pooled, None
            pooled.close()  # rolled back and returned to the pool

    # -- what the two databases spell differently --------------------------------------------
    @staticmethod
    def total(expr: str) -> str:
        return f"coalesce(sum({expr}), 0)::float8"

    @staticmethod
    def count_true(expr: str) -> str:
        return f"(count(*) FILTER (WHERE {expr}))::float8"

    @staticmethod
    def column_type(ctype: str) -> str:
        return PG_TYPES.get(ctype, 'text COLLATE "C"')

    @staticmethod
    def label_type(ctype: str | None) -> str:
        return PG_TYPES.get(ctype or "text", 'text COLLATE "C"')

    @staticmethod
    def read_expr(i: int, ctype: str) -> str:
        return f"to_char(c{i}, 'YYYY-MM-DD')" if ctype == "date" else f"c{i}"

    @staticmethod
    def text_expr(i: int, ctype: str) -> str:
        return f"to_char(c{i}, 'YYYY-MM-DD')" if ctype == "date" else f"c{i}"

    @staticmethod
    def like(expr: str) -> str:
        return f"{expr} ILIKE ? ESCAPE '\\'"

    @staticmethod
    def order(key: str, desc: bool) -> str:
        """SQLite's NULL order (first ascending, last descending), which the indexes hold."""
        if key == "_id":
            return f"_id {'DESC' if desc else 'ASC'}"
        return f"{key} DESC NULLS LAST" if desc else f"{key} ASC NULLS FIRST"

    @staticmethod
    def order_labels(expr: str) -> str:
        return f", {expr} ASC NULLS FIRST"

    @staticmethod
    def avg(expr: str) -> str:
        return f"avg({expr})::float8"

    @staticmethod
    def group_key(expr: str) -> str:
        return expr

    def page_keys_ddl(self, types: Sequence[str]) -> list[str]:
        """One typed value column per data column (`v<i>`), so kept keys compare as the column does."""
        values = "".join(f", v{i} {self.column_type(t)}" for i, t in enumerate(types))
        return [f"CREATE TABLE {self.page_keys} (col integer, n bigint{values}, _id bigint, PRIMARY KEY (col, n))"]

    @staticmethod
    def page_key_value(i: int) -> str:
        return f"v{i}"

    def has_page_keys(self) -> bool:
        (found,) = self.con.execute("SELECT to_regclass(%s) IS NOT NULL", [self.page_keys]).fetchone()
        return bool(found)

    def suppress_ddl(self) -> list[str]:
        index = pgsql.Identifier(self.target.name + "__si").as_string(None)
        return [f"CREATE TABLE {self.suppress} (seq bigint GENERATED ALWAYS AS IDENTITY, _id bigint, "
                f"col integer, plan text)",
                f"CREATE UNIQUE INDEX {index} ON {self.suppress} (plan, _id, col)"]

    @staticmethod
    def insert_ignore(table: str, columns: str, values: str) -> str:
        return f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING"

    @staticmethod
    def concat_ints(expr: str) -> str:
        return f"string_agg(({expr})::text, ',')"

    @staticmethod
    def temp(name: str) -> str:
        return f"pg_temp.{name}"

    def sensitive_rows(self, text_cols: Sequence[int], is_sensitive, where: str,
                       params: Sequence[Any]) -> tuple[str, list[Any]]:
        """The text values (of rows matching `where`) that name a sensitive category, found in
        Python as SQLite's function does, then matched in SQL."""
        parts: list[str] = []
        values: list[Any] = []
        for t in text_cols:
            found = [v for (v,) in self.execute(f"SELECT DISTINCT c{t} FROM {self.data} WHERE {where}", params)
                     if v and is_sensitive(v)]
            if found:
                parts.append(f"c{t} = ANY(?)")
                values.append(found)
        return (" OR ".join(parts) or "FALSE"), values

    # -- building ------------------------------------------------------------------------------
    def drop_all(self) -> None:
        for suffix in SUFFIXES:
            self.con.execute(f"DROP TABLE IF EXISTS {self.target.qualified(suffix)}")

    def create_data(self, types: Sequence[str]) -> None:
        self.end_copy()
        self.drop_all()
        self.con.execute(pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(pgsql.Identifier(self.target.schema)))
        cols = "".join(f", c{i} {self.column_type(t)}" for i, t in enumerate(types))
        # The key is kept while the rows come in: ids arrive in order (each goes to the index's
        # last page), and the server does it while the reader is the slower one.
        key = pgsql.Identifier(self.target.name + "__pk").as_string(None)
        self.con.execute(f"CREATE TABLE {self.data} (_id bigint NOT NULL{cols}, CONSTRAINT {key} PRIMARY KEY (_id))")
        names = ", ".join(["_id"] + [f"c{i}" for i in range(len(types))])
        self._cursor = self.con.cursor()
        # Binary: a quarter of the client's CPU of the text format, and less parsing for the server.
        self._copy_cm = self._cursor.copy(f"COPY {self.data} ({names}) FROM STDIN (FORMAT binary)")
        self._copy = self._copy_cm.__enter__()
        self._copy.set_types(["int8"] + [COPY_TYPES.get(t, "text") for t in types])

    def load(self, cols: Sequence[Sequence[Any]], first_id: int) -> None:
        write = self._copy.write_row
        for row in zip(range(first_id, first_id + len(cols[0])), *cols):
            write(row)

    def end_copy(self, failed: BaseException | None = None) -> None:
        if self._copy is not None:
            copy_cm, self._copy = self._copy_cm, None
            if failed is None:
                copy_cm.__exit__(None, None, None)
            else:
                copy_cm.__exit__(type(failed), failed, failed.__traceback__)

    def end_load(self, ncols: int) -> None:
        """The columns' indexes, built once the rows are in (faster than row by row)."""
        self.end_copy()
        # For this transaction only: the indexes and the page keys' numbering sort in memory
        # (the defaults, 64 MB and 4 MB, spill a million rows' sorts to disk).
        self.con.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self.con.execute("SET LOCAL work_mem = '64MB'")
        name = self.target.name
        for i in range(ncols):
            index = pgsql.Identifier(f"{name}__i{i}").as_string(None)
            self.con.execute(f"CREATE INDEX {index} ON {self.data} (c{i} NULLS FIRST, _id)")

    def analyze(self) -> None:
        self.con.execute(f"ANALYZE {self.data}")

    def vacuum(self) -> None:
        """VACUUM a committed table (outside any transaction): its visibility map lets the
        indexes answer alone (index-only scans), which halves the page keys' numbering."""
        if self.con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.con.rollback()
        self.con.autocommit = True
        try:
            self.con.execute(f"VACUUM {self.data}")
        finally:
            self.con.autocommit = False

    def exists(self) -> bool:
        (found,) = self.con.execute("SELECT to_regclass(%s) IS NOT NULL", [self.data]).fetchone()
        return bool(found)

    def lock_name(self) -> None:
        """Hold, until this transaction ends, a lock on the table's name: one keeper at a time (the
        next one's CREATE then finds the first one's table: `taken_table`)."""
        self.con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self.label])


def drop(con: Any, schema: str, name: str) -> None:
    """Drop a version's table and its companions (inside the caller's transaction)."""
    target = PgTable(schema, name)
    for suffix in SUFFIXES:
        driver(con).execute(f"DROP TABLE IF EXISTS {target.qualified(suffix)}")


def table_names(con: Any, schema: str) -> set[str]:
    """The version tables in the datastore schema (companions left out)."""
    rows = driver(con).execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema]).fetchall()
    return {name for (name,) in rows if "__" not in name}


def companion_names(con: Any, schema: str, suffix: str) -> set[str]:
    """The companions with this suffix (`__k`: page keys) in the datastore schema."""
    rows = driver(con).execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND right(tablename, %s) = %s",
                               [schema, len(suffix), suffix]).fetchall()
    return {name for (name,) in rows}


def exists(con: Any, schema: str, name: str) -> bool:
    found = driver(con).execute("SELECT 1 FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                                [schema, name]).fetchone()
    return found is not None
