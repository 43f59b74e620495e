"""Small counts and sensitive categories."""
from __future__ import annotations

import pytest

from app import tables
from app.ingest import read_table
from app.ingest.privacy import MESSAGES, is_sensitive_category, load_sensitive_categories, small_cell_finding


def scan(table_at, columns, rows, threshold=5):
    """Small cells of a typed table, as the upload review counts them (`Table.small_cells`)."""
    import uuid

    path = table_at(f"t{uuid.uuid4().hex}.sqlite")
    tables.build(path, columns, rows)
    out = []
    with tables.Table(path) as table:
        for c in columns:
            if c["type"] == "integer":
                count, total, found = table.small_cells(c["name"], threshold)
                if count:
                    out.append(small_cell_finding(c["name"], count, total, found, threshold))
    return out


KATEGORI = {"name": "kategori", "type": "text"}
JUMLAH = {"name": "jumlah", "type": "integer"}


def test_counts_one_to_four_are_small_zero_and_five_are_not(table_at):
    rows = [["ODHA", v] for v in (0, 1, 2, 3, 4, 5, 6, 100)]
    (finding,) = scan(table_at, [KATEGORI, JUMLAH], rows)
    assert finding.column == "jumlah"
    assert finding.count == 4
    assert finding.rows == [1, 2, 3, 4]
    assert finding.total == 8
    assert finding.reason.code == "privacy.small_cells"
    assert str(MESSAGES["privacy.small_cells"]) % finding.reason.params
    assert finding.as_dict()["threshold"] == 5


def test_threshold_is_configurable(table_at):
    rows = [[v] for v in (1, 2, 3, 4)]
    assert scan(table_at, [JUMLAH], rows, threshold=3)[0].count == 2
    assert scan(table_at, [JUMLAH], rows, threshold=1) == []


def test_zeros_and_columns_that_are_not_integers_are_not_flagged(table_at):
    rows = [["Kota Bima", 0, 3.0], ["Kota Mataram", 0, 2.5]]
    assert scan(table_at, [KATEGORI, JUMLAH, {"name": "rasio", "type": "decimal"}], rows) == []


def test_indonesian_number_styles_are_read_before_counting(tmp_path, table_at):
    path = tmp_path / "angka.csv"
    path.write_text("kabupaten;jumlah\nA;1\nB;2\nC;1.234\nD;-\nE;\nF;4\nG; 3 \nH;7\n", encoding="utf-8")
    parsed = read_table(path, "angka.csv")
    assert [c.type for c in parsed.columns] == ["text", "integer"]
    (finding,) = scan(table_at, [c.as_dict() for c in parsed.columns], parsed.rows())
    assert finding.rows == [0, 1, 5, 6] and finding.total == 6  # 1.234 is 1234; "-" and "" are empty


def test_first_hundred_rows_are_kept(table_at):
    (finding,) = scan(table_at, [JUMLAH], ([1] for _ in range(250)))
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
