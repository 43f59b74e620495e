"""Serialise a table as CSV, Indonesian-Excel CSV, JSON or XLSX, streamed in constant memory.

Cells hidden to protect confidentiality arrive as `datastore.SUPPRESSED` at the
positions `suppressed` names. Every format says the same of them: the CSVs write
`x` (the datapackage declares it a missing value), JSON writes null and lists the
record's hidden fields in `_suppressed`, XLSX writes the text `x` and explains it
on a second sheet.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from typing import Any, Iterable, Iterator, Sequence

from .query import Suppressed
from . import roles
from .disclosure import FIELD_NOTE

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-excel": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
FLUSH_ROWS = 2000
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> Any:
    """Defuse a text cell a spreadsheet would run as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_DANGEROUS) and not _NUMBER.match(value):
        return "'" + value
    return value


def _text_indexes(columns: Sequence[dict[str, Any]]) -> list[int]:
    return [i for i, c in enumerate(columns) if c["type"] not in ("integer", "year", "decimal")]


def stream_csv(columns: Sequence[dict[str, Any]], rows: Iterable[Sequence[Any]],
               suppressed: Sequence[int] = (), legend: str | None = None) -> Iterator[str]:
    """UTF-8, comma-separated; text cells neutralised against formula injection; hidden cells `x`."""
    text_idx = _text_indexes(columns)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralize(c["name"]) for c in columns])
    n = 0
    for row in rows:
        if text_idx:
            row = list(row)
            for i in text_idx:
                v = row[i]
                if v.__class__ is str and v and v[0] in "=+-@\t\r":
                    row[i] = neutralize(v)
        writer.writerow(row)
        n += 1
        if n % FLUSH_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _excel_number(value: Any) -> Any:
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return value


def stream_csv_excel(columns: Sequence[dict[str, Any]], rows: Iterable[Sequence[Any]],
                     suppressed: Sequence[int] = (), legend: str | None = None) -> Iterator[str]:
    """The CSV Indonesian Excel opens as it should: BOM, `;` and decimal commas; hidden cells `x`."""
    decimal_idx = [i for i, c in enumerate(columns) if c["type"] == "decimal"]
    text_idx = _text_indexes(columns)
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralize(c["name"]) for c in columns])
    n = 0
    for row in rows:
        row = list(row)
        for i in decimal_idx:
            row[i] = _excel_number(row[i])
        for i in text_idx:
            row[i] = neutralize(row[i])
        writer.writerow(row)
        n += 1
        if n % FLUSH_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def stream_json(columns: Sequence[dict[str, Any]], rows: Iterable[Sequence[Any]],
                suppressed: Sequence[int] = (), legend: str | None = None) -> Iterator[str]:
    """{"fields": [...], "records": [{...}, ...]} written record by record.

    A hidden cell is null, and every record of a table with hidden cells has
    `_suppressed`: the names of its hidden fields (the field's `info` says so).
    """
    names = [c["name"] for c in columns]
    fields = [{"id": c["name"], "type": c["type"], "info": roles.info(c)} for c in columns]
    for k in suppressed:
        fields[k]["info"]["notes"] = FIELD_NOTE
    if suppressed:
        fields.append({"id": "_suppressed", "type": "array",
                       "info": {"notes": "The fields of this record hidden to protect confidentiality."}})
    yield '{"fields": ' + json.dumps(fields, ensure_ascii=False) + ', "records": ['
    parts: list[str] = []
    first = True
    for row in rows:
        record = dict(zip(names, row))
        if suppressed:
            hidden = [names[k] for k in suppressed if _is_hidden(row[k])]
            for name in hidden:
                record[name] = None
            record["_suppressed"] = hidden
        rec = json.dumps(record, ensure_ascii=False, default=str)
        parts.append(rec if first else "," + rec)
        first = False
        if len(parts) >= FLUSH_ROWS:
            yield "".join(parts)
            parts = []
    parts.append("]}")
    yield "".join(parts)


def _is_hidden(value: Any) -> bool:
    return isinstance(value, Suppressed)


def stream_xlsx(columns: Sequence[dict[str, Any]], rows: Iterable[Sequence[Any]],
                suppressed: Sequence[int] = (), legend: str | None = None) -> Iterator[bytes]:
    """Write a write-only workbook to a temporary file, then stream it and delete it.

    Hidden cells are the text `x`; a table with hidden cells gets a second sheet,
    "keterangan", with the `legend` that explains it.
    """
    from openpyxl import Workbook

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell_text(value: Any) -> Any:
        # Control characters are not allowed in XLSX: openpyxl would stop the download halfway.
        if isinstance(value, str):
            return neutralize(ILLEGAL_CHARACTERS_RE.sub("", value))
        return value

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    text_idx = _text_indexes(columns)
    ws.append([cell_text(c["name"]) for c in columns])
    for row in rows:
        row = list(row)
        for i in text_idx:
            row[i] = cell_text(row[i])
        for i in suppressed:
            if _is_hidden(row[i]):
                row[i] = str(row[i])  # openpyxl writes a str subclass as an error cell
        ws.append(row)
    if suppressed:
        notes = wb.create_sheet("keterangan")
        notes.append([legend or FIELD_NOTE.split(". ")[0]])
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(path)
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(256 * 1024)
                if not chunk:
                    break
                yield chunk
    finally:
        os.unlink(path)


STREAMERS = {
    "csv": stream_csv,
    "csv-excel": stream_csv_excel,
    "json": stream_json,
    "xlsx": stream_xlsx,
}
