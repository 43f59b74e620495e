"""Where a row stands in a table's order, and which row stands at a place: what a jump to
page 36,001 and "rows 900,001-900,025 of 1,000,000" need, without a deep OFFSET.

In table order the place is the row id: the writer numbers rows 1..n in one transaction
into a new file and nothing ever deletes one, so the row at place p (0-based) has `_id`
p + 1 (checked on open: the largest id is the row count).

In a column's order (its value, then `_id`, as pages sort) the writer keeps the key of
every STEP-th row (table `page_keys`). A place is found from the kept key before it by
walking at most STEP entries of the column's index, and a row's place by counting at most
STEP entries back to the kept key before it: a jump to the last page of a million rows
costs what the second page does. Tables written before `page_keys` walk the index from its
start (an index-only scan: ~12 ms at the 900,000th row).
"""
from __future__ import annotations

import sqlite3
from typing import Any

STEP = 1000  # rows between two kept keys: walks stay under a millisecond


def write_page_keys(con: sqlite3.Connection, ncols: int, row_count: int) -> None:
    """Keep the key (value, _id) of rows 0, STEP, 2*STEP, ... of each column's order (after its index)."""
    con.execute("CREATE TABLE page_keys (col INTEGER, n INTEGER, value, _id INTEGER, PRIMARY KEY (col, n))")
    for i in range(ncols):
        key = con.execute(f"SELECT c{i}, _id FROM data ORDER BY c{i}, _id LIMIT 1").fetchone()
        keys = []
        while key is not None:
            keys.append((i, len(keys), key[0], key[1]))
            if len(keys) * STEP >= row_count:
                break
            key = _key_from(con, i, key[0], key[1], STEP)
        con.executemany("INSERT INTO page_keys VALUES (?, ?, ?, ?)", keys)


def _same(i: int, value: Any) -> tuple[str, list[Any]]:
    return (f"c{i} IS NULL", []) if value is None else (f"c{i} = ?", [value])


def _later(i: int, value: Any) -> tuple[str, list[Any]]:
    """Values after `value` in SQLite's ascending order (NULL first)."""
    return (f"c{i} IS NOT NULL", []) if value is None else (f"c{i} > ?", [value])


def _key_from(con: sqlite3.Connection, i: int, value: Any, row_id: int, skip: int) -> tuple[Any, int] | None:
    """The key `skip` places after the row (value, row_id) in column i's order (0: that row's
    own place); None past the end. Each step is a seek and a walk of at most `skip` entries."""
    same, params = _same(i, value)
    got = con.execute(f"SELECT _id FROM data WHERE {same} AND _id >= ? ORDER BY _id LIMIT 1 OFFSET ?",
                      [*params, row_id, skip]).fetchone()
    if got:
        return value, got[0]
    # Fewer than skip + 1 rows hold this value from row_id on: count them (at most skip) and go on.
    (run,) = con.execute(f"SELECT count(*) FROM data WHERE {same} AND _id >= ?", [*params, row_id]).fetchone()
    later, params = _later(i, value)
    return con.execute(f"SELECT c{i}, _id FROM data WHERE {later} ORDER BY c{i}, _id LIMIT 1 OFFSET ?",
                       [*params, skip - run]).fetchone()


class Places:
    """Places in the orders of one open table (read-only)."""

    def __init__(self, con: sqlite3.Connection, row_count: int) -> None:
        self.con = con
        self.row_count = row_count
        self._kept: bool | None = None
        self._dense: bool | None = None

    def _has_kept_keys(self) -> bool:
        if self._kept is None:
            self._kept = bool(self.con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'page_keys'").fetchone())
        return self._kept

    def _ids_dense(self) -> bool:
        if self._dense is None:
            (top,) = self.con.execute("SELECT max(_id) FROM data").fetchone()
            self._dense = (top or 0) == self.row_count
        return self._dense

    def key_at(self, col: int | None, place: int) -> tuple[Any, int] | None:
        """The key (value, _id) of the row at 0-based `place` in ascending order of column
        `col` (None: table order); None past the end."""
        if place < 0 or place >= self.row_count:
            return None
        if col is None:
            if self._ids_dense():
                return place + 1, place + 1
            got = self.con.execute("SELECT _id FROM data ORDER BY _id LIMIT 1 OFFSET ?", (place,)).fetchone()
            return None if got is None else (got[0], got[0])
        if self._has_kept_keys():
            kept = self.con.execute("SELECT value, _id FROM page_keys WHERE col = ? AND n = ?",
                                    (col, place // STEP)).fetchone()
            if kept:
                return _key_from(self.con, col, kept[0], kept[1], place % STEP)
        return self.con.execute(f"SELECT c{col}, _id FROM data ORDER BY c{col}, _id LIMIT 1 OFFSET ?",
                                (place,)).fetchone()

    def place_of(self, col: int | None, value: Any, row_id: int) -> int:
        """How many rows come before the row (value, row_id) in ascending order of column `col`
        (None: table order, where `value` is the row id)."""
        if col is None:
            if self._ids_dense():
                return max(0, min(int(row_id) - 1, self.row_count))
            return self._count("_id < ?", [row_id])
        base, start = 0, None
        if self._has_kept_keys():
            if value is None:
                kept_before = ("value IS NULL AND _id <= ?", [row_id])
            else:
                kept_before = ("(value IS NULL OR value < ? OR (value = ? AND _id <= ?))", [value, value, row_id])
            got = self.con.execute(f"SELECT n, value, _id FROM page_keys WHERE col = ? AND {kept_before[0]} "
                                   f"ORDER BY n DESC LIMIT 1", [col, *kept_before[1]]).fetchone()
            if got:
                base, start = got[0] * STEP, (got[1], got[2])
        if start is None:  # from the first row of the order (no kept key, or before the first)
            same, params = _same(col, value)
            before = self._count(f"{same} AND _id < ?", [*params, row_id])
            if value is not None:
                before += self._count(f"(c{col} IS NULL OR c{col} < ?)", [value])
            return before
        kept_value, kept_id = start
        same, params = _same(col, kept_value)
        if kept_value == value and (kept_value is None) == (value is None):
            return base + self._count(f"{same} AND _id >= ? AND _id < ?", [*params, kept_id, row_id])
        # The kept key's run of equal values, the values between, then this value's rows before row_id.
        later, later_params = _later(col, kept_value)
        this, this_params = _same(col, value)
        return (base + self._count(f"{same} AND _id >= ?", [*params, kept_id])
                + self._count(f"{later} AND c{col} < ?", [*later_params, value])
                + self._count(f"{this} AND _id < ?", [*this_params, row_id]))

    def _count(self, where: str, params: list[Any]) -> int:
        return self.con.execute(f"SELECT count(*) FROM data WHERE {where}", params).fetchone()[0]
