"""Column type inference over whole columns, and parsing of cell text into values.

Inference works on column *chunks*: the non-null values of a few thousand rows
are joined with newlines and each candidate type is tested with one anchored
regex over the joined text, so the per-cell cost stays in C. A column keeps a
candidate type only while every chunk passes it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Sequence

from .model import Note
from .regions import REGION_CODE_FORMS

# Cell texts that mean "no value" (compared after stripping).
NULLS = frozenset(
    {
        "", "-", "--", "---", "—", "–", "n/a", "N/A", "N/a", "NA", "na", "n.a.", "N.A.",
        "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
    }
)

YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_INT_DIGITS = 15  # 16-digit identifiers (NIK, KK) stay text

_RP = r"(?:[Rr][Pp]\.? ?)?"
_PCT = r"(?: ?%)?"
_PLAIN = r"(?:0|[1-9]\d{0,14})"
_P_INT_PLAIN = r"-?" + _PLAIN
_P_ID_INT = _RP + r"-?(?:[1-9]\d{0,2}(?:\.\d{3})+|" + _PLAIN + ")" + _PCT
_P_EN_INT = _RP + r"-?(?:[1-9]\d{0,2}(?:,\d{3})+|" + _PLAIN + ")" + _PCT
_P_ID_NUM = _RP + r"-?(?:[1-9]\d{0,2}(?:\.\d{3})+|" + _PLAIN + r")(?:,\d+)?" + _PCT
_P_EN_NUM = _RP + r"-?(?:[1-9]\d{0,2}(?:,\d{3})+|" + _PLAIN + r")(?:\.\d+)?" + _PCT

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_P_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}"
    r"|\d{1,2}[ -](?i:" + _MONTH_ALT + r")\.?[ -]\d{4})"
)


def _all(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` to fully match newline-joined values."""
    return re.compile(r"(?:" + pattern + r")(?:\n(?:" + pattern + r"))*")


_ALL_INT_PLAIN = _all(_P_INT_PLAIN)
_ALL_ID_INT = _all(_P_ID_INT)
_ALL_EN_INT = _all(_P_EN_INT)
_ALL_ID_NUM = _all(_P_ID_NUM)
_ALL_EN_NUM = _all(_P_EN_NUM)
_ALL_DATE = _all(_P_DATE)
# Plain English decimals (12.5, -0.25): most decimal columns, tested before the full pattern.
_ALL_EN_PLAIN_DEC = _all(r"-?" + _PLAIN + r"(?:\.\d+)?")

_ONE_NUM = re.compile(r"(?:" + _P_ID_NUM + r")|(?:" + _P_EN_NUM + r")")
_ONE_DATE = re.compile(_P_DATE)
_LEADING_ZERO = re.compile(r"[+-]?0\d+")
_LONG_DIGITS = re.compile(r"\d{16,}")
_SCIENTIFIC = re.compile(r"-?\d+(?:[.,]\d+)?[eE][+-]?\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NAMED_DATE = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$")

_YEAR_HINT = re.compile(r"tahun|year|\bthn\b", re.I)
_REGION_HINT = re.compile(r"kode|\bkd\b|kab|kota|wilayah|region|prov|bps|kemendagri", re.I)

# Flags a column keeps while every chunk passes; order matters for `decide`.
_CHECKS = (
    ("int_plain", _ALL_INT_PLAIN),
    ("id_int", _ALL_ID_INT),
    ("en_int", _ALL_EN_INT),
    ("id_num", _ALL_ID_NUM),
    ("en_num", _ALL_EN_NUM),
    ("date", _ALL_DATE),
)


# --------------------------------------------------------------------------- parsing


def parse_date(text: str) -> dt.date | None:
    """Parse ISO, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or "17 Agustus 2023"."""
    text = text.strip()
    try:
        m = _ISO_DATE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY_DATE.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = _NAMED_DATE.match(text)
        if m:
            month = _MONTHS.get(m.group(2).lower())
            if month:
                return dt.date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None
    return None


