"""Person names: how much a value reads like a person's written name, and names in notes.

The evidence is in the lexicons of app/data/: name parts of the province's peoples
(person_name_parts.txt), titles and degrees (person_titles.txt), region words
(ntb_regions.txt), institution, programme and category words
(non_person_name_words.txt) and the words around names in notes (person_name_cues.txt).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .lexicons import DATA_DIR, data_lines, load_non_name_words

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


NAME_PARTS_FILE = DATA_DIR / "person_name_parts.txt"
TITLES_FILE = DATA_DIR / "person_titles.txt"
CUES_FILE = DATA_DIR / "person_name_cues.txt"
REGIONS_FILE = DATA_DIR / "ntb_regions.txt"

# Chosen by measurement on the labelled lists of tests/test_privacy_names.py: names
# score 0.67-1.0 (median 0.92; 0.67 = one known part beside an unknown one), aggregate
# values at most 0.40 (a one-word group name such as "Melati"; 92% score 0), and values
# with no lexicon word at all are capped at 0.45, so 0.5 sits in the gap.
NAME_THRESHOLD = 0.5
# After "a/n", "oleh", "Ketua:" a name-shaped value is enough.
CUED_THRESHOLD = 0.2
# A column is person-named when at least half of its distinct values score as names
# (and at least 3 of them, or all when it has fewer). One-word names, common among older
# Sasak and Mbojo people, score in the middle band (0.40 for a known given name), so a
# column also counts when a fifth of its values are names and, with the one-word names,
# 60% reach the middle band. Measured on 500 random columns of 20-60 values each: name
# columns share 1.0; columns of 70% one-word names share 0.25-0.40, middle band 1.0;
# aggregate columns share 0.0, middle band <= 0.07 (group names written bare: 0.25).
COLUMN_SHARE = 0.5
COLUMN_MIN_NAMES = 3
MIDDLE_THRESHOLD = 0.35
COLUMN_MIDDLE_SHARE = 0.6
COLUMN_MIDDLE_FLOOR = 0.2

_MAX_LEN = 80
_MAX_NAME_WORDS = 6

# Token kinds.
_PART = 0  # carries the name: Ahmad, Wahyuni, Made
_PREFIX = 1  # announces a name: Lalu, Baiq, Ni, H., Bapak, Amaq
_DEGREE = 2  # S.Pd., M.Si., A.Md.Keb.
_PARTICLE = 3  # bin, binti, alias
_VETO = 4  # region, institution, programme or category word

_WEAK_PART = 0.6  # a name part that is also a region or institution word (Sari, Jaya)
# With no word of the lexicons at all, a value is only name-shaped: a middle score.
_SHAPE_ONLY_CAP = 0.45
_PART_WEIGHTS = {"birth_order": 2.5}
_PREFIX_WEIGHTS = {"titles_of_birth": 2.5, "titles": 1.5}
_TITLE_KINDS = {
    "prefix_strong": (_PREFIX, 2.0),
    "prefix_polite": (_PREFIX, 1.0),
    "prefix_parent": (_PREFIX, 1.5),
    "degree": (_DEGREE, 2.0),
    "particle": (_PARTICLE, 0.3),
}
# How many tokens carry the name (plus one when titles or initials come with them).
_SIZE_EVIDENCE = {1: 0.25, 2: 0.5, 3: 0.5, 4: 0.5, 5: 0.25, 6: -0.25}
# Endings of Indonesian given names, for words the lexicon does not know.
_NAME_ENDINGS = (
    "wati", "yati", "yanti", "ningsih", "ningrum", "iah", "iyah", "din", "ullah", "wan",
    "man", "anto", "yono", "yadi", "iadi", "arti", "arni", "rini", "yuni", "jah", "nah",
)
# Indonesian derived words (diterima, menerima, bersama, kegiatan) are no names.
_DERIVED = re.compile(r"^(?:di|me|ber|ter|pe|ke)\w{4,}|\w{3,}(?:kan|nya)$")

_KEY_DROP = str.maketrans("", "", ".'\u2019\u2018`")
_REJECT = re.compile(r"[\d:;?!\"=@#%*<>\[\]{}|\\~^$_\u201c\u201d]")
_SOFT = re.compile(r"[()/&+]")
# Anything but ASCII letters, spaces and . , ' - sends a value to the two checks above
# (an ASCII character class is several times faster to search than the full one).
_PLAIN_ODD = re.compile(r"[^a-zA-Z .,'\-]")


def _drop_marks(low: str) -> str:
    # str.replace is much faster than str.translate, and most values have no marks.
    if "." in low:
        low = low.replace(".", "")
    if "'" in low:
        low = low.replace("'", "")
    if "`" in low or not low.isascii():
        low = low.translate(_KEY_DROP)
    return low


def _key(word: str) -> str:
    return _drop_marks(word.lower())


def _sections(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = ""
    for line in data_lines(path):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            out.setdefault(current, [])
        else:
            out.setdefault(current, []).append(line)
    return out


@dataclass(frozen=True)
class _Lexicon:
    words: dict[str, tuple[int, float]]
    bigrams: dict[tuple[str, str], float]
    bigram_first: frozenset[str]
    cues: frozenset[str]
    institutions: frozenset[str]  # in notes, what follows names the institution
    places: frozenset[str]  # in notes, what follows names the place, until a title


@lru_cache(maxsize=1)
def load_region_words() -> frozenset[str]:
    """Read the words of NTB's region names (kabupaten, kecamatan, desa)."""
    words: set[str] = set()
    for entries in _sections(REGIONS_FILE).values():
        for entry in entries:
            words.add(_key(entry))
            words.update(_key(w) for w in entry.split())
    return frozenset(words)


