"""The typed, queryable table behind every resource version (like CKAN's DataStore).

Two engines hold it, behind this one `Table`: a SQLite file per version (`sqlite_engine`,
the embedded default) or a table per version in PostgreSQL's datastore schema (`pg_engine`).
Either way: table `data` with `_id` (row order) and one column per table column, named
c0..cN so that user headers never reach SQL. It is written once at ingest (streaming, in
batches, see `writer`) and then only read. The SQL here is written once, with `?`
placeholders and the engine's names for the tables and for what the two spell differently.

Pages use keyset pagination (`WHERE (col, _id) > (?, ?)`) on per-column
indexes, so a deep page costs what the first one does; a page number is turned
into such a position (see `positions`), never into a deep OFFSET.

A cell the reader's suppression plan hides (see `disclosure`) reads as `SUPPRESSED`,
a text "x": every door that writes text writes the same symbol, and typed doors
(JSON, the API) turn it into null plus the record's list of hidden fields.
"""
from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Sequence, Union

from flask_babel import lazy_gettext as _l

from . import disclosure
from .layout import BATCH, CHART_BARS, CHART_MAX_GROUPS, FILTERED_COUNT_CAP, NUMERIC
from .pg_engine import PgDb, PgTable
from .pg_engine import Error as PgError
from .positions import Places, keyset, keyset_parts, like_pattern, page_number
from .query import BAD_PAGE_LINK, SUPPRESSED, BadQuery, Condition, Page, Query, coerce, decode_token, encode_token, grouped, typed_condition
from .sqlite_engine import Error as SqliteError
from .sqlite_engine import SqliteDb

# Where a version's table is: a SQLite file's path, or a PostgreSQL table.
Source = Union[Path, str, PgTable]
ENGINE_ERRORS = (SqliteError, PgError)


def connect(source: Source):
    """The engine connection of a table, for reading."""
    if isinstance(source, PgTable):
        return PgDb.open_read(source)
    return SqliteDb.open_read(Path(source))


_sums_cache: dict[tuple, list[tuple[Any, float]] | None] = {}
# A PostgreSQL table's meta and its plans' columns, per table name: a table is never changed (a new
# reading is a new table), so a page costs no query for them after the first.
_meta_cache: dict[tuple, Any] = {}


def _cached(key: tuple, read):
    if key not in _meta_cache:
        if len(_meta_cache) >= 512:
            _meta_cache.pop(next(iter(_meta_cache)))
        _meta_cache[key] = read()
    return _meta_cache[key]


def _whole_table_sums(db, stamp: Any, g: int, v: int, limit: int,
                      plan: str | None = None, mean: bool = False) -> list[tuple[Any, float]] | None:
    """A big table's chart by a label that was not kept at upload, grouped once per table and
    process (a table only changes when it is read again, which changes its stamp: the file's
    mtime, or the PostgreSQL table's name). With `plan`, the cells it hides are left out."""
    key = (db.engine, db.label, stamp, g, v, limit, plan, mean)
    if key in _sums_cache:
        return _sums_cache[key]
    (groups,) = db.execute(f"SELECT count(*) FROM (SELECT DISTINCT c{g} FROM {db.data} "
                           f"LIMIT {CHART_MAX_GROUPS + 1}) AS g").fetchone()
    found = None
    if groups <= CHART_MAX_GROUPS:  # else a label with too many values to chart a big table by
        value = disclosure.visible_cell_sql(plan, v, db) if plan else f"c{v}"
        sql = (f"SELECT c{g}, {db.avg(value) if mean else db.total(value)} AS s FROM {db.data} GROUP BY c{g} "
               f"ORDER BY s DESC{db.order_labels(f'c{g}')} LIMIT {int(limit)}")
        found = [(label, total) for label, total in db.execute(sql)]
    if len(_sums_cache) >= 64:
        _sums_cache.pop(next(iter(_sums_cache)))
    _sums_cache[key] = found
    return found


class TableUnreadable(Exception):
    """A table that is missing or damaged (not a table this engine wrote)."""


