"""datastore_search's `filters`: CKAN's exact matches, and (beyond CKAN) values that compare."""
from __future__ import annotations

from typing import Any

from ..services import tables
from ..services.errors import ValidationError

DATASTORE_FILTER_VALUES_MAX = 1000


def datastore_filters(raw: Any, names: list[str]) -> dict[str, list[Any]]:
    """The `filters` object as column -> accepted values (a comparing one as a Condition)."""
    value = raw if isinstance(raw, dict) else None
    if value is None:
        raise ValidationError({"filters": ["Not a JSON object"]})
    out = {}
    for column, accepted in value.items():
        if column not in names:
            raise ValidationError({"filters": [f'field "{column}" not in table']})
        items = accepted if isinstance(accepted, list) else [accepted]
        items = [datastore_condition(column, v) if isinstance(v, dict) else v for v in items]
        if any(isinstance(v, list) for v in items):
            raise ValidationError({"filters": [f'invalid value for "{column}"']})
        out[column] = items
    if sum(len(v) for v in out.values()) > DATASTORE_FILTER_VALUES_MAX:
        raise ValidationError({"filters": [f"at most {DATASTORE_FILTER_VALUES_MAX} values in all filters"]})
    return out


def datastore_condition(column: str, raw: dict) -> tables.Condition:
    """{"gt": v}, {"lt": v}, {"between": [from, to]} or {"contains": text} as a comparing filter value."""
    if len(raw) != 1 or next(iter(raw)) not in ("gt", "lt", "between", "contains"):
        raise ValidationError({"filters": [f'invalid value for "{column}": compare with one of gt, lt, between, contains']})
    op, given = next(iter(raw.items()))
    if op == "between":
        if not isinstance(given, list) or len(given) != 2:
            raise ValidationError({"filters": [f'"between" for "{column}" takes [from, to]']})
        lower, upper = given
    else:
        lower, upper = given, None
    if any(isinstance(v, (dict, list, bool)) for v in (lower, upper)):
        raise ValidationError({"filters": [f'invalid value for "{column}"']})
    return tables.Condition(op, lower, upper)


def filter_json(value: Any) -> Any:
    """A filter value as the request gave it (a comparing one as its object)."""
    if isinstance(value, tables.Condition):
        return {value.op: [value.value, value.upper] if value.op == "between" else value.value}
    return value