def _clean_number(text: str, style: str | None) -> str:
    """Reduce a number in `style` to what float()/int() accept."""
    s = text.strip()
    if s[:2] in ("Rp", "RP", "rp", "rP"):
        s = s[2:].lstrip(". ")
    if s.endswith("%"):
        s = s[:-1].rstrip()
    if style == "id":
        return s.replace(".", "").replace(",", ".")
    return s.replace(",", "")


def parse_number(text: str, style: str | None, integer: bool) -> int | float | None:
    """Parse one number written in `style` ("id" or "en"); None if it is not one."""
    s = text.strip()
    if not s or s in NULLS or not _ONE_NUM.fullmatch(s):
        return None
    if style is None:
        style = "en"
    probe = _ALL_ID_NUM if style == "id" else _ALL_EN_NUM
    if not probe.fullmatch(s):
        return None
    try:
        value = float(_clean_number(s, style))
    except ValueError:
        return None
    if integer:
        if not value.is_integer():
            return None
        return int(_clean_number(s, style).split(".")[0])
    return value


# --------------------------------------------------------------------------- converters
#
# A converter turns one column chunk (a sequence of cell texts) into a list of
# typed values. Fast paths use map() over builtins and fall back to the
# per-cell parser only for chunks with placeholders or odd spellings.


def _conv_text(col: Sequence[str]) -> list:
    out = list(map(str.strip, col))
    if not NULLS.isdisjoint(out):
        out = [None if s in NULLS else s for s in out]
    return out


def _conv_int_plain(col: Sequence[str]) -> list:
    try:
        return list(map(int, col))
    except ValueError:
        pass
    return [None if s in NULLS else int(s) for s in map(str.strip, col)]


def _conv_float_plain(col: Sequence[str]) -> list:
    try:
        return list(map(float, col))
    except ValueError:
        pass
    return [None if s in NULLS else parse_number(s, "en", False) for s in map(str.strip, col)]


def _make_number_converter(style: str | None, integer: bool) -> Callable[[Sequence[str]], list]:
    if style == "id":
        cast = int if integer else float

        def convert(col: Sequence[str]) -> list:
            out = []
            append = out.append
            for s in col:
                try:
                    append(cast(s.replace(".", "").replace(",", ".")))
                except ValueError:
                    s = s.strip()
                    append(None if s in NULLS else parse_number(s, "id", integer))
            return out

        return convert

    if integer:

        def convert_en_int(col: Sequence[str]) -> list:
            try:
                return list(map(int, col))
            except ValueError:
                pass
            out = []
            append = out.append
            for s in col:
                try:
                    append(int(s.replace(",", "")))
                except ValueError:
                    s = s.strip()
                    append(None if s in NULLS else parse_number(s, "en", True))
            return out

        return convert_en_int

    def convert_en_float(col: Sequence[str]) -> list:
        try:
            return list(map(float, col))  # plain decimals (the values were checked in pass 1)
        except ValueError:
            pass
        out = []
        append = out.append
        for s in col:
            try:
                append(float(s.replace(",", "")))
            except ValueError:
                s = s.strip()
                append(None if s in NULLS else parse_number(s, "en", False))
        return out

    return convert_en_float


def _conv_region(col: Sequence[str]) -> list:
    return list(map(REGION_CODE_FORMS.get, map(str.strip, col)))


def _conv_date(col: Sequence[str]) -> list:
    return [None if s in NULLS else parse_date(s) for s in map(str.strip, col)]


def _conv_year(col: Sequence[str]) -> list:
    return _conv_int_plain(col)


def make_converter(col_type: str, style: str | None) -> Callable[[Sequence[str]], list]:
    """Return a chunk converter for an inferred column (values already validated)."""
    if col_type == "text":
        return _conv_text
    if col_type == "year":
        return _conv_year
    if col_type == "region_code":
        return _conv_region
    if col_type == "date":
        return _conv_date
    if col_type == "integer":
        return _conv_int_plain if style is None else _make_number_converter(style, True)
    if col_type == "decimal":
        return _make_number_converter(style, False)
    raise ValueError(col_type)


