"""Generate the ugly spreadsheets the ingest tests read.

Run from anywhere: `python tests/files/ingest/make_files.py`. The outputs are
committed; rerun after changing this script.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def write_text(name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    (HERE / name).write_bytes(text.replace("\n", newline).encode(encoding))


def make_csvs() -> None:
    # Windows-1252 from Indonesian Excel: en dash, curly quotes, Rupiah with decimal comma.
    write_text(
        "anggaran_cp1252.csv",
        "Kabupaten/Kota;Anggaran (Rp);Catatan\n"
        "Kab. Bima;Rp 1.250.000,50;Bantuan – tahap I\n"
        "Kota Mataram;Rp 980.000,00;Penyaluran “tepat waktu”\n"
        "Kab. Dompu;-;Belum cair\n"
        "Kab. Lombok Barat;Rp 12.500,75;Café sosial\n",
        encoding="cp1252",
        newline="\r\n",
    )
    # Excel "Unicode Text": UTF-16 LE with BOM, tab-separated, CRLF.
    write_text(
        "unicode_text_utf16.txt",
        "kode_wilayah\tnama_wilayah\tjumlah_lansia\n"
        "5201\tLombok Barat\t2.987\n"
        "5271\tKota Mataram\t1.536\n"
        "5272\tKota Bima\t515\n",
        encoding="utf-16",
        newline="\r\n",
    )
    write_text(
        "pipa.txt",
        "tahun|program|jumlah_kpm\n2023|PKH|36655\n2024|PKH|37012\n2024|BPNT|n/a\n",
    )
    write_text(
        "tab.tsv",
        "Kabupaten/Kota\tTanggal Penyaluran\tNilai\n"
        "Kota Bima\t17 Agustus 2023\t1.5\n"
        "Kabupaten Dompu\t01/09/2023\t2.25\n"
        "Kabupaten Bima\t2023-10-05\t—\n",
    )
    write_text(
        "ragged.csv",
        "kabupaten,jumlah,tahun\n"
        "Kota Bima,5,2023,,\n"
        "Kota Mataram,7\n"
        "Kabupaten Dompu,3,2023,catatan lepas\n",
    )
    write_text("header_only.csv", "kabupaten;jumlah;tahun\n")
    write_text("empty.csv", "")
    write_text("blank_lines.csv", "\n\n;;;\n\n")
    (HERE / "gambar.csv").write_bytes(PNG_BYTES)
    write_text("halaman.csv", "<!DOCTYPE html>\n<html><body>Not found</body></html>\n")
    write_text(
        "kutip_terbuka.csv",
        'kabupaten,catatan\nKota Bima,"tidak ditutup\n' + "Kota Mataram,x\n" * 3,
    )
    # A report page saved as CSV: titles, two-row header, numbering row, total, source line.
    write_text(
        "laporan_berjudul.csv",
        "REKAP PENERIMA BANTUAN SOSIAL;;;;;\n"
        "Dinas Sosial Provinsi NTB;;;;;\n"
        ";;;;;\n"
        "Kabupaten/Kota;Penerima PKH;;Nilai Bantuan (Rp);;Keterangan\n"
        ";2023;2024;2023;2024;\n"
        "(1);(2);(3);(4);(5);(6)\n"
        "Kabupaten Lombok Barat;36.655;37.012;27.491.250,00;27.759.000,50;-\n"
        "Kabupaten Lombok Tengah;54.184;55.001;40.638.000,00;41.250.750,00;revisi\n"
        "Kota Mataram;15.201;15.876;11.400.750,00;11.907.000,00;\n"
        "JUMLAH;106.040;107.889;79.530.000,00;80.916.750,50;\n"
        "Sumber: Dinas Sosial Provinsi NTB;;;;;\n",
        encoding="utf-8-sig",
        newline="\r\n",
    )
    write_text(
        "kolom_campur.csv",
        "tahun,tahun,,tanggal_lapor,nik,nik_excel,no_hp,nilai,kosong,dana_en,rasio_en\n"
        '2022,2023,a,2023-01-31,5203011208850003,5.20101E+15,081237654321,12,-,"1,234,567",1.5\n'
        '2023,2024,b,17/08/2023,5271020101800004,5.27102E+15,085312345678,abc,n/a,"2,500",12.25\n'
        '2024,2025,c,1 Mei 2024,5203015503900001,5.20302E+15,081900001111,7,N/A,"987","1,234.5"\n',
    )


def make_report_xlsx() -> None:
    wb = openpyxl.Workbook()
    empty = wb.active
    empty.title = "Kosong"
    ws = wb.create_sheet("Data")
    ws["A1"] = "DATA PENYALURAN BANTUAN LKS"
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:G1")
    ws["A2"] = "Tahun 2023-2024"
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["Kode Wilayah", "Kabupaten/Kota", "Jumlah LKS", None, "Tanggal Salur", "Penerima", None])
    ws.append([None, None, 2023, 2024, None, 2023, 2024])
    ws.merge_cells("C4:D4")
    ws.merge_cells("F4:G4")
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.merge_cells("E4:E5")
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    data = [
        ("52.01", "Kabupaten Lombok Barat", 3, 5, dt.datetime(2023, 8, 17), 120, 150),
        ("52.71", "Kota Mataram", 4, "=C8+1", dt.datetime(2023, 9, 1), 200, 210),
        ("52.72", "Kota Bima", 1, 1, dt.datetime(2024, 1, 5), 30, "-"),
    ]
    for row in data:
        ws.append(list(row))
    ws.append([None, "Jumlah", "=SUM(C7:C9)", "=SUM(D7:D9)", None, "=SUM(F7:F9)", "=SUM(G7:G9)"])
    ws.append(["Sumber: Dinas Sosial Provinsi NTB"])
    other = wb.create_sheet("Lain")
    other.append(["tahun", "jumlah"])
    other.append([2023, 4])
    other.append([2024, 6])
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl writes formulas without cached results; add the values Excel would
    # have saved so data_only reading has something to read.
    cached = {"D8": "5", "C10": "8", "D10": "11", "F10": "350", "G10": "360"}
    _rewrite_member(buf.getvalue(), HERE / "laporan_lks.xlsx", "xl/worksheets/sheet2.xml", cached)


def _rewrite_member(data: bytes, target: Path, member: str, cached: dict[str, str]) -> None:
    src = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                text = body.decode("utf-8")
                for ref, value in cached.items():
                    text, n = re.subn(
                        r'(<c r="%s"[^>]*>)(<f>[^<]*</f>)<v\s*/>' % ref, r"\g<1>\g<2><v>%s</v>" % value, text
                    )
                    assert n == 1, ref
                body = text.encode("utf-8")
            out.writestr(info, body)


def make_bad_xlsx() -> None:
    # Zip bomb: a sheet of whitespace that deflates more than 100:1, small on disk.
    with zipfile.ZipFile(HERE / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (20 * 1024 * 1024) + b"</worksheet>")
    (HERE / "bukan_zip.xlsx").write_bytes(b"kabupaten,jumlah\nKota Bima,3\n")
    (HERE / "rusak.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 64)
    (HERE / "lama.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)


if __name__ == "__main__":
    make_csvs()
    make_report_xlsx()
    make_bad_xlsx()
    print("written to", HERE)
