"""The SQLite engine of the typed tables: one file per version, its tables named plainly.

An engine connection (`SqliteDb` here, `pg_engine.PgDb` for PostgreSQL) is what the table's
reader, writer and disclosure rules speak to: `execute` with `?` placeholders, the names of
the version's tables (`data`, `suppress`, `meta`, ...), and the few pieces of SQL the two
databases spell differently (`total`, `order`, an insert that skips duplicates...).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable, Sequence

from .layout import SQL_TYPES

Error = sqlite3.Error


class SqliteDb:
    """One version's table file, opened read-only (readers) or read-write (the writer)."""

    engine = "sqlite"
    data, suppress, meta = "data", "suppress", "meta"
    visible_sums, chart_sums, chart_sums_visible = "visible_sums", "chart_sums", "chart_sums_visible"
    page_keys = "page_keys"  # see positions: the key of every STEP-th row of each column's order
    real = "REAL"  # an 8-byte float
    takes_dates = False  # dates are loaded as ISO text
    keys_after_commit = False  # the page keys are written with the file (it is not shared until it is whole)
    seq = "rowid"  # the order cells were added to `suppress` in
    missing_table = sqlite3.OperationalError  # what reading a table an older writer did not make raises

    def __init__(self, con: sqlite3.Connection, path: Path) -> None:
        self.con = con
        self.path = Path(path)

    @classmethod
    def open_read(cls, path: Path) -> "SqliteDb":
        return cls(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False), path)

    @classmethod
    def create(cls, path: Path) -> "SqliteDb":
        path = Path(path)
        path.unlink(missing_ok=True)
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        return cls(con, path)

    @property
    def label(self) -> str:
        return self.path.name

    def stamp(self) -> Any:
        """What changes when the table is built again (its file's mtime), None when it is gone."""
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return None

    # -- statements ---------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] = ()):
        return self.con.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        return self.con.executemany(sql, rows).rowcount

    def stream(self, sql: str, params: Sequence[Any] = ()):
        """A cursor to read many rows from with fetchmany."""
        return self.con.execute(sql, params)

    def commit(self) -> None:
        self.con.commit()

    def close(self) -> None:
        self.con.close()

    # -- what the two databases spell differently --------------------------------------------
    @staticmethod
    def total(expr: str) -> str:
        """The sum of `expr` as a float, 0.0 over no row."""
        return f"total({expr})"

    @staticmethod
    def count_true(expr: str) -> str:
        return f"total({expr})"

    @staticmethod
    def column_type(ctype: str) -> str:
        return SQL_TYPES.get(ctype, "TEXT")

    @staticmethod
    def label_type(ctype: str | None) -> str:
        return ""  # SQLite keeps each label with its own type

    @staticmethod
    def read_expr(i: int, ctype: str) -> str:
        """Column `i` as the reader gets it (dates as ISO text in both engines)."""
        return f"c{i}"

    @staticmethod
    def text_expr(i: int, ctype: str) -> str:
        """Column `i` as text, for matching."""
        return f"c{i}"

    @staticmethod
    def like(expr: str) -> str:
        return f"{expr} LIKE ? ESCAPE '\\'"  # SQLite's LIKE ignores ASCII case

    @staticmethod
    def order(key: str, desc: bool) -> str:
        """ORDER BY `key` in SQLite's own NULL order: first when ascending, last when descending."""
        return f"{key} {'DESC' if desc else 'ASC'}"

    @staticmethod
    def order_labels(expr: str) -> str:
        return ""  # SQLite's GROUP BY already gives equal sums in label order

    @staticmethod
    def avg(expr: str) -> str:
        return f"avg({expr})"

    @staticmethod
    def group_key(expr: str) -> str:
        """GROUP BY +expr: SQLite then groups with a small sort after the filter's own index,
        not by walking the label's whole index."""
        return f"+{expr}"

    @staticmethod
    def page_keys_ddl(types: Sequence[str]) -> list[str]:
        return ["CREATE TABLE page_keys (col INTEGER, n INTEGER, value, _id INTEGER, PRIMARY KEY (col, n))"]

    @staticmethod
    def page_key_value(i: int) -> str:
        return "value"  # SQLite keeps each value with its own type

    def has_page_keys(self) -> bool:
        """Whether the writer kept page keys (files written before them did not)."""
        return bool(self.con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'page_keys'").fetchone())

    def suppress_ddl(self) -> list[str]:
        return [f"CREATE TABLE {self.suppress} (_id INTEGER, col INTEGER, plan TEXT)",
                f"CREATE UNIQUE INDEX ix_suppress ON {self.suppress} (plan, _id, col)"]

    def insert_ignore(self, table: str, columns: str, values: str) -> str:
        return f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({values})"

    @staticmethod
    def concat_ints(expr: str) -> str:
        return f"group_concat({expr})"

    @staticmethod
    def temp(name: str) -> str:
        return f"temp.{name}"

    def sensitive_rows(self, text_cols: Sequence[int], is_sensitive, where: str,
                       params: Sequence[Any]) -> tuple[str, list[Any]]:
        """An SQL condition true for rows whose text cells name a sensitive category."""
        self.con.create_function("is_sensitive", 1, lambda v: 1 if v and is_sensitive(v) else 0,
                                 deterministic=True)
        return (" OR ".join(f"is_sensitive(c{t})" for t in text_cols) or "0"), []

    # -- building ------------------------------------------------------------------------------
    def create_data(self, types: Sequence[str]) -> None:
        cols = ", ".join(f"c{i} {self.column_type(t)}" for i, t in enumerate(types))
        self.con.execute(f"CREATE TABLE data (_id INTEGER PRIMARY KEY, {cols})")
        self._insert = f"INSERT INTO data VALUES (NULL, {', '.join('?' for _ in types)})"

    def load(self, cols: Sequence[Sequence[Any]], first_id: int) -> None:
        """Add one chunk of rows (as columns), numbered from `first_id`."""
        self.con.executemany(self._insert, zip(*cols))

    def end_load(self, ncols: int) -> None:
        """Index every column (the rowid `_id` is in every index: sorted pages page by it)."""
        for i in range(ncols):
            self.con.execute(f"CREATE INDEX ix_c{i} ON data (c{i})")
