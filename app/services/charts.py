"""The chart of a table view: which columns it shows, chosen by their roles, and its figures as
this reader may see them.

A chart adds up a *measure* (a count or an amount) or averages a *rate* (a percentage), per
year (a line), per region (bars, regions by their names) or per category (bars); it never
adds up row numbers, codes, years or percentages (`app.tables.roles`). Cells hidden from
the reader never feed it: their column is summed without them (and the chart says so), and
never averaged. The reader may pick the measure, the grouping and the chart type; an empty
or unknown choice means the default. Drawing it is `chart_drawing`'s job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from flask_babel import gettext as _

from ..tables import FILTERED_COUNT_CAP, Query, Table, roles

KINDS = ("bar", "column", "line")
PUBLISHER = "Dinas Sosial Provinsi NTB"
_UNIT_COLUMNS = {"satuan", "unit", "satuan_ukuran"}
MIXED = "mixed_units"  # a number beside a unit column of several units: neither summed nor averaged
_MAX_GROUPS = 1000  # a label with more values (names, addresses) groups nothing


@dataclass
class Point:
    label: str  # as the reader reads it: a region's name, "–" for an empty cell
    value: float


@dataclass
class Chart:
    """One chart of a table view, ready to draw or to read as a table."""

    measure: str  # column names (the API's, the form's values)
    group: str
    kind: str  # one of KINDS
    mean: bool  # averaged (a rate), not summed
    measure_label: str
    group_label: str
    unit: str | None
    title: str
    source: str
    points: list[Point] = field(default_factory=list)
    measures: list[tuple[str, str]] = field(default_factory=list)  # (name, label) the reader may pick
    groups: list[tuple[str, str]] = field(default_factory=list)
    without_hidden: bool = False  # the measure has cells hidden from this reader: summed without them
    too_many_rows: bool = False  # a filtered view too big to group: filter further
    max_rows: int = FILTERED_COUNT_CAP

    @property
    def value_label(self) -> str:
        """The value axis' title: the measure, its unit, and "average" when averaged."""
        text = _("Average %(measure)s", measure=_lower_first(self.measure_label)) if self.mean else self.measure_label
        return f"{text} ({self.unit})" if self.unit and f"({self.unit})" not in text else text


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Tahun" -> "tahun", "Kabupaten/Kota" -> "kabupaten/kota";
    acronyms keep their capitals ("LKS Dibina" -> "LKS dibina", "KK terdampak")."""
    return re.sub(r"\b(?!Rp\b)([A-Z])([a-z]+)\b", lambda m: m.group(1).lower() + m.group(2), text)


def _unit_column(table: Table, summary: Mapping[str, Any]) -> str | None:
    """The one value of the table's unit column ("orang", "%"), when it has one value only."""
    for c in table.columns:
        if c["name"].lower() in _UNIT_COLUMNS and c["type"] == "text":
            top = [v for v, _n in (summary.get(c["name"]) or {}).get("top") or [] if v]
            if len(top) == 1:
                return str(top[0])
    return None


def _percent_units(table: Table, summary: Mapping[str, Any]) -> bool:
    """Whether the table's unit column says every figure is a percentage."""
    for c in table.columns:
        if c["name"].lower() in _UNIT_COLUMNS and c["type"] == "text":
            top = [str(v).strip().lower() for v, _n in (summary.get(c["name"]) or {}).get("top") or [] if v]
            return bool(top) and all(v in ("%", "persen", "percent") for v in top)
    return False


def _mixed_units(table: Table, summary: Mapping[str, Any]) -> bool:
    """Whether the table's unit column holds several units (%, jiwa, nilai): its rows' figures
    do not add up across rows."""
    for c in table.columns:
        if c["name"].lower() in _UNIT_COLUMNS and c["type"] == "text":
            return len([v for v, _n in (summary.get(c["name"]) or {}).get("top") or [] if v]) > 1
    return False


def column_roles(table: Table, summary: Mapping[str, Any]) -> dict[str, str]:
    """Column name -> its role in a chart (see `app.tables.roles`); beside a unit column with
    several units, a count or amount is no measure (70 % and 800 jiwa do not add up)."""
    percent, mixed = _percent_units(table, summary), _mixed_units(table, summary)
    found = {c["name"]: roles.role(c, summary.get(c["name"]), table.row_count, unit_is_percent=percent)
             for c in table.columns}
    return {n: (MIXED if mixed and r == roles.MEASURE else r) for n, r in found.items()}


