"""Write one version's typed table (see `store`): rows arrive a chunk at a time,
as columns of typed values, straight from the reader's single pass, into a SQLite file
(executemany) or a PostgreSQL table (COPY), as the target says.

While the chunks go in, each column's summary (nulls, min/max/sum, top values) and
the default charts (sums per label of the first label column, and per year) are learnt from the
same column lists at C speed where possible, so finishing the table only builds
its indexes and suppression plans instead of scanning a million rows per figure.
The public's sums beside hidden cells are these minus the hidden cells' own sums.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date
from pathlib import Path
from itertools import islice
from typing import Any, Iterable, Sequence, Union

from .layout import BATCH, CHART_BARS, CHART_MAX_GROUPS, NUMERIC, TOP_VALUES, chart_axes
from .disclosure import hidden_sums, planned, rank_bars, write_plans, write_visible_sums
from .positions import write_page_keys
from .pg_engine import PgDb, PgTable
from .sqlite_engine import SqliteDb

DISTINCT_CAP = 100_000  # a text column with more values is summarised in SQL at the end


class _ColumnSummary:
    """What the summary needs of one column, learnt chunk by chunk."""

    __slots__ = ("type", "nulls", "min", "max", "sum", "counts")

    def __init__(self, col_type: str) -> None:
        self.type = col_type
        self.nulls = 0
        self.min: Any = None
        self.max: Any = None
        self.sum: int | float = 0
        # text-like columns: value -> rows (None counted too); dropped past DISTINCT_CAP
        self.counts: Counter | None = None if col_type in NUMERIC else Counter()

    def update(self, col: Sequence[Any]) -> None:
        """Learn from one non-empty chunk of the column's values."""
        if self.type not in NUMERIC:
            if self.counts is not None:
                self.counts.update(col)
                if len(self.counts) > DISTINCT_CAP + 1:  # + 1: the None key
                    self.counts = None  # too many values: SQL (on the built index) takes over
            return
        try:
            lo, hi = min(col), max(col)  # TypeError: a None among the numbers
        except TypeError:
            lo = hi = None
        vals = col
        if lo is None or hi is None:
            vals = [v for v in col if v is not None]
            self.nulls += len(col) - len(vals)
            if not vals:
                return
            lo, hi = min(vals), max(vals)
        if self.min is None or lo < self.min:
            self.min = lo
        if self.max is None or hi > self.max:
            self.max = hi
        self.sum += math.fsum(vals) if self.type == "decimal" else sum(vals)

    def result(self, con, i: int) -> dict[str, Any]:
        if self.type in NUMERIC:
            total = float(self.sum) if self.type == "decimal" else int(self.sum)
            return {"nulls": self.nulls, "min": self.min, "max": self.max, "sum": total}
        if self.counts is None:
            return _sql_text_summary(con, i, self.type)
        counts = dict(self.counts)
        nulls = counts.pop(None, 0)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_VALUES]
        entry: dict[str, Any] = {"nulls": nulls, "top": [[v, n] for v, n in top],
                                 "distinct": min(len(counts) + (1 if nulls else 0), DISTINCT_CAP + 1)}
        if self.type == "date":
            entry.update({"min": min(counts, default=None), "max": max(counts, default=None)})
        return entry


def _sql_text_summary(con, i: int, col_type: str) -> dict[str, Any]:
    """The summary of a text column with very many values, from its index."""
    value = con.read_expr(i, col_type)
    nulls = con.execute(f"SELECT count(*) FROM {con.data} WHERE c{i} IS NULL").fetchone()[0]
    top = con.execute(
        f"SELECT {value}, count(*) AS n FROM {con.data} WHERE c{i} IS NOT NULL "
        f"GROUP BY c{i} ORDER BY n DESC, c{i} LIMIT {TOP_VALUES}"
    ).fetchall()
    distinct = con.execute(
        f"SELECT count(*) FROM (SELECT DISTINCT c{i} FROM {con.data} LIMIT {DISTINCT_CAP + 1}) AS d"
    ).fetchone()[0]
    entry: dict[str, Any] = {"nulls": nulls, "top": [[v, n] for v, n in top], "distinct": distinct}
    if col_type == "date":
        mn, mx = con.execute(f"SELECT min({value}), max({value}) FROM {con.data}").fetchone()
        entry.update({"min": mn, "max": mx})
    return entry


