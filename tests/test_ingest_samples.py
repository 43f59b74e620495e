"""Reading the office's sample tables gives the expected columns, types and rows."""
from __future__ import annotations


import pytest

from app.ingest import read_table

from tests.samples import SAMPLES


def read(name, **kw):
    return read_table(SAMPLES / name, name, **kw)


def types_of(table):
    return [(c.name, c.type) for c in table.columns]


def test_semicolon_file_reads_indonesian_thousands():
    t = read("pmks_per_kabupaten_2023.csv")
    assert t.encoding == "utf-8-sig" and t.delimiter == ";"
    assert t.row_count == 10
    assert types_of(t) == [
        ("Kabupaten/Kota", "text"),
        ("Fakir Miskin", "integer"),
        ("Anak Terlantar", "integer"),
        ("Lanjut Usia Terlantar", "integer"),
        ("Penyandang Disabilitas", "integer"),
        ("Korban Bencana Alam", "integer"),
    ]
    assert t.columns[1].number_style == "id"
    assert t.columns[1].reason.code == "type_integer_thousands_id"
    rows = list(t.rows())
    assert rows[0] == ("Kabupaten Lombok Barat", 47799, 941, 2987, 1795, 621)
    assert rows[-1][0] == "Kota Bima"
    assert [(s.row, s.kind, s.values[0]) for s in t.skipped] == [(12, "total", "Jumlah")]


def test_sakip_file_reads_decimal_commas_and_years():
    t = read("kinerja_sakip_2019_2023.csv")
    assert t.row_count == 20
    assert types_of(t) == [
        ("tahun", "year"),
        ("indikator", "text"),
        ("satuan", "text"),
        ("target", "integer"),
        ("realisasi", "decimal"),
        ("capaian_persen", "decimal"),
    ]
    assert t.columns[4].number_style == "id"
    first = next(t.rows())
    assert first == (2019, "Persentase PPKS yang tertangani", "%", 70, 67.9, 97.0)
    assert isinstance(first[0], int) and isinstance(first[5], float)


def test_disaster_victims_file_types_region_codes():
    t = read("korban_bencana_sosial_2019_2024.csv")
    assert t.row_count == 60
    assert types_of(t) == [
        ("kode_kabupaten_kota", "region_code"),
        ("nama_kabupaten_kota", "text"),
        ("tahun", "year"),
        ("jumlah_kejadian", "integer"),
        ("korban_meninggal", "integer"),
        ("korban_luka", "integer"),
        ("kk_terdampak", "integer"),
        ("jiwa_mengungsi", "integer"),
    ]
    assert t.columns[0].reason.code == "type_region_code"
    rows = list(t.rows())
    assert len(rows) == 60
    assert rows[0] == ("52.01", "Kabupaten Lombok Barat", 2019, 1, 1, 11, 23, 195)
    assert {r[0] for r in rows} == {"52.01", "52.02", "52.03", "52.04", "52.05", "52.06", "52.07", "52.08", "52.71", "52.72"}


def test_province_level_file_keeps_ntb_rows_as_data():
    t = read("asn_dinsos_ntb_2020_2024.csv")
    assert t.row_count == 40
    assert types_of(t) == [
        ("kode_provinsi", "region_code"),
        ("nama_provinsi", "text"),
        ("golongan", "text"),
        ("jenis_kelamin", "text"),
        ("jumlah_asn", "integer"),
        ("satuan", "text"),
        ("tahun", "year"),
    ]
    assert not [s for s in t.skipped if s.kind == "total"]
    assert next(t.rows()) == ("52", "Nusa Tenggara Barat", "I", "Laki-laki", 6, "orang", 2020)


def test_lks_file_reads_200_rows():
    t = read("lks_per_kabupaten_2021_2024.csv")
    assert t.row_count == 200
    assert types_of(t) == [
        ("kode_kabupaten_kota", "region_code"),
        ("nama_kabupaten_kota", "text"),
        ("jenis_layanan", "text"),
        ("jumlah_lks", "integer"),
        ("lks_terakreditasi", "integer"),
        ("penerima_manfaat", "integer"),
        ("tahun", "year"),
    ]
    assert sum(r[3] for r in t.rows()) > 0