_LEX: _Lexicon | None = None


def _load() -> _Lexicon:
    global _LEX
    _LEX = _lexicon()
    return _LEX


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    regions = load_region_words()
    veto = {_key(w) for w in load_non_name_words()} | regions
    words: dict[str, tuple[int, float]] = {k: (_VETO, 0.0) for k in veto}
    for section, entries in _sections(NAME_PARTS_FILE).items():
        suffix = next((s for s in _PREFIX_WEIGHTS if section.endswith(s)), None)
        if suffix:
            kind, weight = _PREFIX, _PREFIX_WEIGHTS[suffix]
        else:
            kind = _PART
            weight = next((w for s, w in _PART_WEIGHTS.items() if section.endswith(s)), 1.5)
        for entry in entries:
            k = _key(entry)
            if kind == _PART and k in veto:
                words[k] = (_PART, _WEAK_PART)
                continue
            old = words.get(k)
            if old is None or old[0] == _VETO or old[1] < weight:
                words[k] = (kind, weight)
    bigrams: dict[tuple[str, str], float] = {}
    for section, entries in _sections(TITLES_FILE).items():
        kind, weight = _TITLE_KINDS[section]
        for entry in entries:
            parts = entry.split()
            if len(parts) == 2:
                bigrams[(_key(parts[0]), _key(parts[1]))] = weight
            else:
                words[_key(entry)] = (kind, weight)
    cue_sections = _sections(CUES_FILE)
    cues = frozenset(_key(w) for w in cue_sections.get("before_name", []))
    institutions = frozenset(_key(w) for w in cue_sections.get("institution_heads", []))
    places = (frozenset(_key(w) for w in cue_sections.get("place_heads", [])) | regions) - institutions
    return _Lexicon(words, bigrams, frozenset(a for a, _ in bigrams), cues, institutions, places)


def _unknown_evidence(raw: str, k: str, mixed: bool, caps: bool) -> float:
    if mixed:
        if raw.islower():
            return -1.5  # a sentence word among capitalised ones
        if raw.isupper() and len(k) <= 5:
            return -1.2  # an acronym: LKSA, BUMDes-like labels
        base = 0.45 if raw[0].isupper() else 0.1
    else:
        base = 0.45 if caps else 0.1
    if len(k) == 2:
        return 0.1
    if k.endswith(_NAME_ENDINGS):
        base += 0.25
    return base