def _groups(table: Table, summary: Mapping[str, Any], kinds: dict[str, str]) -> list[str]:
    """What a chart may group by, the default first: a year, then a region, then a category."""
    order = {roles.YEAR: 0, roles.REGION: 1, roles.CATEGORY: 2}
    found = []
    for c in table.columns:
        kind = kinds[c["name"]]
        if kind not in order or c["name"].lower() in _UNIT_COLUMNS:
            continue
        entry = summary.get(c["name"]) or {}
        distinct = entry.get("distinct")
        if distinct is not None and (distinct > _MAX_GROUPS or distinct <= 1):
            continue
        if kind == roles.YEAR and entry.get("min") is not None and entry.get("min") == entry.get("max"):
            continue  # one year only: a line of one point says nothing
        # a region's code first: grouped by it, the bars carry the official names
        found.append((order[kind], 0 if c["type"] == "region_code" else 1, len(found), c["name"]))
    return [name for *_rank, name in sorted(found)]


def _measures(table: Table, kinds: dict[str, str]) -> list[str]:
    """What a chart may show: counts and amounts first, then rates (those without hidden cells)."""
    counts = [c["name"] for c in table.columns if kinds[c["name"]] == roles.MEASURE]
    rates = [c["name"] for c in table.columns if kinds[c["name"]] == roles.RATE
             and not table.sums_without_hidden(c["name"])]
    return counts + rates


def _unit(column: dict[str, Any], kind: str, table_unit: str | None) -> str | None:
    label = roles.label(column).lower()
    if "(rp)" in label or "rupiah" in label or column["name"].lower().endswith("_rp"):
        return "Rp"
    if kind == roles.RATE and ("%" in label or "persen" in label or table_unit == "%"):
        return "%"
    return table_unit if kind == roles.MEASURE and table_unit and table_unit != "%" else None


def _group_label(column: dict[str, Any]) -> str:
    """A grouping's label: a region code column reads as the regions it names ("Kabupaten/kota")."""
    text = roles.label(column)
    if column["type"] == "region_code":
        bare = re.sub(r"^(kode|kd|code)\s+", "", text, flags=re.I)
        return bare[:1].upper() + bare[1:]
    return text


def _point_label(value: Any, column: dict[str, Any]) -> str:
    if value is None or value == "":
        return "–"
    if column["type"] == "region_code":
        return roles.region_name(value) or str(value)
    return str(value)


def build(table: Table, query: Query, summary: Mapping[str, Any], dataset_title: str,
          publisher: str | None = None, measure: str | None = None, group: str | None = None,
          kind: str | None = None) -> Chart | None:
    """The chart of the query's filtered rows; None when the table has nothing to chart."""
    kinds = column_roles(table, summary)
    groups, measures = _groups(table, summary, kinds), _measures(table, kinds)
    if not groups or not measures:
        return None
    by_name = {c["name"]: c for c in table.columns}
    group = group if group in groups else groups[0]
    measure = measure if measure in measures else measures[0]
    is_year = kinds[group] == roles.YEAR
    kind = kind if kind in KINDS else ("line" if is_year else "bar")
    mean = kinds[measure] == roles.RATE
    m_col, g_col = by_name[measure], by_name[group]
    m_label, g_label = roles.label(m_col), _group_label(g_col)
    title = (_("Average %(measure)s per %(group)s", measure=_lower_first(m_label), group=_lower_first(g_label))
             if mean else _("%(measure)s per %(group)s", measure=m_label, group=_lower_first(g_label)))
    chart = Chart(measure=measure, group=group, kind=kind, mean=mean, measure_label=m_label, group_label=g_label,
                  unit=_unit(m_col, kinds[measure], _unit_column(table, summary)), title=title,
                  source=_("Source: %(publisher)s, %(title)s", publisher=publisher or PUBLISHER, title=dataset_title),
                  measures=[(n, roles.label(by_name[n])) for n in measures],
                  groups=[(n, _group_label(by_name[n])) for n in groups],
                  without_hidden=table.sums_without_hidden(measure))
    bars = table.group_sums(group, measure, Query(filters=query.filters, q=query.q), mean=mean)
    if bars is None:
        chart.too_many_rows = True
        return chart
    if is_year:
        bars = sorted(bars, key=lambda kv: (kv[0] is None, kv[0] if kv[0] is not None else 0))
    chart.points = [Point(_point_label(label, g_col), _rounded(value, mean or m_col["type"] == "decimal"))
                    for label, value in bars if value is not None]
    return chart


def _rounded(value: float, decimal: bool) -> float:
    return round(float(value), 2) if decimal else (int(value) if float(value).is_integer() else float(value))
