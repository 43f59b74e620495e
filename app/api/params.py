"""Read CKAN action parameters: query-string strings and JSON values alike."""
from __future__ import annotations

import json
from typing import Any

from ..services.errors import ValidationError


def integer(data: dict[str, Any], key: str, default: int | None, *, minimum: int | None = 0,
            maximum: int | None = None, cap: int | None = None, error=None) -> int | None:
    """An integer parameter; `error` (an exception class taking a message) for bad values.

    A value above `maximum` is refused; one above `cap` is lowered to it, as CKAN's
    `limit_to_configured_maximum` does for package_search rows and datastore_search limit.
    """
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = int(str(raw).strip())
    except ValueError:
        _fail(error, key, f"{key}: Invalid integer")
    if minimum is not None and value < minimum:
        _fail(error, key, f"{key}: Must be a natural number" if minimum == 0 else f"{key}: Must be at least {minimum}")
    if maximum is not None and value > maximum:
        _fail(error, key, f"{key}: Must be at most {maximum}")
    if cap is not None and value > cap:
        return cap
    return value


def boolean(data: dict[str, Any], key: str, default: bool = False) -> bool:
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on", "t", "y"):
        return True
    if text in ("false", "0", "no", "off", "f", "n"):
        return False
    raise ValidationError({key: ["Not a boolean value"]})


def json_value(data: dict[str, Any], key: str, default: Any = None) -> Any:
    """A parameter that is JSON in a query string and a JSON value in a POST body."""
    raw = data.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(raw, str):
        text = raw.strip()
        if text[:1] in ("[", "{", '"'):
            try:
                return json.loads(text)
            except ValueError:
                raise ValidationError({key: ["Invalid JSON"]}) from None
    return raw


def string_list(data: dict[str, Any], key: str) -> list[str]:
    """A list given as JSON, as a repeated parameter, or as a comma-separated string."""
    value = json_value(data, key, [])
    if isinstance(value, str):
        value = [v for v in value.split(",")]
    if not isinstance(value, list):
        raise ValidationError({key: ["Not a list"]})
    return [str(v).strip() for v in value if str(v).strip()]


def _fail(error, key: str, message: str):
    if error is None:
        raise ValidationError({key: [message.split(": ", 1)[-1]]})
    raise error(message)
