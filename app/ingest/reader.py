"""Read an uploaded spreadsheet (CSV/TSV/TXT/XLSX) into a typed table.

Pass 1 of `read_table` finds the table's shape, infers every column's type over the
whole column and shows each data row to the inspectors (e.g. the privacy scanner);
given a sink (the datastore's table writer), it also writes the typed rows as it goes.
Pass 2 is `ParsedTable.rows()` (or `.chunks()`): it reads the file again and yields
typed tuples. Memory stays bounded for big files either way.
"""
from __future__ import annotations

import csv
import os
import re
from array import array
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Sequence

from .csv_reader import open_csv
from .model import (
    COLUMN_TYPES,
    Column,
    Note,
    ParsedTable,
    ReadOptions,
    RowInspector,
    SkippedRow,
    TableRefused,
    TableSink,
)
from .shape import FOOTNOTE_RE, HEAD_ROWS, TOTAL_RE, Shape, detect_shape, footnote, is_blank
from .types import ColumnStats, make_converter, make_forced_converter
from .xlsx_guard import column_letters
from .xlsx_reader import open_xlsx

ALLOWED_EXTENSIONS = ("csv", "txt", "tsv", "xlsx")
CHUNK_ROWS = 4096
MAX_SKIPPED_KEPT = 200  # skipped rows listed in the review; the rest are counted

_NUMBER_CHARS = "0123456789.,-+()/%: \t"
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LABEL_RE = re.compile(r"(?P<total>" + TOTAL_RE.pattern + r")\Z|(?P<note>" + FOOTNOTE_RE.pattern + ")", re.I)


class _SkipLog:
    """Skipped rows for the review, capped so a sheet of blank rows stays small.

    Every skipped row with content is also shown to the `watchers` (the inspectors
    that look outside the table, e.g. for personal data in a title or a note).
    """

    def __init__(self, initial: list[SkippedRow], watchers: Sequence[Callable[[int, list[str]], None]] = ()) -> None:
        self.kept = list(initial)
        self.total = len(initial)
        self.watchers = list(watchers)
        self.numbers = array("L")  # every data-area row left out, in order: pass 2 just drops them
        for skipped in initial:
            self._watch(skipped.row, list(skipped.values))

    def _watch(self, row: int, values: list[str]) -> None:
        if values:
            for watch in self.watchers:
                watch(row, values)

    def add(self, row: int, kind: str, values: Sequence[str]) -> None:
        self.total += 1
        self.numbers.append(row)
        kept = [v for v in values if v.strip()]
        self._watch(row, kept)
        if len(self.kept) < MAX_SKIPPED_KEPT:
            self.kept.append(SkippedRow(row, kind, kept))


def _label_kind(label: str) -> str | None:
    m = _LABEL_RE.match(label)
    return m.lastgroup if m is not None else None


def _data_chunks(
    raw_rows: Iterable[Any],
    first_row: int,
    shape: Shape,
    to_text: Callable[[Any], list[str]] | None,
    skips: _SkipLog | None,
    with_raw: bool = False,
) -> Iterator[tuple[list[list[str]], list[Any], list[tuple[str, ...]] | None]]:
    """Yield chunks of data rows as (cell texts, raw cells, the texts' columns or None),
    leaving out blank/total/note rows.

    Rows are judged a chunk at a time: a chunk whose cells hold no total or note label
    anywhere and no ragged row (the usual case) keeps every row but its blank ones and
    repeated headers, found from the first column alone; any other chunk is judged row
    by row. This is pass 1's per-row cost, so it is kept at C speed where it can be.

    :raises TableRefused: ragged_row when a row has cells past the header;
        csv_malformed / csv_bad_encoding when the text cannot be read on.
    """
    n = shape.ncols
    header = shape.header_raw
    head0 = header[0] if header else None
    totals = shape.totals_enabled
    kinds: dict[str, str | None] = {}  # labels repeat (region names): cache their kind

    def kind_of(label: str) -> str | None:
        kind = kinds.get(label, "?")
        if kind == "?":
            kind = _label_kind(label)
            if len(kinds) < 10000:
                kinds[label] = kind
        return kind

    def has_labels(cols: list[tuple[str, ...]]) -> bool:
        """Whether any cell of the chunk could be a total or note label."""
        for col in cols:
            text = "\n".join(col)
            if text.lower() == text.upper():
                continue  # no cased letter: codes and numbers only, and every total/note word is Latin
            for v in set(col):
                if v and (v[0].isalpha() or _HAS_LETTER.search(v.lstrip(_NUMBER_CHARS))) and kind_of(v):
                    return True
        return False

    def judge(rownum: int, raw: Any, row: list[str]) -> tuple[list[str], Any] | None:
        """One row: (text, raw) to keep, or None when it is left out (and logged)."""
        if len(row) != n:
            if len(row) > n:
                if any(c.strip() for c in row[n:]):
                    found = max(i for i, c in enumerate(row) if c.strip()) + 1
                    raise TableRefused("ragged_row", row=rownum, expected=n, found=found)
                row = row[:n]
                raw = raw[:n]
            else:
                pad = n - len(row)
                row = row + [""] * pad
                raw = list(raw) + [None if to_text is not None else ""] * pad
        c0 = row[0]
        if not c0 or c0[0] in " \t":
            if is_blank(row):
                if skips is not None:
                    skips.add(rownum, "blank", row)
                return None
        # The row's label is its first cell holding a letter; codes and numbers
        # before it are passed over with a C-speed lstrip, not a regex per cell.
        label = None
        for c in row:
            if c:
                if c[0].isalpha():
                    label = c
                    break
                rest = c.lstrip(_NUMBER_CHARS)
                if rest and _HAS_LETTER.search(rest):
                    label = c
                    break
        if label is not None:
            kind = kind_of(label)
            if kind == "total":
                if totals:
                    if skips is not None:
                        skips.add(rownum, "total", row)
                    return None
            elif kind is not None and footnote(row):
                if skips is not None:
                    skips.add(rownum, "note", row)
                return None
        if row == header:
            if skips is not None:
                skips.add(rownum, "header", row)
            return None
        return row, raw

    it = iter(raw_rows)
    rownum = first_row - 1  # the last row read
    while True:
        chunk: list[Any] = []
        try:
            chunk.extend(islice(it, CHUNK_ROWS))  # keeps the rows read before an error
        except csv.Error as exc:
            raise TableRefused("csv_malformed", row=rownum + len(chunk) + 1, detail=str(exc)) from None
        except UnicodeDecodeError:
            raise TableRefused("csv_bad_encoding", row=rownum + len(chunk) + 1) from None
        if not chunk:
            return
        base = rownum + 1
        rownum += len(chunk)
        texts = chunk if to_text is None else list(map(to_text, chunk))
        cols = list(zip(*texts)) if set(map(len, texts)) == {n} else None
        if cols is not None and not has_labels(cols):
            first = cols[0]
            joined = "\n" + "\n".join(first)
            suspects = ([i for i, f in enumerate(first) if not f or f[0] in " \t" or f == head0]
                        if "" in first or "\n " in joined or "\n\t" in joined or head0 in first else ())
            if suspects:
                gone = set()
                for i in suspects:
                    if judge(base + i, chunk[i], texts[i]) is None:
                        gone.add(i)
                if gone:
                    texts = [r for i, r in enumerate(texts) if i not in gone]
                    chunk = [r for i, r in enumerate(chunk) if i not in gone] if with_raw else texts
                    cols = None
            rows, raws = texts, (chunk if with_raw else texts)
        else:
            cols = None
            kept = [k for k in (judge(base + i, raw, row) for i, (raw, row) in enumerate(zip(chunk, texts)))
                    if k is not None]
            rows = [k[0] for k in kept]
            raws = [k[1] for k in kept] if with_raw else rows
        if rows:
            yield rows, raws, cols


def _fill_merged_down(raw_rows: Iterable[Any], first_row: int, merges: Sequence[tuple[int, int, int, int]],
                      ) -> Iterator[Any]:
    """Give each row of a vertically merged data cell the merged value (a kabupaten label
    merged over its rows in Excel is stored once, in the top cell only)."""
    # row -> [(column index, top row)] for every cell under the top of a one-column merge
    below: dict[int, list[tuple[int, int]]] = {}
    for r1, c1, r2, c2 in merges:
        if c1 == c2 and r2 > r1 and r1 >= first_row:
            for r in range(r1 + 1, r2 + 1):
                below.setdefault(r, []).append((c1 - 1, r1))
    tops = {top for cells in below.values() for _, top in cells}
    values: dict[tuple[int, int], Any] = {}
    for rownum, raw in enumerate(raw_rows, first_row):
        if rownum in tops:
            for r1, c1, r2, c2 in merges:
                if r1 == rownum and c1 == c2 and c1 - 1 < len(raw):
                    values[(c1 - 1, r1)] = raw[c1 - 1]
        cells = below.get(rownum)
        if cells:
            raw = list(raw)
            for col, top in cells:
                if col < len(raw) and raw[col] in (None, ""):
                    raw[col] = values.get((col, top))
        yield raw


