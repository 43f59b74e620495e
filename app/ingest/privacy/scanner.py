"""`PersonalDataScanner`: finds personal data in a table while the reader streams it."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Iterable, Sequence

from app.ingest.model import Note

from .addresses import looks_like_address
from .headers import header_is_exempt, load_header_vocabulary, match_header, normalize_header
from .identifiers import (
    _EMBEDDED_RE,
    _ONLY_TEXT,
    EXACT_KINDS,
    MANGLED_SHARE,
    PATTERN_HITS,
    VALUE_SHARE,
    _has_candidate,
    classify_value,
)
from .lexicons import load_institution_words, load_non_name_words
from .masks import _example, mask, mask_note
from .microdata import MicrodataTracker
from .names import column_is_person_names, find_names_in_text, name_word_count
from .split_identifiers import SplitIdentifierTracker

FINDING_KINDS = ("header", "nik", "kk", "phone", "email", "npwp", "person_rows", "person_names", "names_in_text",
                 "nik_split", "microdata")
# Header categories that over plain counts are counts (complaints by phone, recipients), not people.
COUNTABLE_HEADERS = frozenset(["phone", "email", "person"])
# Distinct text values kept per column for the name tests (the first rows' values).
DISTINCT_CAP = 2_000
# Under a header for people (penerima, KPM...), this share of values read as names is enough.
PERSON_HEADER_SHARE = 0.3
# A list of names has at least this many different ones (a lone "dinsos.ntbprov.go.id" is none).
MIN_NAMES = 3
# A value of this many words is a sentence: its column is free text, where a name can hide.
FREE_TEXT_WORDS = 4
NOTE_HEADERS = frozenset(["keterangan", "ket", "catatan", "uraian", "deskripsi", "penjelasan", "informasi",
                          "komentar", "note", "notes", "remarks", "comment", "comments", "description"])
# Streets are named after people (Jl. TGH. Faisal, Jl. Dr. Soetomo): not a mention of a person.
_STREETS_RE = re.compile(r"\b(?:jl|jln|jalan|gg|gang|lorong)\b\.?\s*[^,;()]*", re.IGNORECASE)
_MOBILE_RE = re.compile(r"^\s*(?:\+?62|0)\s*8")
_WEB_RE = re.compile(r"https?:|www\.|@|/|\w\.\w+\.\w")


def _name_candidates(values: Iterable[str]) -> list[str]:
    """The values a names test should read: no web addresses or e-mails."""
    return [v for v in values if not _WEB_RE.search(v)]
VALUE_KINDS = ("nik", "kk", "phone", "email", "npwp")


@dataclass
class Finding:
    column: str
    kind: str  # one of FINDING_KINDS
    count: int  # values that matched; 0 for a header-only finding
    total: int  # non-empty values examined in the column
    examples: list[str]  # masked, at most 3
    reason: Note
    columns: list[str] = field(default_factory=list)  # every column the finding is about (split NIK, microdata)

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "columns": list(self.columns) or [self.column],
            "kind": self.kind,
            "count": self.count,
            "total": self.total,
            "examples": list(self.examples),
            "reason": self.reason.as_dict(),
        }


class _ColumnState:
    __slots__ = (
        "name", "index", "header", "exempt", "mode", "hot", "nonempty", "strong",
        "weak", "examples", "text", "name_like", "multiword", "names", "name_examples",
        "address", "shape", "numeric_only", "distinct",
    )

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.header = match_header(name)  # (category, phrase) or None
        self.exempt = header_is_exempt(name)
        category = self.header[0] if self.header else ""
        self.mode = category if category in ("kk", "phone", "npwp") else ""
        self.hot = True  # checked on every row in the full phase
        self.nonempty = 0
        self.strong = dict.fromkeys(VALUE_KINDS, 0)
        self.weak = dict.fromkeys(VALUE_KINDS, 0)
        self.examples: dict[str, list[str]] = {k: [] for k in VALUE_KINDS}
        self.text = 0  # non-empty text values seen while shape is tracked
        self.name_like = 0
        self.multiword = 0
        self.names: set[int] | None = set()  # hashes of name-like values (capped)
        self.name_examples: list[str] = []
        self.address = 0
        self.shape = not self.exempt  # still a candidate for the shape test
        self.numeric_only = True  # every value a plain count (for ambiguous headers)
        self.distinct: set[str] = set()  # the first DISTINCT_CAP different text values (name tests)

    def matches(self) -> int:
        return sum(self.strong.values()) + sum(self.weak.values())


class PersonalDataScanner:
    """Find personal data in a streamed table (a `RowInspector`)."""

    def __init__(
        self,
        full_rows: int = 20_000,
        sample_every: int = 37,
        cold_after: int = 2_000,
        shape_rows: int = 20_000,
    ) -> None:
        self.full_rows = full_rows  # rows checked in full (all candidate columns)
        self.sample_every = max(1, sample_every)  # afterwards: one row in N
        self.cold_after = cold_after  # values without a match before a column cools
        self.shape_rows = shape_rows  # rows used for the names/uniqueness test
        self.columns: list[_ColumnState] = []
        self.rows_seen = 0
        self._hot: list[_ColumnState] = []
        self._non_name = load_non_name_words()
        self._outside: list[tuple[int, str, str]] = []
        self._split = SplitIdentifierTracker(0)
        self._micro = MicrodataTracker([])

    def start(self, columns: Sequence[str]) -> None:
        """Begin a table with these column headers."""
        self.columns = [_ColumnState("" if c is None else str(c), i) for i, c in enumerate(columns)]
        self._hot = list(self.columns)
        self.rows_seen = 0
        self._split = SplitIdentifierTracker(len(self.columns))
        self._micro = MicrodataTracker([c.name for c in self.columns], max_rows=self.shape_rows)
        self._outside: list[tuple[int, str, str]] = []  # (row, kind, masked example)

    def feed_many(self, rows: Sequence[Sequence[Any]], columns: Sequence[Sequence[Any]] | None = None) -> None:
        """Look at a chunk of raw data rows.

        The first `full_rows` go through `feed` (types, names, shape). Past them,
        each column of the chunk is searched at once for anything that could be an
        identifier (a long digit run, an '@', Excel's E+15), and only a chunk with
        such a candidate is checked value by value: every row is looked at, none is
        sampled away. `columns`, when given, is `rows` transposed (saves doing it again).
        """
        n = self.rows_seen
        head = max(0, min(len(rows), self.full_rows - n))
        for row in rows[:head]:
            self.feed(row)
        rest = rows[head:]
        if not rest:
            return
        self.rows_seen += len(rest)
        width = len(self.columns)
        if columns is None:
            columns = list(zip(*rest))
        elif head:
            columns = [c[head:] for c in columns]
        for col, values in zip(self.columns, columns):
            if col.index >= width:
                break
            if set(map(type, values)) != _ONLY_TEXT:  # XLSX: numbers, dates and None beside text
                texts = [v for v in values if type(v) is str]
                for v in values:
                    if (type(v) is int or type(v) is float) and v >= 1e8:
                        self._check(col, v, False)
                    elif v is not None and type(v) is not str:
                        col.nonempty += 1
                values = texts
            if not _has_candidate(values):
                col.nonempty += len(values) - values.count("")
                continue
            for v in values:
                if v:
                    self._check(col, v, False)

    def outside(self, row: int, values: Sequence[str]) -> None:
        """Look at a row left out of the table (title, note, total): the original file keeps it."""
        for v in values:
            found = classify_value(v)
            if found is None:
                continue
            kind, _weak = found
            if len(self._outside) < 3:
                m = _EMBEDDED_RE.search(v) if kind != "email" else None
                self._outside.append((row, kind, _example(m.group(0) if m else v, kind)))

    def outside_findings(self) -> list[dict[str, Any]]:
        """Identifiers found outside the table: the original file must then stay private."""
        return [{"row": row, "kind": kind, "example": example} for row, kind, example in self._outside]

    def feed(self, row: Sequence[Any]) -> None:
        """Look at one raw data row."""
        n = self.rows_seen
        self.rows_seen = n + 1
        if n < self.shape_rows:
            # Row-level tests: identifiers split over columns, person-level microdata.
            if self._split.live:
                self._split.feed(row)
            if self._micro.active:
                self._micro.feed(row)
        if n < self.full_rows:
            cols = self._hot
            if not cols:
                return
            shape = n < self.shape_rows
        elif n % self.sample_every:
            return
        else:
            cols = self.columns
            shape = False
        width = len(row)
        cooled = False
        for col in cols:
            i = col.index
            if i >= width:
                continue
            v = row[i]
            if v is None or v == "":
                continue
            self._check(col, v, shape)
            if col.hot and col.nonempty >= self.cold_after and self._cold(col, shape):
                col.hot = False
                cooled = True
        if cooled:
            self._hot = [c for c in self._hot if c.hot]

    @staticmethod
    def _cold(col: _ColumnState, shape: bool) -> bool:
        # Plainly not personal: no identifier so far, and not (or no longer)
        # a names/addresses candidate for the shape test.
        if col.matches():
            return False
        return not (shape and col.shape and (col.name_like or col.address))

    def _check(self, col: _ColumnState, v: Any, shape: bool) -> None:
        t = type(v)
        if t is str:
            s = v.strip()
            if not s:
                return
            col.nonempty += 1
            if col.numeric_only and not (s.isdigit() and (s[0] != "0" or s == "0") and len(s) < 10):
                col.numeric_only = False
            if shape and len(col.distinct) < DISTINCT_CAP:
                col.distinct.add(s)
            if shape and col.shape:
                self._shape(col, s)
            found = classify_value(s, col.mode)
        elif t is int or t is float:
            col.nonempty += 1
            if col.numeric_only and not (0 <= v < 10**9):
                col.numeric_only = False
            found = classify_value(v, col.mode) if v >= 1e8 else None
        else:
            col.nonempty += 1
            col.numeric_only = False
            return
        if found is None:
            return
        kind, weak = found
        if weak:
            col.weak[kind] += 1
        else:
            col.strong[kind] += 1
        examples = col.examples[kind]
        if len(examples) < 3:
            examples.append(_example(v, kind))

    def _shape(self, col: _ColumnState, s: str) -> None:
        col.text += 1
        words = name_word_count(s, self._non_name)
        if words:
            col.name_like += 1
            if 2 <= words <= 4:
                col.multiword += 1
            if col.names is not None:
                col.names.add(hash(s.lower()))
            if len(col.name_examples) < 3:
                col.name_examples.append(mask(s, "name"))
        if looks_like_address(s):
            col.address += 1
        # Give up on the shape test once the column is plainly not names/addresses.
        if col.text >= 200 and col.name_like < 0.5 * col.text and col.address < 0.3 * col.text:
            col.shape = False
            col.names = None

    # ---------------------------------------------------------------- results

    def _value_findings(self, col: _ColumnState) -> list[Finding]:
        out = []
        total = col.nonempty
        need_pattern = max(1, min(PATTERN_HITS, math.ceil(VALUE_SHARE * total)))
        need_mangled = max(1, min(PATTERN_HITS, math.ceil(MANGLED_SHARE * total)))
        for kind in VALUE_KINDS:
            strong, weak = col.strong[kind], col.weak[kind]
            need = 1 if kind in EXACT_KINDS else need_pattern
            if strong >= need:
                code, count = f"privacy.values.{kind}", strong + weak
            elif strong + weak >= need_mangled:
                code = "privacy.values.nik_mangled" if kind == "nik" else f"privacy.values.{kind}"
                count = strong + weak
            else:
                continue
            examples = list(col.examples[kind])
            out.append(Finding(col.name, kind, count, total, examples, Note(code, {
                "column": col.name, "count": count, "total": total,
                "examples": ", ".join(examples),
                "percent": round(100.0 * count / total, 1) if total else 0.0,
            })))
        return out

    def _is_name_column(self, col: _ColumnState) -> bool:
        if col.exempt or col.names is None or not col.text or not col.name_like:
            return False
        if col.name_like < 0.7 * col.text or col.multiword < 0.5 * col.name_like:
            return False
        return len(col.names) >= 0.9 * min(col.name_like, self.shape_rows)

    def _is_address_column(self, col: _ColumnState) -> bool:
        if col.exempt:
            return False
        if col.header and col.header[0] == "address":
            return True
        return col.text > 0 and col.address >= 0.5 * col.text

    def findings(self) -> list[Finding]:
        """Return what was found so far (masked examples only)."""
        out: list[Finding] = []
        id_columns: set[str] = set()
        verdicts = {col.index: column_is_person_names(_name_candidates(col.distinct))
                    for col in self.columns if col.distinct}
        named = {i for i, v in verdicts.items() if v.person and v.distinct >= MIN_NAMES}
        directory = not named and any(self._institution_column(c) for c in self.columns)
        for col in self.columns:
            office = directory and self._office_contact(col)
            if col.header and self._header_applies(col, verdicts) and not self._ambiguous_count(col) and not office:
                category, phrase = col.header
                out.append(Finding(col.name, "header", 0, col.nonempty, [], Note(
                    f"privacy.header.{category}",
                    {"column": col.name, "phrase": phrase, "category": category},
                )))
            values = [] if office else self._value_findings(col)
            if values:
                id_columns.add(col.name)
            out.extend(values)
        for col in self.columns:
            if col.index in named:
                v = verdicts[col.index]
                examples = [mask(e, "name") for e in v.examples[:3]]
                count = round(v.share * v.distinct)
                out.append(Finding(col.name, "person_names", count, v.distinct, examples, Note(
                    "privacy.person_names", {"column": col.name, "count": count, "total": v.distinct,
                                             "examples": ", ".join(examples)})))
            elif col.distinct and self._free_text(col):
                out.extend(self._names_in_text(col))
        out.extend(self._split_findings())
        out.extend(self._microdata_findings())
        addresses = [c.name for c in self.columns if self._is_address_column(c)]
        for col in self.columns:
            if not self._is_name_column(col):
                continue
            partners = [c for c in self._columns_in_order(id_columns, addresses) if c != col.name]
            if not partners:
                continue
            note = Note("privacy.person_rows", {
                "column": col.name, "count": col.name_like, "total": col.text,
                "examples": ", ".join(col.name_examples), "partners": ", ".join(partners),
            })
            out.append(Finding(col.name, "person_rows", col.name_like, col.text,
                               list(col.name_examples), note))
        return out

    @staticmethod
    def _header_applies(col: _ColumnState, verdicts: dict) -> bool:
        if col.header[0] != "person":
            return True
        # Penerima, KPM, peserta...: a list of people only when its values are names, else a count or
        # a category ("jenis peserta": Lansia, Anak).
        verdict = verdicts.get(col.index)
        return verdict is not None and (verdict.person or verdict.share >= PERSON_HEADER_SHARE)

    @staticmethod
    def _institution_column(col: _ColumnState) -> bool:
        """Most values name an institution (LKSA Nurul Iman, UPT Panti Sosial...): a directory of them."""
        if len(col.distinct) < 3:
            return False
        words = load_institution_words()
        hits = sum(1 for v in col.distinct if any(w.strip(".,:()").lower() in words for w in v.split()[:3]))
        return hits >= 0.6 * len(col.distinct)

    @staticmethod
    def _office_contact(col: _ColumnState) -> bool:
        """In a directory of institutions: their office address, or office landlines (never a mobile)."""
        category = col.header[0] if col.header else ""
        if category == "address":
            return True
        if category == "phone" or col.strong["phone"]:
            return col.examples["phone"] == [] or not any(_MOBILE_RE.match(v) for v in col.distinct)
        return False

    @staticmethod
    def _free_text(col: _ColumnState) -> bool:
        """Notes (Keterangan, Catatan): a notes header, or some values are sentences rather than labels."""
        if set(normalize_header(col.name).split()) & NOTE_HEADERS:
            return True
        return any(len(v.split()) >= FREE_TEXT_WORDS for v in col.distinct)

    @staticmethod
    def _names_in_text(col: _ColumnState) -> list[Finding]:
        """Names of people inside free text (Keterangan: "a/n Baiq Wahyuni")."""
        texts = [v for v in col.distinct if " " in v]
        if not texts:
            return []
        hits = 0
        examples: list[str] = []
        for text in texts:
            names = find_names_in_text(_STREETS_RE.sub(" ", text))
            if names:
                hits += 1
                if len(examples) < 3:
                    examples.append(mask_note(text, names))
        if not hits:
            return []
        total = len(col.distinct)
        return [Finding(col.name, "names_in_text", hits, total, examples, Note(
            "privacy.names_in_text", {"column": col.name, "count": hits, "total": total,
                                      "examples": ", ".join(examples)}))]

    def _split_findings(self) -> list[Finding]:
        out = []
        for cand in self._split.findings():
            names = [self.columns[i].name for i in cand.columns]
            kind = max(cand.kinds, key=cand.kinds.get)
            label = " + ".join(names)
            examples = [mask(e, "nik") for e in cand.examples]
            out.append(Finding(names[0], "nik_split", cand.hits, cand.seen, examples, Note(
                f"privacy.split.{kind}", {"column": label, "count": cand.hits, "total": cand.seen,
                                          "examples": ", ".join(examples)}), columns=names))
        return out

    def _microdata_findings(self) -> list[Finding]:
        verdict = self._micro.verdict()
        if verdict is None:
            return []
        label = ", ".join(verdict.columns)
        return [Finding(verdict.columns[0], "microdata", verdict.unique_rows, verdict.rows, [], Note(
            "privacy.microdata", {"column": label, "count": verdict.unique_rows, "total": verdict.rows,
                                  "k": verdict.k_min}), columns=list(verdict.columns))]

    def _columns_in_order(self, *groups: Iterable[str]) -> list[str]:
        """Return the named columns in table order, each once."""
        wanted = set().union(*map(set, groups))
        return [c.name for c in self.columns if c.name in wanted]

    def _ambiguous_count(self, col: _ColumnState) -> bool:
        # A bare "KK" header over plain counts is the number of families; "Telepon/WA" or "Penerima"
        # over plain counts count complaints by phone and recipients.
        return (
            col.header is not None
            and (col.header[1] in load_header_vocabulary().ambiguous or col.header[0] in COUNTABLE_HEADERS)
            and col.nonempty > 0
            and col.numeric_only
            and not col.matches()
        )


def find_personal_data(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Finding]:
    """Scan a whole table and return its personal-data findings."""
    scanner = PersonalDataScanner()
    scanner.start(columns)
    rows = iter(rows)
    while chunk := list(islice(rows, 4096)):
        scanner.feed_many(chunk)
    return scanner.findings()
