"""Masks never give back a whole identifier."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import openpyxl
import pytest

from app.ingest.privacy import find_personal_data, mask, mask_text

from tests.samples import SAMPLES
FILES = Path(__file__).resolve().parent / "files" / "privacy"

PHONE_RE = re.compile(r"\+?\(?\d[\d .\-()]{7,}\d")


def identifiers_in(values) -> set[str]:
    """Every 16-digit identifier and phone number (as digits) in the cells."""
    found = set()
    for v in values:
        s = str(v)
        for m in PHONE_RE.finditer(s):
            digits = re.sub(r"\D", "", m.group(0))
            if len(digits) >= 9:
                found.add(digits)
    return found


def assert_hidden(text: str, identifiers: set[str]) -> None:
    compact = re.sub(r"[ .\-()+]", "", text)
    for ident in identifiers:
        assert ident not in compact, ident
        assert ident not in text, ident
        if ident.startswith("62"):
            assert "0" + ident[2:] not in compact, ident


def table(name):
    path = FILES / name if (FILES / name).exists() else SAMPLES / name
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return [str(c) for c in rows[0]], rows[1:]
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    return rows[0], rows[1:]


@pytest.mark.parametrize("name", [
    "contoh_bnba_harus_ditolak.csv", "nik_in_kode.csv", "nik_excel_mangled.csv",
    "phones_in_kontak.csv", "emails_in_keterangan.csv", "nik_women.csv", "bnba_numbers.xlsx",
])
def test_findings_never_show_a_whole_identifier(name):
    columns, rows = table(name)
    findings = find_personal_data(columns, rows)
    assert findings
    idents = identifiers_in(v for row in rows for v in row if v is not None)
    # Float cells (5203011208850000.0) as plain digits too.
    idents |= {str(int(v)) for row in rows for v in row if isinstance(v, (int, float))
               and not isinstance(v, bool) and v >= 1e9}
    emails = [e for row in rows for v in row for e in re.findall(r"[\w.]+@[\w.]+", str(v))]
    assert idents or emails
    whole = json.dumps([f.as_dict() for f in findings])
    assert_hidden(whole, idents)
    for e in emails:
        assert e not in whole and e.split("@")[0] not in whole


def test_mask_formats():
    assert mask("5203011208850003", "nik") == "5203********0003"
    assert mask("5203011502100021", "kk") == "5203********0021"
    assert mask("081237654321", "phone") == "0812******21"
    assert mask("lalu.fadli@gmail.com", "email") == "l***@g***.com"
    assert mask("Lalu Ahmad Fadli", "name") == "L***"
    assert "20301" not in mask("5.20301E+15", "nik")
    assert mask("'5203011208850003", "nik") == "5203********0003"


@pytest.mark.parametrize("value, kind", [
    ("0812", "phone"), ("12", "nik"), ("0370644264", "phone"), ("5203011208850000.0", "nik"),
    ("123456789012345", "npwp"), ("x", "name"), ("", "email"), ("5203011208850003", "other"),
])
def test_mask_hides_at_least_half_of_any_value(value, kind):
    masked = mask(value, kind)
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 2:
        assert digits not in re.sub(r"\D", "", masked)
    assert masked != value or not value


def test_mask_text_hides_every_identifier_in_free_text():
    text = ("Gagal baris 12: NIK 5203011208850003 (KK 5203011502100021), hp 081237654321 / "
            "+62 853-3912-7788 / 0819 1702 3344, kantor (0370) 644264, 6287765432100, "
            "NIK Excel 5.20301E+15, NIK spasi 5203 0112 0885 0003, email lalu.fadli@gmail.com; "
            "tahun 2024 jumlah 47.799")
    masked = mask_text(text)
    assert_hidden(masked, identifiers_in([text]) - {"2024"})
    assert "5.20301E+15" not in masked
    assert "lalu.fadli@gmail.com" not in masked and "lalu.fadli" not in masked
    # Ordinary numbers and words stay readable.
    assert "baris 12" in masked and "tahun 2024 jumlah 47.799" in masked
