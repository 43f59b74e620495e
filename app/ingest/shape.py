"""Find where the table is: title rows, (two-row) header, numbering row, totals.

Works on the first rows of a sheet as lists of cell texts ("" for empty).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .model import Note, SkippedRow, TableRefused
from .types import NULLS, YEAR_MAX, YEAR_MIN

HEAD_ROWS = 60  # rows read ahead to find the header and judge the table's width

TOTAL_RE = re.compile(
    r"\s*(?:"
    r"(?:jumlah|jml\.?|total|grand\s+total|sub\s*-?\s*total|jumlah\s*/\s*total)"
    r"(?:\s+(?:total|keseluruhan|akhir|umum|se-?\s*ntb|ntb|provinsi(?:\s+ntb)?|prov\.?\s+ntb))?"
    r"|(?:provinsi|prov\.?)?\s*(?:ntb|nusa\s+tenggara\s+barat)"
    r")\s*:?\s*",
    re.I,
)
FOOTNOTE_RE = re.compile(r"\s*(?:sumber|keterangan|ket\s*[.:]|catatan|source|note|\*)", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBERING_CELL = re.compile(r"\s*\(?\s*(\d{1,3})\s*\)?\s*")
_NUMBERLIKE = re.compile(r"\s*[-+]?[\d.,]+\s*%?\s*")


def clean_header(text: str) -> str:
    """Trim a header cell and collapse its inner whitespace (line breaks too)."""
    return " ".join(text.split())


def unique_names(names: Sequence[str]) -> list[str]:
    """Name blank headers kolom_<n> and number repeats (tahun, tahun_2), case-blind."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(names):
        base = name or f"kolom_{i + 1}"
        candidate = base
        k = 2
        while candidate.lower() in seen:
            candidate = f"{base}_{k}"
            k += 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def first_text(row: Sequence[str]) -> str | None:
    """Return the first cell holding a letter (the row's label), if any."""
    for cell in row:
        if cell and _HAS_LETTER.search(cell):
            return cell
    return None


def is_total_label(label: str | None) -> bool:
    return label is not None and TOTAL_RE.fullmatch(label) is not None


def is_blank(row: Sequence[str]) -> bool:
    return not any(c.strip() for c in row)


def _filled(row: Sequence[str]) -> list[int]:
    return [i for i, c in enumerate(row) if c.strip()]


def _is_numberish(text: str) -> bool:
    return _NUMBERLIKE.fullmatch(text) is not None


def _is_year(text: str) -> bool:
    t = text.strip()
    return t.isdigit() and len(t) == 4 and YEAR_MIN <= int(t) <= YEAR_MAX


def is_numbering_row(row: Sequence[str], ncols: int) -> bool:
    """True for `(1) (2) (3)` or `1 2 3` under a header."""
    filled = _filled(row[:ncols])
    if len(filled) < 2 or len(filled) * 2 < ncols:
        return False
    numbers = []
    for i in filled:
        m = _NUMBERING_CELL.fullmatch(row[i])
        if not m:
            return False
        numbers.append(int(m.group(1)))
    return numbers[0] == 1 and numbers == list(range(1, len(numbers) + 1))


