"""Hostile workbooks, written by hand with zipfile and streamed, so that making one is cheap.

Each builder writes a minimal but valid XLSX (manifest, workbook, relationships, sheets, shared
strings) whose one hostile part is generated in blocks: no builder holds the file in memory.
Used by tests/test_admin_uploads_a_hostile_workbook.py and scripts/bench_hostile_xlsx.
"""
from __future__ import annotations

import base64
import os
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(2, 10))

Parts = Iterable[str | bytes]


def column_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet(rows: Parts, dimension: str | None = None, prolog: str = "") -> Iterator[str | bytes]:
    yield _HEAD + prolog + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def _table_rows() -> Iterator[str]:
    """A small real table: a header and three kabupaten."""
    yield ('<row r="1"><c r="A1" t="inlineStr"><is><t>kabupaten</t></is></c>'
           '<c r="B1" t="inlineStr"><is><t>jumlah</t></is></c></row>')
    for i, name in enumerate(["Kota Mataram", "Kota Bima", "Kabupaten Dompu"], start=2):
        yield f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{name}</t></is></c><c r="B{i}"><v>{i * 7}</v></c></row>'


def write_workbook(path: Path, sheets: list[tuple[str, Parts]], shared_strings: Parts | None = None,
                   extra: dict[str, tuple[str, Parts]] | None = None) -> Path:
    """Write an XLSX of `sheets` (name, XML parts) and optional shared strings and extra parts
    ({member: (content type, XML parts)}), each part streamed into the zip."""
    path = Path(path)
    overrides = [("/xl/workbook.xml", _CT + "sheet.main+xml")]
    overrides += [(f"/xl/worksheets/sheet{i}.xml", _CT + "worksheet+xml") for i in range(1, len(sheets) + 1)]
    if shared_strings is not None:
        overrides.append(("/xl/sharedStrings.xml", _CT + "sharedStrings+xml"))
    for member, (kind, _) in (extra or {}).items():
        overrides.append(("/" + member, kind))
    manifest = (_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                + "".join(f'<Override PartName="{p}" ContentType="{k}"/>' for p, k in overrides) + "</Types>")
    root_rels = (_HEAD + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                 'Target="xl/workbook.xml"/></Relationships>')

    def workbook() -> Iterator[str]:
        yield _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        for i, (name, _) in enumerate(sheets, start=1):
            yield f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        yield "</sheets></workbook>"

    def workbook_rels() -> Iterator[str]:
        yield _HEAD + f'<Relationships xmlns="{_PKG_REL}">'
        for i in range(1, len(sheets) + 1):
            yield (f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
        if shared_strings is not None:
            yield f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        yield "</Relationships>"

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        _write(zf, "[Content_Types].xml", [manifest])
        _write(zf, "_rels/.rels", [root_rels])
        _write(zf, "xl/workbook.xml", workbook())
        _write(zf, "xl/_rels/workbook.xml.rels", workbook_rels())
        for i, (_, parts) in enumerate(sheets, start=1):
            _write(zf, f"xl/worksheets/sheet{i}.xml", parts)
        if shared_strings is not None:
            _write(zf, "xl/sharedStrings.xml", shared_strings)
        for member, (_, parts) in (extra or {}).items():
            _write(zf, member, parts)
    return path


def _write(zf: zipfile.ZipFile, member: str, parts: Parts) -> None:
    with zf.open(member, "w", force_zip64=True) as out:
        buf: list[bytes] = []
        size = 0
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            buf.append(data)
            size += len(data)
            if size >= 1 << 20:
                out.write(b"".join(buf))
                buf, size = [], 0
        out.write(b"".join(buf))


def _noise(n: int) -> str:
    """`n` letters that do not compress much (so the zip's compression-ratio guard lets them by)."""
    return base64.b32encode(os.urandom(n * 5 // 8 + 5)).decode("ascii")[:n]


# -- the hostile shapes -----------------------------------------------------------------------

def many_shared_strings(path: Path, count: int = 6_000_000) -> Path:
    """The 15 MB workbook of six million short different shared strings (the reported bomb)."""
    def strings() -> Iterator[str]:
        yield _HEAD + f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'
        for i in range(0, count, 10_000):
            yield "".join(f"<si><t>s{j:x}</t></si>" for j in range(i, min(i + 10_000, count)))
        yield "</sst>"
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
            '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>5</v></c></row>']
    return write_workbook(path, [("Data", _sheet(rows))], shared_strings=strings())


def huge_shared_strings(path: Path, count: int = 4, chars: int = 25_000_000) -> Path:
    """Shared strings of `chars` characters each (a few of tens of millions: hostile), the first
    one a data cell under a header."""
    def strings() -> Iterator[str]:
        yield _HEAD + f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'
        for _ in range(count):
            yield "<si><t>"
            for start in range(0, chars, 1 << 20):
                yield _noise(min(1 << 20, chars - start))
            yield "</t></si>"
        yield "</sst>"
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>catatan</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>jumlah</t></is></c></row>',
            '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>4</v></c></row>']
    return write_workbook(path, [("Data", _sheet(rows))], shared_strings=strings())


def _styled_rows(rows: int, columns: int, table: bool = True) -> Iterator[str]:
    if table:
        yield from _table_rows()
    for r in range(5, rows + 5):
        yield f'<row r="{r}">' + "".join(f'<c r="{column_letters(c)}{r}" s="{(r * c) % 7}"/>'
                                         for c in range(1, columns + 1)) + "</row>"


def styled_empty_cells(path: Path, rows: int = 20_000, columns: int = 600) -> Path:
    """A sheet of millions of formatted empty cells below a small table (a whole area formatted)."""
    return write_workbook(path, [("Data", _sheet(_styled_rows(rows, columns)))])


def sheets_of_styled_cells(path: Path, sheets: int = 4, rows: int = 8_000, columns: int = 600) -> Path:
    """Several sheets each just under the cells of one sheet, none declaring its size (so loading
    reads them all), and the table in the last."""
    return write_workbook(path, [(f"S{i}", _sheet(_styled_rows(rows, columns, table=False))) for i in range(sheets - 1)]
                          + [("Data", _sheet(_styled_rows(rows, columns)))])


def column_xfd(path: Path, rows: int = 100_000) -> Path:
    """Every row holds a cell in the last column Excel has (XFD, 16384)."""
    def body() -> Iterator[str]:
        yield from _table_rows()
        for r in range(5, rows + 5):
            yield f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="XFD{r}" s="1"/></row>'
    return write_workbook(path, [("Data", _sheet(body(), dimension="A1:XFD%d" % (rows + 4)))])


def one_row_of_cells(path: Path, cells: int = 5_000_000) -> Path:
    """One row of millions of cells without references (openpyxl would number them on and on)."""
    def body() -> Iterator[str]:
        yield '<row r="1">'
        for i in range(0, cells, 10_000):  # values that vary, or the compression-ratio guard stops it first
            yield "".join(f"<c><v>{(j * 7919) % 100_003}</v></c>" for j in range(i, min(i + 10_000, cells)))
        yield "</row>"
    return write_workbook(path, [("Data", _sheet(body()))])


def huge_dimension_claim(path: Path) -> Path:
    """A small table whose sheet claims to span the whole grid, and no more."""
    return write_workbook(path, [("Data", _sheet(_table_rows(), dimension="A1:XFD1048576"))])


def far_row_number(path: Path, row: int = 2_000_000_000) -> Path:
    """A small table and one cell at a row number far past Excel's last row."""
    def body() -> Iterator[str]:
        yield from _table_rows()
        yield f'<row r="{row}"><c r="A{row}"><v>1</v></c></row>'
    return write_workbook(path, [("Data", _sheet(body()))])


def many_sheets(path: Path, count: int = 20_000) -> Path:
    """Tens of thousands of sheets (all empty but the last)."""
    sheets = [(f"S{i}", _sheet([])) for i in range(count - 1)] + [("Data", _sheet(_table_rows()))]
    return write_workbook(path, sheets)


def entity_expansion(path: Path, part: str = "sheet") -> Path:
    """The 'billion laughs' entity expansion, in the sheet or in the shared strings."""
    prolog = '<!DOCTYPE lolz [<!ENTITY lol1 "lol">' + _LAUGHS + "]>"
    if part == "sheet":
        rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>']
        return write_workbook(path, [("Data", _sheet(rows, prolog=prolog))])
    strings = [_HEAD + prolog + f'<sst xmlns="{_MAIN}"><si><t>&lol9;</t></si></sst>']
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    return write_workbook(path, [("Data", _sheet(rows))], shared_strings=strings)


def huge_styles(path: Path, formats: int = 2_000_000, declared: bool = True) -> Path:
    """A styles part of millions of cell formats (openpyxl parses it whole, found at its fixed
    path even when the manifest does not declare it as styles: `declared=False`)."""
    def styles() -> Iterator[str]:
        yield _HEAD + f'<styleSheet xmlns="{_MAIN}"><cellXfs count="{formats}">'
        for i in range(0, formats, 10_000):
            yield "".join(f'<xf numFmtId="{j % 160}" fontId="0" fillId="0" borderId="{j % 3}"/>'
                          for j in range(i, min(i + 10_000, formats)))
        yield "</cellXfs></styleSheet>"
    return write_workbook(path, [("Data", _sheet(_table_rows()))],
                          extra={"xl/styles.xml": (_CT + "styles+xml" if declared else "application/xml", styles())})


# name -> (builder, what it is): the bench builds each at full size, the tests at their own.
HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "many_shared_strings": (many_shared_strings, "6,000,000 short different shared strings"),
    "huge_shared_strings": (huge_shared_strings, "4 shared strings of 25,000,000 characters"),
    "styled_empty_cells": (styled_empty_cells, "12,000,000 formatted empty cells (20,000 rows x 600 columns)"),
    "sheets_of_styled_cells": (sheets_of_styled_cells, "4 sheets of 4,800,000 formatted empty cells each"),
    "column_xfd": (column_xfd, "100,000 rows each with a cell in column XFD"),
    "one_row_of_cells": (one_row_of_cells, "one row of 5,000,000 cells without references"),
    "huge_dimension_claim": (huge_dimension_claim, "a 4-row table claiming A1:XFD1048576"),
    "far_row_number": (far_row_number, "a cell in row 2,000,000,000"),
    "many_sheets": (many_sheets, "20,000 sheets"),
    "entity_expansion_sheet": (lambda p: entity_expansion(p, "sheet"), "billion laughs in a sheet"),
    "entity_expansion_strings": (lambda p: entity_expansion(p, "strings"), "billion laughs in the shared strings"),
    "huge_styles": (huge_styles, "2,000,000 cell formats in styles.xml"),
}
