"""Identifiers recognised by their structure: NIK and KK (region code + date), phone numbers, e-mail, NPWP."""
from __future__ import annotations

import re
from typing import Any, Sequence


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
