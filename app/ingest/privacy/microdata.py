"""Person-level microdata without names: one row per person, recognised by its quasi-identifiers.

Statistical offices check k-anonymity before they release microdata: a row whose combination of
village, exact age, sex and disability type is shared by k - 1 other rows hides among k people; k = 1
points at one person. A table is microdata when it has a location column, an age or sex column, at
least three quasi-identifiers in all (app/data/quasi_identifier_headers.txt) and no count column:
an aggregate always has a number that counts (jumlah, jiwa, a percentage), microdata has none.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

from .headers import load_header_vocabulary, normalize_header
from .lexicons import QUASI_IDENTIFIERS_FILE, data_lines

ROLES = ("location", "age", "sex", "attribute")
MIN_ROWS = 10
# Header words of number columns that count nothing: row numbers, codes, periods, money, measures.
_NOT_COUNT_WORDS = frozenset(["no", "nomor", "urut", "nourut", "kode", "id", "tahun", "year", "bulan", "month",
                              "tanggal", "tgl", "rt", "rw", "nik", "kk", "nilai", "rp", "rupiah", "penghasilan",
                              "pendapatan", "berat", "tinggi", "luas", "skor", "nilai"])


@lru_cache(maxsize=1)
def load_quasi_identifiers() -> dict[str, str]:
    """phrase -> role, from the data file."""
    phrases: dict[str, str] = {}
    section = ""
    for line in data_lines(QUASI_IDENTIFIERS_FILE):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section in ROLES:
            phrases.setdefault(normalize_header(line), section)
    return phrases


def quasi_identifier_role(header: Any) -> str | None:
    """The role of a column header (location, age, sex, attribute), or None."""
    padded = f" {normalize_header(header)} "
    if any(f" {w} " in padded for w in load_header_vocabulary().count_words):
        return None  # "jumlah desa" counts villages
    best: tuple[int, str] | None = None
    for phrase, role in load_quasi_identifiers().items():
        if f" {phrase} " in padded and (best is None or len(phrase) > best[0]):
            best = (len(phrase), role)
    return best[1] if best else None


@dataclass
class MicrodataVerdict:
    columns: list[str]  # the quasi-identifiers, in table order
    rows: int
    unique_rows: int  # rows whose combination no other row shares (k = 1)
    k_min: int


def _is_number(v: Any) -> bool:
    t = type(v)
    if t is int or t is float:
        return True
    if t is not str:
        return False
    s = v.strip().replace(".", "").replace(",", "").replace("%", "").lstrip("-")
    return s.isdigit()


class MicrodataTracker:
    """Count quasi-identifier combinations over the first rows of a table."""

    def __init__(self, columns: Sequence[str], max_rows: int = 20_000) -> None:
        self.names = list(columns)
        self.roles = {i: r for i, c in enumerate(columns) if (r := quasi_identifier_role(c))}
        roles = set(self.roles.values())
        self.active = ("location" in roles and bool(roles & {"age", "sex"}) and len(self.roles) >= 3)
        count_words = load_header_vocabulary().count_words
        self.header_counts = any(set(normalize_header(c).split()) & count_words for c in columns)
        self.active = self.active and not self.header_counts
        # Other columns that hold only numbers so far: each may be a count (then it is an aggregate).
        # Other columns (and attributes other than age) that hold only numbers so far: each may be a
        # count, as in a wide table "Desa, Jenis Kelamin, Penyandang Disabilitas" (then it is an aggregate).
        self.numeric = {i: 0 for i, c in enumerate(columns)
                        if self.roles.get(i) not in ("age", "location", "sex")
                        and normalize_header(c) and not set(normalize_header(c).split()) & _NOT_COUNT_WORDS}
        self._last: dict[int, float | None] = dict.fromkeys(self.numeric)  # a 1, 2, 3... numbering counts nothing
        self.numbering = dict.fromkeys(self.numeric, True)
        self.max_rows = max_rows
        self.rows = 0
        self.combos: Counter[tuple] = Counter()
        self._qi = sorted(self.roles)

    def feed(self, row: Sequence[Any]) -> None:
        if not self.active or self.rows >= self.max_rows:
            return
        self.rows += 1
        width = len(row)
        for i in list(self.numeric):
            v = row[i] if i < width else None
            if v is None or v == "":
                continue
            if _is_number(v):
                self.numeric[i] += 1
                try:
                    n = float(str(v).replace(",", "."))
                except ValueError:
                    n = None
                last = self._last[i]
                if self.numbering[i] and not (n is not None and (last is None or n == last + 1)):
                    self.numbering[i] = False
                self._last[i] = n
            else:
                del self.numeric[i]
        self.combos[tuple(str(row[i]).strip().lower() if i < width and row[i] is not None else ""
                          for i in self._qi)] += 1

    def verdict(self) -> MicrodataVerdict | None:
        """The k-anonymity of a person-level table, or None when the table is not microdata."""
        counts = [i for i, n in self.numeric.items() if n and not self.numbering[i]]
        if not self.active or self.rows < MIN_ROWS or counts:
            return None
        unique = sum(1 for n in self.combos.values() if n == 1)
        return MicrodataVerdict([self.names[i] for i in self._qi], self.rows, unique, min(self.combos.values()))
