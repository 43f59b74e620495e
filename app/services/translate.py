"""Put marshmallow's English messages into the user's language.

marshmallow formats its messages in English ("Length must be between 3 and 300."). Its
templates with values (`_TEMPLATES`) are msgids: a message is matched back to its template and
the values it carries ({min}, {choices}...) are put into the translation. Any other message is
looked up as it is (`_KNOWN` lists them for extraction).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from flask_babel import gettext, lazy_gettext as _l

# marshmallow's own messages, listed so that extraction puts them in the catalogue.
_KNOWN = (
    _l("Field may not be null."),
    _l("Invalid value."),
    _l("Invalid input type."),
    _l("Not a valid number."),
    _l("Number too large."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Not a valid mapping type."),
    _l("String does not match expected pattern."),
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


def N_(message: str) -> str:
    """Mark a message for extraction without translating it (one of babel's default keywords)."""
    return message


# marshmallow's messages that carry values, as their templates.
_TEMPLATES = (
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."),
)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    out = []
    for template in _TEMPLATES:
        parts = re.split(r"(\{\w+\})", template)
        regex = "".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p) for p in parts)
        out.append((re.compile(regex + r"\Z", re.S), template))
    return out


def _translate_one(text: str) -> str:
    for pattern, template in _patterns():
        m = pattern.match(text)
        if m:
            translated = gettext(template)
            for key, value in m.groupdict().items():
                translated = translated.replace("{" + key + "}", value)
            return translated
    return gettext(text)
