"""Home addresses in text: street, dusun, RT/RW, house numbers."""
from __future__ import annotations

import re

_ADDRESS_RE = re.compile(
    r"^(?:jl|jln|jalan|dusun|dsn|gg|gang|lingkungan|lingk|kp|kampung|perum|perumahan|"
    r"komplek|kompleks|btn|blok|desa|ds|kel|kelurahan|rt|rw)\b\.?"
    r"|\brt\.?\s*\d{1,3}\b|\brw\.?\s*\d{1,3}\b|\bno\.?\s*\d{1,4}\b",
    re.IGNORECASE,
)


def looks_like_address(text: str) -> bool:
    """Tell whether a text value reads like a home address."""
    return _ADDRESS_RE.search(text) is not None
