"""Read delimited text: sniff encoding and delimiter, stream rows of cell texts."""
from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from charset_normalizer import from_bytes

from .model import Note, TableRefused

DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024
SNIFF_RECORDS = 60

_MAGIC = (
    (b"\x89PNG", "png"),
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "rar"),
    (b"\x7fELF", "elf"),
)
# Control bytes that never appear in a spreadsheet export (tab, LF, CR, FF allowed).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_SINGLE_BYTE = ("cp1252", "iso8859_15", "mac_roman", "cp1250")


@dataclass
class CsvSource:
    """A delimited text file ready to be streamed as rows of strings."""

    path: str
    encoding: str
    delimiter: str
    notes: list[Note] = field(default_factory=list)
    format: str = "CSV"
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    merges: tuple = ()
    to_text = None  # rows are already lists of str

    @property
    def number_hint(self) -> str | None:
        """Indonesian Excel saves `;`-separated CSV with decimal commas."""
        return "id" if self.delimiter == ";" else None

    @contextmanager
    def open_rows(self) -> Iterator[Iterator[list[str]]]:
        """Open the file and give its records as lists of cell texts.

        The csv reader is handed out unwrapped (a wrapping generator is per-row
        cost); the caller maps csv.Error/UnicodeDecodeError to refusals.
        """
        errors = "strict" if self.encoding.startswith("utf") else "replace"
        with open(self.path, encoding=self.encoding, errors=errors, newline="") as f:
            # strict: an unclosed quote is an error, not one cell swallowing the file
            yield csv.reader(f, delimiter=self.delimiter, strict=True)


def _utf16_without_bom(head: bytes) -> str | None:
    even = head[0::2]
    odd = head[1::2]
    if not even or not odd:
        return None
    zero_even = even.count(0) / len(even)
    zero_odd = odd.count(0) / len(odd)
    if zero_odd > 0.4 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.4 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def _first_utf8_error(path: str) -> int | None:
    """Return the offset of the first invalid UTF-8 byte, or None if the file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            if not block:
                return None
            offset += len(block)


def detect_encoding(path: str) -> str:
    """Return the file's text encoding.

    :raises TableRefused: binary_file when the bytes are not text.
    """
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise TableRefused("binary_file", kind=kind)
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16:
            return utf16
        raise TableRefused("binary_file", kind="unknown")
    controls = sum(head.count(bytes((b,))) for b in _CONTROL)
    if head and controls * 100 > len(head):
        raise TableRefused("binary_file", kind="unknown")
    bad = _first_utf8_error(path)
    if bad is None:
        return "utf-8"
    with open(path, "rb") as f:
        f.seek(max(0, bad - 4096))
        sample = head[:8192] + b"\n" + f.read(16384)
    best = from_bytes(sample, cp_isolation=list(_SINGLE_BYTE)).best()
    if best is not None and best.encoding == "mac_roman":
        return "mac_roman"
    # Western/Central European guesses read the same letters; cp1252 is what
    # Indonesian Windows Excel writes, and it keeps – “ ” € that Latin-1 lacks.
    return "cp1252"


def _sample_text(path: str, encoding: str) -> str:
    with open(path, "rb") as f:
        raw = f.read(SNIFF_BYTES)
    text = raw.decode(encoding, errors="ignore")
    if len(raw) == SNIFF_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # drop a cut-off last line
    return text


def detect_delimiter(text: str) -> str:
    """Pick the delimiter that splits most records into the same number of cells."""
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r, _ in zip(csv.reader(io.StringIO(text), delimiter=delim), range(SNIFF_RECORDS)) if r]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        width, agree = Counter(multi).most_common(1)[0]
        score = (agree, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def open_csv(path: str | os.PathLike) -> CsvSource:
    """Sniff a delimited text file.

    :raises TableRefused: binary_file, not_a_table.
    """
    path = os.fspath(path)
    encoding = detect_encoding(path)
    text = _sample_text(path, encoding).lstrip("\ufeff")
    start = text.lstrip()[:15].lower()
    if start.startswith(("<!doctype", "<html", "<?xml")):
        raise TableRefused("not_a_table", kind="html")
    if start.startswith(("{", "[")):
        raise TableRefused("not_a_table", kind="json")
    return CsvSource(path=path, encoding=encoding, delimiter=detect_delimiter(text))
