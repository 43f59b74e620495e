"""Bound what a workbook can make openpyxl hold: streaming pre-scans of its parts.

The zip checks (size, compression ratio) do not bound memory: a 15 MB workbook of six million
short shared strings passes them, and openpyxl, even read-only, keeps every shared string in a
list and every sheet row as a tuple as long as its last stored cell. So before openpyxl opens a
part, the part is streamed through expat (no tree is built) and counted, and the workbook is
refused as soon as a count passes its limit, never after the memory is spent:

- the parts besides sheets, shared strings and pictures (manifest, workbook, styles, theme,
  properties...): their size, and the XML elements of those openpyxl parses whole into objects;
- the workbook part: its number of sheets;
- the shared strings: how many, their characters, and the longest (no Excel cell holds more
  than 32,767 characters);
- a sheet, before its rows are read: its rows, columns, cells, cells per row, characters per cell;
  the same pass notes the formulas that carry no stored result (a program that never calculated
  them wrote the file), which read as empty cells.

The expat parser is hardened as defusedxml does it: an entity declaration or an external
entity is refused (xlsx_unreadable), as openpyxl itself refuses it through defusedxml.
"""
from __future__ import annotations

import logging
import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

import defusedxml.ElementTree as safe_et

from .model import TableRefused, XlsxLimits

log = logging.getLogger(__name__)

_BLOCK = 1 << 20
_NS = " "  # expat's namespace separator: names arrive as "<uri> <local name>"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_CT_PREFIX = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_SHARED_STRINGS = _CT_PREFIX + "sharedStrings+xml"
_WORKSHEET = _CT_PREFIX + "worksheet+xml"
_WORKBOOKS = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
_CONTENT_TYPES = "[Content_Types].xml"
# Parts openpyxl's read-only loading parses whole into objects (besides the manifest, the
# workbook part and its relationships): their elements are counted.
_PARSED_WHOLE = (
    _CT_PREFIX + "styles+xml",
    _CT_PREFIX + "externalLink+xml",
    _CT_PREFIX + "chartsheet+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.custom-properties+xml",
)


_PARSED_RELS = ("styles", "externalLink", "chartsheet")
_FIXED_PARTS = ("xl/styles.xml", "docProps/core.xml", "docProps/custom.xml")  # where openpyxl reads them


class _Enough(Exception):
    """Stops a scan that has seen the rows it was asked to look at."""


def _unreadable(what: str, exc: BaseException) -> TableRefused:
    log.info("unreadable workbook part %s: %s: %s", what, type(exc).__name__, exc)
    return TableRefused("xlsx_unreadable")


def _forbidden(*_args) -> None:
    raise _EntitiesForbidden()


class _EntitiesForbidden(Exception):
    """An entity declaration or external entity: refused, as defusedxml refuses it."""


def _parser(namespaces: bool = True) -> expat.XMLParserType:
    p = expat.ParserCreate(namespace_separator=_NS) if namespaces else expat.ParserCreate()
    p.buffer_text = True
    p.buffer_size = 1 << 16
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.EntityDeclHandler = _forbidden
    p.UnparsedEntityDeclHandler = _forbidden
    p.ExternalEntityRefHandler = _forbidden
    return p


def _stream(zf: zipfile.ZipFile, member: str, parser: expat.XMLParserType) -> None:
    """Feed one zip member to `parser`; a limit's TableRefused passes through, a parse error
    becomes xlsx_unreadable, `_Enough` ends the scan quietly."""
    try:
        with zf.open(member) as f:
            while True:
                block = f.read(_BLOCK)
                if not block:
                    break
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except (TableRefused, _Enough):
        raise
    except Exception as exc:  # noqa: BLE001 - ExpatError, entities, and a damaged member: zlib.error,
        raise _unreadable(member, exc) from None  # BadZipFile, EOFError, an unsupported method or a password


def _local(name: str) -> str:
    return name.rpartition(_NS)[2]


