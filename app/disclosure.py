"""Small-cell suppression: which cells of a table the public sees as "<5".

Primary suppression hides counts with 0 < value < threshold. Secondary
suppression then hides one more cell wherever a published total could give a
hidden cell back: in every count column (its sum is shown in the column
summary) holding exactly one hidden cell, and in every row whose parts add up to
a total column. The plans are computed once, when the table is built, and kept
in the table file itself (table `suppress`), in two variants:

- "sensitive": only rows or columns about sensitive categories (ODHA, NAPZA,
  children in conflict with the law, ...), applied to the public by default;
- "all": every small count, applied when the publisher asks for suppression.
"""
from __future__ import annotations

import re
import sqlite3
from typing import Any, Sequence

from .ingest.privacy import is_sensitive_category

# Integer columns that are identifiers or labels, not counts of people.
NOT_A_COUNT = re.compile(r"^(no|nomor|no\.|kode|kode_.*|.*_kode|tahun|year|id|nilai.*|.*_rp|.*\(rp\).*|anggaran.*)$", re.I)
TOTAL_NAME = re.compile(r"(^|[\s_])(jumlah|total)($|[\s_])", re.I)
MAX_ROUNDS = 10


def count_columns(columns: Sequence[dict[str, Any]]) -> list[int]:
    return [i for i, c in enumerate(columns)
            if c["type"] == "integer" and not NOT_A_COUNT.match(c["name"].strip())]


def write_plans(con: sqlite3.Connection, columns: Sequence[dict[str, Any]], threshold: int) -> dict[str, int]:
    """Compute both suppression plans and store them in table `suppress`; return their sizes.

    The cells are selected and extended inside SQLite, so memory stays bounded
    however many small counts a table has.
    """
    con.execute("CREATE TABLE suppress (_id INTEGER, col INTEGER, plan TEXT)")
    con.execute("CREATE UNIQUE INDEX ix_suppress ON suppress (plan, _id, col)")
    counts = count_columns(columns)
    sizes = {"sensitive": 0, "all": 0}
    if not counts or threshold <= 1:
        return sizes
    text_cols = [i for i, c in enumerate(columns) if c["type"] == "text"]
    sensitive_cols = {i for i in counts if is_sensitive_category(columns[i]["name"])}
    con.create_function("is_sensitive", 1, lambda v: 1 if v and is_sensitive_category(v) else 0,
                        deterministic=True)
    row_is_sensitive = " OR ".join(f"is_sensitive(c{t})" for t in text_cols) or "0"
    for i in counts:
        small = f"c{i} > 0 AND c{i} < ?"
        con.execute(f"INSERT INTO suppress SELECT _id, {i}, 'all' FROM data WHERE {small}", (threshold,))
        where = small if i in sensitive_cols else f"{small} AND ({row_is_sensitive})"
        con.execute(f"INSERT INTO suppress SELECT _id, {i}, 'sensitive' FROM data WHERE {where}", (threshold,))
    total_col, parts = _total_column(con, columns, counts)
    for plan in sizes:
        if con.execute("SELECT 1 FROM suppress WHERE plan = ? LIMIT 1", (plan,)).fetchone():
            _secondary(con, plan, counts, total_col, parts)
            (sizes[plan],) = con.execute("SELECT count(*) FROM suppress WHERE plan = ?", (plan,)).fetchone()
    return sizes


def _total_column(con: sqlite3.Connection, columns: Sequence[dict[str, Any]],
                  counts: list[int]) -> tuple[int | None, list[int]]:
    """A count column named jumlah/total that equals the sum of the other counts in (nearly) every row."""
    for i in counts:
        if not TOTAL_NAME.search(columns[i]["name"]):
            continue
        parts = [j for j in counts if j != i]
        if len(parts) < 2:
            continue
        expr = " + ".join(f"coalesce(c{j}, 0)" for j in parts)
        rows, matching = con.execute(f"SELECT count(*), total(c{i} = ({expr})) FROM data WHERE c{i} IS NOT NULL").fetchone()
        if rows and matching / rows >= 0.9:
            return i, parts
    return None, []


def _secondary(con: sqlite3.Connection, plan: str, counts: list[int], total_col: int | None,
               parts: list[int]) -> None:
    """Add complementary cells until no column sum or row total can reveal a hidden cell."""
    add = f"INSERT OR IGNORE INTO suppress VALUES (?, ?, '{plan}')"
    part_list = ", ".join(str(j) for j in parts)
    for _ in range(MAX_ROUNDS):
        added = 0
        # A column sum gives back a column's only hidden cell: hide its smallest other count too.
        lonely = con.execute(
            "SELECT col, min(_id) FROM suppress WHERE plan = ? GROUP BY col HAVING count(*) = 1", (plan,)).fetchall()
        for c, row_id in lonely:
            if c in counts:
                partner = _smallest_other_in_column(con, c, row_id)
                if partner is not None:
                    added += con.execute(add, (partner, c)).rowcount
        if total_col is not None:
            # A row total gives back a row's only hidden part: hide another part, else the total.
            cursor = con.execute(
                f"SELECT _id, min(col) FROM suppress s WHERE plan = ? AND col IN ({part_list}) GROUP BY _id "
                f"HAVING count(*) = 1 AND NOT EXISTS (SELECT 1 FROM suppress t WHERE t.plan = s.plan "
                f"AND t._id = s._id AND t.col = {total_col})", (plan,))
            while True:
                batch = cursor.fetchmany(5000)
                if not batch:
                    break
                cells = []
                for row_id, hidden in batch:
                    partner = _smallest_other_in_row(con, row_id, parts, hidden)
                    cells.append((row_id, partner if partner is not None else total_col))
                added += sum(con.execute(add, cell).rowcount for cell in cells)
        if not added:
            break


def _smallest_other_in_column(con: sqlite3.Connection, col: int, row_id: int) -> int | None:
    found = con.execute(
        f"SELECT _id FROM data WHERE c{col} > 0 AND _id != ? ORDER BY c{col}, _id LIMIT 1", (row_id,)
    ).fetchone()
    return found[0] if found else None


def _smallest_other_in_row(con: sqlite3.Connection, row_id: int, parts: list[int], hidden: int) -> int | None:
    values = con.execute(f"SELECT {', '.join(f'c{j}' for j in parts)} FROM data WHERE _id = ?", (row_id,)).fetchone()
    candidates = [(v, j) for v, j in zip(values, parts) if j != hidden and v is not None and v > 0]
    return min(candidates)[1] if candidates else None
