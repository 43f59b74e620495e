"""Uploading ugly real-world files: encodings, delimiters, shapes and refusals."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from app.ingest import ReadOptions, TableRefused, read_table

FILES = Path(__file__).resolve().parent / "files" / "ingest"


def read(name, options=None, filename=None):
    return read_table(FILES / name, filename or name, options)


def refusal(name, options=None, filename=None):
    with pytest.raises(TableRefused) as info:
        read(name, options, filename)
    return info.value.note


def test_windows_1252_file_reads_rupiah_and_dashes():
    t = read("anggaran_cp1252.csv")
    assert t.encoding == "cp1252" and t.delimiter == ";"
    assert [(c.name, c.type, c.number_style) for c in t.columns] == [
        ("Kabupaten/Kota", "text", None),
        ("Anggaran (Rp)", "decimal", "id"),
        ("Catatan", "text", None),
    ]
    rows = list(t.rows())
    assert rows[0] == ("Kab. Bima", 1250000.5, "Bantuan – tahap I")
    assert rows[1][2] == "Penyaluran “tepat waktu”"
    assert rows[2][1] is None  # "-" placeholder
    assert rows[3][2] == "Café sosial"


def test_excel_unicode_text_reads_utf16_tabs_and_normalizes_codes():
    t = read("unicode_text_utf16.txt")
    assert t.encoding == "utf-16" and t.delimiter == "\t"
    assert [c.type for c in t.columns] == ["region_code", "text", "integer"]
    assert list(t.rows()) == [
        ("52.01", "Lombok Barat", 2987),
        ("52.71", "Kota Mataram", 1536),
        ("52.72", "Kota Bima", 515),
    ]


def test_pipe_delimited_text_file_reads_na_as_empty():
    t = read("pipa.txt")
    assert t.delimiter == "|"
    assert list(t.rows())[-1] == (2024, "BPNT", None)
    assert t.columns[2].type == "integer"


def test_tsv_reads_indonesian_and_slashed_dates():
    t = read("tab.tsv")
    assert t.delimiter == "\t"
    assert [c.type for c in t.columns] == ["text", "date", "decimal"]
    assert [r[1] for r in t.rows()] == [dt.date(2023, 8, 17), dt.date(2023, 9, 1), dt.date(2023, 10, 5)]
    assert [r[2] for r in t.rows()] == [1.5, 2.25, None]  # em dash is a placeholder


def test_report_page_csv_skips_titles_numbering_total_and_source_line():
    t = read("laporan_berjudul.csv")
    assert t.header_row == 4
    assert [c.name for c in t.columns] == [
        "Kabupaten/Kota",
        "Penerima PKH 2023",
        "Penerima PKH 2024",
        "Nilai Bantuan (Rp) 2023",
        "Nilai Bantuan (Rp) 2024",
        "Keterangan",
    ]
    assert [c.type for c in t.columns] == ["text", "integer", "integer", "decimal", "decimal", "text"]
    assert [(s.row, s.kind) for s in t.skipped] == [
        (1, "title"), (2, "title"), (3, "blank"), (6, "numbering"), (10, "total"), (11, "note"),
    ]
    rows = list(t.rows())
    assert rows[0] == ("Kabupaten Lombok Barat", 36655, 37012, 27491250.0, 27759000.5, None)
    assert len(rows) == t.row_count == 3


def test_mixed_columns_keep_identifiers_as_text_and_name_blank_headers():
    t = read("kolom_campur.csv")
    got = {c.name: (c.type, c.reason.code) for c in t.columns}
    assert got == {
        "tahun": ("year", "type_year"),
        "tahun_2": ("year", "type_year"),
        "kolom_3": ("text", "type_text"),
        "tanggal_lapor": ("date", "type_date"),
        "nik": ("text", "type_text_long_number"),
        "nik_excel": ("text", "type_text_scientific"),
        "no_hp": ("text", "type_text_leading_zeros"),
        "nilai": ("text", "type_text_mixed"),
        "kosong": ("text", "type_text_empty"),
        "dana_en": ("integer", "type_integer_thousands_en"),
        "rasio_en": ("decimal", "type_decimal_en"),
    }
    assert t.columns[7].reason.params == {"example": "abc"}
    rows = list(t.rows())
    assert rows[0][4] == "5203011208850003" and rows[0][5] == "5.20101E+15"
    assert rows[1][3] == dt.date(2023, 8, 17) and rows[2][3] == dt.date(2024, 5, 1)
    assert [r[9] for r in rows] == [1234567, 2500, 987]
    assert [r[8] for r in rows] == [None, None, None]
    codes = {n.code for n in t.notes}
    assert {"header_blank_named", "header_duplicates_renamed"} <= codes


def test_row_with_more_cells_than_header_is_refused_with_its_row():
    note = refusal("ragged.csv")
    assert note.code == "ragged_row"
    assert note.params == {"row": 4, "expected": 3, "found": 4}


def test_short_rows_and_trailing_empty_cells_are_tolerated(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kabupaten,jumlah,tahun\nKota Bima,5,2023,,\nKota Mataram,7\n")
    t = read_table(path, "t.csv")
    assert list(t.rows()) == [("Kota Bima", 5, 2023), ("Kota Mataram", 7, None)]


@pytest.mark.parametrize(
    "name,code",
    [
        ("empty.csv", "empty_file"),
        ("blank_lines.csv", "empty_file"),
        ("header_only.csv", "header_only"),
        ("gambar.csv", "binary_file"),
        ("halaman.csv", "not_a_table"),
        ("kutip_terbuka.csv", "csv_malformed"),
        ("bomb.xlsx", "xlsx_compression_ratio"),
        ("bukan_zip.xlsx", "bad_xlsx"),
        ("rusak.xlsx", "bad_xlsx"),
        ("lama.xlsx", "xlsx_old_format"),
    ],
)
def test_bad_upload_is_refused_with_a_reason(name, code):
    assert refusal(name).code == code


def test_png_renamed_to_csv_is_refused_as_binary():
    assert refusal("gambar.csv").params == {"kind": "png"}


def test_unsupported_extension_is_refused_before_reading():
    note = refusal("pipa.txt", filename="data.pdf")
    assert note.code == "unsupported_format" and note.params == {"ext": "pdf"}


def test_upload_over_the_size_limit_is_refused():
    note = refusal("anggaran_cp1252.csv", ReadOptions(max_bytes=100))
    assert note.code == "file_too_large"
    assert note.params["limit"] == 100 and note.params["size"] > 100


def test_xlsx_extension_on_a_csv_is_not_read_as_csv():
    assert refusal("pipa.txt", filename="pipa.xlsx").code == "bad_xlsx"


def test_zip_bomb_is_refused_before_openpyxl_opens_it():
    note = refusal("bomb.xlsx")
    assert note.params["member"] == "xl/worksheets/sheet1.xml"
    assert note.params["ratio"] > 100
    assert (FILES / "bomb.xlsx").stat().st_size < 100_000


def test_workbook_unpacking_past_the_limit_is_refused():
    note = refusal("laporan_lks.xlsx", ReadOptions(max_xlsx_uncompressed=5000))
    assert note.code == "xlsx_too_large_uncompressed"
    assert note.params["limit"] == 5000 and note.params["size"] > 5000


def test_blank_lines_between_rows_are_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a;b\n1;x\n\n;\n2;y\n")
    t = read_table(path, "t.csv")
    assert list(t.rows()) == [(1, "x"), (2, "y")]
    assert [s.kind for s in t.skipped] == ["blank", "blank"]


def test_repeated_header_inside_data_is_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kabupaten,jumlah\nKota Bima,1\nkabupaten,jumlah\nKota Mataram,2\n")
    t = read_table(path, "t.csv")
    assert list(t.rows()) == [("Kota Bima", 1), ("Kota Mataram", 2)]
    assert [(s.row, s.kind) for s in t.skipped] == [(3, "header")]


def test_total_rows_in_many_spellings_are_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "kode,kabupaten,jumlah\n52.01,Kab. Lombok Barat,1\n52.02,Kab. Lombok Tengah,1\n52.03,Lombok Timur,1\n"
        ",Jumlah Total,3\n52.71,Kota Mataram,2\n,TOTAL,2\n,Provinsi NTB,5\n"
    )
    t = read_table(path, "t.csv")
    assert t.row_count == 4
    assert [s.kind for s in t.skipped] == ["total", "total", "total"]
    assert t.columns[0].type == "region_code"


def test_indicator_named_jumlah_is_data_not_a_total(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("tahun;indikator;nilai\n2023;Jumlah korban bencana;5\n2024;Jumlah korban bencana;6\n")
    assert read_table(path, "t.csv").row_count == 2


def test_file_moved_after_upload_still_streams_from_its_path(tmp_path):
    src = tmp_path / "upload.tmp"
    shutil.copy(FILES / "pipa.txt", src)
    t = read_table(src, "pipa.txt")
    assert len(list(t.rows())) == 3


def test_thousands_of_empty_excel_rows_are_counted_not_listed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kab;jumlah\nKota Bima;3\n" + ";\n" * 500)
    t = read_table(path, "t.csv")
    assert t.row_count == 1
    assert len(t.skipped) == 200
    assert [n.params for n in t.notes if n.code == "skipped_rows_truncated"] == [{"count": 500, "shown": 200}]