def _strict_cell(col_type: str, style: str | None) -> Callable[[str], Any]:
    """Return a per-cell parser that yields None for anything that does not parse."""
    if col_type == "integer":
        return lambda s: parse_number(s, style or "en", True)
    if col_type == "decimal":
        return lambda s: parse_number(s, style or "en", False)
    if col_type == "year":

        def year(s: str) -> int | None:
            v = parse_number(s, "en", True)
            return v if v is not None and YEAR_MIN <= v <= YEAR_MAX else None

        return year
    if col_type == "date":
        return parse_date
    if col_type == "region_code":
        return lambda s: REGION_CODE_FORMS.get(s)
    return lambda s: s


def make_forced_converter(col_type: str, style: str | None) -> Callable[[Sequence[str]], tuple[list, int]]:
    """Return a chunk converter for a type forced in review: (values, failed count)."""
    parse = _strict_cell(col_type, style)

    def convert(col: Sequence[str]) -> tuple[list, int]:
        out = []
        failed = 0
        for s in map(str.strip, col):
            if s in NULLS:
                out.append(None)
                continue
            v = parse(s)
            if v is None:
                failed += 1
            out.append(v)
        return out, failed

    return convert


# --------------------------------------------------------------------------- inference


def _text_reason(example: str, mixed: bool) -> Note:
    if _LONG_DIGITS.fullmatch(example.replace(" ", "")):
        return Note("type_text_long_number", {"example": example})
    if _LEADING_ZERO.fullmatch(example):
        return Note("type_text_leading_zeros", {"example": example})
    if _SCIENTIFIC.fullmatch(example):
        return Note("type_text_scientific", {"example": example})
    if mixed:
        return Note("type_text_mixed", {"example": example})
    return Note("type_text", {"example": example})


