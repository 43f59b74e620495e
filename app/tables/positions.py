"""Where a row stands in a table's order, and which row stands at a place: what a jump to
page 36,001 and "rows 900,001-900,025 of 1,000,000" need, without a deep OFFSET.

In table order the place is the row id: the writer numbers rows 1..n in one transaction
into a new file and nothing ever deletes one, so the row at place p (0-based) has `_id`
p + 1 (checked on open: the largest id is the row count).

In a column's order (its value, then `_id`, as pages sort) the writer keeps the key of
every STEP-th row (table `page_keys`). A place is found from the kept key before it by
walking at most STEP entries of the column's index, and a row's place by counting at most
STEP entries back to the kept key before it: a jump to the last page of a million rows
costs what the second page does. A table without them (written before `page_keys`, or a
PostgreSQL table whose keys are still being kept after its commit: writer.add_page_keys) walks
the index from its start (an index-only scan: ~12 ms at the 900,000th row), to the same rows.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from .query import BadQuery

STEP = 1000  # rows between two kept keys: walks stay under a millisecond


def write_page_keys(con, types: list[str], row_count: int) -> None:
    """Keep the key (value, _id) of rows 0, STEP, 2*STEP, ... of each column's order (after its index).
    `con` is the engine connection: SQLite keeps every column's values in one untyped `value`
    column, PostgreSQL in a typed column per data column (`db.page_key_value(i)`)."""
    for ddl in con.page_keys_ddl(types):
        con.execute(ddl)
    if con.engine == "postgresql":
        # One statement per column on the server: numbering the rows of the column's index costs
        # less than a thousand round trips of a walk each (a third of a 1M-row upload's time).
        for i in range(len(types)):
            con.execute(f"INSERT INTO {con.page_keys} (col, n, {con.page_key_value(i)}, _id) "
                        f"SELECT ?, (r - 1) / {STEP}, c{i}, _id FROM (SELECT c{i}, _id, row_number() OVER "
                        f"(ORDER BY {con.order(f'c{i}', False)}, _id) AS r FROM {con.data}) AS ranked "
                        f"WHERE (r - 1) % {STEP} = 0", [i])
        return
    for i in range(len(types)):
        key = con.execute(f"SELECT c{i}, _id FROM {con.data} ORDER BY {con.order(f'c{i}', False)}, _id LIMIT 1").fetchone()
        keys = []
        while key is not None:
            keys.append((i, len(keys), key[0], key[1]))
            if len(keys) * STEP >= row_count:
                break
            key = _key_from(con, i, key[0], key[1], STEP)
        con.executemany(f"INSERT INTO {con.page_keys} (col, n, {con.page_key_value(i)}, _id) VALUES (?, ?, ?, ?)", keys)


def _same(i: int, value: Any) -> tuple[str, list[Any]]:
    return (f"c{i} IS NULL", []) if value is None else (f"c{i} = ?", [value])


def _later(i: int, value: Any) -> tuple[str, list[Any]]:
    """Values after `value` in SQLite's ascending order (NULL first)."""
    return (f"c{i} IS NOT NULL", []) if value is None else (f"c{i} > ?", [value])


def _key_from(con, i: int, value: Any, row_id: int, skip: int) -> tuple[Any, int] | None:
    """The key `skip` places after the row (value, row_id) in column i's order (0: that row's
    own place); None past the end. Each step is a seek and a walk of at most `skip` entries."""
    same, params = _same(i, value)
    got = con.execute(f"SELECT _id FROM {con.data} WHERE {same} AND _id >= ? ORDER BY _id LIMIT 1 OFFSET ?",
                      [*params, row_id, skip]).fetchone()
    if got:
        return value, got[0]
    # Fewer than skip + 1 rows hold this value from row_id on: count them (at most skip) and go on.
    (run,) = con.execute(f"SELECT count(*) FROM {con.data} WHERE {same} AND _id >= ?", [*params, row_id]).fetchone()
    later, params = _later(i, value)
    return con.execute(f"SELECT c{i}, _id FROM {con.data} WHERE {later} ORDER BY {con.order(f'c{i}', False)}, _id "
                       f"LIMIT 1 OFFSET ?",
                       [*params, skip - run]).fetchone()