class _ChartSums:
    """Sum of each value column per label of the first label column, and per year of the first
    year column (the pages' default charts: a year table's is a line over its years)."""

    def __init__(self, types: Sequence[str]) -> None:
        labels, values = chart_axes([{"type": t} for t in types])
        years = [i for i in labels if types[i] == "year"]
        self.xs = list(dict.fromkeys(labels[:1] + years[:1])) if values else []
        # PostgreSQL keeps one label type per table: the labels' own when every x has it, else text
        # (read back as the x column's type, see store._kept_chart).
        kinds = {types[x] for x in self.xs}
        self.label_type = kinds.pop() if len(kinds) == 1 else "text"
        self.values = values
        # x -> one {label: sum} per value column; an x with too many labels is dropped
        self.sums: dict[int, list[dict[Any, int | float]]] = {x: [{} for _ in values] for x in self.xs}

    def update(self, cols: Sequence[Sequence[Any]]) -> None:
        for x, per_value in list(self.sums.items()):
            labels = cols[x]
            for v, acc in zip(self.values, per_value):
                get = acc.get
                for label, value in zip(labels, cols[v]):
                    acc[label] = get(label, 0) + (value or 0)
            if len(per_value[0]) > CHART_MAX_GROUPS:
                del self.sums[x]  # no chart axis; a filtered view still gets a chart

    def write(self, con) -> None:
        con.execute(f"CREATE TABLE {con.chart_sums} (x INTEGER, y INTEGER, rank INTEGER, "
                    f"label {con.label_type(self.label_type)}, total {con.real}, PRIMARY KEY (x, y, rank))")
        for x, per_value in self.sums.items():
            for v, acc in zip(self.values, per_value):
                top = rank_bars(acc.items(), CHART_BARS)
                con.executemany(f"INSERT INTO {con.chart_sums} VALUES (?, ?, ?, ?, ?)",
                                [(x, v, rank, label, float(total)) for rank, (label, total) in enumerate(top)])

    def write_visible(self, con) -> None:
        """The same bars per suppression plan, without the cells the plan hides (after `write_plans`)."""
        con.execute(f"CREATE TABLE {con.chart_sums_visible} (plan TEXT, x INTEGER, y INTEGER, rank INTEGER, "
                    f"label {con.label_type(self.label_type)}, total {con.real}, PRIMARY KEY (plan, x, y, rank))")
        for x, per_value in self.sums.items():
            by_value = dict(zip(self.values, per_value))
            for plan, v in planned(con):
                if v not in by_value:
                    continue
                hidden = hidden_sums(con, plan, v, by=x)
                visible = [(label, total - hidden.get(label, 0)) for label, total in by_value[v].items()]
                top = rank_bars(visible, CHART_BARS)
                con.executemany(f"INSERT INTO {con.chart_sums_visible} VALUES (?, ?, ?, ?, ?, ?)",
                                [(plan, x, v, rank, label, float(total)) for rank, (label, total) in enumerate(top)])