def _kept_chunks(raw_rows: Iterable[Any], first_row: int, ncols: int, skipped: Sequence[int],
                 to_text: Callable[[Any], list[str]] | None) -> Iterator[tuple[list[list[str]], None]]:
    """Pass 2: the data rows again, in chunks, leaving out the rows pass 1 skipped.

    Pass 1 did the judging (blank, total, note, repeated header, ragged); here the
    rows between two skipped ones are taken whole, at C speed.
    """
    it = iter(raw_rows)
    skips = iter(skipped)
    next_skip = next(skips, None)
    pos = first_row
    done = False
    while not done:
        chunk: list[Any] = []
        while len(chunk) < CHUNK_ROWS:
            while next_skip is not None and next_skip <= pos:
                if next_skip == pos:
                    next(it, None)
                    pos += 1
                next_skip = next(skips, None)
            want = CHUNK_ROWS - len(chunk)
            if next_skip is not None:
                want = min(want, next_skip - pos)
            part = list(islice(it, want))
            chunk += part
            pos += len(part)
            if len(part) < want:
                done = True
                break
        if not chunk:
            return
        if to_text is not None:
            chunk = list(map(to_text, chunk))
        if set(map(len, chunk)) != {ncols}:
            chunk = [r if len(r) == ncols else (list(r[:ncols]) + [""] * (ncols - len(r))) for r in chunk]
        yield chunk, None


def _same_values(before: tuple[str, str | None], now: tuple[str, str | None]) -> bool:
    """Whether values converted as `before` are what `now` would give: plain whole numbers
    read the same in either number style (only the style was still unknown)."""
    return before == now or (before == ("integer", None) and now[0] == "integer")


def _one_by_one(feed: Callable[[Sequence[Any]], None]) -> Callable[[list[Sequence[Any]], Any], None]:
    def feed_many(rows: list[Sequence[Any]], columns: Any = None) -> None:
        for row in rows:
            feed(row)
    return feed_many


def _open_source(path: str, ext: str, options: ReadOptions):
    if ext == "xlsx":
        return open_xlsx(path, options)
    return open_csv(path)


def _check_options(names: list[str], options: ReadOptions, notes: list[Note]) -> tuple[list[int], dict[int, str]]:
    # A column is named by its header, or by "#<position in the header>" (what a blocked upload keeps,
    # whose headers may be a person's data).
    index = {name: i for i, name in enumerate(names)}
    index.update({f"#{i}": i for i in range(len(names))})
    for name in list(options.drop_columns) + list(options.column_types):
        if name not in index:
            notes.append(Note("option_unknown_column", {"column": name}))
    dropped = [index[n] for n in options.drop_columns if n in index]
    keep = [i for i in range(len(names)) if i not in set(dropped)]
    if not keep:
        raise TableRefused("all_columns_dropped")
    forced: dict[int, str] = {}
    for name, col_type in options.column_types.items():
        if name not in index:
            continue
        if col_type not in COLUMN_TYPES:
            raise TableRefused("bad_column_type", column=name, type=col_type)
        forced[index[name]] = col_type
    if dropped:
        notes.append(Note("columns_dropped", {"columns": ", ".join(names[i] for i in sorted(dropped))}))
    return keep, forced


def _uncalculated_note(sheet: str | None, names: Sequence[str], uncalculated: dict[int, list[int]]) -> Note:
    """The note on formulas a workbook holds without their results (they read as empty cells),
    naming each column by its header and its letter."""
    columns = []
    for i in sorted(uncalculated):
        letter = column_letters(i + 1)
        columns.append(f"{names[i]} ({letter})" if i < len(names) and names[i] else letter)
    return Note("xlsx_formulas_uncalculated", {
        "sheet": sheet, "columns": ", ".join(columns),
        "count": sum(n for n, _ in uncalculated.values()),
        "row": min(r for _, r in uncalculated.values()),
    })


