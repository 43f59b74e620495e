"""A NIK or KK split over neighbouring columns (8 + 8 digits; kode wilayah 6 + tanggal lahir 6 + nomor urut 4).

Each part alone is a harmless-looking number; joined per row they are a valid identifier. Pairs and
triples of neighbouring columns that hold only digits are joined row by row and checked by structure
(`classify_id16`: region code, birth date). A candidate that fails on most of its first rows is dropped,
so an ordinary table stops costing anything after a few dozen rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .identifiers import classify_id16

# Rows a candidate is given before it must show hits on half of them.
TRIAL_ROWS = 40
HIT_SHARE = 0.5
MIN_HITS = 3


@dataclass
class _Candidate:
    columns: tuple[int, ...]
    seen: int = 0
    hits: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)


def _digits(v: Any) -> str | None:
    if type(v) is int:
        return str(v) if v >= 0 else None
    if type(v) is float:
        return str(int(v)) if v.is_integer() and v >= 0 else None
    if type(v) is not str:
        return None
    s = v.strip().lstrip("'")
    return s if s.isdigit() and s.isascii() else None


class SplitIdentifierTracker:
    """Join neighbouring all-digit columns per row and count the joins that are a NIK or KK."""

    def __init__(self, width: int) -> None:
        self.live = [_Candidate((i, i + 1)) for i in range(width - 1)]
        self.live += [_Candidate((i, i + 1, i + 2)) for i in range(width - 2)]
        self.found: list[_Candidate] = []

    def feed(self, row: Sequence[Any]) -> None:
        if not self.live:
            return
        width = len(row)
        keep = []
        for cand in self.live:
            if cand.columns[-1] >= width:
                keep.append(cand)
                continue
            cand.seen += 1
            parts = [_digits(row[i]) for i in cand.columns]
            if all(parts):
                joined = self._join(parts, [row[i] for i in cand.columns])
                found = classify_id16(joined) if joined else None
                if found:
                    cand.hits += 1
                    cand.kinds[found[0]] = cand.kinds.get(found[0], 0) + 1
                    if len(cand.examples) < 3:
                        cand.examples.append(" + ".join(parts))
            if cand.seen >= TRIAL_ROWS and cand.hits < HIT_SHARE * cand.seen:
                continue  # dropped: not an identifier in pieces
            keep.append(cand)
        self.live = keep

    @staticmethod
    def _join(parts: list[str], raw: list[Any]) -> str | None:
        joined = "".join(parts)
        if len(joined) == 16:
            return joined
        if len(joined) < 16 and type(raw[-1]) in (int, float):
            # A serial typed as a number lost its leading zeros (0001 -> 1).
            last = parts[-1].zfill(16 - len("".join(parts[:-1])))
            joined = "".join(parts[:-1]) + last
            return joined if len(joined) == 16 else None
        return None

    def findings(self) -> list[_Candidate]:
        """Candidates whose joins were identifiers on at least half of their rows."""
        out = [c for c in self.live if c.hits >= min(MIN_HITS, max(1, c.seen)) and c.hits >= HIT_SHARE * c.seen]
        # A triple that contains a found pair says the same thing twice: keep the narrower one.
        pairs = {c.columns for c in out if len(c.columns) == 2}
        return [c for c in out if len(c.columns) == 2
                or not ({c.columns[:2], c.columns[1:]} & pairs)]