class ColumnStats:
    """What pass 1 learns about one column, chunk by chunk."""

    __slots__ = (
        "header", "count", "alive", "region", "min_int", "max_int",
        "example", "saw_number", "dotted_region", "distinct_regions", "first_value",
    )

    def __init__(self, header: str) -> None:
        self.header = header
        self.count = 0
        self.alive = {name: True for name, _ in _CHECKS}
        self.region = True
        self.dotted_region = True
        self.distinct_regions: set[str] = set()
        self.min_int: int | None = None
        self.max_int: int | None = None
        self.example: str | None = None  # first value that ruled out the other types
        self.saw_number = False
        self.first_value: str | None = None

    def update(self, col: Sequence[str]) -> None:
        """Learn from one chunk of raw cell texts."""
        if NULLS.isdisjoint(col):
            vals: Sequence[str] = col  # fast path: no placeholders, maybe stray spaces
            stripped = False
        else:
            vals = [s for s in map(str.strip, col) if s not in NULLS]
            stripped = True
            if not vals:
                return
        self.count += len(vals)
        if self.first_value is None:
            self.first_value = vals[0].strip()
        alive = self.alive
        if not self.region and not any(alive.values()):
            return  # already text: only the count matters
        # Every check holds per value: a column with few values (years, regions) is
        # checked on its distinct values only.
        distinct = set(vals)
        new = self._check(vals if 2 * len(distinct) > len(vals) else list(distinct), alive)
        if new != alive and not stripped:
            # Retry on stripped cells before ruling a type out over a stray space.
            before = len(vals)
            vals = [s for s in map(str.strip, vals) if s not in NULLS]
            self.count -= before - len(vals)
            if not vals:
                return
            distinct = set(vals)
            new = self._check(vals, alive)
        self.alive = alive = new
        if alive["date"]:
            self.check_dates(vals)
        if alive["int_plain"]:
            self.saw_number = True
            ints = list(map(int, vals))
            lo, hi = min(ints), max(ints)
            if self.min_int is None or lo < self.min_int:
                self.min_int = lo
            if self.max_int is None or hi > self.max_int:
                self.max_int = hi
        if self.region:
            distinct = {v.strip() for v in distinct}
            if distinct.issubset(REGION_CODE_FORMS):
                self.distinct_regions.update(REGION_CODE_FORMS[v] for v in distinct)
                if self.dotted_region and any("." not in v for v in distinct if v != "52"):
                    self.dotted_region = False
            else:
                self.region = False
        if not self.region and not any(alive.values()):
            self._note_example([v.strip() for v in vals])

    @staticmethod
    def _check(vals: Sequence[str], alive: dict[str, bool]) -> dict[str, bool]:
        """Return which types survive a chunk.

        A value passing a narrower check passes the wider ones (plain int ->
        thousands int -> decimal), and numbers are never dates, so most chunks
        cost one regex scan per column.
        """
        new = dict(alive)
        joined = "\n".join(vals)
        if joined.count("\n") != len(vals) - 1:
            return {name: False for name in new}  # a value holds a line break
        if new["int_plain"]:
            if _ALL_INT_PLAIN.fullmatch(joined):
                new["date"] = False
                return new
            new["int_plain"] = False
        implied = set()
        for name, rx, wider in (("id_int", _ALL_ID_INT, "id_num"), ("en_int", _ALL_EN_INT, "en_num")):
            if new[name]:
                if rx.fullmatch(joined):
                    implied.add(wider)
                else:
                    new[name] = False
        if new["en_num"] and "en_num" not in implied and _ALL_EN_PLAIN_DEC.fullmatch(joined):
            implied.add("en_num")
        for name, rx in (("id_num", _ALL_ID_NUM), ("en_num", _ALL_EN_NUM)):
            if new[name] and name not in implied and not rx.fullmatch(joined):
                new[name] = False
        if new["date"] and (new["id_num"] or new["en_num"] or not _ALL_DATE.fullmatch(joined)):
            new["date"] = False
        return new

    def _note_example(self, vals: list[str]) -> None:
        for v in vals:
            if _ONE_NUM.fullmatch(v):
                self.saw_number = True
            elif _ONE_DATE.fullmatch(v) and parse_date(v):
                continue
            elif self.example is None:
                self.example = v
            if self.saw_number and self.example is not None:
                break
        if self.example is None:
            self.example = vals[0]

    def check_dates(self, col: Iterable[str]) -> None:
        """Validate a chunk of a date-candidate column cell by cell (rare, so per-cell)."""
        for s in map(str.strip, col):
            if s in NULLS:
                continue
            if parse_date(s) is None:
                self.alive["date"] = False
                if self.example is None:
                    self.example = s
                return

    def decide(self, hint: str | None) -> tuple[str, str | None, Note]:
        """Return (type, number_style, reason) for the whole column."""
        a = self.alive
        n = self.count
        if n == 0:
            return "text", None, Note("type_text_empty", {})
        if self.region and (_REGION_HINT.search(self.header) or (self.dotted_region and len(self.distinct_regions) > 1)):
            return "region_code", None, Note(
                "type_region_code", {"count": n, "distinct": len(self.distinct_regions)}
            )
        if a["int_plain"]:
            if (
                self.min_int is not None
                and YEAR_MIN <= self.min_int
                and self.max_int <= YEAR_MAX
                and _YEAR_HINT.search(self.header)
            ):
                return "year", None, Note("type_year", {"count": n, "min": self.min_int, "max": self.max_int})
            return "integer", None, Note("type_integer_all", {"count": n})
        if a["id_int"] and not a["en_int"]:
            return "integer", "id", Note("type_integer_thousands_id", {"count": n})
        if a["en_int"] and not a["id_int"]:
            if hint == "id" and a["id_num"]:
                return "decimal", "id", Note("type_decimal_id", {"count": n})
            return "integer", "en", Note("type_integer_thousands_en", {"count": n})
        if a["id_num"] or a["en_num"]:
            if a["id_num"] and a["en_num"]:
                style = "id" if hint == "id" else "en"
            else:
                style = "id" if a["id_num"] else "en"
            return "decimal", style, Note("type_decimal_id" if style == "id" else "type_decimal_en", {"count": n})
        if a["date"]:
            return "date", None, Note("type_date", {"count": n, "example": self.first_value})
        example = self.example if self.example is not None else (self.first_value or "")
        return "text", None, _text_reason(example, self.saw_number)