def name_score(text: str) -> float:
    """Return how much one cell value reads like a person's written name, from 0 to 1."""
    if not isinstance(text, str):
        return 0.0
    s = text.strip()
    if not s or len(s) > _MAX_LEN:
        return 0.0
    evidence = 0.0
    if not s.isascii() or _PLAIN_ODD.search(s):
        if _REJECT.search(s):
            return 0.0
        if _SOFT.search(s):
            evidence -= 1.5  # brackets, slashes: "Baiq Wahyuni (alm)" is still a name, less surely
            s = _SOFT.sub(" ", s)
    if "," in s:
        s = s.replace(",", " , ")
    low = s.lower()
    has_upper = s != low
    has_lower = s != s.upper()
    if not (has_lower or has_upper):
        return 0.0
    mixed = has_lower and has_upper
    lex = _LEX or _load()
    words = lex.words
    bigram_first = lex.bigram_first
    raws = s.split()
    keys = _drop_marks(low).split()
    if len(keys) != len(raws):  # a token made only of dots or apostrophes
        keys = [_key(r) for r in raws]
    n = len(raws)
    carriers = 0
    known = False  # a word of the lexicons carries the name
    extras = False  # titles, degrees or initials beside the name
    comma = False
    pending = 0.0  # evidence of titles waiting for the name they announce
    first_kind = last_kind = -1
    j = 0
    while j < n:
        raw = raws[j]
        k = keys[j]
        j += 1
        if raw == ",":
            comma = True
            continue
        if k in bigram_first and j < n and (k, keys[j]) in lex.bigrams:
            hit: tuple[int, float] | None = (_PREFIX, lex.bigrams[(k, keys[j])])
            j += 1
        else:
            hit = words.get(k)
        if hit is None:
            if "." in raw and len(raw) > 2:
                pieces = [p for p in raw.split(".") if p]
                if len(pieces) > 1:  # "H.Ahmad", "M.Zainul": read each piece
                    raws[j:j] = pieces
                    keys[j:j] = [_key(p) for p in pieces]
                    n = len(raws)
                    continue
            if "-" in k:
                pieces = [p for p in k.split("-") if p]
                if len(pieces) == 2 and pieces[0] == pieces[1]:
                    return 0.0  # a reduplicated word (sayang-sayang) is no name
                if len(pieces) > 1:
                    raw_pieces = [p for p in raw.split("-") if p]
                    raws[j:j] = raw_pieces
                    keys[j:j] = [_key(p) for p in raw_pieces]
                    n = len(raws)
                    continue
            if not k.isalpha():
                return 0.0
            if len(k) == 1:
                kind = _PREFIX  # an initial
                extras = True
                evidence += -0.4 if mixed and raw.islower() else 0.6
            else:
                kind = _PART
                carriers += 1
                evidence += _unknown_evidence(raw, k, mixed, not has_lower) + pending
                pending = 0.0
        else:
            kind, weight = hit
            if kind == _VETO:
                return 0.0
            if kind == _PART:
                carriers += 1
                known = True
                if mixed and raw.islower():
                    weight -= 1.0
            elif kind == _PREFIX:
                # A title counts once a name follows it: "Kasih Ibu" names a posyandu.
                extras = True
                pending += weight
                weight = 0.0
            elif kind == _DEGREE:
                extras = True
            evidence += weight
            if kind == _PART and pending:
                evidence += pending
                pending = 0.0
        if comma:
            comma = False
            if kind != _DEGREE:
                evidence -= 1.0  # "Mataram, Lombok": a list, not "Name, S.Pd."
        if first_kind < 0:
            first_kind = kind
        last_kind = kind
    if carriers == 0 or carriers > _MAX_NAME_WORDS:
        return 0.0
    if pending:
        evidence -= 0.5  # titles after the name: "Kasih Ibu", "Rumah Bapak"
    if first_kind == _PARTICLE:
        evidence -= 1.0
    if last_kind == _PARTICLE:
        evidence -= 1.0
    evidence += _SIZE_EVIDENCE.get(carriers + extras, -1.0)
    score = 1.0 / (1.0 + math.exp(-1.6 * (evidence - 2.0)))
    if not (known or extras):
        return min(score, _SHAPE_ONLY_CAP)
    return score


def is_person_name(text: str) -> bool:
    """Tell whether one cell value reads as a person's written name."""
    return name_score(text) >= NAME_THRESHOLD


@dataclass
class ColumnVerdict:
    person: bool  # the column holds person names
    share: float  # of its distinct values, the share that score as names
    distinct: int  # distinct non-empty text values judged
    examples: list[str] = field(default_factory=list)  # raw: the caller masks them


def column_is_person_names(values: Iterable[str]) -> ColumnVerdict:
    """Judge whether a column holds person names, on its distinct values."""
    seen: dict[str, str] = {}
    for v in values:
        if not isinstance(v, str):
            continue
        s = v.strip()
        if s:
            seen.setdefault(s.casefold(), s)
    distinct = len(seen)
    names = middle = 0
    examples: list[str] = []
    for s in seen.values():
        score = name_score(s)
        if score >= NAME_THRESHOLD:
            names += 1
            if len(examples) < 3:
                examples.append(s)
        elif score >= MIDDLE_THRESHOLD:
            middle += 1
    share = names / distinct if distinct else 0.0
    person = distinct > 0 and names >= min(COLUMN_MIN_NAMES, distinct) and (
        share >= COLUMN_SHARE
        or (share >= COLUMN_MIDDLE_FLOOR and (names + middle) / distinct >= COLUMN_MIDDLE_SHARE))
    return ColumnVerdict(person=person, share=share, distinct=distinct, examples=examples)


# ---------------------------------------------------------------- names in notes

