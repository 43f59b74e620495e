"""What reading a table produces: columns, notes, refusals (language-neutral).

Readers never format human text: they emit a `Note` (a message code plus
parameters) and `app.ingest.messages` turns it into the user's language at
display time. This keeps the ingest package free of Flask and lets the same
note be shown in Indonesian, English, the CLI JSON and the logs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Iterable, Iterator, Protocol, Sequence

# Column types a reader may assign.
COLUMN_TYPES = ("integer", "decimal", "year", "date", "text", "region_code")


@dataclass(frozen=True)
class Note:
    """A language-neutral message: `code` keys the catalogue in messages.py."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


class TableRefused(Exception):
    """The file cannot become a table; `note` says why (naming row/column)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.note = Note(code, params)
        super().__init__(f"{code} {params}")


@dataclass
class Column:
    name: str  # unique, cleaned header as stored in the datastore
    type: str  # one of COLUMN_TYPES
    original: str = ""  # header text as it appeared (joined for two-row headers)
    reason: Note | None = None  # why this type was chosen
    number_style: str | None = None  # "id" (1.234,5) or "en" (1,234.5) for numeric columns
    source: int | None = None  # its position in the file's header (0-based), before any column is dropped

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "original": self.original,
            "reason": self.reason.as_dict() if self.reason else None,
            "number_style": self.number_style,
            "source": self.source,
        }


@dataclass
class SkippedRow:
    row: int  # 1-based row number in the source file/sheet
    kind: str  # "title", "numbering", "total", "blank", "header"
    values: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "values": list(self.values)}


@dataclass
class XlsxLimits:
    """How much of a workbook is read, so that no workbook can take the server's memory.

    Counted while the parts are streamed, before openpyxl holds them (see xlsx_guard). The
    defaults sit far above real office spreadsheets (tens of thousands of rows, tens of columns)
    and keep the reader's peak memory under 300 MB; a larger table can be uploaded as CSV.
    """

    max_sheets: int = 500
    max_shared_strings: int = 500_000  # different texts in the workbook (about 130 MB in openpyxl)
    max_shared_chars: int = 20_000_000  # their characters together (a 20-million-character text: about 60 MB)
    max_rows: int = 1_048_576  # Excel's own limit
    max_columns: int = 1024
    max_cells: int = 5_000_000  # stored cells of one sheet, empty formatted ones included
    max_workbook_cells: int = 10_000_000  # cells of all the sheets read (a sheet is read to look for data)
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_part_bytes: int = 16 * 1024 * 1024  # any other part (styles, workbook, theme...), unpacked
    max_part_elements: int = 100_000  # XML elements of a part openpyxl parses whole (about 850 bytes each)


@dataclass
class ReadOptions:
    """Corrections an admin may make in the review step."""

    sheet: str | None = None  # XLSX sheet name; None = first non-empty sheet
    header_row: int | None = None  # 1-based; None = detect
    column_types: dict[str, str] = field(default_factory=dict)  # column name -> forced type
    drop_columns: list[str] = field(default_factory=list)  # column names to leave out
    max_bytes: int = 200 * 1024 * 1024  # refuse larger uploads
    max_xlsx_uncompressed: int = 500 * 1024 * 1024  # zip-bomb guard
    xlsx_limits: XlsxLimits = field(default_factory=XlsxLimits)


class RowInspector(Protocol):
    """Sees every data row while the table is read (e.g. the privacy scanner)."""

    def start(self, columns: Sequence[str]) -> None: ...

    def feed(self, row: Sequence[Any]) -> None: ...

    # Optional: `feed_many(rows, columns)` takes a chunk of rows at once (`columns` is the
    # chunk transposed when the reader has it, else None).
    # Optional: `outside(row_number, values)` sees each non-blank row left out of the
    # table (titles, notes, totals, repeated headers).


class TableSink(Protocol):
    """Takes the typed rows while the table is read (the datastore's `TableWriter`)."""

    def begin(self, types: Sequence[str]) -> None:
        """Start (or start over) an empty table with these column types."""

    def append(self, columns: Sequence[Sequence[Any]]) -> None:
        """Add one chunk of rows, given as one list of typed values per column."""


@dataclass
class ParsedTable:
    columns: list[Column]
    header_row: int
    row_count: int
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    format: str = "CSV"  # "CSV" or "XLSX"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    passes: int | None = None  # with a sink: 1, or 2 when a column's type changed after its first rows
    _chunks_factory: Any = None  # callable returning a fresh iterator of chunks of typed rows

    def rows(self) -> Iterator[tuple]:
        """Stream the typed data rows again (int, float, str, date, None)."""
        return chain.from_iterable(self._chunks_factory())

    def chunks(self) -> Iterator[Iterable[tuple]]:
        """The typed data rows in chunks (each an iterable of tuples): no per-row Python step."""
        return self._chunks_factory()

    def review(self, sample: int = 10) -> dict[str, Any]:
        """The parse review as plain data (first rows included)."""
        first = []
        for i, row in enumerate(self.rows() if sample > 0 else ()):
            if i >= sample:
                break
            first.append(list(row))
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_row": self.header_row,
            "rows": self.row_count,
            "columns": [c.as_dict() for c in self.columns],
            "skipped": [s.as_dict() for s in self.skipped],
            "notes": [n.as_dict() for n in self.notes],
            "first_rows": first,
        }
