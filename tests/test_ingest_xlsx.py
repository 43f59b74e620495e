"""Uploading Excel workbooks: sheet choice, merged headers, formulas, dates."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.ingest import ReadOptions, TableRefused, read_table
from app.ingest.xlsx_reader import read_merges

FILES = Path(__file__).resolve().parent / "files" / "ingest"
REPORT = FILES / "laporan_lks.xlsx"


def test_workbook_reads_first_sheet_with_data_and_lists_all_sheets():
    t = read_table(REPORT, "laporan_lks.xlsx")
    assert t.sheet == "Data"
    assert t.sheets == ["Kosong", "Data", "Lain"]


def test_merged_two_row_header_is_flattened():
    t = read_table(REPORT, "laporan_lks.xlsx")
    assert t.header_row == 4
    assert [(c.name, c.type) for c in t.columns] == [
        ("Kode Wilayah", "region_code"),
        ("Kabupaten/Kota", "text"),
        ("Jumlah LKS 2023", "integer"),
        ("Jumlah LKS 2024", "integer"),
        ("Tanggal Salur", "date"),
        ("Penerima 2023", "integer"),
        ("Penerima 2024", "integer"),
    ]


def test_formulas_read_as_their_saved_values_and_total_row_is_skipped():
    t = read_table(REPORT, "laporan_lks.xlsx")
    rows = list(t.rows())
    assert rows == [
        ("52.01", "Kabupaten Lombok Barat", 3, 5, dt.date(2023, 8, 17), 120, 150),
        ("52.71", "Kota Mataram", 4, 5, dt.date(2023, 9, 1), 200, 210),  # D8 is =C8+1
        ("52.72", "Kota Bima", 1, 1, dt.date(2024, 1, 5), 30, None),
    ]
    kinds = [(s.row, s.kind) for s in t.skipped]
    assert kinds == [(1, "title"), (2, "title"), (3, "blank"), (6, "numbering"), (10, "total"), (11, "note")]
    total = next(s for s in t.skipped if s.kind == "total")
    assert total.values[:2] == ["Jumlah", "8"]  # cached =SUM(C7:C9)


def test_merged_ranges_are_read_from_the_sheet_xml():
    merges = read_merges(str(REPORT), "xl/worksheets/sheet2.xml")
    # (min_row, min_col, max_row, max_col)
    assert (4, 3, 4, 4) in merges and (4, 6, 4, 7) in merges and (1, 1, 1, 7) in merges


def test_admin_chooses_another_sheet():
    t = read_table(REPORT, "laporan_lks.xlsx", ReadOptions(sheet="Lain"))
    assert t.sheet == "Lain"
    assert [(c.name, c.type) for c in t.columns] == [("tahun", "year"), ("jumlah", "integer")]
    assert list(t.rows()) == [(2023, 4), (2024, 6)]


def test_unknown_sheet_is_refused_naming_the_sheets():
    with pytest.raises(TableRefused) as info:
        read_table(REPORT, "laporan_lks.xlsx", ReadOptions(sheet="Tidak Ada"))
    assert info.value.note.code == "no_sheet"
    assert info.value.note.params == {"sheet": "Tidak Ada", "sheets": "Kosong, Data, Lain"}


def test_inspectors_see_raw_openpyxl_values():
    seen = []

    class Spy:
        def start(self, columns):
            seen.append(list(columns))

        def feed(self, row):
            seen.append(list(row))

    read_table(REPORT, "laporan_lks.xlsx", inspectors=[Spy()])
    assert seen[0][0] == "Kode Wilayah"
    assert len(seen) == 4
    assert seen[1][4] == dt.datetime(2023, 8, 17) and seen[1][2] == 3


_LAUGHS = "".join(
    f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(2, 10))


def test_an_xml_entity_bomb_in_a_workbook_is_refused(tmp_path):
    import zipfile

    import openpyxl
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True  # openpyxl found defusedxml and parses through it
    wb = openpyxl.Workbook()
    wb.active.append(["kabupaten", "jumlah"])
    wb.active.append(["Kota Bima", 5])
    plain, bomb = tmp_path / "plain.xlsx", tmp_path / "bom.xlsx"
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                body = data.decode("utf-8").split("?>", 1)[-1].replace("Kota Bima", "&lol9;")
                data = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">' + _LAUGHS + "]>"
                        + body).encode("utf-8")
            zout.writestr(name, data)
    with pytest.raises(TableRefused) as refused:
        read_table(bomb, "bom.xlsx")
    assert refused.value.note.code == "xlsx_unreadable"
    _says_how_to_fix_without_the_servers_path(refused.value, tmp_path)


def _says_how_to_fix_without_the_servers_path(refusal, tmp_path):
    from app.ingest.messages import render

    text = str(render(refusal.note))
    assert "save it again as .xlsx" in text
    assert str(tmp_path) not in text and "Error" not in text and "/" not in text.replace(".xlsx", "")


@pytest.mark.parametrize("damage", ["an undefined entity half-way down", "a sheet cut short"])
def test_a_sheet_whose_xml_breaks_half_way_is_refused_with_a_message(tmp_path, damage):
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    for i in range(300):
        wb.active.append([f"Desa {i}", i])
    wb.active.append(["Kota Bima", 5])
    plain, broken = tmp_path / "plain.xlsx", tmp_path / "rusak_tengah.xlsx"
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = (data.replace(b"Kota Bima", b"&tidakada;") if "entity" in damage
                        else data[: len(data) - 200])
            zout.writestr(name, data)
    with pytest.raises(TableRefused) as refused:
        read_table(broken, "rusak_tengah.xlsx")
    assert refused.value.note.code == "xlsx_unreadable"
    _says_how_to_fix_without_the_servers_path(refused.value, tmp_path)


def test_a_label_merged_down_over_data_rows_is_given_to_each_row(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Rekap penerima per kabupaten"])
    ws.append(["Kabupaten/Kota", "Tahun", "Jumlah"])
    for label, year, n in [("Kota Mataram", 2022, 10), (None, 2023, 12), (None, 2024, 15),
                           ("Kota Bima", 2022, 7), (None, 2023, 8), ("Kabupaten Dompu", 2024, 9)]:
        ws.append([label, year, n])
    ws.merge_cells("A3:A5")
    ws.merge_cells("A6:A7")
    path = tmp_path / "gabung.xlsx"
    wb.save(path)
    t = read_table(path, "gabung.xlsx")
    assert [c.name for c in t.columns] == ["Kabupaten/Kota", "Tahun", "Jumlah"]
    assert list(t.rows()) == [
        ("Kota Mataram", 2022, 10), ("Kota Mataram", 2023, 12), ("Kota Mataram", 2024, 15),
        ("Kota Bima", 2022, 7), ("Kota Bima", 2023, 8), ("Kabupaten Dompu", 2024, 9),
    ]


def _workbook_with_dimension(path: Path, rows: list[list], dimension: str | None) -> Path:
    """An XLSX whose sheet declares `dimension` (None: no <dimension> at all), as some
    exporters write it: openpyxl's read-only mode would trust it."""
    import io
    import re
    import zipfile

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                new = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
                data, n = re.subn(rb"<dimension ref=\"[^\"]*\" ?/>", new, data)
                assert n == 1
            dst.writestr(info, data)
    return path


