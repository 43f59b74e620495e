"""Column headers that name personal data (app/data/personal_data_headers.txt), matched as whole words."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lexicons import HEADERS_FILE, data_lines


@dataclass(frozen=True)
class HeaderVocabulary:
    phrases: dict[str, str]  # phrase -> category
    not_personal: tuple[str, ...]  # longest first
    count_words: frozenset[str]
    ambiguous: frozenset[str]




def normalize_header(header: Any) -> str:
    """Lowercase a header, turn punctuation into spaces and collapse spaces."""
    text = str(header or "").lower()
    text = re.sub(r"[^0-9a-z\u00c0-\u024f]+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def load_header_vocabulary() -> HeaderVocabulary:
    """Read the header phrases, exceptions and count words from the data file."""
    phrases: dict[str, str] = {}
    not_personal: list[str] = []
    count_words: set[str] = set()
    ambiguous: set[str] = set()
    section = ""
    for line in data_lines(HEADERS_FILE):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        phrase = normalize_header(line)
        if not phrase:
            continue
        if section == "not_personal":
            not_personal.append(phrase)
        elif section == "count_words":
            count_words.add(phrase)
        elif section == "ambiguous":
            ambiguous.add(phrase)
        elif section:
            phrases.setdefault(phrase, section)
    not_personal.sort(key=len, reverse=True)
    return HeaderVocabulary(
        phrases, tuple(not_personal), frozenset(count_words), frozenset(ambiguous)
    )


def match_header(header: Any) -> tuple[str, str] | None:
    """Return (category, phrase) when a header names personal data, else None."""
    norm = normalize_header(header)
    if not norm:
        return None
    vocab = load_header_vocabulary()
    words = norm.split()
    if any(w in vocab.count_words for w in words):
        return None
    padded = f" {norm} "
    for phrase in vocab.not_personal:
        # A marker keeps the removed phrase from gluing its neighbours together.
        padded = padded.replace(f" {phrase} ", " # ")
    best: tuple[str, str] | None = None
    for phrase, category in vocab.phrases.items():
        if f" {phrase} " in padded and (best is None or len(phrase) > len(best[1])):
            best = (category, phrase)
    return best


def header_is_exempt(header: Any) -> bool:
    """Tell whether a header holds a [not_personal] phrase (nama_lks, alamat_kantor)."""
    padded = f" {normalize_header(header)} "
    return any(f" {p} " in padded for p in load_header_vocabulary().not_personal)