class Places:
    """Places in the orders of one open table (read-only)."""

    def __init__(self, con, row_count: int) -> None:
        self.con = con
        self.row_count = row_count
        self._kept: bool | None = None
        self._dense: bool | None = None

    def _has_kept_keys(self) -> bool:
        if self._kept is None:
            self._kept = self.con.has_page_keys()
        return self._kept

    def _ids_dense(self) -> bool:
        if self._dense is None:
            (top,) = self.con.execute(f"SELECT max(_id) FROM {self.con.data}").fetchone()
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
            got = self.con.execute(f"SELECT _id FROM {self.con.data} ORDER BY _id LIMIT 1 OFFSET ?", (place,)).fetchone()
            return None if got is None else (got[0], got[0])
        if self._has_kept_keys():
            kept = self.con.execute(f"SELECT {self.con.page_key_value(col)}, _id FROM {self.con.page_keys} "
                                    "WHERE col = ? AND n = ?",
                                    (col, place // STEP)).fetchone()
            if kept:
                return _key_from(self.con, col, kept[0], kept[1], place % STEP)
        return self.con.execute(f"SELECT c{col}, _id FROM {self.con.data} "
                                f"ORDER BY {self.con.order(f'c{col}', False)}, _id LIMIT 1 OFFSET ?",
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
            value_col = self.con.page_key_value(col)
            if value is None:
                kept_before = (f"{value_col} IS NULL AND _id <= ?", [row_id])
            else:
                kept_before = (f"({value_col} IS NULL OR {value_col} < ? OR ({value_col} = ? AND _id <= ?))",
                               [value, value, row_id])
            got = self.con.execute(f"SELECT n, {value_col}, _id FROM {self.con.page_keys} WHERE col = ? AND {kept_before[0]} "
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
        if hasattr(kept_value, "isoformat") and isinstance(value, str):
            kept_value = kept_value.isoformat()  # a PostgreSQL date; the page's key reads as ISO text
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
        return self.con.execute(f"SELECT count(*) FROM {self.con.data} WHERE {where}", params).fetchone()[0]

def page_number(raw: Any) -> int:
    """A page number as the reader typed it."""
    try:
        number = int(str(raw).strip().replace(".", "").replace(",", ""))
    except ValueError:
        number = 0
    if number < 1 or number > 10**12:
        raise BadQuery(_l("%(value)s is not a page number: type a whole number from 1.", value=str(raw)[:20]),
                       part="page")
    return number


def like_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere (its own % and _ taken literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def keyset_parts(key: str, value: Any, row_id: int, desc: bool) -> list[tuple[str, list[Any]]]:
    """The rows after (value, row_id) in SQLite's order (NULLs first when ascending), as parts
    that follow one another in that order, each a seek of the column's index: the rest of the
    value's run, then the values after it (then, going down, the empty cells). One OR of them
    made SQLite scan the index, or walk a long run of equal values (~200 ms for a page deep in
    a column of 8 values over 1M rows; < 1 ms in parts)."""
    if key == "_id":
        return [(f"_id {'<' if desc else '>'} ?", [row_id])]
    if value is None:
        same = (f"{key} IS NULL AND _id {'<' if desc else '>'} ?", [row_id])
        return [same] if desc else [same, (f"{key} IS NOT NULL", [])]
    same = (f"{key} = ? AND _id {'<' if desc else '>'} ?", [value, row_id])
    if desc:
        return [same, (f"{key} < ?", [value]), (f"{key} IS NULL", [])]
    return [same, (f"{key} > ?", [value])]


def keyset(key: str, value: Any, row_id: int, desc: bool) -> tuple[str, list[Any]]:
    """The WHERE clause for rows after (value, row_id) in SQLite's order, as one condition."""
    parts = keyset_parts(key, value, row_id, desc)
    return "(" + " OR ".join(f"({sql})" for sql, _ in parts) + ")", [v for _, extra in parts for v in extra]
