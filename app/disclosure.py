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
from collections import defaultdict
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
    """Compute both suppression plans and store them in table `suppress`; return their sizes."""
    con.execute("CREATE TABLE suppress (_id INTEGER, col INTEGER, plan TEXT)")
    counts = count_columns(columns)
    sizes = {"sensitive": 0, "all": 0}
    if not counts or threshold <= 1:
        return sizes
    text_cols = [i for i, c in enumerate(columns) if c["type"] == "text"]
    sensitive_cols = {i for i in counts if is_sensitive_category(columns[i]["name"])}

    primary: set[tuple[int, int]] = set()
    for i in counts:
        for (row_id,) in con.execute(f"SELECT _id FROM data WHERE c{i} > 0 AND c{i} < ?", (threshold,)):
            primary.add((row_id, i))
    if not primary:
        return sizes
    sensitive_rows = _sensitive_rows(con, text_cols, {r for r, _ in primary})
    sensitive = {(r, c) for r, c in primary if r in sensitive_rows or c in sensitive_cols}

    total_col, parts = _total_column(con, columns, counts)
    for plan, cells in (("sensitive", sensitive), ("all", primary)):
        if not cells:
            continue
        full = _secondary(con, counts, set(cells), total_col, parts)
        con.executemany("INSERT INTO suppress VALUES (?, ?, ?)", [(r, c, plan) for r, c in sorted(full)])
        sizes[plan] = len(full)
    con.execute("CREATE INDEX ix_suppress ON suppress (plan, _id)")
    return sizes


def _sensitive_rows(con: sqlite3.Connection, text_cols: list[int], row_ids: set[int]) -> set[int]:
    if not text_cols or not row_ids:
        return set()
    out = set()
    select = ", ".join(f"c{i}" for i in text_cols)
    ids = sorted(row_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        marks = ", ".join("?" for _ in chunk)
        for row in con.execute(f"SELECT _id, {select} FROM data WHERE _id IN ({marks})", chunk):
            if any(v and is_sensitive_category(v) for v in row[1:]):
                out.add(row[0])
    return out


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


def _secondary(con: sqlite3.Connection, counts: list[int], cells: set[tuple[int, int]],
               total_col: int | None, parts: list[int]) -> set[tuple[int, int]]:
    """Add complementary cells until no column sum or row total can reveal a hidden cell."""
    for _ in range(MAX_ROUNDS):
        added = False
        by_col: dict[int, set[int]] = defaultdict(set)
        for r, c in cells:
            by_col[c].add(r)
        for c in counts:
            hidden = by_col.get(c, set())
            if len(hidden) == 1:
                partner = _smallest_other_in_column(con, c, hidden)
                if partner is not None:
                    cells.add((partner, c))
                    added = True
        if total_col is not None:
            by_row: dict[int, set[int]] = defaultdict(set)
            for r, c in cells:
                by_row[r].add(c)
            for r, hidden_cols in by_row.items():
                hidden_parts = hidden_cols & set(parts)
                if len(hidden_parts) == 1 and total_col not in hidden_cols:
                    partner = _smallest_other_in_row(con, r, parts, hidden_parts)
                    cells.add((r, partner) if partner is not None else (r, total_col))
                    added = True
        if not added:
            break
    return cells


def _smallest_other_in_column(con: sqlite3.Connection, col: int, hidden: set[int]) -> int | None:
    (row_id,) = hidden
    found = con.execute(
        f"SELECT _id FROM data WHERE c{col} > 0 AND _id != ? ORDER BY c{col}, _id LIMIT 1", (row_id,)
    ).fetchone()
    return found[0] if found else None


def _smallest_other_in_row(con: sqlite3.Connection, row_id: int, parts: list[int], hidden: set[int]) -> int | None:
    values = con.execute(f"SELECT {', '.join(f'c{j}' for j in parts)} FROM data WHERE _id = ?", (row_id,)).fetchone()
    candidates = [(v, j) for v, j in zip(values, parts) if j not in hidden and v is not None and v > 0]
    return min(candidates)[1] if candidates else None