def test_bansos_file_reads_large_rupiah_integers():
    t = read("penerima_bansos_per_kabupaten_2024.csv")
    assert t.row_count == 20
    assert types_of(t) == [
        ("kode_kabupaten_kota", "region_code"),
        ("nama_kabupaten_kota", "text"),
        ("program", "text"),
        ("tahap", "text"),
        ("jumlah_kpm", "integer"),
        ("nilai_bantuan_rp", "integer"),
        ("tahun", "year"),
    ]
    assert next(t.rows())[5] == 27491250000


def test_directory_file_keeps_quoted_commas_in_text():
    t = read("direktori_lks_mitra.csv")
    assert t.row_count == 6
    assert types_of(t) == [
        ("nama_lks", "text"),
        ("alamat_kantor", "text"),
        ("kode_kabupaten_kota", "region_code"),
        ("nama_kabupaten_kota", "text"),
        ("jenis_layanan", "text"),
        ("akreditasi", "text"),
    ]
    first = next(t.rows())
    assert first[4] == "Perempuan rawan sosial, ODHA"
    assert first[2] == "52.71"


def test_person_level_file_parses_with_nik_and_phone_as_text():
    t = read("contoh_bnba_harus_ditolak.csv")
    assert t.row_count == 3
    assert types_of(t) == [
        ("No", "integer"),
        ("Nama Lengkap", "text"),
        ("NIK", "text"),
        ("Alamat", "text"),
        ("No HP", "text"),
        ("Program", "text"),
    ]
    assert t.columns[2].reason.code == "type_text_long_number"
    assert t.columns[4].reason.code == "type_text_leading_zeros"
    first = next(t.rows())
    assert first[2] == "5203011208850003"
    assert first[4] == "081237654321"


def test_workbook_with_titles_two_row_header_and_total_is_flattened():
    t = read("pemberdayaan_lks_2022_2024.xlsx")
    assert t.format == "XLSX"
    assert t.sheet == "Pemberdayaan LKS" and t.sheets == ["Pemberdayaan LKS"]
    assert t.header_row == 4
    assert t.row_count == 10
    assert types_of(t) == [
        ("No", "integer"),
        ("Kabupaten/Kota", "text"),
        ("LKS Dibina 2022", "integer"),
        ("LKS Dibina 2023", "integer"),
        ("LKS Dibina 2024", "integer"),
        ("Bantuan Diberikan (Rp) 2022", "integer"),
        ("Bantuan Diberikan (Rp) 2023", "integer"),
        ("Bantuan Diberikan (Rp) 2024", "integer"),
    ]
    assert [(s.row, s.kind) for s in t.skipped] == [
        (1, "title"), (2, "title"), (3, "blank"), (6, "numbering"), (17, "total"),
    ]
    assert any(n.code == "header_two_rows" for n in t.notes)
    rows = list(t.rows())
    assert rows[0] == (1, "Kabupaten Lombok Barat", 3, 5, 5, 30000000, 75000000, 100000000)
    assert rows[-1] == (10, "Kota Bima", 1, 1, 1, 10000000, 10000000, 10000000)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.iterdir()))
def test_every_sample_streams_as_many_rows_as_counted(name):
    t = read(name)
    rows = list(t.rows())
    assert len(rows) == t.row_count > 0
    assert all(len(r) == len(t.columns) for r in rows)
    review = t.review(sample=3)
    assert len(review["first_rows"]) == 3 and review["rows"] == t.row_count


def test_samples_are_the_shared_ones():
    """The repository's copies must not drift from ../shared/samples (checked where it is present)."""
    from tests.samples import SHARED_DIR

    if not SHARED_DIR.exists():
        pytest.skip("../shared/samples is not beside this clone")
    shared = {p.name: p.read_bytes() for p in SHARED_DIR.iterdir()}
    ours = {p.name: p.read_bytes() for p in SAMPLES.iterdir()}
    assert ours == shared