class Table:
    """Read access to one version's table.

    With `suppress` ("sensitive" or "all"), the cells of that suppression plan
    read as `SUPPRESSED` ("x"), columns holding such cells cannot be filtered or
    sorted (the order or a match would give the hidden values back), and their
    sums (the summary's, a chart's) leave the hidden cells out.
    """

    def __init__(self, path: Source, suppress: str | None = None) -> None:
        self.source = path
        label = path.name if not isinstance(path, PgTable) else f"{path.schema}.{path.name}"
        try:
            self.db = connect(path)
        except ENGINE_ERRORS as exc:  # no such file, no server
            raise TableUnreadable(f"{label}: {exc}") from None
        db = self.db
        cache = isinstance(path, PgTable)
        try:
            if cache:
                meta = _cached(("meta", db.label), lambda: dict(db.execute(f"SELECT key, value FROM {db.meta}").fetchall()))
            else:
                meta = dict(db.execute(f"SELECT key, value FROM {db.meta}").fetchall())
            self.columns: list[dict[str, Any]] = json.loads(meta["columns"])
            self.row_count = int(meta["row_count"])
        except (*ENGINE_ERRORS, KeyError, ValueError) as exc:  # damaged, missing, or not one of our tables
            db.close()
            raise TableUnreadable(f"{label}: {exc}") from None
        self._read = [db.read_expr(i, c["type"]) for i, c in enumerate(self.columns)]
        self._index = {c["name"]: i for i, c in enumerate(self.columns)}
        self.suppress = suppress
        self._places: Places | None = None
        self.hidden_label = disclosure.SYMBOL
        self.suppressed_columns: set[int] = set()
        if suppress:
            if suppress not in disclosure.PLANS:
                raise ValueError(f"unknown suppression plan {suppress!r}")
            def planned() -> set[int]:
                return {c for (c,) in db.execute(f"SELECT DISTINCT col FROM {db.suppress} WHERE plan = ?", (suppress,))}

            try:
                self.suppressed_columns = _cached(("plan", db.label, suppress), planned) if cache else planned()
            except ENGINE_ERRORS as exc:
                db.close()
                raise TableUnreadable(f"{label}: {exc}") from None
            if not self.suppressed_columns:
                self.suppress = None

    def suppressed_names(self) -> list[str]:
        """The columns holding cells this reader sees hidden."""
        return [self.columns[i]["name"] for i in sorted(self.suppressed_columns)]

    def suppressed_positions(self, query: "Query | None" = None) -> list[int]:
        """Positions, among the query's selected columns, of those that may hold hidden cells."""
        if not self.suppress:
            return []
        return [k for k, ci in enumerate(self._positions(query or Query())) if ci in self.suppressed_columns]

    def count_columns(self) -> list[str]:
        """The columns that count people or things (see `disclosure.is_count_column`)."""
        return [self.columns[i]["name"] for i in disclosure.count_columns(self.db, self.columns)]

    def column_summary(self, summary: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """A version's column summary as this reader may see it: a column with hidden cells
        shows only its sum without them (`without_hidden`) and how many cells are hidden."""
        if not self.suppress:
            return summary
        out = dict(summary)
        for i in sorted(self.suppressed_columns):
            name = self.columns[i]["name"]
            visible, hidden = self._visible_sum(i)
            entry = {"sum": visible, "without_hidden": True, "hidden": hidden}
            if (summary.get(name) or {}).get("nulls"):
                entry["nulls"] = summary[name]["nulls"]
            out[name] = entry
        return out

    def _visible_sum(self, i: int) -> tuple[int | float, int]:
        db = self.db
        try:
            found = db.execute(f"SELECT sum, hidden FROM {db.visible_sums} WHERE plan = ? AND col = ?",
                               (self.suppress, i)).fetchone()
        except SqliteDb.missing_table:  # a table file built before these sums were kept
            found = db.execute(
                f"SELECT {db.total(disclosure.visible_cell_sql(self.suppress, i, db))}, "
                f"(SELECT count(*) FROM {db.suppress} WHERE plan = ? AND col = ?) FROM {db.data}",
                (self.suppress, i)).fetchone()
        total, hidden = found
        return (int(total) if self.columns[i]["type"] == "integer" else total), int(hidden)

    def _hidden(self, row_ids: Sequence[int]) -> dict[int, set[int]]:
        """Row id -> the column indexes to hide, for these rows."""
        out: dict[int, set[int]] = {}
        ids = list(row_ids)
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ", ".join("?" for _ in chunk)
            for row_id, col in self.db.execute(
                f"SELECT _id, col FROM {self.db.suppress} WHERE plan = ? AND _id IN ({marks})",
                [self.suppress, *chunk]
            ):
                out.setdefault(row_id, set()).add(col)
        return out

    def _positions(self, query: "Query") -> list[int]:
        """Column index of each selected position."""
        if not query.fields:
            return list(range(len(self.columns)))
        return [self.col(f) for f in query.fields]

    def _check_suppressed(self, query: "Query") -> None:
        if not self.suppress:
            return
        for name, part in [(f, "value") for f in query.filters] + ([(query.sort, "sort")] if query.sort else []):
            if self.col(name, part) in self.suppressed_columns:
                raise BadQuery(_l("The column %(name)s has cells hidden to protect confidentiality: it cannot be "
                                  "filtered or sorted.", name=name), column=name, part=part)

    def problems(self, query: "Query") -> list[BadQuery]:
        """What this table cannot answer in the query, field by field: each filter's values,
        the sort, the page links and the page number's form (its range is `page`'s to check)."""
        found: list[BadQuery] = []
        for name, values in query.filters.items():
            try:
                self._check_suppressed(Query(filters={name: values}))
                self._column_clause(name, values)
            except BadQuery as exc:
                found.append(exc)
        checks = [lambda: self._check_suppressed(Query(sort=query.sort))] if query.sort else []
        ci = None
        if query.sort:
            try:
                ci = self.col(query.sort, "sort")
            except BadQuery:
                pass  # named by the sort's own check
        checks += [lambda t=t: self._token_key(t, ci) for t in (query.after, query.before) if t]
        if query.page is not None:
            checks.append(lambda: page_number(query.page))
        for check in checks:
            try:
                check()
            except BadQuery as exc:
                found.append(exc)
        return found

    @property
    def engine(self) -> str:
        """"sqlite" or "postgresql": which engine holds this table."""
        return self.db.engine

    def close(self) -> None:
        self.db.close()

    def count_rows(self) -> int:
        """Count the stored rows (an integrity check: the meta row count is what was written)."""
        try:
            return self.db.execute(f"SELECT count(*) FROM {self.db.data}").fetchone()[0]
        except ENGINE_ERRORS as exc:
            raise TableUnreadable(f"{self.db.label}: {exc}") from None

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def col(self, name: str, part: str = "value") -> int:
        try:
            return self._index[name]
        except KeyError:
            raise BadQuery(_l("The table has no column %(name)s.", name=name), column=name, part=part) from None

    # -- building the WHERE clause -------------------------------------------------
    def _where(self, query: Query) -> tuple[list[str], list[Any]]:
        db = self.db
        clauses: list[str] = []
        params: list[Any] = []
        for name, values in query.filters.items():
            clause, extra = self._column_clause(name, values)
            if clause:
                clauses.append(clause)
                params.extend(extra)
        if query.q:
            text_cols = [i for i, c in enumerate(self.columns) if c["type"] not in NUMERIC]
            if text_cols:
                like = like_pattern(query.q)
                clauses.append("(" + " OR ".join(db.like(db.text_expr(i, self.columns[i]["type"]))
                                                 for i in text_cols) + ")")
                params.extend(like for _ in text_cols)
            else:
                clauses.append("1 = 0")
        return clauses, params

    def _column_clause(self, name: str, values: Any) -> tuple[str | None, list[Any]]:
        """One column's filter: its plain values match exactly (text in any case, an empty one
        matches empty cells), its Conditions compare; any of them may match. None when every
        condition is empty.

        :raises BadQuery: naming the column and the field the table cannot read.
        """
        i, db = self.col(name), self.db
        ctype = self.columns[i]["type"]
        items = values if isinstance(values, (list, tuple)) else [values]
        typed = [coerce(v, ctype, name) for v in items if not isinstance(v, Condition)]
        compared = [typed_condition(v, ctype, name) for v in items if isinstance(v, Condition)]
        typed += [c.value for c in compared if c is not None and c.op == "eq"]
        compared = [c for c in compared if c is not None and c.op != "eq"]
        nonnull = [v for v in typed if v is not None]
        parts: list[str] = []
        params: list[Any] = []
        if nonnull:
            if ctype in NUMERIC:
                parts.append(f"c{i} IN ({', '.join('?' for _ in nonnull)})")
                params.extend(nonnull)
            else:  # text matches ignore case and surrounding spaces
                parts.append(f"lower({db.text_expr(i, ctype)}) IN ({', '.join('?' for _ in nonnull)})")
                params.extend(str(v).strip().lower() for v in nonnull)
        if len(nonnull) < len(typed):
            parts.append(f"c{i} IS NULL")
        for cond in compared:
            if cond.op == "contains":
                parts.append(db.like(db.text_expr(i, ctype)))
                params.append(like_pattern(cond.value))
            elif cond.op == "gt":
                parts.append(f"c{i} > ?")
                params.append(cond.value)
            elif cond.op == "lt":
                parts.append(f"c{i} < ?")
                params.append(cond.value)
            else:  # between, both ends included; an empty end leaves that side open
                bounds = [(">=", cond.value), ("<=", cond.upper)]
                parts.append("(" + " AND ".join(f"c{i} {op} ?" for op, v in bounds if v is not None) + ")")
                params.extend(v for _op, v in bounds if v is not None)
        if not parts:
            return None, []
        return "(" + " OR ".join(parts) + ")", params

    # -- pages -----------------------------------------------------------------------
    def _token_key(self, token: str, ci: int | None) -> tuple[Any, int]:
        """A page link's key, its value as the sort column holds it: a value that column cannot
        hold (text in a number or date column, a fraction in a whole-number one) is a link no
        page of ours made, and PostgreSQL would refuse to compare it."""
        value, row_id = decode_token(token)
        if ci is not None and value is not None and not _holds(self.columns[ci]["type"], value):
            raise BadQuery(BAD_PAGE_LINK)
        return value, row_id

    def page(self, query: Query) -> Page:
        """One page of rows in keyset order, with tokens for the next and previous page.

        With `query.page`, the page of that number (its first row found by its place, see
        `positions`; in a filtered view, which has at most FILTERED_COUNT_CAP rows to jump in,
        by an OFFSET within them); with `query.start`, the rows from that place on, found the
        same way (no rows past the end). With `query.locate`, `Page.start` says how many rows of the
        view come before this page (None in a filtered view when more than the cap do).

        :raises BadQuery: as `problems` would, or (part "page") a page number past the last page
            or in a view too big to count.
        """
        self._check_suppressed(query)
        clauses, params = self._where(query)
        filtered = bool(clauses)
        ci = self.col(query.sort, "sort") if query.sort else None
        key = f"c{ci}" if ci is not None else "_id"
        limit = max(1, min(int(query.limit), 1000))
        counted = None
        start: int | None = None
        after: tuple[Any, int] | None = None  # read the rows after this key
        if query.page is not None or query.start > 0:
            counted = self.count(query)
            start = (self._jump_start(page_number(query.page), limit, *counted) if query.page is not None
                     else self._row_start(query.start, *counted))
            going_back, desc, token = False, query.desc, None
            if start and counted[0]:
                value, row_id = self._key_at(query, ci, min(start, counted[0] - 1), clauses, params)
                # Rows from that one on: after the key one id before it (one id after, walking down);
                # past the last row, after that row (none).
                after = (value, row_id + (1 if desc else -1) if start < counted[0] else row_id)
        else:
            going_back = query.before is not None and query.after is None
            desc = query.desc != going_back  # walk backwards by flipping the order
            token = query.before if going_back else query.after
            if token:
                after = self._token_key(token, ci)
        db = self.db
        parts = keyset_parts(key, *after, desc) if after else [("1 = 1", [])]
        way = "DESC" if desc else "ASC"
        order = db.order(key, desc) + (f", _id {way}" if key != "_id" else "")
        key_read = self._read[ci] if ci is not None else "_id"
        select = f"SELECT _id, {key_read}, {self._select_list(query)} FROM {db.data}"
        pieces, args = [], []
        for clause, extra in parts:
            where = " AND ".join([*clauses, clause])
            pieces.append(f"{select} WHERE {where} ORDER BY {order} LIMIT {limit + 1}")
            args += [*params, *extra]
        if len(pieces) == 1:
            sql = pieces[0]
        else:  # each part in its order, one after another (sorted again: a few rows)
            sql = (" UNION ALL ".join(f"SELECT * FROM ({piece}) AS p{n}" for n, piece in enumerate(pieces))
                   + f" ORDER BY {db.order('2', desc)}, 1 {way} LIMIT {limit + 1}")
        fetched = db.execute(sql, args).fetchall()
        more = len(fetched) > limit
        fetched = fetched[:limit]
        if going_back:
            fetched.reverse()
        rows = [list(r[2:]) for r in fetched]
        if self.suppress and fetched:
            hidden = self._hidden([r[0] for r in fetched])
            positions = self._positions(query)
            for r, row in zip(fetched, rows):
                cols = hidden.get(r[0])
                if cols:
                    for k, ci_ in enumerate(positions):
                        if ci_ in cols:
                            row[k] = SUPPRESSED
        next_token = prev_token = None
        if fetched:
            first, last = fetched[0], fetched[-1]
            has_next = more if not going_back else True
            if query.page is not None or query.start > 0:
                has_prev = bool(start)
            else:
                has_prev = (token is not None) if not going_back else more
            if has_next:
                next_token = encode_token(last[1], last[0])
            if has_prev:
                prev_token = encode_token(first[1], first[0])
            if start is None and query.locate:
                start = 0 if not has_prev else self._place(query, ci, first[1], first[0], filtered)
        elif query.locate and start is None and token is None:
            start = 0
        total, capped = counted or self.count(query)
        return Page(self.selected_columns(query), rows, next_token, prev_token, total, capped,
                    [r[0] for r in fetched], start=start, size=limit)

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places(self.db, self.row_count)
        return self._places

    def _jump_start(self, number: int, limit: int, total: int | None, capped: bool) -> int:
        """Rows of the view before page `number`, when it has such a page."""
        self._row_start(0, total, capped)
        pages = max(1, -(-total // limit))
        if number > pages:
            raise BadQuery(_l("There is no page %(number)s: the last page is %(pages)s.", number=grouped(number),
                              pages=grouped(pages)), part="page")
        return (number - 1) * limit

    @staticmethod
    def _row_start(start: int, total: int | None, capped: bool) -> int:
        """`start` itself, in a view small enough to count (else BadQuery, as for a page)."""
        if capped or total is None:
            raise BadQuery(_l("This view has more than %(n)s rows: filter it further to jump to a page.",
                              n=grouped(FILTERED_COUNT_CAP)), part="page")
        return int(start)

    def _key_at(self, query: Query, ci: int | None, start: int, clauses: list[str],
                params: list[Any]) -> tuple[Any, int]:
        """The key of the view's row at 0-based place `start` (a place it has)."""
        if not clauses:
            return self.places.key_at(ci, start if not query.desc else self.row_count - 1 - start)
        # A filtered view has at most FILTERED_COUNT_CAP rows: their keys, read from the index
        # where it holds them, are counted up to the place.
        key = f"c{ci}" if ci is not None else "_id"
        way = "DESC" if query.desc else "ASC"
        order = self.db.order(key, query.desc) + (f", _id {way}" if ci is not None else "")
        return self.db.execute(f"SELECT {key}, _id FROM {self.db.data} WHERE {' AND '.join(clauses)} ORDER BY {order} "
                                f"LIMIT 1 OFFSET {int(start)}", params).fetchone()

    def _place(self, query: Query, ci: int | None, value: Any, row_id: int, filtered: bool) -> int | None:
        """Rows of the view before the row (value, row_id); None in a filtered view when more
        than FILTERED_COUNT_CAP are."""
        if not filtered:
            before = self.places.place_of(ci, value, row_id)
            return before if not query.desc else self.row_count - 1 - before
        clauses, params = self._where(query)
        clause, extra = keyset(f"c{ci}" if ci is not None else "_id", value, row_id, not query.desc)
        n = self.db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {self.db.data} WHERE {' AND '.join(clauses)} "
                            f"AND {clause} LIMIT {FILTERED_COUNT_CAP + 1}) AS before", [*params, *extra]).fetchone()[0]
        return None if n > FILTERED_COUNT_CAP else n

    def group_sums(self, group: str, value: str, query: Query | None = None,
                   limit: int = CHART_BARS, mean: bool = False) -> list[tuple[Any, float]] | None:
        """Sum of `value` per distinct `group`, largest first (for a chart of the current view);
        with `mean`, its average instead (a percentage is averaged, never added up).

        The whole table's sums were kept when it was built; a filtered view is grouped
        here, unless it has more than FILTERED_COUNT_CAP rows: then None (filter further).
        A column with hidden cells is summed without them (see `sums_without_hidden`) and
        never averaged (an average beside hidden cells would narrow them down).
        """
        query = query or Query()
        g, v = self.col(group), self.col(value)
        if self.columns[v]["type"] not in NUMERIC:
            raise BadQuery(_l("The column %(name)s holds no numbers to add up.", name=value), column=value)
        self._check_suppressed(query)
        plan = self.suppress if v in self.suppressed_columns else None
        if mean and plan:
            raise BadQuery(_l("The column %(name)s has cells hidden to protect confidentiality: it cannot be "
                              "averaged.", name=value), column=value)
        if not query.filters and not query.q:
            kept = None if mean else self._kept_chart(g, v, limit, plan)
            if kept:
                return kept
            if self.row_count > FILTERED_COUNT_CAP:
                stamp = self.db.stamp()
                if stamp is not None:  # else the version was deleted meanwhile: group it once more
                    return _whole_table_sums(self.db, stamp, g, v, limit, plan, mean)
        elif self.count(query)[1]:
            return None
        db = self.db
        clauses, params = self._where(query)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        value_sql = disclosure.visible_cell_sql(plan, v, db) if plan else f"c{v}"
        # GROUP BY +c{g} on SQLite (db.group_key), not c{g}: grouping along the label's index made
        # SQLite walk all of it, row by row, past a range filter's own index (1.8 s for the ~4,000
        # rows above a value of a 1M-row table; 20 ms with the filter's index and a small sort).
        sql = (f"SELECT c{g}, {db.avg(value_sql) if mean else db.total(value_sql)} AS s FROM {db.data} {where} "
               f"GROUP BY {db.group_key(f'c{g}')} ORDER BY s DESC{db.order_labels(f'c{g}')} LIMIT {int(limit)}")
        return [(label, total) for label, total in db.execute(sql, params)]

    def sums_without_hidden(self, value: str) -> bool:
        """Whether sums of this column leave out cells hidden from this reader."""
        return bool(self.suppress) and self.col(value) in self.suppressed_columns

    def _kept_chart(self, g: int, v: int, limit: int, plan: str | None = None) -> list[tuple[Any, float]] | None:
        db = self.db
        try:
            if plan:
                rows = db.execute(
                    f"SELECT label, total FROM {db.chart_sums_visible} WHERE plan = ? AND x = ? AND y = ? "
                    "ORDER BY rank LIMIT ?", (plan, g, v, limit)).fetchall()
            else:
                rows = db.execute(f"SELECT label, total FROM {db.chart_sums} WHERE x = ? AND y = ? "
                                  "ORDER BY rank LIMIT ?", (g, v, limit)).fetchall()
        except SqliteDb.missing_table:  # a table file built before charts were kept: group it here
            return None
        if self.columns[g]["type"] in ("integer", "year"):  # PostgreSQL kept mixed labels as text
            return [(int(label) if isinstance(label, str) else label, total) for label, total in rows]
        return [(label, total) for label, total in rows]

    def small_cells(self, name: str, threshold: int, keep_rows: int = 100) -> tuple[int, int, list[int]]:
        """Cells of a count column above 0 and below `threshold`: how many, of how many
        non-empty cells, and the 0-based row indexes of the first `keep_rows` of them."""
        i, db = self.col(name), self.db
        (count,) = db.execute(f"SELECT count(*) FROM {db.data} WHERE c{i} > 0 AND c{i} < ?", (threshold,)).fetchone()
        if not count:
            return 0, 0, []
        (total,) = db.execute(f"SELECT count(c{i}) FROM {db.data}").fetchone()
        rows = [r - 1 for (r,) in db.execute(
            f"SELECT _id FROM {db.data} WHERE c{i} > 0 AND c{i} < ? ORDER BY _id LIMIT {int(keep_rows)}",
            (threshold,))]
        return count, total, rows

    def count(self, query: Query) -> tuple[int | None, bool]:
        """Rows matching the filters; capped so no request counts a million rows."""
        if not query.filters and not query.q:
            return self.row_count, False
        clauses, params = self._where(query)
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.db.data} WHERE {' AND '.join(clauses)} "
            f"LIMIT {FILTERED_COUNT_CAP + 1}) AS matching"
        )
        n = self.db.execute(sql, params).fetchone()[0]
        if n > FILTERED_COUNT_CAP:
            return None, True
        return n, False

    def selected_columns(self, query: Query) -> list[dict[str, Any]]:
        if not query.fields:
            return self.columns
        return [self.columns[self.col(f)] for f in query.fields]

    def _select_list(self, query: Query) -> str:
        if not query.fields:
            return ", ".join(self._read) or "NULL"
        return ", ".join(self._read[self.col(f)] for f in query.fields)

    def iter_rows(self, query: Query | None = None) -> Iterator[tuple]:
        """Stream every matching row (no paging) in table order or the query's sort.

        The query is checked now (BadQuery is raised before any row is sent).
        """
        query = query or Query()
        self._check_suppressed(query)
        clauses, params = self._where(query)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "_id"
        if query.sort:
            order = f"{self.db.order(f'c{self.col(query.sort)}', query.desc)}, _id"
        sql = f"SELECT _id, {self._select_list(query)} FROM {self.db.data} {where} ORDER BY {order}"
        # The query starts now, so a table that cannot be read fails here, before any row is sent.
        return self._stream(self.db.stream(sql, params), self._positions(query))

    def _stream(self, cur, positions: list[int]) -> Iterator[tuple]:
        while True:
            chunk = cur.fetchmany(BATCH)
            if not chunk:
                break
            if not self.suppress:
                for r in chunk:
                    yield r[1:]
                continue
            hidden = self._hidden([r[0] for r in chunk])
            for r in chunk:
                cols = hidden.get(r[0])
                if not cols:
                    yield r[1:]
                    continue
                row = list(r[1:])
                for k, ci in enumerate(positions):
                    if ci in cols:
                        row[k] = SUPPRESSED
                yield tuple(row)


def _holds(ctype: str, value: Any) -> bool:
    """Whether a column of this type can hold `value` (a key read back from a page link)."""
    if isinstance(value, bool):
        return False
    if ctype in ("integer", "year"):
        return isinstance(value, int)
    if ctype == "decimal":
        return isinstance(value, (int, float))
    if not isinstance(value, str):
        return False
    if ctype == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True
