"""Small counts and sensitive categories."""
from __future__ import annotations

import pytest

from app.ingest.privacy import (
    MESSAGES,
    SmallCellScanner,
    is_sensitive_category,
    load_sensitive_categories,
    parse_count,
)


def scan(columns, rows, count_columns, threshold=5):
    scanner = SmallCellScanner(count_columns, threshold=threshold)
    scanner.start(columns)
    for row in rows:
        scanner.feed(row)
    return scanner.findings()


def test_counts_one_to_four_are_small_zero_and_five_are_not():
    rows = [["ODHA", str(v)] for v in (0, 1, 2, 3, 4, 5, 6, 100)]
    (finding,) = scan(["kategori", "jumlah"], rows, ["jumlah"])
    assert finding.column == "jumlah"
    assert finding.count == 4
    assert finding.rows == [1, 2, 3, 4]
    assert finding.total == 8
    assert finding.reason.code == "privacy.small_cells"
    assert MESSAGES["privacy.small_cells"][1] % finding.reason.params
    assert finding.as_dict()["threshold"] == 5


def test_threshold_is_configurable():
    rows = [[v] for v in (1, 2, 3, 4)]
    assert scan(["n"], rows, ["n"], threshold=3)[0].count == 2
    assert scan(["n"], rows, ["n"], threshold=1) == []


def test_zeros_and_non_count_columns_are_not_flagged():
    rows = [["Kota Bima", 0, 3], ["Kota Mataram", 0, 2]]
    findings = scan(["wilayah", "korban", "tahun_ke"], rows, ["korban"])
    assert findings == []


def test_xlsx_and_indonesian_number_styles():
    rows = [[1], [2.0], ["1.234"], ["2,5"], ["-"], [None], ["4"], [" 3 "]]
    (finding,) = scan(["n"], rows, ["n"])
    assert finding.rows == [0, 1, 3, 6, 7]
    assert parse_count("1.234") == 1234 and parse_count("12,5") == 12.5


def test_first_hundred_rows_are_kept():
    (finding,) = scan(["n"], ([1] for _ in range(250)), ["n"])
    assert finding.count == 250 and len(finding.rows) == 100 and finding.rows[-1] == 99


@pytest.mark.parametrize("text", [
    "Korban NAPZA", "ODHA", "Pemeriksaan HIV/AIDS dan IMS", "anak berhadapan dengan hukum",
    "ABH", "Korban Perdagangan Orang", "TPPO", "korban kekerasan seksual", "Eks Narapidana",
    "warga binaan pemasyarakatan", "Tuna Susila",
])
def test_sensitive_categories(text):
    assert is_sensitive_category(text)


@pytest.mark.parametrize("text", [
    "Lanjut Usia", "Fakir Miskin", "Anak", "Penyandang Disabilitas", "Cabang", "Habib", "", None,
])
def test_ordinary_categories_are_not_sensitive(text):
    assert not is_sensitive_category(text)


def test_sensitive_list_comes_from_the_data_file():
    terms = load_sensitive_categories()
    assert "ODHA" in terms and "TPPO" in terms
    assert not any(t.startswith("#") for t in terms)
