"""Read an uploaded spreadsheet (CSV/TSV/TXT/XLSX) into a typed table.

The reader lives in `reader.py` (`read_table`), the data it hands out in `model.py`,
the shape, type and privacy rules in their own modules; this package only re-exports
what the rest of the portal uses.
"""
from __future__ import annotations

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
    XlsxLimits,
)
from .reader import ALLOWED_EXTENSIONS, CHUNK_ROWS, read_table

__all__ = [
    "read_table", "ReadOptions", "ParsedTable", "Column", "Note", "SkippedRow",
    "TableRefused", "XlsxLimits", "RowInspector", "TableSink", "COLUMN_TYPES", "ALLOWED_EXTENSIONS", "CHUNK_ROWS",
]