@dataclass
class Shape:
    header_row: int  # 1-based, first header row
    header_depth: int  # 1 or 2
    data_start: int  # 1-based row of the first candidate data row
    ncols: int
    names: list[str]
    originals: list[str]
    header_raw: list[str]
    totals_enabled: bool = True
    skipped: list[SkippedRow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _pick_header(head: list[list[str]]) -> int:
    counts = [len(_filled(r)) for r in head]
    best = max(counts)
    if best <= 1:
        return next(i for i, c in enumerate(counts) if c)
    need = max(2, int(0.4 * best + 0.999))
    for i, (row, count) in enumerate(zip(head, counts)):
        if count < need:
            continue
        texts = [row[j] for j in _filled(row)]
        numeric = sum(1 for t in texts if _is_numberish(t) and not _is_year(t))
        if numeric * 2 <= len(texts):
            return i
    return next(i for i, c in enumerate(counts) if c == best)


def _group_spans(top: list[str], merges: Sequence[tuple[int, int, int, int]], rownum: int, ncols: int) -> dict[int, int]:
    """Map column -> column holding its group label, from merged ranges on the header row."""
    spans: dict[int, int] = {}
    for r1, c1, r2, c2 in merges:
        if r1 == rownum and c2 > c1:
            for c in range(c1, min(c2, ncols)):
                spans[c] = c1 - 1
    return spans


def _two_row_header(
    top: list[str], sub: list[str], ncols: int, spans: dict[int, int]
) -> bool:
    a = set(_filled(top[:ncols]))
    b = set(_filled(sub[:ncols]))
    if not a or not b:
        return False
    if any(_is_numberish(sub[c]) and not _is_year(sub[c]) for c in b):
        return False
    under_gap = any(c not in a and c > min(a) for c in b)
    under_merge = any(c in spans for c in b)
    if not (under_gap or under_merge):
        return False
    # Either some top cells stand alone (merged downwards) or the merges say so.
    return bool(a - b) or bool(spans)


def _flatten(top: list[str], sub: list[str], ncols: int, spans: dict[int, int]) -> list[str]:
    """Join group headers with their sub-headers: "LKS Dibina" + "2022"."""
    names = []
    group = ""
    for c in range(ncols):
        t = clean_header(top[c])
        s = clean_header(sub[c])
        if t:
            # A top cell with sub-headers below (or merged across) opens a group.
            group = t if (s or c in spans) else ""
            names.append(f"{t} {s}" if s else t)
        elif s:
            g = clean_header(top[spans[c]]) if c in spans else group
            names.append(f"{g} {s}" if g else s)
        else:
            group = ""
            names.append("")
    return names


def detect_shape(
    head: list[list[str]],
    header_row: int | None = None,
    merges: Sequence[tuple[int, int, int, int]] = (),
) -> Shape:
    """Find header, width and the first data row in the first rows of a table.

    :raises TableRefused: empty_file, bad_header_row.
    """
    if not head or all(is_blank(r) for r in head):
        raise TableRefused("empty_file")
    if header_row is not None:
        h = header_row - 1
        if h < 0 or h >= len(head) or is_blank(head[h]):
            raise TableRefused("bad_header_row", row=header_row)
    else:
        h = _pick_header(head)

    top = head[h]
    filled = _filled(top)
    ncols = filled[-1] + 1
    width = max(len(r) for r in head)
    pad = [""] * width
    top = (top + pad)[:width]
    sub = (head[h + 1] + pad)[:width] if h + 1 < len(head) else pad
    spans = _group_spans(top, merges, h + 1, width)
    depth = 1
    notes: list[Note] = []
    if _two_row_header(top, sub, width, spans):
        depth = 2
        sub_filled = _filled(sub)
        ncols = max(ncols, sub_filled[-1] + 1, max((c + 1 for c in spans), default=0))
        originals = _flatten(top, sub, ncols, spans)
        notes.append(Note("header_two_rows", {"rows": f"{h + 1}-{h + 2}"}))
    else:
        originals = [clean_header(t) for t in top[:ncols]]

    skipped = [
        SkippedRow(i + 1, "blank" if is_blank(r) else "title", [c for c in r if c.strip()])
        for i, r in enumerate(head[:h])
    ]
    start = h + depth  # 0-based index of the row after the header
    if start < len(head) and is_numbering_row(head[start], ncols):
        skipped.append(SkippedRow(start + 1, "numbering", [c for c in head[start][:ncols] if c.strip()]))
        start += 1

    # Columns past the header that most sample rows fill are unnamed columns, not
    # ragged rows (a lone long row is still refused later).
    sample = [r for r in head[start:] if not is_blank(r)]
    if len(sample) >= 2:
        for c in range(ncols, width):
            used = sum(1 for r in sample if c < len(r) and r[c].strip())
            if used >= 2 and used * 2 > len(sample):
                ncols = c + 1
        originals = (originals + [""] * ncols)[:ncols]

    labels = [first_text(r) for r in sample]
    totals = sum(1 for lab in labels if is_total_label(lab))
    totals_enabled = not (totals >= 2 and totals * 2 > len(sample))
    if not totals_enabled:
        notes.append(Note("totals_not_detected", {"count": totals}))

    names = unique_names(originals)
    if any(not o for o in originals):
        notes.append(Note("header_blank_named", {"columns": ", ".join(n for n, o in zip(names, originals) if not o)}))
    dupes = [n for n, o in zip(names, originals) if o and n != o]
    if dupes:
        notes.append(Note("header_duplicates_renamed", {"columns": ", ".join(dupes)}))

    return Shape(
        header_row=h + 1,
        header_depth=depth,
        data_start=start + 1,
        ncols=ncols,
        names=names,
        originals=originals,
        header_raw=list(head[h]),
        totals_enabled=totals_enabled,
        skipped=skipped,
        notes=notes,
    )


def footnote(row: Sequence[str]) -> bool:
    """True for a lone `Sumber: ...` / `Keterangan: ...` line below the data."""
    label = first_text(row)
    return label is not None and FOOTNOTE_RE.match(label) is not None and len(_filled(row)) == 1


__all__ = [
    "HEAD_ROWS", "NULLS", "Shape", "detect_shape", "unique_names", "clean_header",
    "first_text", "is_total_label", "is_blank", "is_numbering_row", "footnote",
]
