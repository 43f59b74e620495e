"""Small-cell suppression: which cells of a table the public sees hidden, as "x".

Every hidden cell reads the same, `x` ("hidden to protect confidentiality"), as
statistical offices print it: a cell hidden to protect a neighbour is not a small
count, so no symbol may say it is one.

Only counts are protected: `is_count_column` tells a count of people or things
from row numbers, periods, codes, percentages, averages and money, by the header
and the values. The review's small-cell flags and the plans use it both.

Primary suppression hides counts with 0 < value < threshold. Secondary suppression
then hides more cells wherever a total could give a hidden cell back: in every
count column (should its total be known, say from the report the table comes
from) and in every row whose parts add up to a total column, until each of those
sums holds no hidden cell or at least two whose values add up to threshold - 1 or
more. Then no primary cell can be narrowed below [0, threshold - 1] by its row or
column. The plans are computed once, when the table is built, and kept beside it
(table `suppress`, in the SQLite file or as the PostgreSQL table's companion), in two variants:

- "sensitive": only rows or columns about sensitive categories (ODHA, NAPZA,
  children in conflict with the law, ...), applied to the public by default;
- "all": every small count, applied when the publisher asks for suppression.

The figures published beside the cells (a column's sum, the chart's sum per label)
are kept per plan without the hidden cells (tables `visible_sums`,
`chart_sums_visible`), and say so.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from ..ingest.privacy import is_sensitive_category

SYMBOL = "x"
PLANS = ("sensitive", "all")
# What the JSON download and the datastore_search API say of a column with hidden cells.
FIELD_NOTE = ("x: hidden to protect confidentiality. A hidden cell is null here and its field is listed "
              "in the record's `_suppressed`; CSV downloads write it as x. Sums published for this column "
              "leave the hidden cells out. The column cannot be filtered or sorted.")

TOTAL_NAME = re.compile(r"(^|[\s_])(jumlah|total)($|[\s_])", re.I)

# Header words of integer columns that are not counts of people or things.
_WORDS = re.compile(r"[a-z]+|%")
_NUMBERING = {"no", "nomor", "urut", "nourut", "nr", "number"}
_PERIOD = {"tahun", "thn", "th", "year", "bulan", "bln", "month", "triwulan", "tw", "kuartal", "quarter",
           "semester", "smt", "tanggal", "tgl", "hari", "day", "minggu", "pekan", "week", "periode", "period"}
_PERIOD_FILLER = {"ke", "data", "laporan", "pelaporan"}
_CODE = {"kode", "kd", "code", "id", "kodepos"}
_MEASURE = {"%", "persen", "persentase", "prosentase", "percent", "percentage", "pct", "rasio", "ratio",
            "proporsi", "proportion", "rate", "rata", "rerata", "average", "avg", "mean", "median", "indeks",
            "index", "skor", "score", "rp", "rupiah", "idr"}
_MONEY = {"anggaran", "nilai", "biaya", "dana", "harga", "gaji", "upah", "honor", "honorarium", "nominal",
          "pagu", "tarif", "insentif", "tunjangan"}
# ...unless the header also names who is counted: "penerima dana" is a count of recipients.
_PEOPLE = {"penerima", "peserta", "orang", "jiwa", "kpm", "kk", "korban", "pegawai", "asn", "siswa", "warga",
           "keluarga"}


def header_kind(column: dict[str, Any]) -> str | None:
    """What a numeric column's header says it holds: "numbering", "period", "code", "rate",
    "money", or None (a count, as far as its header tells)."""
    words = _header_words(column)
    if words and words <= _NUMBERING | {"ke"} and words & _NUMBERING:
        return "numbering"
    if words - _PERIOD_FILLER and words - _PERIOD_FILLER <= _PERIOD:
        return "period"
    if words & _CODE:
        return "code"
    if words & (_MEASURE - {"rp", "rupiah", "idr"}):
        return "rate"
    if words & (_MONEY | {"rp", "rupiah", "idr"}) and not words & _PEOPLE:
        return "money"
    return None


def _header_words(column: dict[str, Any]) -> set[str]:
    text = " ".join(str(column.get(k) or "") for k in ("name", "original")).lower()
    return set(_WORDS.findall(text.replace("#", " no ")))


# `con` below is an engine connection (sqlite_engine.SqliteDb or pg_engine.PgDb): `?` placeholders,
# the version's tables by name (con.data, con.suppress...), and the SQL the two engines spell apart.

def _is_numbering(con, i: int) -> bool:
    """Values that number the rows: each one more than the previous, or starting again at 0 or 1."""
    (breaks,) = con.execute(
        f"SELECT count(*) FROM (SELECT c{i} AS v, lag(c{i}) OVER (ORDER BY _id) AS p FROM {con.data}) AS d "
        f"WHERE v IS NOT NULL AND p IS NOT NULL AND v != p + 1 AND v > 1").fetchone()
    (lowest,) = con.execute(f"SELECT min(c{i}) FROM {con.data}").fetchone()
    return breaks == 0 and lowest is not None and lowest >= 0


def is_count_column(con, columns: Sequence[dict[str, Any]], i: int) -> bool:
    """Tell whether column `i` of the table in `con` counts people or things (a small value can point at someone).

    Row numbers (a `No` header over a 1..n numbering), periods (tahun, bulan, triwulan, ...), codes and
    identifiers, percentages and ratios, averages and indexes, and money (Rp, anggaran, nilai, ...) are not.
    """
    column = columns[i]
    if column["type"] != "integer":
        return False
    words = _header_words(column)
    if not words:
        return True
    if words <= _NUMBERING | {"ke"} and words & _NUMBERING:
        return not _is_numbering(con, i)  # "No" over values that are no numbering: e.g. a Yes/No count
    if words - _PERIOD_FILLER and words - _PERIOD_FILLER <= _PERIOD:
        return False
    if words & (_CODE | _MEASURE):
        return False
    if words & _MONEY and not words & _PEOPLE:
        return False
    return True


def count_columns(con, columns: Sequence[dict[str, Any]]) -> list[int]:
    """The indexes of the count columns of the table in `con`."""
    return [i for i in range(len(columns)) if is_count_column(con, columns, i)]


def write_plans(con, columns: Sequence[dict[str, Any]], threshold: int) -> dict[str, int]:
    """Compute both suppression plans and store them in table `suppress`; return their sizes.

    The cells are selected and extended inside the database, so memory stays bounded
    however many small counts a table has.
    """
    for ddl in con.suppress_ddl():
        con.execute(ddl)
    counts = count_columns(con, columns)
    sizes = {"sensitive": 0, "all": 0}
    if not counts or threshold <= 1:
        return sizes
    text_cols = [i for i, c in enumerate(columns) if c["type"] == "text"]
    sensitive_cols = {i for i in counts if is_sensitive_category(columns[i]["name"])}
    any_small = " OR ".join(f"(c{i} > 0 AND c{i} < ?)" for i in counts)
    row_is_sensitive, sensitive_params = con.sensitive_rows(text_cols, is_sensitive_category, any_small,
                                                            [threshold] * len(counts))
    for i in counts:
        small = f"c{i} > 0 AND c{i} < ?"
        con.execute(f"INSERT INTO {con.suppress} (_id, col, plan) SELECT _id, {i}, 'all' FROM {con.data} "
                    f"WHERE {small}", (threshold,))
        where, params = ((small, [threshold]) if i in sensitive_cols
                         else (f"{small} AND ({row_is_sensitive})", [threshold, *sensitive_params]))
        con.execute(f"INSERT INTO {con.suppress} (_id, col, plan) SELECT _id, {i}, 'sensitive' FROM {con.data} "
                    f"WHERE {where}", params)
    total_col, parts = _total_column(con, columns, counts)
    for plan in sizes:
        if con.execute(f"SELECT 1 FROM {con.suppress} WHERE plan = ? LIMIT 1", (plan,)).fetchone():
            _secondary(con, plan, counts, total_col, parts, threshold - 1)
            (sizes[plan],) = con.execute(f"SELECT count(*) FROM {con.suppress} WHERE plan = ?", (plan,)).fetchone()
    return sizes


def _total_column(con, columns: Sequence[dict[str, Any]],
                  counts: list[int]) -> tuple[int | None, list[int]]:
    """A count column named jumlah/total that equals the sum of the other counts in (nearly) every row."""
    for i in counts:
        if not TOTAL_NAME.search(columns[i]["name"]):
            continue
        parts = [j for j in counts if j != i]
        if len(parts) < 2:
            continue
        expr = " + ".join(f"coalesce(c{j}, 0)" for j in parts)
        rows, matching = con.execute(f"SELECT count(*), {con.count_true(f'c{i} = ({expr})')} FROM {con.data} "
                                     f"WHERE c{i} IS NOT NULL").fetchone()
        if rows and matching / rows >= 0.9:
            return i, parts
    return None, []


def _secondary(con, plan: str, counts: list[int], total_col: int | None,
               parts: list[int], protect: int) -> None:
    """Hide complementary cells until every column and every row with a total holds no hidden
    cell, or at least two whose values add up to `protect` (threshold - 1) or more.

    Each round only adds cells, and a table has finitely many: the loop ends. A row or
    column that was protected stays so unless a cell is added to it, so each round looks
    only at those that got a cell in the previous one (the `suppress` rows after `seen`, in the
    order they were added: `con.seq`).
    """
    seen = 0
    while True:
        (newest,) = con.execute(f"SELECT max({con.seq}) FROM {con.suppress}").fetchone()
        if newest is None or newest <= seen:
            break
        changed = [c for (c,) in con.execute(
            f"SELECT DISTINCT col FROM {con.suppress} WHERE plan = ? AND {con.seq} > ?", (plan, seen))]
        _protect_columns(con, plan, [c for c in counts if c in changed], protect)
        if total_col is not None:
            _protect_rows(con, plan, total_col, parts, protect, seen)
        seen = newest


def _hide(con, plan: str, row_id: int, col: int) -> int:
    return con.execute(con.insert_ignore(con.suppress, "_id, col, plan", "?, ?, ?"), (row_id, col, plan)).rowcount


def _protect_columns(con, plan: str, counts: list[int], protect: int) -> int:
    added = 0
    for c in counts:
        n, hidden_sum = con.execute(
            f"SELECT count(*), {con.total(f'd.c{c}')} FROM {con.suppress} s JOIN {con.data} d ON d._id = s._id "
            f"WHERE s.plan = ? AND s.col = ?", (plan, c)).fetchone()
        if n == 0 or (n >= 2 and hidden_sum >= protect):
            continue
        want = max(protect - hidden_sum, 1)
        visible = (f"NOT EXISTS (SELECT 1 FROM {con.suppress} s WHERE s.plan = ? AND s._id = d._id "
                   f"AND s.col = {c})")
        # The smallest visible count that is enough, else the largest there is (and look again).
        found = (con.execute(f"SELECT _id FROM {con.data} d WHERE c{c} >= ? AND {visible} ORDER BY c{c}, _id "
                             f"LIMIT 1", (want, plan)).fetchone()
                 or con.execute(f"SELECT _id FROM {con.data} d WHERE c{c} > 0 AND {visible} ORDER BY c{c} DESC, "
                                f"_id LIMIT 1", (plan,)).fetchone())
        if found is not None:
            added += _hide(con, plan, found[0], c)
    return added


def _protect_rows(con, plan: str, total_col: int, parts: list[int], protect: int,
                  seen: int = 0) -> int:
    """Rows (with a cell hidden after `seen`) whose total gives back a hidden part, or whose
    parts give back a hidden total.

    The rows with hidden cells are read in batches, each with its values, and the
    complements decided in Python: one query per batch, not per row.
    """
    values = ", ".join(f"d.c{j}" for j in parts)
    cols = ", ".join(str(j) for j in [*parts, total_col])
    todo = con.temp("todo")
    con.execute(f"DROP TABLE IF EXISTS {todo}")
    con.execute(f"CREATE TEMP TABLE todo AS SELECT d._id AS _id, {con.concat_ints('s.col')} AS hidden, {values} "
                f"FROM {con.suppress} s JOIN {con.data} d ON d._id = s._id WHERE s.plan = ? AND s.col IN ({cols}) "
                f"AND s._id IN (SELECT _id FROM {con.suppress} WHERE plan = ? AND {con.seq} > ?) "
                f"GROUP BY d._id", (plan, plan, seen))
    added = 0
    last = 0
    while True:
        batch = con.execute(f"SELECT * FROM {todo} WHERE _id > ? ORDER BY _id LIMIT 5000", (last,)).fetchall()
        if not batch:
            break
        last = batch[-1][0]
        cells = []
        for row_id, hidden_list, *row in batch:
            hidden = {int(c) for c in hidden_list.split(",")}
            hidden_parts = [v or 0 for v, j in zip(row, parts) if j in hidden]
            visible = [(v, j) for v, j in zip(row, parts) if j not in hidden and v is not None and v > 0]
            if total_col in hidden:
                if not hidden_parts and visible:  # the parts add up to the hidden total: hide one
                    cells.append((row_id, min(visible)[1], plan))
                continue
            if len(hidden_parts) >= 2 and sum(hidden_parts) >= protect:
                continue
            # The smallest visible part that is enough, else the largest there is, else the total.
            want = max(protect - sum(hidden_parts), 1)
            enough = [(v, j) for v, j in visible if v >= want]
            partner = min(enough)[1] if enough else (max(visible)[1] if visible else total_col)
            cells.append((row_id, partner, plan))
        if cells:
            added += con.executemany(con.insert_ignore(con.suppress, "_id, col, plan", "?, ?, ?"), cells)
    con.execute(f"DROP TABLE {todo}")
    return added


# -- the figures published beside the cells --------------------------------------------------------

def planned(con) -> list[tuple[str, int]]:
    """(plan, column) of every column with hidden cells in a plan."""
    return [tuple(r) for r in con.execute(f"SELECT DISTINCT plan, col FROM {con.suppress} ORDER BY plan, col")]


def hidden_sums(con, plan: str, col: int, by: int | None = None) -> dict[Any, float]:
    """The sum of a column's hidden cells in a plan, per value of column `by` (or under key None)."""
    label = f"d.c{by}" if by is not None else "NULL"
    group = f"d.c{by}" if by is not None else "1"
    return {label_value: total for label_value, total in con.execute(
        f"SELECT {label}, {con.total(f'd.c{col}')} FROM {con.suppress} s JOIN {con.data} d ON d._id = s._id "
        f"WHERE s.plan = ? AND s.col = ? GROUP BY {group}", (plan, col))}


