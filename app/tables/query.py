"""What a reader asks of a table and what a page of it answers, whatever engine holds the rows."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from .disclosure import SYMBOL

# What SQLite (and PostgreSQL's bigint) hold: a number outside cannot be a stored value or row id.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_TOKEN_MAX_CHARS = 2000


class Suppressed(str):
    """A cell hidden to protect confidentiality; as text it is the one symbol "x"."""

    __slots__ = ()


SUPPRESSED = Suppressed(SYMBOL)


@dataclass
class Query:
    """What a reader asks of a table: filters, a search, a sort, a page."""

    filters: dict[str, list[Any]] = field(default_factory=dict)  # column name -> accepted values
    q: str = ""
    sort: str | None = None  # column name
    desc: bool = False
    after: str | None = None  # keyset token of the last row of the previous page
    before: str | None = None  # keyset token of the first row of the next page (going back)
    limit: int = 25
    fields: list[str] | None = None


class BadQuery(ValueError):
    """An unknown column or a malformed token; `column` names the culprit."""

    def __init__(self, message: str, column: str | None = None) -> None:
        self.column = column
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
        raise BadQuery(_l("This page link is not valid (any more): start again from the first page.")) from exc
    if (isinstance(value, (list, dict)) or isinstance(row_id, bool) or not isinstance(row_id, int)
            or not in_int64(row_id) or (isinstance(value, int) and not in_int64(value))):
        raise BadQuery(_l("This page link is not valid (any more): start again from the first page."))
    return value, row_id


def in_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX
