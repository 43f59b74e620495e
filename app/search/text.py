"""Indonesian text analysis for the search index: analyzers, stemming, stopwords, synonyms.

Stemming quality (PySastrawi 1.2.1, judged on the portal's own vocabulary):

* Good: kebencanaan -> bencana, pemberdayaan/berdaya -> daya, kesejahteraan -> sejahtera,
  penerima -> terima, bantuan -> bantu, kepegawaian -> pegawai, kemiskinan -> miskin,
  terakreditasi -> akreditasi, pelayanan/layanan -> layan, perlindungan -> lindung.
* Left alone, as they should be: disabilitas, lansia, kabupaten, anak, sosial, provinsi,
  and acronyms (asn, pns, lks, pmks, ppks, kpm, pkh, bpnt, sakip).
* Wrong for us, so overridden in ``STEM_OVERRIDES``: direktori -> "rektor",
  kinerja -> "kerja" (would merge SAKIP performance data with "pekerja sosial"),
  meninggal -> "tinggal" (dead vs. living), penyandang -> "sandang" (clothing).
* Harmless conflations kept: golongan -> golong, kejadian -> jadi, pendidikan -> didik.

Sastrawi is slow (dictionary look-ups and regex per word), so stems are cached in a dict.
The analyzer classes are pickled into the index schema: keep their import path stable or
run ``portal search rebuild`` after moving them (see ``_OLD_PICKLE_PATH`` below).
"""

from __future__ import annotations

import os
import re
import sys
import threading
import types

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer
from whoosh.support.charset import accent_map

WORD_PATTERN = r"\w+(?:\.\w+)*"
_MIN_STEM_LEN = 4
_STEM_CACHE_MAX = 200_000

STEM_OVERRIDES: dict[str, str] = {
    "direktori": "direktori",
    "kinerja": "kinerja",
    "meninggal": "meninggal",
    "penyandang": "penyandang",
}

# Words that say nothing about which dataset is wanted; dropped from the AND of a query.
STOPWORDS: frozenset[str] = frozenset(
    """
    data dataset tahun jumlah dan di per ke dari yang untuk dengan atau pada dalam menurut
    oleh se serta tentang berdasarkan adalah ini itu sebagai bagi tiap setiap antara
    tabel informasi statistik rekap rekapitulasi
    and or not the of in for to a an
    by on at with from about per number numbers total table tables statistics year years list
    """.split()
)

_stemmer = None
_stemmer_lock = threading.Lock()
_stem_cache: dict[str, str] = {}


def _sastrawi():
    global _stemmer
    if _stemmer is None:
        with _stemmer_lock:
            if _stemmer is None:
                from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

                _stemmer = StemmerFactory().create_stemmer()
    return _stemmer


def stem(word: str) -> str:
    """Return the Indonesian stem of a lowercase word (cached; digits and short words kept)."""
    cached = _stem_cache.get(word)
    if cached is not None:
        return cached
    if word in STEM_OVERRIDES:
        result = STEM_OVERRIDES[word]
    elif len(word) < _MIN_STEM_LEN or not word.isalpha() or not word.isascii():
        result = word
    else:
        result = _sastrawi().stem(word) or word
    if len(_stem_cache) >= _STEM_CACHE_MAX:
        _stem_cache.clear()
    _stem_cache[word] = result
    return result


class IndonesianStemFilter(Filter):
    """Replace each token's text with its Sastrawi stem."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


class MinLengthFilter(Filter):
    """Drop tokens shorter than ``minsize`` or made of digits (for the spelling field)."""

    def __init__(self, minsize: int = 3):
        self.minsize = minsize

    def __call__(self, tokens):
        for t in tokens:
            if len(t.text) >= self.minsize and not t.text.isdigit():
                yield t


# Index schemas written while this module was app/search_text.py name the two filters
# above by that path; an existing index must still open without a rebuild.
_OLD_PICKLE_PATH = types.ModuleType("app.search_text", "Where older index schemas find the analyzer filters.")
_OLD_PICKLE_PATH.IndonesianStemFilter = IndonesianStemFilter
_OLD_PICKLE_PATH.MinLengthFilter = MinLengthFilter
sys.modules.setdefault("app.search_text", _OLD_PICKLE_PATH)


def indonesian_analyzer():
    """Analyzer for searchable text: words, lowercase, accent folding, Sastrawi stems."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | IndonesianStemFilter()
    )


def spelling_analyzer():
    """Analyzer for the unstemmed spelling dictionary (title, tags, topic and publisher words)."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map) | MinLengthFilter(3)


_fold_analyzer = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def words(text: str) -> list[str]:
    """Split text into lowercase, accent-folded words (no stemming)."""
    return [t.text for t in _fold_analyzer(text)]


def sort_key(text: str) -> str:
    """Return a case- and accent-insensitive sort key for a title."""
    return (text or "").casefold().translate(accent_map).strip()


# --- synonyms -------------------------------------------------------------------------

DEFAULT_SYNONYMS_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "synonyms.txt")


class Synonyms:
    """Synonym groups keyed by stemmed word sequences; one group per line of the file."""

    def __init__(self, groups: list[list[str]]):
        self.groups: list[tuple[tuple[str, ...], ...]] = []
        self._by_key: dict[tuple[str, ...], int] = {}
        self.max_len = 1
        for raw_group in groups:
            entries: list[tuple[str, ...]] = []
            for entry in raw_group:
                key = tuple(stem(w) for w in words(entry))
                if key and key not in entries:
                    entries.append(key)
            if len(entries) < 2:
                continue
            index = len(self.groups)
            self.groups.append(tuple(entries))
            for key in entries:
                # A word listed in two groups expands to the first one (keep the file tidy).
                self._by_key.setdefault(key, index)
                self.max_len = max(self.max_len, len(key))

    @classmethod
    def load(cls, path: str | None) -> "Synonyms":
        """Read a synonyms file: comma-separated groups, ``#`` starts a comment."""
        if path is None or not os.path.exists(path):
            return cls([])
        groups = []
        with open(path, encoding="utf-8-sig") as fh:
            for line in fh:
                line = line.split("#", 1)[0].strip()
                if line:
                    groups.append([part.strip() for part in line.split(",") if part.strip()])
        return cls(groups)

    def match(self, stems: list[str], start: int) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
        """Return (length, group) of the longest synonym entry starting at ``stems[start]``."""
        for length in range(min(self.max_len, len(stems) - start), 0, -1):
            index = self._by_key.get(tuple(stems[start : start + length]))
            if index is not None:
                return length, self.groups[index]
        return None


# --- query text -------------------------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*)"')
_YEAR = re.compile(r"^(?:199\d|20\d\d|2100)$")


def split_query(q: str) -> list[tuple[str, list[str]]]:
    """Split a user query into ("phrase", words) and ("word", [word]) parts, in order.

    Only double-quoted phrases are syntax; operators, wildcards and other punctuation
    are treated as spaces, so no input can build an expensive or invalid query.
    """
    parts: list[tuple[str, list[str]]] = []
    pos = 0
    q = q or ""
    for m in _QUOTED.finditer(q):
        parts.extend(("word", [w]) for w in words(q[pos : m.start()]))
        phrase = words(m.group(1))
        if len(phrase) > 1:
            parts.append(("phrase", phrase))
        elif phrase:
            parts.append(("word", phrase))
        pos = m.end()
    parts.extend(("word", [w]) for w in words(q[pos:]))
    return parts


def is_year(word: str) -> bool:
    """True for a bare year 1990-2100 in a query."""
    return bool(_YEAR.match(word))


def drop_year(q: str, year: int) -> str:
    """Return the query without the bare year that the search took as a year filter."""
    q = q or ""
    matches = [m for m in re.finditer(WORD_PATTERN, q) if m.group(0) == str(year)]
    # The search takes the first year outside a phrase; a quoted lone word is no phrase.
    unquoted = [m for m in matches if q.count('"', 0, m.start()) % 2 == 0]
    m = (unquoted or matches or [None])[0]
    if m is None:
        return q
    rest = re.sub(r'"\s*"', " ", q[: m.start()] + q[m.end() :])
    return " ".join(rest.split())
