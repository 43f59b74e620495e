"""Find personal (by-name-by-address) data in a table before it is published.

The office publishes aggregates only (UU 27/2022). `PersonalDataScanner` is a
`RowInspector`: the spreadsheet reader calls `start(columns)` and then
`feed(row)` for every raw data row while it streams the file, and asks for
`findings()` at the end. It looks at

* headers, matched as whole words against `app/data/personal_data_headers.txt`;
* values, by structure: NIK and KK (region code + date), phone numbers,
  e-mail addresses, NPWP; Excel-mangled NIKs (`5.20301E+15`) included;
* shape: a column of unique person-like names beside an identifier or an
  address column ("person_rows").

`feed` / `feed_many` must keep up with million-row uploads: the first
`full_rows` rows are checked value by value (with the shape test); after that
each column of a chunk is searched at once for anything an identifier could
hide in, and only a chunk with such a candidate is checked value by value, so
no row is skipped. `outside(row, values)` looks at rows left out of the table
(titles, notes), which the original file still holds. Examples in findings are
always masked.

Small counts are found in the typed table (`datastore.Table.small_cells`,
reported with `small_cell_finding`), and `is_sensitive_category` tells whether a
category label is about health, drugs, children in conflict with the law,
trafficking, sexual violence or criminal records (`app/data/sensitive_categories.txt`).
"""
from __future__ import annotations

import math
import re
from itertools import islice
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from app.ingest.model import Note

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
HEADERS_FILE = DATA_DIR / "personal_data_headers.txt"
SENSITIVE_FILE = DATA_DIR / "sensitive_categories.txt"
NON_NAME_WORDS_FILE = DATA_DIR / "non_person_name_words.txt"

FINDING_KINDS = ("header", "nik", "kk", "phone", "email", "npwp", "person_rows")
VALUE_KINDS = ("nik", "kk", "phone", "email", "npwp")

# Message catalogue: code -> (English, Indonesian). %(examples)s is a comma
# separated list of masked values; %(phrase)s is the matched header phrase.
MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.header.name": (
        "Column %(column)s is titled like a person's name (%(phrase)s).",
        "Kolom %(column)s berjudul nama orang (%(phrase)s).",
    ),
    "privacy.header.nik": (
        "Column %(column)s is titled like a national ID number, NIK/KTP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor induk kependudukan, NIK/KTP (%(phrase)s).",
    ),
    "privacy.header.kk": (
        "Column %(column)s is titled like a family card number, KK (%(phrase)s).",
        "Kolom %(column)s berjudul nomor kartu keluarga, KK (%(phrase)s).",
    ),
    "privacy.header.address": (
        "Column %(column)s is titled like a home address (%(phrase)s).",
        "Kolom %(column)s berjudul alamat tempat tinggal (%(phrase)s).",
    ),
    "privacy.header.birth": (
        "Column %(column)s is titled like a place or date of birth (%(phrase)s).",
        "Kolom %(column)s berjudul tempat atau tanggal lahir (%(phrase)s).",
    ),
    "privacy.header.phone": (
        "Column %(column)s is titled like a phone number (%(phrase)s).",
        "Kolom %(column)s berjudul nomor telepon (%(phrase)s).",
    ),
    "privacy.header.email": (
        "Column %(column)s is titled like an e-mail address (%(phrase)s).",
        "Kolom %(column)s berjudul alamat e-mail (%(phrase)s).",
    ),
    "privacy.header.npwp": (
        "Column %(column)s is titled like a tax number, NPWP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor pokok wajib pajak, NPWP (%(phrase)s).",
    ),
    "privacy.header.nip": (
        "Column %(column)s is titled like a civil-servant number, NIP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor induk pegawai, NIP (%(phrase)s).",
    ),
    "privacy.header.bank": (
        "Column %(column)s is titled like a bank account number (%(phrase)s).",
        "Kolom %(column)s berjudul nomor rekening bank (%(phrase)s).",
    ),
    "privacy.values.nik": (
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK "
        "(national ID numbers), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti NIK "
        "(nomor induk kependudukan), mis. %(examples)s.",
    ),
    "privacy.values.nik_mangled": (
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK "
        "(national ID numbers) shortened by Excel, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti NIK "
        "(nomor induk kependudukan) yang terpotong oleh Excel, mis. %(examples)s.",
    ),
    "privacy.values.kk": (
        "Column %(column)s holds %(count)d of %(total)d values that look like family "
        "card numbers (KK), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "nomor kartu keluarga (KK), mis. %(examples)s.",
    ),
    "privacy.values.phone": (
        "Column %(column)s holds %(count)d of %(total)d values that look like phone "
        "numbers, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "nomor telepon, mis. %(examples)s.",
    ),
    "privacy.values.email": (
        "Column %(column)s holds %(count)d of %(total)d values that look like e-mail "
        "addresses, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "alamat e-mail, mis. %(examples)s.",
    ),
    "privacy.values.npwp": (
        "Column %(column)s holds %(count)d of %(total)d values that look like tax "
        "numbers (NPWP), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "NPWP (nomor pokok wajib pajak), mis. %(examples)s.",
    ),
    "privacy.person_rows": (
        "The table looks like one row per person: column %(column)s holds %(count)d "
        "mostly unique person names (e.g. %(examples)s) beside %(partners)s.",
        "Tabel tampak berisi satu baris per orang: kolom %(column)s berisi %(count)d "
        "nama orang yang hampir semuanya berbeda (mis. %(examples)s) di samping "
        "%(partners)s.",
    ),
    "privacy.small_cells": (
        "Column %(column)s has %(count)d cells between 1 and %(max_value)d; such small "
        "counts can point at individual people.",
        "Kolom %(column)s memiliki %(count)d sel bernilai 1 sampai %(max_value)d; "
        "angka sekecil ini dapat menunjuk orang tertentu.",
    ),
}

