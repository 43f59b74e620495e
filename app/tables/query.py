"""What a reader asks of a table and what a page of it answers, whatever engine holds the rows."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from .disclosure import SYMBOL


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
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value, row_id = json.loads(raw)
        return value, int(row_id)
    except Exception as exc:  # noqa: BLE001 - any malformed token is the reader's error
        raise BadQuery("bad page token") from exc