def read_table(
    path: str | os.PathLike,
    filename: str,
    options: ReadOptions | None = None,
    inspectors: Sequence[RowInspector] = (),
    sink: TableSink | None = None,
) -> ParsedTable:
    """Read an uploaded spreadsheet into a typed table, showing every data row to `inspectors`.

    With a `sink`, the typed rows are written to it as they are read, so the file is
    read once when every column keeps the type its first rows gave it (else a second
    pass writes the table again): when this returns, the sink holds the whole table.

    `filename` is the name the user gave the file: its extension chooses the reader.

    :raises TableRefused: the file cannot become a table (the note names row/column).
    """
    options = options or ReadOptions()
    path = os.fspath(path)
    ext = os.path.splitext(filename)[1].lower().lstrip(".")
    if ext not in ALLOWED_EXTENSIONS:
        raise TableRefused("unsupported_format", ext=ext or filename)
    size = os.path.getsize(path)
    if size > options.max_bytes:
        raise TableRefused("file_too_large", size=size, limit=options.max_bytes)
    if size == 0:
        raise TableRefused("empty_file")

    source = _open_source(path, ext, options)
    # The cyclic collector keeps running: pausing it (gc.disable) would pause it for every other
    # request a threaded server is serving meanwhile, and for the whole process if a read hangs.
    with source.open_rows() as raw_iter:
        return _read(source, raw_iter, options, inspectors, sink)


def _read(source, raw_iter: Iterator[Any], options: ReadOptions, inspectors: Sequence[RowInspector],
          sink: TableSink | None) -> ParsedTable:
    """Run pass 1 over `raw_iter` and build the table (pass 2 reopens the source)."""
    to_text = source.to_text
    want = max(HEAD_ROWS, (options.header_row or 0) + 10)
    try:
        head_raw = list(islice(raw_iter, want))
    except csv.Error as exc:
        raise TableRefused("csv_malformed", row=getattr(raw_iter, "line_num", 1), detail=str(exc)) from None
    except UnicodeDecodeError:
        raise TableRefused("csv_bad_encoding", row=getattr(raw_iter, "line_num", 0) + 1) from None
    rest = raw_iter
    head = [to_text(r) for r in head_raw] if to_text is not None else head_raw
    shape = detect_shape(head, options.header_row, source.merges)
    notes: list[Note] = list(source.notes) + list(shape.notes)
    uncalculated = getattr(source, "uncalculated", None) or {}
    if uncalculated:
        notes.insert(0, _uncalculated_note(source.sheet, shape.names, uncalculated))
    names = shape.names
    keep, forced = _check_options(names, options, notes)
    dropping = len(keep) != len(names)
    kept_names = [names[i] for i in keep]

    # ---- pass 1: shape, types, inspectors
    stats = {i: ColumnStats(names[i]) for i in keep if i not in forced}
    forced_convs: dict[int, Any] = {}
    forced_failed: dict[int, int] = {}
    hint = source.number_hint
    for i, col_type in forced.items():
        forced_convs[i] = make_forced_converter(col_type, hint)
        forced_failed[i] = 0
    for inspector in inspectors:
        inspector.start(list(kept_names))
    # An inspector may take a whole chunk of rows at once (feed_many): the privacy
    # scanner then checks every row of a big table at C speed instead of sampling.
    feeds = [getattr(inspector, "feed_many", None) or _one_by_one(inspector.feed) for inspector in inspectors]

    skips = _SkipLog(shape.skipped, [i.outside for i in inspectors if hasattr(i, "outside")])
    start = shape.data_start
    merged = [m for m in source.merges if m[0] >= start and m[1] == m[3] and m[2] > m[0]]

    def data_rows(rows: Iterable[Any]) -> Iterable[Any]:
        return _fill_merged_down(rows, start, merged) if merged else rows

    chunks = _data_chunks(data_rows(chain(head_raw[start - 1 :], rest)), start, shape, to_text, skips,
                          with_raw=bool(feeds))
    # With a sink, the typed rows are written during this pass: each column is converted
    # with the type its rows so far give it. A type that changes later (integers, then a
    # decimal at row 900,000) makes pass 2 write the table again, from the file.
    converters_by_kind: dict[tuple[str, str | None], Callable[[Sequence[str]], list]] = {}

    def converter(kind: tuple[str, str | None]) -> Callable[[Sequence[str]], list]:
        conv = converters_by_kind.get(kind)
        if conv is None:
            conv = converters_by_kind[kind] = make_converter(*kind)
        return conv

    def kinds_so_far() -> list[tuple[str, str | None]]:
        return [(forced[i], "forced") if i in forced else stats[i].decide(hint)[:2] for i in keep]

    single_pass = sink is not None
    first_kinds: list[tuple[str, str | None]] | None = None
    row_count = 0
    for rows, raws, cols in chunks:
        row_count += len(rows)
        if cols is None:
            cols = list(zip(*rows))
        if feeds:
            raw_cols = cols if raws is rows else None  # CSV: the raw cells are the texts
            if dropping:
                fed = [[raw[i] for i in keep] for raw in raws]
                raw_cols = [cols[i] for i in keep] if raw_cols is not None else None
            else:
                fed = raws
            for feed in feeds:
                feed(fed, raw_cols)
        for i, st in stats.items():
            st.update(cols[i])
        forced_values: dict[int, list] = {}
        for i, conv in forced_convs.items():
            forced_values[i], failed = conv(cols[i])
            forced_failed[i] += failed
        if single_pass:
            kinds = kinds_so_far()
            if first_kinds is None:
                first_kinds = kinds
                sink.begin([t for t, _ in kinds])
            if kinds != first_kinds:
                if all(map(_same_values, first_kinds, kinds)):
                    first_kinds = kinds  # e.g. 12, 345, then 1.234: the numbers written stay right
                else:
                    single_pass = False
            if single_pass:
                sink.append([forced_values[i] if i in forced_values else converter(k)(cols[i])
                             for i, k in zip(keep, kinds)])
    if row_count == 0:
        raise TableRefused("header_only", header_row=shape.header_row)

    # ---- decide column types
    columns: list[Column] = []
    converters: list[Callable[[Sequence[str]], list]] = []
    for i in keep:
        if i in forced:
            col_type = forced[i]
            style = hint if col_type in ("integer", "decimal") else None
            reason = Note("type_forced", {"type": col_type})
            if forced_failed[i]:
                notes.append(Note("forced_type_nulls", {"column": names[i], "count": forced_failed[i]}))
            conv = forced_convs[i]
            converters.append(lambda col, conv=conv: conv(col)[0])
        else:
            col_type, parse_style, reason = stats[i].decide(hint)
            if reason is not None and reason.code == "type_text_empty" and i in uncalculated:
                reason = Note("type_text_uncalculated", {"count": uncalculated[i][0]})
            converters.append(converter((col_type, parse_style)))
            # Plain whole numbers read the same in both styles: record the file's.
            style = parse_style or (hint or "en") if col_type in ("integer", "decimal") else None
        columns.append(Column(name=names[i], type=col_type, original=shape.originals[i], reason=reason,
                              number_style=style, source=i))

    if skips.total > len(skips.kept):
        notes.append(Note("skipped_rows_truncated", {"count": skips.total, "shown": len(skips.kept)}))

    # ---- pass 2 (on demand): typed columns, chunk by chunk
    def typed_column_chunks() -> Iterator[list[list]]:
        with source.open_rows() as raw_iter:
            chunks = _kept_chunks(data_rows(islice(raw_iter, start - 1, None)), start, shape.ncols,
                                  skips.numbers, to_text)
            for rows, _ in chunks:
                cols = list(zip(*rows))
                yield [conv(cols[i]) for i, conv in zip(keep, converters)]

    def typed_chunks() -> Iterator[Iterable[tuple]]:
        for cols in typed_column_chunks():
            yield zip(*cols)

    if sink is not None and not single_pass:
        sink.begin([c.type for c in columns])
        for cols in typed_column_chunks():
            sink.append(cols)

    return ParsedTable(
        columns=columns,
        header_row=shape.header_row,
        row_count=row_count,
        skipped=skips.kept,
        notes=notes,
        format=source.format,
        encoding=source.encoding,
        delimiter=source.delimiter,
        sheet=source.sheet,
        sheets=list(source.sheets),
        passes=None if sink is None else (1 if single_pass else 2),
        _chunks_factory=typed_chunks,
    )