@pytest.mark.parametrize("dimension", ["A1", "A1:B2", None])
def test_a_sheet_that_declares_the_wrong_size_is_read_whole(tmp_path, dimension):
    rows = [["kabupaten", "tahun", "jumlah"]] + [[f"Kab {i}", 2020 + i % 4, i * 3] for i in range(30)]
    path = _workbook_with_dimension(tmp_path / "ukuran.xlsx", rows, dimension)
    t = read_table(path, "ukuran.xlsx")
    assert [c.name for c in t.columns] == ["kabupaten", "tahun", "jumlah"]
    assert [list(r) for r in t.rows()] == [list(r) for r in rows[1:]]


def _uncalculated_workbook(path: Path) -> Path:
    """A workbook as a program writes it that never calculates: openpyxl stores formulas, no results."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(["Kabupaten/Kota", "Laki-laki", "Perempuan", "Jumlah"])
    for i, name in enumerate(["Kota Mataram", "Kota Bima", "Kabupaten Dompu"], start=2):
        ws.append([name, i * 10, i * 11, f"=B{i}+C{i}"])
    wb.save(path)
    return path


def test_formulas_without_stored_results_are_named_with_what_to_do(tmp_path):
    from app.ingest.messages import render

    t = read_table(_uncalculated_workbook(tmp_path / "rumus.xlsx"), "rumus.xlsx")
    assert t.row_count == 3 and [r[3] for r in t.rows()] == [None, None, None]
    note = t.notes[0]  # first: it explains why a column is empty
    assert note.code == "xlsx_formulas_uncalculated"
    assert note.params == {"sheet": "Rekap", "columns": "Jumlah (D)", "count": 3, "row": 2}
    text = render(note)
    assert "Open the file in Excel or LibreOffice and save it again" in text and "paste them as values" in text
    jumlah = next(c for c in t.columns if c.name == "Jumlah")
    assert jumlah.reason.code == "type_text_uncalculated"  # not just "The column is empty"
    assert all(n.code != "xlsx_formulas_uncalculated" for n in read_table(REPORT, "laporan_lks.xlsx").notes)


def test_the_review_tells_the_admin_the_formulas_have_no_results(client, auth, tmp_path):
    auth.login("org_admin")
    path = _uncalculated_workbook(tmp_path / "rumus.xlsx")
    with open(path, "rb") as fh:
        resp = client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "rumus tanpa hasil tersimpan di kolom Jumlah (D)" in page
    assert "tempel sebagai nilai" in page and "Kosong: 3 rumusnya tidak memiliki hasil tersimpan" in page
