"""What a reader asks of a table and what a page of it answers, whatever engine holds the rows."""
from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal, lazy_gettext as _l

from .disclosure import SYMBOL

# What SQLite (and PostgreSQL's bigint) hold: a number outside cannot be a stored value or row id.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_TOKEN_MAX_CHARS = 2000


class Suppressed(str):
    """A cell hidden to protect confidentiality; as text it is the one symbol "x"."""

    __slots__ = ()


SUPPRESSED = Suppressed(SYMBOL)


# How a filter compares a column with what the reader typed. "eq" is a plain value in `filters`.
OPERATORS = ("eq", "gt", "lt", "between", "contains")
# The comparisons each kind of column offers: ordering numbers and dates, finding text in text.
TYPE_OPERATORS = {"integer": ("eq", "gt", "lt", "between"), "year": ("eq", "gt", "lt", "between"),
                  "decimal": ("eq", "gt", "lt", "between"), "date": ("eq", "gt", "lt", "between"),
                  "text": ("eq", "contains"), "region_code": ("eq", "contains")}
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Condition:
    """A filter value that compares instead of matching: `column > value`, `value <= column <= upper`
    (between, either end may be empty), or `value` found in a text column (contains, any case).

    It stands in a `Query.filters` list beside plain values (which match exactly), so every
    reader of `filters` (the count, the chart, the download) takes it in.
    """

    op: str
    value: Any = None
    upper: Any = None  # the "to" of between


@dataclass
class Query:
    """What a reader asks of a table: filters, a search, a sort, a page."""

    filters: dict[str, list[Any]] = field(default_factory=dict)  # column name -> accepted values or Conditions
    q: str = ""
    sort: str | None = None  # column name
    desc: bool = False
    after: str | None = None  # keyset token of the last row of the previous page
    before: str | None = None  # keyset token of the first row of the next page (going back)
    limit: int = 25
    fields: list[str] | None = None
    page: Any = None  # a page number to jump to (1 = first), as the reader typed it; before/after then ignored
    start: int = 0  # read from the view's row at this 0-based place (as `page` does, for any row); page wins
    locate: bool = False  # say where the page starts in the view (Page.start), for "rows 26-50 of 60"

    def condition(self, name: str) -> Condition:
        """The column's filter as one condition (its first value; "eq" for a plain value)."""
        values = self.filters.get(name) or []
        first = values[0] if values else None
        if isinstance(first, Condition):
            return first
        return Condition("eq", "" if first is None else first)


class BadQuery(ValueError):
    """An unknown column, a value a column cannot hold, a malformed token or a page out of range.

    `column` names the culprit column, `part` the field: "value" (a filter's value, or the
    "from" of between), "to" (between's "to"), "op" (a comparison the column does not offer),
    "sort" or "page"; both None for a page link.
    """

    def __init__(self, message: str, column: str | None = None, part: str | None = None) -> None:
        self.column = column
        self.part = part if part is not None else ("value" if column is not None else None)
        super().__init__(message)


@dataclass
class Page:
    columns: list[dict[str, Any]]
    rows: list[list[Any]]
    next_token: str | None
    prev_token: str | None
    total: int | None  # exact total when unfiltered or small; None when over the cap
    total_capped: bool = False
    row_ids: list[int] = field(default_factory=list)  # the `_id` of each row (DataStore API)
    start: int | None = None  # rows of the view before this page's first (with Query.locate); None if unknown
    size: int = 25  # rows a page holds

    @property
    def first_row(self) -> int | None:
        """The 1-based place of the page's first row in the view."""
        return None if self.start is None or not self.rows else self.start + 1

    @property
    def last_row(self) -> int | None:
        return None if self.first_row is None else self.start + len(self.rows)

    @property
    def number(self) -> int | None:
        """The page's number (1 = first) when its place is known."""
        return None if self.start is None else self.start // self.size + 1

    @property
    def count(self) -> int | None:
        """How many pages the view has, when its total is known."""
        return None if self.total is None else max(1, -(-self.total // self.size))


BAD_PAGE_LINK = _l("This page link is not valid (any more): start again from the first page.")


def encode_token(value: Any, row_id: int) -> str:
    """The keyset token of a row: its sort value and `_id`."""
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[Any, int]:
    """The sort value and `_id` a token carries; BadQuery for anything a page of ours never made
    (not two items, a list or object as the value, a row id that is not a 64-bit integer)."""
    try:
        if not isinstance(token, str) or len(token) > _TOKEN_MAX_CHARS:
            raise ValueError("not a token")
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value, row_id = json.loads(raw)
    except Exception as exc:  # noqa: BLE001 - any malformed token is the reader's error
        raise BadQuery(BAD_PAGE_LINK) from exc
    if (isinstance(value, (list, dict)) or isinstance(row_id, bool) or not isinstance(row_id, int)
            or not in_int64(row_id) or (isinstance(value, int) and not in_int64(value))):
        raise BadQuery(BAD_PAGE_LINK)
    return value, row_id


def in_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def coerce(value: Any, ctype: str, name: str, part: str = "value") -> Any:
    """A value the reader typed as the column's type; None for an empty one.

    :raises BadQuery: naming the column and `part` when the column cannot hold it.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if ctype in ("integer", "year"):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise BadQuery(_l("%(value)s is not a whole number (column %(name)s).", value=str(value)[:50],
                              name=name), column=name, part=part) from None
        if not in_int64(number):
            raise BadQuery(_l("%(value)s is too large for the column %(name)s.", value=str(value)[:50],
                              name=name), column=name, part=part)
        return number
    if ctype == "decimal":
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError:
            raise BadQuery(_l("%(value)s is not a number (column %(name)s).", value=str(value)[:50],
                              name=name), column=name, part=part) from None
        if not math.isfinite(number):
            raise BadQuery(_l("%(value)s is not a number (column %(name)s).", value=str(value)[:50],
                              name=name), column=name, part=part)
        return number
    return value


def typed_condition(cond: Condition, ctype: str, name: str) -> Condition | None:
    """The condition with its values in the column's type; None when its fields are empty.

    :raises BadQuery: a comparison the column does not offer, a value it cannot hold, a
        date not written YYYY-MM-DD, or a between whose "from" is above its "to".
    """
    if cond.op not in TYPE_OPERATORS.get(ctype, ("eq",)):
        raise BadQuery(_l("The column %(name)s cannot be compared that way.", name=name), column=name, part="op")
    if cond.op == "contains":
        text = "" if cond.value is None else str(cond.value).strip()
        return Condition("contains", text) if text else None
    lower = coerce(cond.value, ctype, name, "value")
    upper = coerce(cond.upper, ctype, name, "to") if cond.op == "between" else None
    if ctype == "date":
        for got, part in ((lower, "value"), (upper, "to")):
            if got is not None and not _DATE.fullmatch(str(got).strip()):
                raise BadQuery(_l("%(value)s is not a date: write it as YYYY-MM-DD (column %(name)s).",
                                  value=str(got)[:50], name=name), column=name, part=part)
        lower, upper = (None if v is None else str(v).strip() for v in (lower, upper))
    if lower is None and upper is None:
        return None
    if cond.op == "between" and lower is not None and upper is not None and lower > upper:
        raise BadQuery(_l("The end of the range is below its start (column %(name)s).", name=name),
                       column=name, part="to")
    return Condition(cond.op, lower, upper)


def grouped(number: int) -> str:
    """A count in a message, with the reader's thousands separator (10.000 / 10,000)."""
    try:
        return format_decimal(number)
    except (RuntimeError, KeyError, AttributeError):  # no request (the command line): English digits
        return f"{number:,}"