# Kemendagri province codes: the 38 provinces, Papua splits (92-96) included.
PROVINCE_CODES = frozenset(
    [str(c) for c in range(11, 20)]
    + ["21"]
    + [str(c) for c in range(31, 37)]
    + ["51", "52", "53"]
    + [str(c) for c in range(61, 66)]
    + [str(c) for c in range(71, 77)]
    + ["81", "82"]
    + [str(c) for c in range(91, 97)]
)
_MONTHS = frozenset(f"{m:02d}" for m in range(1, 13))
_KK_DAYS = frozenset(f"{d:02d}" for d in range(1, 32))
_NIK_DAYS = _KK_DAYS | frozenset(f"{d:02d}" for d in range(41, 72))

# One valid NIK, KK, NPWP or e-mail address is personal data wherever it stands: their
# structure (region code, birth date, '@') makes a chance match very unlikely. Phone-like
# numbers and Excel-mangled NIKs are looser patterns: a column is flagged when this share
# of its values match, or PATTERN_HITS of them, whichever is fewer.
EXACT_KINDS = ("nik", "kk", "npwp", "email")
VALUE_SHARE = 0.30
MANGLED_SHARE = 0.50
PATTERN_HITS = 3

# Anything an identifier could hide in: 9+ digits in a run or split by separators, an
# e-mail's '@', Excel's scientific notation of a 16-digit number.
_CANDIDATE_RE = re.compile(r"\d{9}|[eE]\+?1[3-6]")
_ONLY_TEXT = {str}


def _has_candidate(values: Sequence[str]) -> bool:
    """Whether a column's text values could hold an identifier (a 9-digit run once
    separators are gone, an '@', Excel's E+15): checked for a whole chunk at C speed."""
    longest = max(map(len, values), default=0)
    if longest < 5:  # too short for an e-mail address, let alone a NIK or a phone number
        return False
    text = "\n".join(values)
    if "@" in text:
        return True
    if longest < 9 or not any(map(text.__contains__, "0123456789")):
        return False  # names, places, categories: no digit at all
    return _CANDIDATE_RE.search(text.translate(_SEPARATORS)) is not None