class TableWriter:
    """Build a version's table: `begin` with the column types, `append` chunks of
    typed columns, `finish` with the column descriptions. `begin` again starts over
    (the reader does that when a column's type changes after its first rows).

    The target is a SQLite file's path or a `PgTable`. Nothing is committed before `finish`
    (SQLite), or before the caller's transaction commits (PostgreSQL); a writer closed without
    `finish` leaves a file the caller discards, or a table its rollback takes back.
    """

    def __init__(self, target: Union[Path, str, PgTable]) -> None:
        self.target = target
        self.path = None if isinstance(target, PgTable) else Path(target)
        self.con = None
        self.types: list[str] = []
        self.count = 0

    def begin(self, types: Sequence[str]) -> None:
        if isinstance(self.target, PgTable):
            if self.con is None:
                self.con = PgDb.create(self.target)
            con = self.con
        else:
            self.close()
            self.con = con = SqliteDb.create(self.path)
        self.types = list(types)
        con.create_data(self.types)
        # Dates are summarised (and kept by SQLite) as ISO text.
        self._dates = [i for i, t in enumerate(self.types) if t == "date"]
        self._summaries = [_ColumnSummary(t) for t in self.types]
        self._chart = _ChartSums(self.types)
        self.count = 0

    def append(self, cols: Sequence[Sequence[Any]]) -> None:
        """Add one chunk of rows, given as one list of typed values per column."""
        if not cols or not cols[0]:
            return
        typed = cols  # PostgreSQL's binary COPY takes the date values themselves
        if self._dates:
            cols = list(cols)
            for i in self._dates:
                cols[i] = [v.isoformat() if isinstance(v, date) else v for v in cols[i]]
        self.con.load(typed if self.con.takes_dates else cols, self.count + 1)
        self.count += len(cols[0])
        for summary, col in zip(self._summaries, cols):
            summary.update(col)
        self._chart.update(cols)

    def append_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Add one chunk of rows given as rows."""
        self.append(list(zip(*rows)))

    def finish(self, columns: Sequence[dict[str, Any]], small_cell_threshold: int = 5) -> dict[str, Any]:
        """Index every column (in a SQLite file, keeping every thousandth key of each order, for
        page jumps: a PostgreSQL table gets them after its commit, see `add_page_keys`), write
        the summary, chart and suppression plans (with the sums the public may see beside each
        plan's hidden cells); commit."""
        if [c["type"] for c in columns] != self.types:
            raise ValueError("the columns' types are not the ones the table was begun with")
        con = self.con
        con.end_load(len(columns))
        if con.engine == "postgresql":
            con.analyze()  # the summaries' queries are planned on the table's statistics
        if not con.keys_after_commit:
            write_page_keys(con, self.types, self.count)
        summary = {c["name"]: s.result(con, i) for i, (c, s) in enumerate(zip(columns, self._summaries))}
        self._chart.write(con)
        plans = write_plans(con, columns, small_cell_threshold)
        write_visible_sums(con, {i: summary[c["name"]].get("sum", 0) for i, c in enumerate(columns)
                                 if c["type"] in NUMERIC})
        self._chart.write_visible(con)
        con.execute(f"CREATE TABLE {con.meta} (key TEXT PRIMARY KEY, value TEXT)")
        con.executemany(f"INSERT INTO {con.meta} VALUES (?, ?)", [
            ("columns", json.dumps(list(columns), default=str)),
            ("row_count", str(self.count)),
            ("small_cell_threshold", str(small_cell_threshold)),
        ])
        con.commit()
        self.close()
        return {"row_count": self.count, "summary": summary, "suppression": plans}

    def close(self) -> None:
        if self.con is not None:
            con, self.con = self.con, None
            if con.engine == "postgresql":
                con.end_copy(failed=RuntimeError("the table was not finished"))
            con.close()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def add_page_keys(target: PgTable) -> bool:
    """Keep the page keys (see positions) of a committed PostgreSQL table that has none yet.

    They come after the commit that makes the table visible, in a transaction of their own, so an
    upload's review does not wait for them (at 1M rows they cost as much as the indexes); until
    they are there, a jump to a page walks the column's index from its start, and gives the same
    rows. False when there is nothing to do: the keys are there (another worker's), or the table
    is gone (its version deleted meanwhile)."""
    con = PgDb.open_write(target)
    try:
        if not con.exists() or con.has_page_keys():
            return False
        con.vacuum()  # then the numbering reads each column's index alone, never the rows
        con.lock_name()
        meta = dict(con.execute(f"SELECT key, value FROM {con.meta}").fetchall())
        types = [c["type"] for c in json.loads(meta["columns"])]
        con.execute("SET LOCAL work_mem = '64MB'")  # each column's numbering sorts in memory
        write_page_keys(con, types, int(meta["row_count"]))
        con.commit()
        return True
    except con.missing_table:  # dropped between two statements
        return False
    except con.taken_table:  # kept meanwhile by another worker (or `portal check --repair`)
        return False
    finally:
        con.close()


def build(path: Union[Path, str, PgTable], columns: Sequence[dict[str, Any]], rows: Iterable[Sequence[Any]] = (),
          small_cell_threshold: int = 5) -> dict[str, Any]:
    """Write `rows` into a new table file with its summary and suppression plans
    (uploads stream into a `TableWriter` instead); return summary and row count."""
    with TableWriter(path) as writer:
        writer.begin([c["type"] for c in columns])
        it = iter(rows)
        for batch in iter(lambda: list(islice(it, BATCH)), []):
            writer.append_rows(batch)
        return writer.finish(columns, small_cell_threshold)
