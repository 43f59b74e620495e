"""The word lists behind the privacy checks (app/data/*.txt): one entry a line, `#` comments."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
HEADERS_FILE = DATA_DIR / "personal_data_headers.txt"
SENSITIVE_FILE = DATA_DIR / "sensitive_categories.txt"
NON_NAME_WORDS_FILE = DATA_DIR / "non_person_name_words.txt"
QUASI_IDENTIFIERS_FILE = DATA_DIR / "quasi_identifier_headers.txt"
NAME_CUES_FILE = DATA_DIR / "person_name_cues.txt"


def data_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


@lru_cache(maxsize=1)
def load_non_name_words() -> frozenset[str]:
    """Read the words that mark a text value as not a person's name."""
    return frozenset(w.lower() for w in data_lines(NON_NAME_WORDS_FILE))


@lru_cache(maxsize=1)
def load_institution_words() -> frozenset[str]:
    """Words that open an institution's name (Yayasan, LKSA, Panti, UPT...): [institution_heads]."""
    words: set[str] = set()
    section = ""
    for line in data_lines(NAME_CUES_FILE):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section == "institution_heads":
            words.add(line.lower())
    return frozenset(words)


# Raise when the scanner's code changes what it finds; the word lists are hashed in as they are.
RULES_VERSION = 2


@lru_cache(maxsize=1)
def rules_stamp() -> str:
    """What the privacy rules are now: a reading made under other rules must be scanned again."""
    digest = hashlib.sha256(str(RULES_VERSION).encode())
    for path in sorted(DATA_DIR.glob("*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
