"""The review's finding for small counts (the counting itself is done in the typed table)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from app.ingest.model import Note


@dataclass
class SmallCellFinding:
    column: str
    count: int  # cells with 0 < value < threshold
    total: int  # numeric cells seen
    rows: list[int]  # 0-based data-row indexes of the first 100 such cells
    threshold: int
    reason: Note

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "count": self.count,
            "total": self.total,
            "rows": list(self.rows),
            "threshold": self.threshold,
            "reason": self.reason.as_dict(),
        }


def small_cell_finding(column: str, count: int, total: int, rows: Sequence[int], threshold: int) -> SmallCellFinding:
    """The finding for a count column with `count` cells between 1 and threshold - 1."""
    note = Note("privacy.small_cells", {"column": column, "count": count, "threshold": threshold,
                                        "max_value": threshold - 1})
    return SmallCellFinding(column, count, total, list(rows), threshold, note)
