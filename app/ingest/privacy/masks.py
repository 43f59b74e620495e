"""Masking identifiers and names for display: a finding's examples never show a value whole."""
from __future__ import annotations

import re
from typing import Any, Sequence

from .identifiers import _EMAIL_RE, _FLOAT_ZERO_RE, _SCI_RE


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


def _example(v: Any, kind: str) -> str:
    text = str(v)
    if kind == "email":
        m = _EMAIL_RE.search(text)
        return _mask_email(m.group(0) if m else text)
    return mask(text, kind)


def mask_column(name: str) -> str:
    """A column name as a blocked upload's review, log or refusal shows it.

    A file without a header row, or a header row set on a person's row, makes a NIK, a phone number
    or a name into a column name: those are masked like any cell. Known headers ("Nama Lengkap",
    "No HP") stay readable, so the admin knows which column to drop.
    """
    from .headers import match_header
    from .lexicons import load_non_name_words
    from .names import MIDDLE_THRESHOLD, name_score, name_word_count

    masked = mask_text(name)
    if masked != name or match_header(name) is not None:
        return masked
    if name_score(name) >= MIDDLE_THRESHOLD or name_word_count(name, load_non_name_words()) >= 2:
        return mask(name, "name")
    return name


def mask_finding(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding as it may be shown or printed: its column names masked (the examples already are)."""
    reason = dict(finding.get("reason") or {})
    params = dict(reason.get("params") or {})
    for key in ("column", "partners"):
        if isinstance(params.get(key), str):
            params[key] = ", ".join(mask_column(part) for part in params[key].split(", "))
    reason["params"] = params
    columns = finding.get("columns") or [finding.get("column", "")]
    return {**finding, "column": mask_column(finding.get("column", "")),
            "columns": [mask_column(c) for c in columns], "reason": reason}


# A single word scoring this much is a known name part (budi, siti, made).
NAME_PART_SCORE = 0.3


def mask_note(text: str, names: Sequence[str]) -> str:
    """A note with the names found in it masked, and every other word that could be part of a name too
    (a recogniser that found "Agus Salim" in "AMAQ JUMRAH / AGUS SALIM" may have missed the first):
    only lowercase words in mixed-case text, and region, institution and programme words, stay."""
    from .lexicons import load_institution_words, load_non_name_words
    from .names import name_score

    for name in names:
        text = text.replace(name, mask(name, "name"))
    keep = load_non_name_words() | load_institution_words()
    mixed = text != text.upper() and text != text.lower()

    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if "*" in w or w.lower() in keep or len(w) < 2:
            return w
        if mixed and not w[0].isupper() and name_score(w) < NAME_PART_SCORE:
            return w  # a lowercase word of the sentence ("kepada", "rusak"), not "budi santoso"
        return w[0] + "***"

    return mask_text(_WORD_RE.sub(word, text))


_WORD_RE = re.compile(r"[^\W\d_][\w'*.-]*")


def mask_prose(text: str) -> str:
    """Free text a member of the public typed (a request's subject, a comment) as it may be shown
    publicly: identifiers, phone numbers and e-mail addresses masked, and the people's names the
    name recogniser finds; the rest of the sentence stays readable (unlike `mask_note`, which masks
    every word that could be part of a name in a table's cell)."""
    from .names import find_names_in_text

    text = str(text)
    for name in sorted(find_names_in_text(text), key=len, reverse=True):
        text = text.replace(name, mask(name, "name"))
    return mask_text(text)
