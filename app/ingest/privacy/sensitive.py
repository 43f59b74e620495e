"""Sensitive categories (health, drugs, children in conflict with the law...): always suppressed when small."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .lexicons import SENSITIVE_FILE, data_lines


@lru_cache(maxsize=1)
def load_sensitive_categories() -> list[str]:
    """Read the sensitive category terms (one a line, # comments)."""
    return data_lines(SENSITIVE_FILE)


@lru_cache(maxsize=1)
def _sensitive_re() -> re.Pattern[str]:
    terms = sorted(load_sensitive_categories(), key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def is_sensitive_category(text: Any) -> bool:
    """Tell whether a category label names a sensitive group (whole words)."""
    if text is None:
        return False
    return _sensitive_re().search(str(text)) is not None
