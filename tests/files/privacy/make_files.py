"""Write the privacy test tables (run from anywhere; outputs are committed).

All NIKs, KKs, phones and e-mails here are invented for tests.
"""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent


def write_csv(name: str, header: list[str], rows: list[list[object]], delimiter: str = ",") -> None:
    with open(HERE / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


NAMES = [
    "Lalu Ahmad Fadli", "Baiq Sri Wahyuni", "Muhammad Rizal", "Siti Aminah",
    "I Made Suarta", "Ni Luh Ayu", "Haerul Anwar", "Nurul Hidayati",
]
ADDRESSES = [
    "Dusun Lendang Bajur RT 002 RW 001", "Jl. Pejanggik Gg. Melati No. 5",
    "Dsn. Montong Are", "Jl. Sultan Kaharuddin No. 12", "Lingkungan Karang Baru",
    "Dusun Sembalun RT 001", "Jl. Gajah Mada No. 30", "Desa Sukadana",
]
# Men: day 01-31; women: day + 40 (e.g. 55 = 15th).
NIKS = [
    "5203011208850003", "5203015503900001", "5271020101800004", "5201034507920002",
    "5204016110880005", "5202021703790006", "5206044902950007", "5272010511010008",
]


def main() -> None:
    # NIKs under an innocent header, names under "penerima", addresses under "lokasi".
    write_csv(
        "nik_in_kode.csv",
        ["urut", "penerima", "kode", "lokasi", "program"],
        [[i + 1, NAMES[i], NIKS[i], ADDRESSES[i], "PKH" if i % 2 else "BPNT"] for i in range(8)],
    )
    # NIKs mangled by Excel: scientific notation, zeroed serial, trailing ".0".
    mangled = [
        "5.20301E+15", "5,20301E+15", "5.27102E+15", "5203011208850000",
        "5201034507920000.0", "5,20401E+15", "5.20602E+15", "5.27201E+15",
    ]
    write_csv(
        "nik_excel_mangled.csv",
        ["kecamatan", "nomor", "keterangan"],
        [[f"Kecamatan {c}", m, "terverifikasi"] for c, m in zip("ABCDEFGH", mangled)],
        delimiter=";",
    )
    # Phones only, in a column called "kontak"; the other columns are aggregates.
    phones = [
        "081237654321", "+62 853-3912-7788", "0819 1702 3344", "(0370) 644264",
        "0370-644264", "6287765432100", "0812.3456.7890", "0878-6543-2109",
    ]
    write_csv(
        "phones_in_kontak.csv",
        ["kecamatan", "jumlah_kpm", "kontak"],
        [[f"Kecamatan {c}", 1200 + 37 * i, p] for i, (c, p) in enumerate(zip("ABCDEFGH", phones))],
    )
    # E-mails under "keterangan" (some inside a sentence).
    emails = [
        "lalu.fadli@gmail.com", "kirim ke sri.wahyuni@yahoo.co.id", "rizal85@gmail.com",
        "-", "aminah.siti@outlook.com", "", "made_suarta@gmail.com", "ayu.niluh@gmail.com",
    ]
    write_csv(
        "emails_in_keterangan.csv",
        ["kode_kabupaten_kota", "tahun", "jumlah", "keterangan"],
        [["52.0%d" % (i + 1), 2024, 10 + i, e] for i, e in enumerate(emails)],
    )
    # Women's NIKs (day + 40) only, under the header "nomor_identitas_lain".
    women = [n for n in NIKS if int(n[6:8]) > 40]
    write_csv(
        "nik_women.csv",
        ["no", "nomor_peserta", "status"],
        [[i + 1, n, "aktif"] for i, n in enumerate(women)],
    )
    # 16-digit numbers that are not NIKs: bad province, bad month, bad region.
    not_niks = [
        "9999011208850003", "9912011208850003", "5203011213850003", "5203011200850003",
        "5200011208850003", "2003011208850003", "4401011208850003", "5203018808850003",
    ]
    write_csv(
        "not_nik_16_digits.csv",
        ["kode_transaksi", "jumlah"],
        [[v, 100 + i] for i, v in enumerate(not_niks)],
    )
    # XLSX: NIKs as 16-digit ints and as Excel floats, KK numbers, phones as 628 ints.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["No", "Penerima", "No KK", "ID", "Kontak"])
    kks = ["5203011502100021", "5203012003150011", "5271020101200104", "5201030707180012"]
    for i in range(4):
        nik_as_excel_float = float(NIKS[i][:15] + "0")
        phone_as_int = 6281237654300 + 11 * i + 1
        ws.append([i + 1, NAMES[i], int(kks[i]), nik_as_excel_float, phone_as_int])
    wb.save(HERE / "bnba_numbers.xlsx")

    # An aggregate table whose note line under it holds a NIK and a phone number: the table
    # is clean, the original file is not.
    with open(HERE / "agregat_catatan_pribadi.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["kecamatan", "jumlah_kpm", "tahun"])
        for i, c in enumerate("ABCDEF"):
            writer.writerow([f"Kecamatan {c}", 120 + 7 * i, 2024])
        writer.writerow([])
        writer.writerow([f"Keterangan: diverifikasi oleh Lalu Ahmad Fadli (NIK {NIKS[0]}), hubungi 081237654321"])
    # A workbook with a clean aggregate sheet first and a by-name sheet behind it.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(["kecamatan", "jumlah_kpm", "tahun"])
    for i, c in enumerate("ABCDEF"):
        ws.append([f"Kecamatan {c}", 120 + 7 * i, 2024])
    bnba = wb.create_sheet("BNBA")
    bnba.append(["Nama", "NIK", "Alamat"])
    for i in range(6):
        bnba.append([NAMES[i], NIKS[i], ADDRESSES[i]])
    wb.save(HERE / "agregat_sheet_bnba.xlsx")


if __name__ == "__main__":
    main()
