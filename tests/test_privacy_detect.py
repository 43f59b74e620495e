"""The personal-data scanner on the office samples and on tricky variants."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from app.ingest.privacy import (
    FINDING_KINDS,
    MESSAGES,
    PersonalDataScanner,
    classify_value,
    find_personal_data,
)

from tests.samples import SAMPLES
FILES = Path(__file__).resolve().parent / "files" / "privacy"
BNBA = SAMPLES / "contoh_bnba_harus_ditolak.csv"


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    return rows[0], rows[1:]


def read_xlsx(path: Path) -> tuple[list[str], list[list[object]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    return ["" if c is None else str(c) for c in rows[0]], rows[1:]


def kinds_by_column(findings) -> set[tuple[str, str]]:
    return {(f.column, f.kind) for f in findings}


def test_bnba_sample_is_flagged_by_header_values_and_shape():
    columns, rows = read_csv(BNBA)
    got = kinds_by_column(find_personal_data(columns, rows))
    assert {
        ("Nama Lengkap", "header"),
        ("NIK", "header"),
        ("NIK", "nik"),
        ("Alamat", "header"),
        ("No HP", "header"),
        ("No HP", "phone"),
        ("Nama Lengkap", "person_rows"),
    } <= got
    assert not any(col in ("No", "Program") for col, _ in got)


def test_findings_are_well_formed_and_messages_exist():
    columns, rows = read_csv(BNBA)
    for f in find_personal_data(columns, rows):
        assert f.kind in FINDING_KINDS
        assert len(f.examples) <= 3
        assert f.reason.code in MESSAGES
        assert str(MESSAGES[f.reason.code]) % f.reason.params  # the Indonesian's: tests/test_translations.py
        d = f.as_dict()
        assert d["reason"]["code"] == f.reason.code and d["column"] == f.column
        if f.kind == "header":
            assert f.count == 0
        else:
            assert 0 < f.count <= f.total


AGGREGATES = sorted(p.name for p in SAMPLES.iterdir() if p.name != BNBA.name)


@pytest.mark.parametrize("name", AGGREGATES)
def test_aggregate_sample_has_no_finding(name):
    path = SAMPLES / name
    columns, rows = read_xlsx(path) if path.suffix == ".xlsx" else read_csv(path)
    assert find_personal_data(columns, rows) == []


def test_xlsx_sample_with_title_rows_fed_as_data_has_no_finding():
    wb = openpyxl.load_workbook(SAMPLES / "pemberdayaan_lks_2022_2024.xlsx", read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    header = ["" if c is None else str(c) for c in rows[3]]
    assert find_personal_data(header, rows[:3] + rows[4:]) == []


def test_niks_under_innocent_header_kode_are_found_with_person_rows():
    columns, rows = read_csv(FILES / "nik_in_kode.csv")
    findings = find_personal_data(columns, rows)
    got = kinds_by_column(findings)
    assert ("kode", "nik") in got
    assert ("penerima", "person_rows") in got
    nik = next(f for f in findings if f.kind == "nik")
    assert nik.count == nik.total == 8
    assert nik.reason.code == "privacy.values.nik"
    # "kode" names nothing personal; "penerima" over names is a list of people.
    assert {f.column for f in findings if f.kind == "header"} == {"penerima"}


def test_excel_mangled_niks_are_found():
    columns, rows = read_csv(FILES / "nik_excel_mangled.csv")
    findings = find_personal_data(columns, rows)
    assert kinds_by_column(findings) == {("nomor", "nik")}
    (nik,) = findings
    assert nik.count == 8
    assert nik.reason.code == "privacy.values.nik_mangled"


def test_single_scientific_value_with_foreign_province_is_not_a_nik():
    assert classify_value("9.99999E+15") is None
    assert classify_value("5.20301E+11") is None  # too few digits for a NIK
    assert classify_value("5.20301E+15") == ("nik", True)


def test_phone_only_column_kontak_is_found():
    columns, rows = read_csv(FILES / "phones_in_kontak.csv")
    findings = find_personal_data(columns, rows)
    assert kinds_by_column(findings) == {("kontak", "phone")}
    assert findings[0].count == 8


def test_emails_under_keterangan_are_found():
    columns, rows = read_csv(FILES / "emails_in_keterangan.csv")
    findings = find_personal_data(columns, rows)
    assert kinds_by_column(findings) == {("keterangan", "email")}
    assert findings[0].count == 6 and findings[0].total == 7  # "-" counts as a value, "" not


def test_womens_niks_with_day_plus_40_are_found():
    columns, rows = read_csv(FILES / "nik_women.csv")
    findings = find_personal_data(columns, rows)
    assert kinds_by_column(findings) == {("nomor_peserta", "nik")}
    assert findings[0].count == 4


def test_sixteen_digits_with_bad_province_or_month_are_not_niks():
    columns, rows = read_csv(FILES / "not_nik_16_digits.csv")
    assert find_personal_data(columns, rows) == []
    for value in ("9999011208850003", "5203011213850003", "5203011200850003", "5203018808850003"):
        assert classify_value(value) is None, value


def test_xlsx_numbers_kk_float_nik_and_phone_ints_are_found():
    columns, rows = read_xlsx(FILES / "bnba_numbers.xlsx")
    got = kinds_by_column(find_personal_data(columns, rows))
    assert {("No KK", "header"), ("No KK", "kk"), ("ID", "nik"), ("Kontak", "phone"),
            ("Penerima", "person_rows")} <= got


def test_kk_header_over_niks_of_women_counts_them_as_nik():
    findings = find_personal_data(["no_kk"], [["5203015503900001"], ["5201034507920002"]])
    assert ("no_kk", "nik") in kinds_by_column(findings)


def test_bare_kk_header_over_counts_is_not_flagged_but_over_card_numbers_is():
    counts = find_personal_data(["Kabupaten/Kota", "KK", "Jiwa"],
                                [["Kota Bima", "70", "172"], ["Kabupaten Bima", "0", "0"]])
    assert counts == []
    cards = find_personal_data(["KK"], [["5203011502100021"], ["5203012003150011"]])
    assert kinds_by_column(cards) == {("KK", "header"), ("KK", "kk")}


def test_counts_years_and_money_are_not_phones():
    for value in ("47799", "47.799", "2024", "27491250000", "0.8123456789", "1.234.567",
                  "62800000000", 62800000000, 30000000, "52.71", "2023-01-15", "0-4"):
        assert classify_value(value) is None, value


def test_lks_directory_names_beside_office_addresses_are_not_person_rows():
    columns, rows = read_csv(SAMPLES / "direktori_lks_mitra.csv")
    scanner = PersonalDataScanner()
    scanner.start(columns)
    for row in rows:
        scanner.feed(row)
    assert scanner.findings() == []


def test_names_beside_addresses_without_identifiers_are_person_rows():
    names = ["Lalu Ahmad Fadli", "Baiq Sri Wahyuni", "Muhammad Rizal", "Siti Aminah"]
    addresses = ["Dusun Lendang Bajur RT 002", "Jl. Pejanggik No. 5", "Jl. Majapahit No. 3",
                 "Dusun Sembalun RT 001"]
    findings = find_personal_data(["penerima", "lokasi"], list(zip(names, addresses)))
    assert kinds_by_column(findings) == {("penerima", "person_rows"), ("penerima", "person_names"),
                                         ("penerima", "header")}


def test_repeated_names_are_not_person_rows():
    # One person repeated is not one row per person; but a recipient named under "penerima" still is
    # a person's name, and that header finding stays.
    rows = [["Lalu Ahmad Fadli", "Jl. Pejanggik No. 5"]] * 20
    assert kinds_by_column(find_personal_data(["penerima", "lokasi"], rows)) == {("penerima", "header")}
    assert find_personal_data(["program", "lokasi"], [["Lalu Ahmad Fadli", "Jl. Pejanggik No. 5"]] * 20) == []


def test_niks_late_in_a_large_table_are_found_by_sampling():
    scanner = PersonalDataScanner(full_rows=1000, sample_every=7, cold_after=200)
    scanner.start(["kode", "jumlah"])
    for i in range(5000):
        scanner.feed(["52.01", str(i)])
    for i in range(20000):
        scanner.feed([f"520301120885{i % 9000 + 1:04d}", str(i)])
    got = kinds_by_column(scanner.findings())
    assert ("kode", "nik") in got


def test_scanner_ignores_short_rows_and_odd_types():
    import datetime

    scanner = PersonalDataScanner()
    scanner.start(["a", "b", "c"])
    scanner.feed([None])
    scanner.feed([datetime.date(2024, 1, 1), True, 3.5, "extra"])
    scanner.feed([])
    assert scanner.findings() == []


def test_one_valid_nik_among_other_values_is_enough():
    other = [f"99{i:014d}" for i in range(10)]  # 16 digits, no real province
    notes = [[f"keterangan {i}"] for i in range(40)]
    assert find_personal_data(["kode"], [[v] for v in other]) == []
    (finding,) = find_personal_data(["kode"], [[v] for v in other] + [["5203011208850003"]])
    assert (finding.kind, finding.count, finding.total) == ("nik", 1, 11)
    (finding,) = find_personal_data(["keterangan"], notes + [["hubungi lalu.fadli@gmail.com"]])
    assert finding.kind == "email"


def test_phone_like_numbers_need_three_hits_or_thirty_percent():
    notes = [[f"catatan {i}"] for i in range(40)]
    phones = [["hubungi 081237654321"], ["telp 0853-3912-7788"], ["WA 0819 1702 3344"]]
    assert find_personal_data(["keterangan"], notes + phones[:2]) == []
    (finding,) = find_personal_data(["keterangan"], notes + phones)
    assert (finding.kind, finding.count) == ("phone", 3)
    (finding,) = find_personal_data(["keterangan"], notes[:3] + phones[:2])  # 2 of 5 = 40%
    assert finding.kind == "phone"


def test_a_nik_needs_a_birth_day_that_exists():
    from app.ingest.privacy import classify_id16

    assert classify_id16("5203012902850003") == ("nik", False)  # 29 February
    assert classify_id16("5203016902850003") == ("nik", False)  # a woman born 29 February
    for impossible in ("5203013102850003", "5203017102850003", "5203013104850003", "5203014001850003"):
        assert classify_id16(impossible) is None, impossible  # 31 Feb, 31 Feb (+40), 31 Apr, day 40


def test_one_nik_deep_in_a_big_table_is_found(tmp_path):
    from app.ingest import read_table
    from app.ingest.privacy import PersonalDataScanner

    path = tmp_path / "besar.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("kecamatan,jumlah,keterangan\n")
        for i in range(60_000):
            note = "diverifikasi 5203011208850003" if i == 47_321 else ("-" if i % 3 else "terverifikasi")
            f.write(f"Kecamatan {i % 97},{i % 500 + 5},{note}\n")
    scanner = PersonalDataScanner()
    read_table(path, "besar.csv", inspectors=[scanner])
    assert scanner.rows_seen == 60_000
    assert [(f.column, f.kind, f.count) for f in scanner.findings()] == [("keterangan", "nik", 1)]
