"""Read an XLSX sheet in streaming mode, after zip-bomb checks."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import defusedxml  # noqa: F401  openpyxl parses XML safely only when this is importable
import defusedxml.ElementTree  # noqa: F401
import openpyxl
from openpyxl.utils.cell import range_boundaries

from .model import Note, ReadOptions, TableRefused
from .xlsx_guard import SheetScan, WorkbookGuard

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, or an .xlsx saved with a password
MAX_RATIO = 100
RATIO_MIN_MEMBER = 1024 * 1024
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3}\d+:[A-Z]{1,3}\d+)\"")
_SCAN_ROWS = 200  # rows looked at to decide whether a sheet holds data

log = logging.getLogger(__name__)


def cell_text(value: Any) -> str:
    """Turn an openpyxl cell value into the text the type inference reads."""
    if value is None:
        return ""
    cls = value.__class__
    if cls is str:
        return value
    if cls is int:
        return str(value)
    if cls is float:
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if cls is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def row_text(row: tuple | list) -> list[str]:
    return [cell_text(v) for v in row]


def check_zip(path: str, options: ReadOptions) -> None:
    """Refuse non-zip files and zip bombs before openpyxl touches the file.

    :raises TableRefused: xlsx_old_format, bad_xlsx, xlsx_too_large_uncompressed,
        xlsx_compression_ratio.
    """
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == OLE_MAGIC:
        raise TableRefused("xlsx_old_format")
    if magic != ZIP_MAGIC:
        raise TableRefused("bad_xlsx", detail="not a zip archive")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        log.info("damaged zip archive: %s: %s", type(exc).__name__, exc)  # may name the server's path
        raise TableRefused("bad_xlsx", detail="damaged zip archive") from None
    total = sum(i.file_size for i in infos)
    if total > options.max_xlsx_uncompressed:
        raise TableRefused("xlsx_too_large_uncompressed", size=total, limit=options.max_xlsx_uncompressed)
    for info in infos:
        if info.file_size > RATIO_MIN_MEMBER and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TableRefused(
                "xlsx_compression_ratio",
                member=info.filename,
                ratio=info.file_size // max(info.compress_size, 1),
            )
    if "xl/workbook.xml" not in names:
        raise TableRefused("bad_xlsx", detail="no xl/workbook.xml")


def _load(path: str):
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for corrupt parts
        raise _unreadable(exc) from None


def _unreadable(exc: BaseException) -> TableRefused:
    """The refusal of a workbook whose XML cannot be parsed (or is refused by defusedxml). The
    exception names the server's file path and parser internals: it goes to the log, not the user."""
    log.info("unreadable workbook part: %s: %s", type(exc).__name__, exc)
    return TableRefused("xlsx_unreadable")


def _guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """A sheet's rows; a sheet whose XML breaks half-way through is refused, never a raw error."""
    try:
        yield from rows
    except TableRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - XML ParseError, defusedxml's *Forbidden, openpyxl's own
        raise _unreadable(exc) from None


def _rows(ws) -> Iterator[tuple]:
    """A read-only sheet's rows as the XML holds them.

    openpyxl trusts the size a sheet declares (`<dimension ref=...>`) and cuts every
    row to it; some exporters write a wrong one (just "A1"), which would silently drop
    columns. Forgetting it makes each row as long as its last stored cell.
    """
    ws.reset_dimensions()
    return _guarded(ws.iter_rows(values_only=True))


def _scan(guard: WorkbookGuard, ws, first_rows: int | None = None) -> SheetScan:
    """Stream the sheet's XML through the limits before openpyxl reads its rows."""
    member = getattr(ws, "_worksheet_path", None)
    return guard.sheet(member, first_rows) if member else SheetScan()


def _has_data(guard: WorkbookGuard, ws) -> bool:
    _scan(guard, ws, first_rows=_SCAN_ROWS + 1)  # the rows read below, and one more
    for i, row in enumerate(_rows(ws)):
        if i >= _SCAN_ROWS:
            return False
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in row):
            return True
    return False


def read_merges(path: str, member: str) -> list[tuple[int, int, int, int]]:
    """Return merged ranges (min_row, min_col, max_row, max_col) from the sheet XML.

    Read-only worksheets do not expose merged cells; `<mergeCells>` sits after the
    sheet data, so the member is streamed and only the merge tags are matched
    (no XML tree is built, so nothing to expand).
    """
    found: list[tuple[int, int, int, int]] = []
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:
            tail = b""
            while True:
                block = f.read(1 << 20)
                if not block:
                    break
                data = tail + block
                last_end = 0
                for m in _MERGE_RE.finditer(data):
                    c1, r1, c2, r2 = range_boundaries(m.group(1).decode("ascii"))
                    found.append((r1, c1, r2, c2))
                    last_end = m.end()
                tail = data[max(last_end, len(data) - 256):]
    except (KeyError, zipfile.BadZipFile, ValueError):
        return []
    return found


@dataclass
class XlsxSource:
    """One sheet of a workbook, streamed as tuples of openpyxl values."""

    path: str
    sheet: str
    sheets: list[str]
    merges: list[tuple[int, int, int, int]]
    notes: list[Note] = field(default_factory=list)
    # 0-based column -> [cells holding a formula without a stored result, the first one's row]
    uncalculated: dict[int, list[int]] = field(default_factory=dict)
    format: str = "XLSX"
    encoding: str | None = None
    delimiter: str | None = None
    number_hint: str | None = None
    to_text = staticmethod(row_text)
    # The workbook `open_xlsx` loaded, kept for the first reading: loading parses the
    # whole sheet when it declares no size (openpyxl's write-only files, our own XLSX).
    _loaded: Any = field(default=None, repr=False)

    @contextmanager
    def open_rows(self) -> Iterator[Iterator[tuple]]:
        """Give the sheet's rows (openpyxl values), from a fresh workbook after the first time."""
        wb, self._loaded = self._loaded, None
        if wb is None:
            wb = _load(self.path)
        try:
            yield _rows(wb[self.sheet])
        finally:
            wb.close()


def open_xlsx(path: str | os.PathLike, options: ReadOptions) -> XlsxSource:
    """Check and open a workbook, choosing the sheet to read.

    Every part openpyxl would hold is counted first (`xlsx_guard`): the shared strings before
    the workbook is loaded, a sheet before its rows are read.

    :raises TableRefused: bad_xlsx, xlsx_*, no_sheet, empty_file.
    """
    path = os.fspath(path)
    check_zip(path, options)
    guard = WorkbookGuard(path, options.xlsx_limits)
    try:
        guard.check_parts()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _unreadable(exc) from None
    wb = _load(path)
    keep = False
    try:
        sheets = list(wb.sheetnames)
        if options.sheet is not None:
            if options.sheet not in sheets:
                raise TableRefused("no_sheet", sheet=options.sheet, sheets=", ".join(sheets))
            chosen = options.sheet
            if not hasattr(wb[chosen], "iter_rows"):
                raise TableRefused("empty_file")
        else:
            chosen = next(
                (n for n in sheets if hasattr(wb[n], "iter_rows") and _has_data(guard, wb[n])),
                None,
            )
            if chosen is None:
                raise TableRefused("empty_file")
        scan = _scan(guard, wb[chosen])
        member = getattr(wb[chosen], "_worksheet_path", None)
        merges = read_merges(path, member) if member else []
        source = XlsxSource(path=path, sheet=chosen, sheets=sheets, merges=merges,
                            uncalculated=scan.uncalculated, _loaded=wb)
        keep = True
    finally:
        if not keep:
            wb.close()
    return source
