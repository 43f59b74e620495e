"""Person names in text."""
from __future__ import annotations

_NAME_PARTICLES = frozenset(["bin", "binti", "bt", "bte", "al", "el", "van", "de", "da"])


def name_word_count(s: str, non_name_words: frozenset[str]) -> int:
    """Return the number of words when `s` looks like a person's name, else 0."""
    if len(s) > 60:
        return 0
    words = s.split()
    if not 1 <= len(words) <= 5:
        return 0
    for w in words:
        lw = w.lower().strip(".,")
        if lw in non_name_words:
            return 0
        if not w[0].isupper():
            if lw in _NAME_PARTICLES:
                continue
            return 0
        core = w.replace("'", "").replace("\u2019", "").replace(".", "").replace("-", "")
        if core and not core.isalpha():
            return 0
    return len(words)