_SEPARATORS = str.maketrans("", "", " .-()\u00a0")
_SCI_RE = re.compile(r"(\d)[.,](\d{1,15})[eE]\+?(\d{1,2})")
_FLOAT_ZERO_RE = re.compile(r"(\d{14,17})[.,]0+")
_NPWP_RE = re.compile(r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# A run of digits (with phone/ID separators) inside free text.
_EMBEDDED_RE = re.compile(r"(?<![\w.,])\+?\(?\d[\d .\-()\u00a0]{7,24}\d(?!\w)")
_ADDRESS_RE = re.compile(
    r"^(?:jl|jln|jalan|dusun|dsn|gg|gang|lingkungan|lingk|kp|kampung|perum|perumahan|"
    r"komplek|kompleks|btn|blok|desa|ds|kel|kelurahan|rt|rw)\b\.?"
    r"|\brt\.?\s*\d{1,3}\b|\brw\.?\s*\d{1,3}\b|\bno\.?\s*\d{1,4}\b",
    re.IGNORECASE,
)
_NAME_PARTICLES = frozenset(["bin", "binti", "bt", "bte", "al", "el", "van", "de", "da"])


# --------------------------------------------------------------------------- masks


def _mask_digits(text: str, keep_first: int, keep_last: int) -> str:
    """Star the digits of `text` except the first/last few; keep separators."""
    n = sum(1 for c in text if c.isdigit())
    # Never show more than half of the digits, whatever the length.
    while keep_first + keep_last > n // 2 and (keep_first or keep_last):
        if keep_first >= keep_last and keep_first:
            keep_first -= 1
        else:
            keep_last -= 1
    out = []
    k = 0
    for c in text:
        if c.isdigit():
            out.append(c if k < keep_first or k >= n - keep_last else "*")
            k += 1
        else:
            out.append(c)
    return "".join(out)


def _mask_email(value: str) -> str:
    local, _, domain = value.strip().partition("@")
    head, dot, tld = domain.rpartition(".")
    if not dot:
        head, tld = domain, ""
    masked_domain = (head[:1] + "***" if head else "***") + ("." + tld if tld else "")
    return (local[:1] + "***" if local else "***") + "@" + masked_domain


def _mask_identifier(value: str) -> str:
    s = value.strip().lstrip("'")
    m = _SCI_RE.fullmatch(s)
    if m:
        return f"{m.group(1)}{s[1]}{m.group(2)[:1]}****E+{m.group(3)}"
    m = _FLOAT_ZERO_RE.fullmatch(s)
    if m:
        s = m.group(1)
    return _mask_digits(s, 4, 4)


def mask(value: str, kind: str) -> str:
    """Mask an identifier for display; never return it whole."""
    value = str(value)
    if kind in ("nik", "kk", "npwp"):
        return _mask_identifier(value)
    if kind == "phone":
        return _mask_digits(value.strip(), 4, 2)
    if kind == "email":
        return _mask_email(value)
    if kind in ("name", "person_rows"):
        s = value.strip()
        return (s[:1] + "***") if s else "***"
    # Anything else: hide digit runs, or all but the first letter.
    masked = mask_text(value)
    if masked != value:
        return masked
    s = value.strip()
    return (s[:1] + "***") if s else "***"


def _mask_embedded(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(1 for c in text if c.isdigit())
    if digits < 9:
        return text
    if digits >= 14:
        return _mask_digits(text, 4, 4)
    return _mask_digits(text, 4, 2)


def mask_text(text: str) -> str:
    """Mask every NIK/KK/NPWP, phone number and e-mail address inside `text`."""
    text = str(text)
    text = _EMAIL_RE.sub(lambda m: _mask_email(m.group(0)), text)
    text = re.sub(
        r"\d[.,]\d{1,15}[eE]\+?1[3-6]", lambda m: _mask_identifier(m.group(0)), text
    )
    # Looser than _EMBEDDED_RE on purpose: logs must not keep a number whole.
    return re.sub(r"\+?\(?\d[\d .\-()\u00a0]*\d", _mask_embedded, text)


# --------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class HeaderVocabulary:
    phrases: dict[str, str]  # phrase -> category
    not_personal: tuple[str, ...]  # longest first
    count_words: frozenset[str]
    ambiguous: frozenset[str]


def _data_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


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
    for line in _data_lines(HEADERS_FILE):
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


@lru_cache(maxsize=1)
def load_non_name_words() -> frozenset[str]:
    """Read the words that mark a text value as not a person's name."""
    return frozenset(w.lower() for w in _data_lines(NON_NAME_WORDS_FILE))


@lru_cache(maxsize=1)
def load_sensitive_categories() -> list[str]:
    """Read the sensitive category terms (one a line, # comments)."""
    return _data_lines(SENSITIVE_FILE)


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


# ------------------------------------------------------------ value structure


def classify_id16(digits: str, mode: str = "") -> tuple[str, bool] | None:
    """Classify 16 digits as ("nik"|"kk"|"npwp", truncated) or None.

    `truncated` is True when the serial is 0000, as Excel leaves a NIK typed as
    a number (15 significant digits, last one zeroed).
    """
    if mode == "npwp":
        return ("npwp", False)
    if digits[:2] not in PROVINCE_CODES or digits[2:4] == "00":
        return None
    if digits[8:10] not in _MONTHS:
        return None
    truncated = digits[12:] == "0000"
    day = digits[6:8]
    if mode == "kk" and day in _KK_DAYS:
        return ("kk", truncated)
    if day in _NIK_DAYS and _real_day(int(day) % 40 or 40, int(digits[8:10])):
        return ("nik", truncated)
    return None


# The longest month lengths (29 February: the two-digit year cannot tell leap years).
_MONTH_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _real_day(day: int, month: int) -> bool:
    """A birth day that exists in that month (women's NIKs add 40 to the day)."""
    return 1 <= day <= _MONTH_DAYS[month]


def _sci_nik(mantissa: str, exponent: str) -> bool:
    """Tell whether Excel's `5.20301E+15` can be a NIK (region code, date)."""
    if exponent != "15" or len(mantissa) < 2 or mantissa[:2] not in PROVINCE_CODES:
        return False
    if len(mantissa) >= 4 and mantissa[2:4] == "00":
        return False
    if len(mantissa) >= 8 and mantissa[6:8] not in _NIK_DAYS:
        return False
    if len(mantissa) >= 10 and mantissa[8:10] not in _MONTHS:
        return False
    return True


def _phone_digits(c: str, plus: bool, mode: str) -> bool:
    n = len(c)
    first = c[0]
    if first == "0":
        second = c[1]
        if second == "8":
            ok = 10 <= n <= 13
        elif "2" <= second <= "9":
            ok = 9 <= n <= 12  # landline: area code + 5-8 digits
        else:
            return False
    elif c.startswith("62"):
        third = c[2:3]
        if third == "8":
            ok = 11 <= n <= 14
        elif plus and "2" <= third <= "9":
            ok = 10 <= n <= 13
        else:
            return False
    elif mode == "phone" and first == "8":
        ok = 9 <= n <= 12  # leading 0 dropped by a spreadsheet
    else:
        return False
    # Round amounts (62.800.000.000) are money, not phones.
    return ok and not c.endswith("00000")


def classify_text_number(s: str, mode: str = "") -> tuple[str, bool] | None:
    """Classify a number-like string as (kind, weak) or None.

    `weak` marks Excel-mangled NIKs; `mode` is the kind named by the header
    ("kk", "phone", "npwp") and loosens the check to that kind.
    """
    if s[0] == "'":
        s = s[1:].strip()
        if not s:
            return None
    plus = s[0] == "+"
    if plus:
        s = s[1:]
    if s[-1] == "0" and ("." in s or "," in s):
        m = _FLOAT_ZERO_RE.fullmatch(s)  # 5203011208850000.0 from a numeric cell
        if m:
            return classify_id16(m.group(1), mode) if len(m.group(1)) == 16 else None
    c = s.translate(_SEPARATORS)
    if not (c.isdigit() and c.isascii()):
        m = _SCI_RE.fullmatch(s)
        if m:
            if _sci_nik(m.group(1) + m.group(2), m.group(3)):
                return ("kk" if mode == "kk" else "nik", True)
            return None
        return None
    n = len(c)
    if n == 16 and not plus:
        found = classify_id16(c, mode)
        if found:
            return found
    if n == 15 and (mode == "npwp" or _NPWP_RE.fullmatch(s)):
        return ("npwp", False)
    if 9 <= n <= 14 and not (s[:2] in ("0.", "0,")):
        if _phone_digits(c, plus, mode):
            return ("phone", False)
    return None


def classify_int(v: int, mode: str = "") -> tuple[str, bool] | None:
    """Classify an integer cell (XLSX) as (kind, weak) or None."""
    if v < 100_000_000:
        return None
    if 10**15 <= v < 10**16:
        return classify_id16(str(v), mode)
    c = str(v)
    if c.startswith("628") or (mode == "phone" and c[0] == "8"):
        if _phone_digits(c, False, mode):
            return ("phone", False)
    if mode == "npwp" and len(c) in (14, 15):
        return ("npwp", False)
    return None


def classify_value(v: Any, mode: str = "") -> tuple[str, bool] | None:
    """Classify one raw cell as (kind, weak) or None (NIK, KK, phone, e-mail, NPWP)."""
    t = type(v)
    if t is int:
        return classify_int(v, mode)
    if t is float:
        if 1e8 <= v < 1e17 and v.is_integer():
            return classify_int(int(v), mode)
        return None
    if t is not str:
        return None
    s = v.strip()
    if not s:
        return None
    if "@" in s:
        return ("email", False) if _EMAIL_RE.search(s) else None
    if s[0] in "0123456789+('":
        found = classify_text_number(s, mode)
        if found:
            return found
    if len(s) >= 9:
        for i, m in enumerate(_EMBEDDED_RE.finditer(s)):
            if i >= 3:
                break
            found = classify_text_number(m.group(0).rstrip(" .-("), mode)
            if found:
                return found
    return None


def _example(v: Any, kind: str) -> str:
    text = str(v)
    if kind == "email":
        m = _EMAIL_RE.search(text)
        return _mask_email(m.group(0) if m else text)
    return mask(text, kind)


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


# -------------------------------------------------------------------- findings


@dataclass
class Finding:
    column: str
    kind: str  # one of FINDING_KINDS
    count: int  # values that matched; 0 for a header-only finding
    total: int  # non-empty values examined in the column
    examples: list[str]  # masked, at most 3
    reason: Note

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "kind": self.kind,
            "count": self.count,
            "total": self.total,
            "examples": list(self.examples),
            "reason": self.reason.as_dict(),
        }


class _ColumnState:
    __slots__ = (
        "name", "index", "header", "exempt", "mode", "hot", "nonempty", "strong",
        "weak", "examples", "text", "name_like", "multiword", "names", "name_examples",
        "address", "shape", "numeric_only",
    )

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.header = match_header(name)  # (category, phrase) or None
        self.exempt = header_is_exempt(name)
        category = self.header[0] if self.header else ""
        self.mode = category if category in ("kk", "phone", "npwp") else ""
        self.hot = True  # checked on every row in the full phase
        self.nonempty = 0
        self.strong = dict.fromkeys(VALUE_KINDS, 0)
        self.weak = dict.fromkeys(VALUE_KINDS, 0)
        self.examples: dict[str, list[str]] = {k: [] for k in VALUE_KINDS}
        self.text = 0  # non-empty text values seen while shape is tracked
        self.name_like = 0
        self.multiword = 0
        self.names: set[int] | None = set()  # hashes of name-like values (capped)
        self.name_examples: list[str] = []
        self.address = 0
        self.shape = not self.exempt  # still a candidate for the shape test
        self.numeric_only = True  # every value a plain count (for ambiguous headers)

    def matches(self) -> int:
        return sum(self.strong.values()) + sum(self.weak.values())


class PersonalDataScanner:
    """Find personal data in a streamed table (a `RowInspector`)."""

    def __init__(
        self,
        full_rows: int = 20_000,
        sample_every: int = 37,
        cold_after: int = 2_000,
        shape_rows: int = 20_000,
    ) -> None:
        self.full_rows = full_rows  # rows checked in full (all candidate columns)
        self.sample_every = max(1, sample_every)  # afterwards: one row in N
        self.cold_after = cold_after  # values without a match before a column cools
        self.shape_rows = shape_rows  # rows used for the names/uniqueness test
        self.columns: list[_ColumnState] = []
        self.rows_seen = 0
        self._hot: list[_ColumnState] = []
        self._non_name = load_non_name_words()
        self._outside: list[tuple[int, str, str]] = []

    def start(self, columns: Sequence[str]) -> None:
        """Begin a table with these column headers."""
        self.columns = [_ColumnState("" if c is None else str(c), i) for i, c in enumerate(columns)]
        self._hot = list(self.columns)
        self.rows_seen = 0
        self._outside: list[tuple[int, str, str]] = []  # (row, kind, masked example)

    def feed_many(self, rows: Sequence[Sequence[Any]], columns: Sequence[Sequence[Any]] | None = None) -> None:
        """Look at a chunk of raw data rows.

        The first `full_rows` go through `feed` (types, names, shape). Past them,
        each column of the chunk is searched at once for anything that could be an
        identifier (a long digit run, an '@', Excel's E+15), and only a chunk with
        such a candidate is checked value by value: every row is looked at, none is
        sampled away. `columns`, when given, is `rows` transposed (saves doing it again).
        """
        n = self.rows_seen
        head = max(0, min(len(rows), self.full_rows - n))
        for row in rows[:head]:
            self.feed(row)
        rest = rows[head:]
        if not rest:
            return
        self.rows_seen += len(rest)
        width = len(self.columns)
        if columns is None:
            columns = list(zip(*rest))
        elif head:
            columns = [c[head:] for c in columns]
        for col, values in zip(self.columns, columns):
            if col.index >= width:
                break
            if set(map(type, values)) != _ONLY_TEXT:  # XLSX: numbers, dates and None beside text
                texts = [v for v in values if type(v) is str]
                for v in values:
                    if (type(v) is int or type(v) is float) and v >= 1e8:
                        self._check(col, v, False)
                    elif v is not None and type(v) is not str:
                        col.nonempty += 1
                values = texts
            if not _has_candidate(values):
                col.nonempty += len(values) - values.count("")
                continue
            for v in values:
                if v:
                    self._check(col, v, False)

    def outside(self, row: int, values: Sequence[str]) -> None:
        """Look at a row left out of the table (title, note, total): the original file keeps it."""
        for v in values:
            found = classify_value(v)
            if found is None:
                continue
            kind, _weak = found
            if len(self._outside) < 3:
                m = _EMBEDDED_RE.search(v) if kind != "email" else None
                self._outside.append((row, kind, _example(m.group(0) if m else v, kind)))

    def outside_findings(self) -> list[dict[str, Any]]:
        """Identifiers found outside the table: the original file must then stay private."""
        return [{"row": row, "kind": kind, "example": example} for row, kind, example in self._outside]

    def feed(self, row: Sequence[Any]) -> None:
        """Look at one raw data row."""
        n = self.rows_seen
        self.rows_seen = n + 1
        if n < self.full_rows:
            cols = self._hot
            if not cols:
                return
            shape = n < self.shape_rows
        elif n % self.sample_every:
            return
        else:
            cols = self.columns
            shape = False
        width = len(row)
        cooled = False
        for col in cols:
            i = col.index
            if i >= width:
                continue
            v = row[i]
            if v is None or v == "":
                continue
            self._check(col, v, shape)
            if col.hot and col.nonempty >= self.cold_after and self._cold(col, shape):
                col.hot = False
                cooled = True
        if cooled:
            self._hot = [c for c in self._hot if c.hot]

    @staticmethod
    def _cold(col: _ColumnState, shape: bool) -> bool:
        # Plainly not personal: no identifier so far, and not (or no longer)
        # a names/addresses candidate for the shape test.
        if col.matches():
            return False
        return not (shape and col.shape and (col.name_like or col.address))

    def _check(self, col: _ColumnState, v: Any, shape: bool) -> None:
        t = type(v)
        if t is str:
            s = v.strip()
            if not s:
                return
            col.nonempty += 1
            if col.numeric_only and not (s.isdigit() and (s[0] != "0" or s == "0") and len(s) < 10):
                col.numeric_only = False
            if shape and col.shape:
                self._shape(col, s)
            found = classify_value(s, col.mode)
        elif t is int or t is float:
            col.nonempty += 1
            if col.numeric_only and not (0 <= v < 10**9):
                col.numeric_only = False
            found = classify_value(v, col.mode) if v >= 1e8 else None
        else:
            col.nonempty += 1
            col.numeric_only = False
            return
        if found is None:
            return
        kind, weak = found
        if weak:
            col.weak[kind] += 1
        else:
            col.strong[kind] += 1
        examples = col.examples[kind]
        if len(examples) < 3:
            examples.append(_example(v, kind))

    def _shape(self, col: _ColumnState, s: str) -> None:
        col.text += 1
        words = name_word_count(s, self._non_name)
        if words:
            col.name_like += 1
            if 2 <= words <= 4:
                col.multiword += 1
            if col.names is not None:
                col.names.add(hash(s.lower()))
            if len(col.name_examples) < 3:
                col.name_examples.append(mask(s, "name"))
        if _ADDRESS_RE.search(s):
            col.address += 1
        # Give up on the shape test once the column is plainly not names/addresses.
        if col.text >= 200 and col.name_like < 0.5 * col.text and col.address < 0.3 * col.text:
            col.shape = False
            col.names = None

    # ---------------------------------------------------------------- results

    def _value_findings(self, col: _ColumnState) -> list[Finding]:
        out = []
        total = col.nonempty
        need_pattern = max(1, min(PATTERN_HITS, math.ceil(VALUE_SHARE * total)))
        need_mangled = max(1, min(PATTERN_HITS, math.ceil(MANGLED_SHARE * total)))
        for kind in VALUE_KINDS:
            strong, weak = col.strong[kind], col.weak[kind]
            need = 1 if kind in EXACT_KINDS else need_pattern
            if strong >= need:
                code, count = f"privacy.values.{kind}", strong + weak
            elif strong + weak >= need_mangled:
                code = "privacy.values.nik_mangled" if kind == "nik" else f"privacy.values.{kind}"
                count = strong + weak
            else:
                continue
            examples = list(col.examples[kind])
            out.append(Finding(col.name, kind, count, total, examples, Note(code, {
                "column": col.name, "count": count, "total": total,
                "examples": ", ".join(examples),
                "percent": round(100.0 * count / total, 1) if total else 0.0,
            })))
        return out

    def _is_name_column(self, col: _ColumnState) -> bool:
        if col.exempt or col.names is None or not col.text or not col.name_like:
            return False
        if col.name_like < 0.7 * col.text or col.multiword < 0.5 * col.name_like:
            return False
        return len(col.names) >= 0.9 * min(col.name_like, self.shape_rows)

    def _is_address_column(self, col: _ColumnState) -> bool:
        if col.exempt:
            return False
        if col.header and col.header[0] == "address":
            return True
        return col.text > 0 and col.address >= 0.5 * col.text

    def findings(self) -> list[Finding]:
        """Return what was found so far (masked examples only)."""
        out: list[Finding] = []
        id_columns: set[str] = set()
        for col in self.columns:
            if col.header and not self._ambiguous_count(col):
                category, phrase = col.header
                out.append(Finding(col.name, "header", 0, col.nonempty, [], Note(
                    f"privacy.header.{category}",
                    {"column": col.name, "phrase": phrase, "category": category},
                )))
            values = self._value_findings(col)
            if values:
                id_columns.add(col.name)
            out.extend(values)
        addresses = [c.name for c in self.columns if self._is_address_column(c)]
        for col in self.columns:
            if not self._is_name_column(col):
                continue
            partners = [c for c in self._columns_in_order(id_columns, addresses) if c != col.name]
            if not partners:
                continue
            note = Note("privacy.person_rows", {
                "column": col.name, "count": col.name_like, "total": col.text,
                "examples": ", ".join(col.name_examples), "partners": ", ".join(partners),
            })
            out.append(Finding(col.name, "person_rows", col.name_like, col.text,
                               list(col.name_examples), note))
        return out

    def _columns_in_order(self, *groups: Iterable[str]) -> list[str]:
        """Return the named columns in table order, each once."""
        wanted = set().union(*map(set, groups))
        return [c.name for c in self.columns if c.name in wanted]

    def _ambiguous_count(self, col: _ColumnState) -> bool:
        # A bare "KK" header over plain counts is the number of families.
        return (
            col.header is not None
            and col.header[1] in load_header_vocabulary().ambiguous
            and col.nonempty > 0
            and col.numeric_only
            and not col.matches()
        )


def find_personal_data(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Finding]:
    """Scan a whole table and return its personal-data findings."""
    scanner = PersonalDataScanner()
    scanner.start(columns)
    rows = iter(rows)
    while chunk := list(islice(rows, 4096)):
        scanner.feed_many(chunk)
    return scanner.findings()


# ----------------------------------------------------------------- small cells


@dataclass
class SmallCellFinding:
    column: str
    count: int  # cells with 0 < value < threshold
    total: int  # numeric cells seen
    rows: list[int]  # 0-based data-row indexes of the first 100 such cells
    threshold: int
    reason: Note

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "count": self.count,
            "total": self.total,
            "rows": list(self.rows),
            "threshold": self.threshold,
            "reason": self.reason.as_dict(),
        }


def small_cell_finding(column: str, count: int, total: int, rows: Sequence[int], threshold: int) -> SmallCellFinding:
    """The finding for a count column with `count` cells between 1 and threshold - 1."""
    note = Note("privacy.small_cells", {"column": column, "count": count, "threshold": threshold,
                                        "max_value": threshold - 1})
    return SmallCellFinding(column, count, total, list(rows), threshold, note)
