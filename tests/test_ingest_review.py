"""Corrections an admin makes in the review step, and what inspectors see."""
from __future__ import annotations


import pytest

from app.ingest import ReadOptions, TableRefused, read_table

from tests.samples import SAMPLES
BNBA = SAMPLES / "contoh_bnba_harus_ditolak.csv"


class Recorder:
    def __init__(self):
        self.columns = None
        self.rows = []

    def start(self, columns):
        self.columns = list(columns)

    def feed(self, row):
        self.rows.append(list(row))


def test_inspector_sees_every_data_row_as_raw_text():
    rec = Recorder()
    read_table(BNBA, "bnba.csv", inspectors=[rec])
    assert rec.columns == ["No", "Nama Lengkap", "NIK", "Alamat", "No HP", "Program"]
    assert len(rec.rows) == 3
    assert rec.rows[1][2] == "5203015503900001" and rec.rows[0][0] == "1"


def test_inspector_does_not_see_total_rows():
    rec = Recorder()
    read_table(SAMPLES / "pmks_per_kabupaten_2023.csv", "pmks.csv", inspectors=[rec])
    assert len(rec.rows) == 10
    assert all(r[0] != "Jumlah" for r in rec.rows)


def test_dropped_personal_columns_are_gone_for_inspectors_and_rows():
    rec = Recorder()
    options = ReadOptions(drop_columns=["Nama Lengkap", "NIK", "Alamat", "No HP"])
    t = read_table(BNBA, "bnba.csv", options, inspectors=[rec])
    assert rec.columns == ["No", "Program"]
    assert rec.rows == [["1", "PKH"], ["2", "BPNT"], ["3", "PKH"]]
    assert [c.name for c in t.columns] == ["No", "Program"]
    assert list(t.rows()) == [(1, "PKH"), (2, "BPNT"), (3, "PKH")]
    assert any(n.code == "columns_dropped" for n in t.notes)


def test_dropping_every_column_is_refused():
    names = ["No", "Nama Lengkap", "NIK", "Alamat", "No HP", "Program"]
    with pytest.raises(TableRefused) as info:
        read_table(BNBA, "bnba.csv", ReadOptions(drop_columns=names))
    assert info.value.note.code == "all_columns_dropped"


def test_forced_type_empties_values_that_do_not_fit_and_counts_them(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kabupaten;jumlah\nKota Bima;1.234\nKota Mataram;tidak ada\nKab. Dompu;7\n")
    t = read_table(path, "t.csv", ReadOptions(column_types={"jumlah": "integer"}))
    col = t.columns[1]
    assert col.type == "integer" and col.reason.code == "type_forced"
    assert [r[1] for r in t.rows()] == [1234, None, 7]
    assert [n for n in t.notes if n.code == "forced_type_nulls"][0].params == {"column": "jumlah", "count": 1}


def test_forcing_a_year_column_to_text_keeps_the_digits():
    t = read_table(SAMPLES / "kinerja_sakip_2019_2023.csv", "k.csv", ReadOptions(column_types={"tahun": "text"}))
    assert t.columns[0].type == "text"
    assert next(t.rows())[0] == "2019"


def test_unknown_forced_type_is_refused():
    with pytest.raises(TableRefused) as info:
        read_table(BNBA, "bnba.csv", ReadOptions(column_types={"NIK": "money"}))
    assert info.value.note.params == {"column": "NIK", "type": "money"}


def test_correction_for_a_missing_column_is_reported():
    t = read_table(BNBA, "bnba.csv", ReadOptions(drop_columns=["Tidak Ada"]))
    assert [n.params for n in t.notes if n.code == "option_unknown_column"] == [{"column": "Tidak Ada"}]
    assert len(t.columns) == 6


def test_header_row_set_in_review_overrides_detection(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Laporan,bulanan\nkabupaten,jumlah\nKota Bima,3\nKota Mataram,4\n")
    detected = read_table(path, "t.csv")
    assert detected.header_row == 1
    t = read_table(path, "t.csv", ReadOptions(header_row=2))
    assert t.header_row == 2
    assert [c.name for c in t.columns] == ["kabupaten", "jumlah"]
    assert list(t.rows()) == [("Kota Bima", 3), ("Kota Mataram", 4)]
    assert [(s.row, s.kind) for s in t.skipped] == [(1, "title")]


def test_header_row_past_the_end_is_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(TableRefused) as info:
        read_table(path, "t.csv", ReadOptions(header_row=9))
    assert info.value.note.code == "bad_header_row" and info.value.note.params == {"row": 9}


def test_review_dict_lists_columns_skipped_rows_and_first_rows():
    t = read_table(SAMPLES / "pmks_per_kabupaten_2023.csv", "pmks.csv")
    review = t.review(sample=2)
    assert review["delimiter"] == ";" and review["rows"] == 10
    assert review["columns"][1]["number_style"] == "id"
    assert review["skipped"] == [{"row": 12, "kind": "total", "values": ["Jumlah", "293.552", "8.854", "21.517", "15.813", "4.230"]}]
    assert review["first_rows"][1] == ["Kabupaten Lombok Tengah", 47517, 1969, 4279, 3474, 911]