def write_visible_sums(con, sums: dict[int, float]) -> None:
    """Keep each plan's column sums without the hidden cells (`sums`: column -> sum of every cell)."""
    con.execute(f"CREATE TABLE {con.visible_sums} (plan TEXT, col INTEGER, sum {con.real}, hidden INTEGER, "
                "PRIMARY KEY (plan, col))")
    for plan, col in planned(con):
        (hidden,) = con.execute(f"SELECT count(*) FROM {con.suppress} WHERE plan = ? AND col = ?",
                                (plan, col)).fetchone()
        visible = sums.get(col, 0) - hidden_sums(con, plan, col).get(None, 0)
        con.execute(f"INSERT INTO {con.visible_sums} VALUES (?, ?, ?, ?)", (plan, col, visible, hidden))


def visible_cell_sql(plan: str, col: int, con) -> str:
    """An SQL expression: column `col` of the table, NULL where the plan hides it."""
    if plan not in PLANS:
        raise ValueError(f"unknown plan {plan!r}")
    return (f"CASE WHEN EXISTS (SELECT 1 FROM {con.suppress} s WHERE s.plan = '{plan}' AND s._id = {con.data}._id "
            f"AND s.col = {int(col)}) THEN NULL ELSE {con.data}.c{int(col)} END")


def rank_bars(sums: Iterable[tuple[Any, float]], limit: int) -> list[tuple[Any, float]]:
    """Bars largest first; equal sums keep SQLite's GROUP BY order (NULL first, then by label)."""
    groups = sorted(sums, key=lambda kv: (kv[0] is not None, kv[0]))
    return sorted(groups, key=lambda kv: -kv[1])[:limit]
