"""What the table's writer and its readers agree on: column type groups, chart axes, sizes."""
from __future__ import annotations

from typing import Any, Sequence

SQL_TYPES = {
    "integer": "INTEGER",
    "year": "INTEGER",
    "decimal": "REAL",
    "date": "TEXT",
    "text": "TEXT",
    "region_code": "TEXT",
}
NUMERIC = {"integer", "year", "decimal"}
BATCH = 5000
TOP_VALUES = 10
FILTERED_COUNT_CAP = 10_000
CHART_LABEL_TYPES = ("text", "region_code", "year")
CHART_VALUE_TYPES = ("integer", "decimal")
CHART_BARS = 30
CHART_MAX_GROUPS = 1000


def chart_axes(columns: Sequence[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """Columns a chart can group by (labels) and sum (values)."""
    labels = [i for i, c in enumerate(columns) if c["type"] in CHART_LABEL_TYPES]
    values = [i for i, c in enumerate(columns) if c["type"] in CHART_VALUE_TYPES]
    return labels, values
