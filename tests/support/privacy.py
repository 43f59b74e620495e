"""The personal-data variants in tests/files/privacy and the identifiers none of them may leak."""
from __future__ import annotations

import re
from pathlib import Path

PRIVACY_FILES = Path(__file__).resolve().parent.parent / "files" / "privacy"
FULL_IDS = ["5203011208850003", "5203015503900001", "5271020101800004", "081237654321", "085339127788"]
VARIANTS = ["nik_in_kode.csv", "nik_excel_mangled.csv", "phones_in_kontak.csv", "emails_in_keterangan.csv",
            "nik_women.csv", "bnba_numbers.xlsx"]


def no_full_identifier(text: str) -> None:
    """Assert that `text` holds none of the variants' full identifiers, nor any 16-digit number."""
    digits_only = re.sub(r"[\s.\-+()]", "", text)
    for full in FULL_IDS:
        assert full not in text and full not in digits_only, full
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text)
