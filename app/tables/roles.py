"""What a column is to a reader: its human label and description, and its role in a chart.

One place for every door: the preview's headers, the filters, the chart, the downloads'
metadata (datapackage.json, the JSON export) and the API's `info.label` all call `label`
and `description`, so a column reads the same everywhere while its raw name stays the key.

A column's label comes from the data dictionary when it has one (a `label` and
`description` in the column's stored dict), else from the header as it appeared in the
file (`original`, when it reads like words: "Fakir Miskin"), else from its stored name made
readable (`korban_meninggal` -> "Korban meninggal", `jml_lks` -> "Jumlah LKS").

Roles say what a chart may do with a column: a `measure` (counts, amounts) is summed, a
`rate` (percentages, ratios, indexes) is averaged, never summed; a `row_number` (`No`), a
`code` (`kode_*`, region codes) and a `year` are never added up: years and regions and
categories are what a chart groups by.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from ..ingest.regions import REGIONS
from .disclosure import header_kind

# Abbreviations office tables use in headers, and how a reader says them.
_WORDS = {
    "jml": "jumlah", "jmlh": "jumlah", "kab": "kabupaten", "kec": "kecamatan", "kel": "kelurahan",
    "thn": "tahun", "prov": "provinsi", "pddk": "penduduk", "pend": "pendidikan", "ket": "keterangan",
    "lk": "laki-laki", "pr": "perempuan", "rp": "Rp",
}
# Units written after the words they measure.
_UNITS = {"persen": "(%)", "pct": "(%)", "rp": "(Rp)", "rupiah": "(Rp)"}
# Acronyms written in capitals.
_ACRONYMS = {
    "lks", "kpm", "asn", "pmks", "ppks", "pkh", "bpnt", "kk", "ntb", "odha", "napza", "bnba", "nik", "bps", "pns",
    "lksa", "lpks", "kube", "rtlh", "dtks", "apbd", "apbn", "sakip", "id", "rt", "rw", "psks", "tksk", "pkm",
    "bst", "blt", "sd", "smp", "sma", "odgj", "kat", "tagana",
}
_SPLIT = re.compile(r"[_\s]+")

_ROW_NUMBER_NAMES = re.compile(r"^(no\.?|nomor|nomer|no[_ ]?urut|nomor[_ ]?urut|urut|#|n°)$", re.I)
_CODE_NAMES = re.compile(r"^(kode|kd|code|id|nip|npwp|kode[_ ].*|kd[_ ].*|.*[_ ]kode|id[_ ].*|.*[_ ]id|code[_ ].*)$", re.I)
_RATE_NAMES = re.compile(r"(persen|persentase|prosentase|percent|pct|%|rasio|ratio|rate|capaian|indeks|index|"
                         r"rata|average|mean|tingkat|proporsi|share)", re.I)
_YEAR_NAMES = re.compile(r"^(tahun|year|thn|th)$", re.I)
_REGION_NAMES = re.compile(r"(kabupaten|kab_|kota|wilayah|region|kecamatan|provinsi|daerah)", re.I)

MEASURE, RATE, ROW_NUMBER, CODE, YEAR, REGION, CATEGORY, DATE = (
    "measure", "rate", "row_number", "code", "year", "region", "category", "date")


def readable(name: str) -> str:
    """A stored column name as a reader says it: `korban_meninggal` -> "Korban meninggal"."""
    if name.lower().endswith("kabupaten_kota"):
        name = name[: -len("kabupaten_kota")] + "kabupaten/kota"
    words: list[str] = []
    for word in _SPLIT.split(name.strip()):
        low = word.lower()
        if not low:
            continue
        if words and low in _UNITS:  # a unit after the words: "nilai_bantuan_rp" -> "Nilai bantuan (Rp)"
            words.append(_UNITS[low])
        elif low in _ACRONYMS:
            words.append(low.upper())
        else:
            words.append(_WORDS.get(low, low))
    if not words:
        return name
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _reads_like_words(text: str) -> bool:
    """A header written for people: words with spaces, not a shouted or snake_case name."""
    text = text.strip()
    return bool(text) and "_" not in text and not text.isupper() and any(ch.isalpha() for ch in text)


def label(column: Mapping[str, Any]) -> str:
    """The column's human label: the data dictionary's, the file's header, or its name made readable."""
    given = column.get("label")
    if isinstance(given, str) and given.strip():
        return given.strip()
    original = " ".join(str(column.get("original") or "").split())
    if _reads_like_words(original) and len(original) <= 80:
        return original[:1].upper() + original[1:]
    return readable(str(column["name"]))


def description(column: Mapping[str, Any]) -> str | None:
    """The column's description from the data dictionary, if it has one."""
    given = column.get("description")
    return given.strip() if isinstance(given, str) and given.strip() else None


def info(column: Mapping[str, Any]) -> dict[str, str]:
    """The column's data dictionary entry as CKAN's DataStore gives it (`info.label`, `info.notes`)."""
    out = {"label": label(column)}
    if description(column):
        out["notes"] = description(column)
    return out


def labels(columns: list[Mapping[str, Any]]) -> dict[str, str]:
    """Column name -> human label, for a table's columns."""
    return {c["name"]: label(c) for c in columns}


def role(column: Mapping[str, Any], summary: Mapping[str, Any] | None = None, row_count: int | None = None,
         unit_is_percent: bool = False) -> str:
    """What a chart may do with the column (see the module's docstring).

    `summary` is the column's stored summary (min, max, sum), which tells a row-number
    column (1..n) from a count; `unit_is_percent`: the table's unit column says "%".
    """
    name = str(column["name"])
    words = f"{name} {column.get('original') or ''}"
    ctype = column["type"]
    if ctype == "year" or (ctype == "integer" and _YEAR_NAMES.match(name)):
        return YEAR
    if ctype == "region_code":
        return REGION
    if ctype == "date":
        return DATE
    if ctype == "text":
        return CODE if _CODE_NAMES.match(name) else (REGION if _REGION_NAMES.search(name) else CATEGORY)
    said = header_kind(dict(column))
    if said == "numbering" or _ROW_NUMBER_NAMES.match(name.strip()):
        return ROW_NUMBER
    if said == "code" or _CODE_NAMES.match(name) or _looks_like_region_codes(summary):
        return CODE
    if said == "period":  # bulan, triwulan: a period to group by, never a figure
        return CATEGORY
    if ctype == "integer" and _counts_rows(summary, row_count):
        return ROW_NUMBER
    if said == "rate" or (said != "money" and _RATE_NAMES.search(words)) or unit_is_percent:
        return RATE
    return MEASURE


def _looks_like_region_codes(summary: Mapping[str, Any] | None) -> bool:
    """Numbers that are all NTB region codes written without the dot (5201 .. 5272)."""
    if not summary or summary.get("min") is None:
        return False
    lo, hi = summary["min"], summary["max"]
    return 5200 <= lo <= hi <= 5299 or 520100 <= lo <= hi <= 529999


def _counts_rows(summary: Mapping[str, Any] | None, row_count: int | None) -> bool:
    """1, 2, ..., n down the table: the row number a printed table starts with."""
    if not summary or not row_count or row_count < 3 or summary.get("nulls"):
        return False
    return summary.get("min") == 1 and summary.get("max") == row_count and summary.get("sum") == row_count * (row_count + 1) // 2


def region_name(code: Any) -> str | None:
    """The official name of an NTB region code ("52.01" -> "Kabupaten Lombok Barat")."""
    return REGIONS.get(str(code)) if code is not None else None