def column_letters(index: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_COLUMN_CACHE: dict[str, int] = {}


def _column_index(ref: str) -> int | None:
    """The 1-based column of a cell reference ("C12" -> 3); None when it is not one."""
    letters = ref.rstrip("0123456789$").lstrip("$").upper()
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        if not letters or len(letters) > 7 or not letters.isascii() or not letters.isalpha():
            return None
        index = 0
        for ch in letters:
            index = index * 26 + ord(ch) - 64
        if len(letters) <= 3:  # the letters of real columns: a bounded cache
            _COLUMN_CACHE[letters] = index
    return index


@dataclass
class SheetScan:
    """What streaming a sheet found: its extent, and formulas without a stored result."""

    rows: int = 0  # the highest row number seen
    cells: int = 0
    complete: bool = True  # False when only the first rows were looked at
    # 0-based column -> (cells holding a formula without a stored result, first such row)
    uncalculated: dict[int, list[int]] = field(default_factory=dict)


def scan_sheet(zf: zipfile.ZipFile, member: str, sheet: str, limits: XlsxLimits,
               first_rows: int | None = None, until_dimension: bool = False,
               cells_left: int | None = None) -> SheetScan:
    """Stream a sheet's XML, refusing it when it passes a limit (only its first rows if asked).

    `until_dimension`: stop (incomplete) at a `<dimension>` that comes before the cells, which is
    where openpyxl's loading stops reading the sheet; without one, loading parses it all.

    `cells_left`: the cells the workbook's other sheets have left of `max_workbook_cells`.

    :raises TableRefused: xlsx_too_many_rows, xlsx_too_many_columns, xlsx_too_many_cells,
        xlsx_workbook_too_many_cells, xlsx_cell_too_long, xlsx_unreadable.
    """
    found = SheetScan()
    max_rows, max_cols, max_chars = limits.max_rows, limits.max_columns, limits.max_cell_chars
    max_cells = limits.max_cells if cells_left is None else min(limits.max_cells, cells_left)
    uncalculated = found.uncalculated
    cache = _COLUMN_CACHE
    digits = "0123456789"
    # The cell being read: its row and column, cells so far in its row, characters so far,
    # whether it holds a formula / a value, whether its <v> is open. Closure variables, not
    # attributes: this runs once per cell of every sheet read.
    row = col = in_row = rows_seen = cells = chars = 0
    has_f = has_v = in_v = False

    def end_cell() -> None:
        seen = uncalculated.get(col - 1)
        if seen is None:
            uncalculated[col - 1] = [1, row]
        else:
            seen[0] += 1

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, in_row, rows_seen, cells, chars, has_f, has_v, in_v
        if ":" in name:
            name = name.rpartition(":")[2]
        in_v = False
        if name == "c":
            if has_f:
                if not has_v:
                    end_cell()
                has_f = False
            has_v = False
            chars = 0
            ref = attrs.get("r")
            if ref:
                c = cache.get(ref.rstrip(digits))
                if c is None:
                    c = _column_index(ref)
                    if c is None:
                        raise _unreadable(member, ValueError(f"bad cell reference {ref!r}"))
                col = c
            else:
                col += 1
            in_row += 1
            cells += 1
            if col > max_cols or in_row > max_cols:
                raise TableRefused("xlsx_too_many_columns", sheet=sheet,
                                   column=column_letters(max(col, max_cols + 1)), limit=max_cols)
            if cells > max_cells:
                if cells > limits.max_cells:
                    raise TableRefused("xlsx_too_many_cells", sheet=sheet, limit=limits.max_cells)
                raise TableRefused("xlsx_workbook_too_many_cells", limit=limits.max_workbook_cells)
        elif name == "v":
            in_v = True  # a value only once text comes: openpyxl writes <v/> for a formula
        elif name == "row":
            if has_f:
                if not has_v:
                    end_cell()
                has_f = False
            has_v = False
            rows_seen += 1
            if first_rows is not None and rows_seen > first_rows:
                found.complete = False
                raise _Enough()
            ref = attrs.get("r")
            try:
                r = int(ref) if ref else row + 1
            except ValueError:
                raise _unreadable(member, ValueError(f"bad row number {ref!r}")) from None
            if r > max_rows:
                raise TableRefused("xlsx_too_many_rows", sheet=sheet, row=r, limit=max_rows)
            row = r
            col = in_row = 0
            if row > found.rows:
                found.rows = row
        elif name == "f":
            has_f = True
        elif name == "is":
            has_v = True
        elif name == "dimension" and until_dimension:
            found.complete = False
            raise _Enough()

    def text(data: str) -> None:
        nonlocal chars, has_v
        if in_v and not has_v and data.strip():
            has_v = True
        chars += len(data)
        if chars > max_chars:
            raise TableRefused("xlsx_cell_too_long", sheet=sheet, row=row, column=column_letters(max(col, 1)),
                               limit=max_chars)

    p = _parser(namespaces=False)
    p.StartElementHandler = start
    p.CharacterDataHandler = text
    try:
        _stream(zf, member, p)
    except _Enough:
        pass
    else:
        if has_f and not has_v:
            end_cell()
    found.rows, found.cells = max(found.rows, row), cells
    return found


def _manifest(zf: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The content types of the parts ([Content_Types].xml): (overrides by part, defaults by extension)."""
    if _CONTENT_TYPES not in names:
        raise TableRefused("bad_xlsx", detail="no [Content_Types].xml")
    try:
        root = safe_et.fromstring(zf.read(_CONTENT_TYPES))
    except Exception as exc:  # noqa: BLE001 - ParseError, defusedxml's *Forbidden
        raise _unreadable(_CONTENT_TYPES, exc) from None
    overrides, defaults = {}, {}
    for el in root:
        if el.tag == _CT + "Override" and el.get("PartName"):
            overrides[el.get("PartName").lstrip("/")] = el.get("ContentType", "")
        elif el.tag == _CT + "Default" and el.get("Extension"):
            defaults[el.get("Extension").lower()] = el.get("ContentType", "")
    return overrides, defaults


def _part_path(base: str, target: str) -> str:
    """A relationship target as a zip member name (relative to the part's folder, or absolute)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


class WorkbookGuard:
    """The limits of one workbook, checked part by part before openpyxl holds a part."""

    def __init__(self, path: str, limits: XlsxLimits) -> None:
        self.path = path
        self.limits = limits
        self.sheet_names: dict[str, str] = {}  # sheet member -> its name in the workbook
        self._scans: dict[str, SheetScan] = {}  # complete scans, by member
        self._cells = 0  # cells scanned so far, in every sheet

    def check_parts(self) -> None:
        """Refuse a workbook whose loading would make openpyxl hold too much.

        Run after the zip checks and before openpyxl opens the file.

        :raises TableRefused: xlsx_part_too_large, xlsx_part_too_complex, xlsx_too_many_sheets, xlsx_too_many_strings,
            xlsx_strings_too_long, xlsx_string_too_long, a sheet's limits (for a sheet loading reads whole),
            xlsx_unreadable, bad_xlsx.
        """
        limits = self.limits
        with zipfile.ZipFile(self.path) as zf:
            infos = {i.filename: i for i in zf.infolist()}
            manifest = infos.get(_CONTENT_TYPES)
            if manifest is not None and manifest.file_size > limits.max_part_bytes:
                raise TableRefused("xlsx_part_too_large", member=_CONTENT_TYPES, size=manifest.file_size,
                                   limit=limits.max_part_bytes)
            overrides, defaults = _manifest(zf, set(infos))

            def content_type(name: str) -> str:
                return overrides.get(name) or defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

            # Sheets are streamed (and scanned before they are read), shared strings are counted
            # below, pictures are never opened in read-only mode: every other part is read whole.
            worksheets = []
            for name, info in infos.items():
                kind = content_type(name)
                if kind == _WORKSHEET:
                    worksheets.append(name)
                if kind in (_WORKSHEET, _SHARED_STRINGS) or kind.startswith("image/") or name.endswith("/"):
                    continue
                if info.file_size > limits.max_part_bytes:
                    raise TableRefused("xlsx_part_too_large", member=name, size=info.file_size,
                                       limit=limits.max_part_bytes)
            self._count_parsed(zf, _CONTENT_TYPES)
            # openpyxl finds some parts by their declared type, some by the workbook's relationships,
            # some at fixed paths (styles, properties): each of them is counted, whatever it claims.
            parsed = {name for name in _FIXED_PARTS if name in infos}
            for name, kind in overrides.items():
                if name not in infos:
                    continue
                if kind in _WORKBOOKS:
                    self._count_parsed(zf, name)
                    parsed |= self._read_workbook_rels(zf, name, set(infos))
                elif kind == _SHARED_STRINGS:
                    self._count_strings(zf, name)
                elif kind in _PARSED_WHOLE:
                    parsed.add(name)
            for name in sorted(parsed - set(self.sheet_names)):
                if content_type(name) != _SHARED_STRINGS:
                    self._count_parsed(zf, name)
            # Loading reads a sheet up to its <dimension>, or the whole sheet when it has none.
            # openpyxl finds the sheets by the workbook's relationships, whatever their content type.
            for name in sorted(set(worksheets) | set(self.sheet_names)):
                if name in infos:
                    self._scan(zf, name, until_dimension=True)

    def _read_workbook_rels(self, zf: zipfile.ZipFile, member: str, names: set[str]) -> set[str]:
        """Count the workbook's sheets, learn their names and parts; return the other parts its
        relationships point at that openpyxl parses whole (styles, external links, chartsheets)."""
        limit = self.limits.max_sheets
        sheets: list[tuple[str, str]] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if name.rpartition(_NS)[2] == "sheet":
                if len(sheets) >= limit:
                    raise TableRefused("xlsx_too_many_sheets", limit=limit)
                rid = next((v for k, v in attrs.items() if k.rpartition(_NS)[2] == "id"), "")
                sheets.append((attrs.get("name", ""), rid))

        p = _parser()
        p.StartElementHandler = start
        _stream(zf, member, p)
        rels = posixpath.join(posixpath.dirname(member), "_rels", posixpath.basename(member) + ".rels")
        if rels not in names:
            return set()
        self._count_parsed(zf, rels)
        try:
            root = safe_et.fromstring(zf.read(rels))
        except Exception as exc:  # noqa: BLE001 - ParseError, defusedxml's *Forbidden
            raise _unreadable(rels, exc) from None
        targets = {el.get("Id"): el.get("Target", "") for el in root}
        for title, rid in sheets:
            if targets.get(rid):
                self.sheet_names[_part_path(member, targets[rid])] = title
        return {_part_path(member, el.get("Target", "")) for el in root
                if el.get("Target") and el.get("Type", "").rpartition("/")[2] in _PARSED_RELS}

    def _count_parsed(self, zf: zipfile.ZipFile, member: str) -> None:
        """Refuse a part openpyxl parses whole when it holds too many XML elements."""
        limit = self.limits.max_part_elements
        count = 0

        def start(_name: str, _attrs) -> None:
            nonlocal count
            count += 1
            if count > limit:
                raise TableRefused("xlsx_part_too_complex", member=member, limit=limit)

        p = _parser()
        p.StartElementHandler = start
        _stream(zf, member, p)

    def _count_strings(self, zf: zipfile.ZipFile, member: str) -> None:
        limits = self.limits
        max_strings, max_chars, max_one = limits.max_shared_strings, limits.max_shared_chars, limits.max_cell_chars
        strings = chars = one = 0

        def start(name: str, _attrs) -> None:
            nonlocal strings, one
            if name.rpartition(_NS)[2] == "si":
                strings += 1
                one = 0
                if strings > max_strings:
                    raise TableRefused("xlsx_too_many_strings", limit=max_strings)

        def text(data: str) -> None:
            nonlocal chars, one
            chars += len(data)
            one += len(data)
            if one > max_one:  # a text no Excel cell can hold
                raise TableRefused("xlsx_string_too_long", limit=max_one)
            if chars > max_chars:
                raise TableRefused("xlsx_strings_too_long", limit=max_chars)

        p = _parser()
        p.StartElementHandler = start
        p.CharacterDataHandler = text
        _stream(zf, member, p)

    def _scan(self, zf: zipfile.ZipFile, member: str, first_rows: int | None = None,
              until_dimension: bool = False) -> SheetScan:
        done = self._scans.get(member)
        if done is not None:
            return done
        title = self.sheet_names.get(member) or posixpath.splitext(posixpath.basename(member))[0]
        scan = scan_sheet(zf, member, title, self.limits, first_rows, until_dimension,
                          cells_left=self.limits.max_workbook_cells - self._cells)
        self._cells += scan.cells  # every sheet openpyxl reads, even in part, is read from one budget
        if scan.complete:
            self._scans[member] = scan
        return scan

    def sheet(self, member: str, first_rows: int | None = None) -> SheetScan:
        """Scan a sheet (its first rows if asked) before openpyxl reads its rows; complete scans are kept.

        :raises TableRefused: xlsx_too_many_rows, xlsx_too_many_columns, xlsx_too_many_cells,
            xlsx_cell_too_long, xlsx_unreadable.
        """
        with zipfile.ZipFile(self.path) as zf:
            return self._scan(zf, member, first_rows)
