"""Values and column types: Indonesian numbers, dates, region codes, whole-column inference."""
from __future__ import annotations

import datetime as dt

import pytest

from app.ingest import ReadOptions, read_table
from app.ingest.regions import REGIONS, normalize_region_code, region_code_for_name
from app.ingest.types import parse_date, parse_number


@pytest.mark.parametrize(
    "text,style,integer,expected",
    [
        ("1.234", "id", True, 1234),
        ("12,5", "id", False, 12.5),
        ("Rp 1.250.000,50", "id", False, 1250000.5),
        ("Rp1.250.000", "id", True, 1250000),
        ("1,234.5", "en", False, 1234.5),
        ("1,234", "en", True, 1234),
        ("-7", "en", True, -7),
        ("12,5", "en", False, None),
        ("0812345", "en", True, None),
        ("5.20101E+15", "en", False, None),
        ("-", "id", True, None),
        ("12,5", "id", True, None),
    ],
)
def test_numbers_parse_in_their_style(text, style, integer, expected):
    assert parse_number(text, style, integer) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("2023-08-17", dt.date(2023, 8, 17)),
        ("17/08/2023", dt.date(2023, 8, 17)),
        ("17-08-2023", dt.date(2023, 8, 17)),
        ("17 Agustus 2023", dt.date(2023, 8, 17)),
        ("1 Des 2024", dt.date(2024, 12, 1)),
        ("5 Nopember 2022", dt.date(2022, 11, 5)),
        ("31/02/2023", None),
        ("17 Agustusan 2023", None),
    ],
)
def test_dates_parse_in_office_spellings(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "value,expected",
    [("52.01", "52.01"), ("5201", "52.01"), (" 5271 ", "52.71"), ("52", "52"), (5272, "52.72"),
     (52.08, "52.08"), ("52,04", "52.04"), ("53.01", None), ("5299", None), (None, None), ("", None)],
)
def test_region_codes_normalize_to_dotted_form(value, expected):
    assert normalize_region_code(value) == expected


def test_region_table_has_the_province_and_ten_regencies():
    assert REGIONS["52"] == "Provinsi Nusa Tenggara Barat"
    assert REGIONS["52.71"] == "Kota Mataram"
    assert len(REGIONS) == 11


@pytest.mark.parametrize(
    "name,code",
    [("KABUPATEN LOMBOK BARAT", "52.01"), ("Kab. Lombok Barat", "52.01"), ("Lobar", "52.01"),
     ("Mataram", "52.71"), ("Kota Bima", "52.72"), ("Kabupaten Bima", "52.06"), ("Jakarta", None)],
)
def test_region_names_resolve_to_codes(name, code):
    assert region_code_for_name(name) == code


def write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def column(tmp_path, header, values):
    """Read `values` as the first column of a two-column file (the second keeps rows non-blank)."""
    path = write(tmp_path, header + ",catatan\n" + "".join(f"{v},x\n" for v in values))
    t = read_table(path, "t.csv")
    return t.columns[0], [r[0] for r in t.rows()]


def test_dot_thousands_column_reads_as_indonesian_integers_in_a_comma_file(tmp_path):
    col, values = column(tmp_path, "jumlah", ["1.234", "12.500", "987"])
    assert (col.type, col.number_style) == ("integer", "id")
    assert values == [1234, 12500, 987]


def test_english_decimals_stay_decimals(tmp_path):
    col, values = column(tmp_path, "rasio", ["1.234", "0.5", "2"])
    assert (col.type, col.number_style) == ("decimal", "en")
    assert values == [1.234, 0.5, 2.0]


def test_semicolon_file_reads_comma_thousands_as_decimals(tmp_path):
    path = write(tmp_path, "kab;nilai\nA;1,234\nB;2,5\n")
    t = read_table(path, "t.csv")
    assert (t.columns[1].type, t.columns[1].number_style) == ("decimal", "id")
    assert [r[1] for r in t.rows()] == [1.234, 2.5]


def test_year_needs_a_year_header(tmp_path):
    assert column(tmp_path, "tahun", ["2021", "2022"])[0].type == "year"
    assert column(tmp_path, "Tahun Anggaran", ["2021", "2022"])[0].type == "year"
    assert column(tmp_path, "jumlah", ["2021", "2022"])[0].type == "integer"
    assert column(tmp_path, "tahun", ["2021", "20220"])[0].type == "integer"


def test_region_code_needs_a_code_header_unless_dotted(tmp_path):
    assert column(tmp_path, "kode_wilayah", ["5201", "5271"])[0].type == "region_code"
    assert column(tmp_path, "jumlah", ["5201", "5271"])[0].type == "integer"
    col, values = column(tmp_path, "wilayah", ["52.01", "52.71", "-"])
    assert col.type == "region_code" and values == ["52.01", "52.71", None]


def test_placeholders_become_empty_in_every_type(tmp_path):
    col, values = column(tmp_path, "jumlah", ["5", "-", "n/a", "N/A", "NA", "", "—", "7"])
    assert col.type == "integer"
    assert values == [5, None, None, None, None, None, None, 7]


def test_leading_zero_numbers_stay_text(tmp_path):
    col, values = column(tmp_path, "kode_pos", ["083115", "083116"])
    assert col.type == "text" and values == ["083115", "083116"]


def test_sixteen_digit_ids_stay_text(tmp_path):
    col, _ = column(tmp_path, "nomor", ["5203011208850003", "5203015503900001"])
    assert col.type == "text" and col.reason.code == "type_text_long_number"


def test_type_is_decided_over_the_whole_column_not_a_sample(tmp_path):
    values = [str(i) for i in range(20000)]
    values[15000] = "lima"
    col, typed = column(tmp_path, "jumlah", values)
    assert col.type == "text"
    assert col.reason.code == "type_text_mixed" and col.reason.params == {"example": "lima"}
    assert typed[15000] == "lima" and typed[0] == "0"


def test_decimal_late_in_an_integer_column_makes_it_decimal(tmp_path):
    values = ["1"] * 9000 + ["2,5"]
    path = write(tmp_path, "kab;nilai\n" + "".join(f"A;{v}\n" for v in values))
    t = read_table(path, "t.csv")
    assert t.columns[1].type == "decimal"
    assert t.row_count == 9001
    assert list(t.rows())[-1] == ("A", 2.5)


def test_stray_spaces_do_not_break_number_columns(tmp_path):
    col, values = column(tmp_path, "jumlah", [" 12", "13 ", " 14 "])
    assert col.type == "integer" and values == [12, 13, 14]


def test_many_rows_stream_in_order_across_chunks(tmp_path):
    n = 10007
    path = write(tmp_path, "no,tahun\n" + "".join(f"{i},{2000 + i % 20}\n" for i in range(n)))
    t = read_table(path, "t.csv")
    rows = list(t.rows())
    assert t.row_count == len(rows) == n
    assert rows[-1] == (n - 1, 2000 + (n - 1) % 20)
    assert [c.type for c in t.columns] == ["integer", "year"]


def test_forced_region_code_normalizes_spellings(tmp_path):
    path = write(tmp_path, "wil,n\n5201,1\n52.71,2\nMataram,3\n")
    t = read_table(path, "t.csv", ReadOptions(column_types={"wil": "region_code"}))
    assert [r[0] for r in t.rows()] == ["52.01", "52.71", None]
