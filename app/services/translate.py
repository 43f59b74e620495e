"""Put marshmallow's English messages into the user's language."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext, lazy_gettext as _l

# marshmallow's own messages, listed so that extraction puts them in the catalogue.
_KNOWN = (
    _l("Missing data for required field."),
    _l("Not a valid string."),
    _l("Not a valid boolean."),
    _l("Not a valid integer."),
    _l("Not a valid list."),
    _l("Not a valid email address."),
    _l("Invalid year."),
    _l("Invalid year range."),
    _l("Use 2-100 lowercase letters, digits, - or _."),
    _l("Shorter than minimum length {min}."),
    _l("Longer than maximum length {max}."),
    _l("Length must be between {min} and {max}."),
    _l("Unknown field."),
    _l("Choose an account from the list."),
    _l("The 'from' date is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."),
    _l("The 'to' date is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."),
    _l("The 'from' date is after the 'to' date."),
    _l("Not a valid page number."),
)


def translate_errors(messages: Any) -> dict[str, list[str]]:
    """Flatten marshmallow's error dict into field -> [translated message]."""
    out: dict[str, list[str]] = {}
    if not isinstance(messages, dict):
        return {"_": [gettext(str(messages))]}
    for field, value in messages.items():
        items = value if isinstance(value, list) else [value]
        texts = []
        for item in items:
            if isinstance(item, dict):
                for sub in translate_errors(item).values():
                    texts.extend(sub)
            else:
                texts.append(_translate_one(str(item)))
        out[str(field)] = texts
    return out


def _translate_one(text: str) -> str:
    if text.startswith("Must be one of: "):
        return gettext("Must be one of: %(values)s", values=text[len("Must be one of: "):])
    m = re.fullmatch(r"Length must be between (\d+) and (\d+)\.", text)
    if m:
        return gettext("Length must be between {min} and {max}.").replace("{min}", m.group(1)).replace("{max}", m.group(2))
    for prefix in ("Shorter than minimum length ", "Longer than maximum length "):
        if text.startswith(prefix):
            n = text[len(prefix):].rstrip(".")
            template = prefix + "{" + ("min" if "minimum" in prefix else "max") + "}."
            return gettext(template).replace("{min}", n).replace("{max}", n)
    return gettext(text)