_TEXT_TOKEN = re.compile(
    r"\ba\s?/\s?n\b\.?|[^\s,;:()\[\]{}\"\u201c\u201d/|!?]+|[,;:()\[\]{}\"\u201c\u201d/|!?]", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


class _Token(NamedTuple):
    start: int
    end: int
    kind: int  # a token kind, or -1 when the lexicon does not know the word
    head: int  # _INSTITUTION or _PLACE when what follows names one, else 0


_INSTITUTION = 1
_PLACE = 2
# "Rumah Singgah" is an institution, "Rumah Amaq Hamdi" (a title follows) somebody's house.
_RESIDENCE_HEADS = frozenset(["rumah", "kediaman"])


def _candidates(run: list[_Token], text: str) -> list[list[_Token]]:
    out = []
    while run:
        at = next((i for i, t in enumerate(run) if t.head), len(run))
        out.append(run[:at])
        if at == len(run):
            break
        if run[at].head == _INSTITUTION and not (
                _key(text[run[at].start:run[at].end]) in _RESIDENCE_HEADS
                and at + 1 < len(run) and run[at + 1].kind == _PREFIX):
            break  # "Yayasan Siti Khadijah": the rest names the institution (but "Rumah Amaq H. Lalu ...")
        # "Gubernur NTB Dr. H. Zulkieflimansyah": a title after the place starts a name.
        rest = run[at:]
        title = next((i for i, t in enumerate(rest) if t.kind == _PREFIX), None)
        run = rest[title:] if title is not None else []
    return [c for c in (_trim(c, text) for c in out) if c]


def _trim(run: list[_Token], text: str) -> list[_Token]:
    while run and run[0].kind == _PARTICLE:
        run = run[1:]
    while run and run[-1].kind == _PARTICLE:
        run = run[:-1]
    # "Diterima Baiq Wahyuni": a capitalised verb before the name is not part of it.
    while len(run) > 1 and run[0].kind < 0 and _DERIVED.match(_key(text[run[0].start:run[0].end])):
        run = run[1:]
    return run


def _accept(run: list[_Token], cued: bool, text: str) -> str | None:
    start, end = run[0].start, run[-1].end
    last = run[-1]
    if text[end - 1] == "." and last.kind not in (_PREFIX, _DEGREE) and last.end - last.start > 2:
        end -= 1  # the sentence's full stop
    candidate = text[start:end]
    score = name_score(candidate)
    if score >= NAME_THRESHOLD or (cued and score >= CUED_THRESHOLD):
        return candidate
    return None


def find_names_in_text(text: str) -> list[str]:
    """Return the person names written inside a free-text note, as they appear in it."""
    if not isinstance(text, str) or not text.strip():
        return []
    lex = _LEX or _load()
    words = lex.words
    cues, institutions, places = lex.cues, lex.institutions, lex.places
    mixed = text != text.upper() and text != text.lower()
    tokens = [(m.start(), m.end(), m.group()) for m in _TEXT_TOKEN.finditer(text)]
    found: list[str] = []
    run: list[_Token] = []
    cued = False
    forced = False  # the second word of a two-word title (Tuan Guru, Anak Agung)

    def close() -> None:
        nonlocal run, cued
        if run:
            for candidate in _candidates(run, text):
                name = _accept(candidate, cued, text)
                if name:
                    found.append(name)
                cued = False
        run = []

    for i, (start, end, raw) in enumerate(tokens):
        if len(raw) == 1 and not raw.isalnum():
            nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
            if raw == "," and run and words.get(_key(nxt), (-1, 0))[0] == _DEGREE:
                continue  # "Baiq Ely, S.Pd.": the degree belongs to the name
            close()
            if raw == ":":
                cued = True  # "Ketua Kelompok: Baiq Ely"
            continue
        if _DIGIT.search(raw):
            close()
            cued = False
            continue
        k = _key(raw)
        if forced:
            forced = False
            run.append(_Token(start, end, _PREFIX, 0))
            continue
        if k in lex.bigram_first and i + 1 < len(tokens) and (k, _key(tokens[i + 1][2])) in lex.bigrams:
            forced = True
            run.append(_Token(start, end, _PREFIX, 0))
            continue
        if k in cues or k.replace(" ", "") == "a/n":
            close()
            cued = True
            continue
        hit = words.get(k)
        kind = hit[0] if hit else -1
        head = _INSTITUTION if k in institutions else _PLACE if k in places else 0
        if head:
            if mixed and raw[0].islower():
                close()
                cued = False
                continue
            run.append(_Token(start, end, _VETO, head))
            continue
        if kind == _VETO:
            if run and any(t.head for t in run):
                run.append(_Token(start, end, _VETO, 0))  # "Panti Asuhan ...": still the institution
                continue
            close()  # a category or status word between names
            cued = False
            continue
        if mixed:
            nameish = raw[0].isupper() or kind in (_PREFIX, _DEGREE) or (
                run and kind in (_PART, _PARTICLE))
        else:
            nameish = kind in (_PART, _PREFIX, _DEGREE) or (run and kind == _PARTICLE)
        if not nameish:
            close()
            cued = False
            continue
        run.append(_Token(start, end, kind, 0))
        if raw.endswith(".") and kind not in (_PREFIX, _DEGREE) and len(k) > 1:
            close()  # a full stop ends the sentence, and the name with it
    close()
    return found
