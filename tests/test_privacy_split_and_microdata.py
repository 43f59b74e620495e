"""The second line of the privacy guard, row by row: identifiers split over columns, and person-level
microdata that holds no name at all (judged by its quasi-identifiers and its k-anonymity)."""
from __future__ import annotations

import random

from app.ingest.privacy import find_personal_data
from app.ingest.privacy.microdata import quasi_identifier_role

DESA = ["Gerung Utara", "Kebon Ayu", "Banyumulek", "Dasan Geria", "Lembuak", "Sesela", "Taman Sari", "Kekait"]


def _nik(rng: random.Random, woman: bool = False) -> str:
    day = rng.randint(1, 28) + (40 if woman else 0)
    return f"5201{rng.randint(1, 15):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(50, 99):02d}{rng.randint(1, 999):04d}"


def _kinds(findings) -> set[tuple[str, str]]:
    return {(f.column, f.kind) for f in findings}


def test_a_nik_split_8_plus_8_over_two_columns_is_found_and_masked():
    rng = random.Random(1)
    rows = [[str(i), n[:8], n[8:], rng.choice(DESA), str(rng.randint(1, 9))]
            for i, n in enumerate((_nik(rng, k % 2 == 0) for k in range(30)), 1)]
    findings = find_personal_data(["No", "Kode A", "Kode B", "Desa", "Jumlah"], rows)
    split = [f for f in findings if f.kind == "nik_split"]
    assert len(split) == 1 and split[0].columns == ["Kode A", "Kode B"] and split[0].count == 30
    assert all(rows[0][1] not in e and rows[0][2] not in e for e in split[0].examples)
    assert "*" in split[0].examples[0]


def test_a_nik_split_6_6_4_as_region_birth_date_and_serial_is_found():
    rng = random.Random(2)
    rows = []
    for _ in range(25):
        n = _nik(rng)
        rows.append([n[:6], n[6:12], n[12:], rng.choice(["PKH", "BPNT"])])
    findings = find_personal_data(["kode_wilayah", "tgl", "urut", "program"], rows)
    split = [f for f in findings if f.kind == "nik_split"]
    assert [f.columns for f in split] == [["kode_wilayah", "tgl", "urut"]]
    assert split[0].as_dict()["reason"]["code"] == "privacy.split.nik"


def test_a_serial_typed_as_a_number_still_completes_the_split_nik():
    rng = random.Random(3)
    rows = []
    for _ in range(20):
        n = _nik(rng)
        rows.append([n[:6], n[6:12], int(n[12:]), "Lansia"])  # XLSX: 0042 arrives as 42
    split = [f for f in find_personal_data(["a", "b", "c", "d"], rows) if f.kind == "nik_split"]
    assert split and split[0].count == 20


def test_neighbouring_codes_years_and_counts_are_not_a_split_nik():
    rng = random.Random(4)
    rows = [[f"52{rng.choice(['01', '02', '71'])}", f"5201{rng.randint(10, 99)}", str(rng.randint(2019, 2024)),
             str(rng.randint(0, 900)), f"{rng.randint(10000000, 99999999)}", f"{rng.randint(10000000, 99999999)}"]
            for _ in range(200)]
    findings = find_personal_data(["kode_kab", "kode_kec", "tahun", "jumlah", "anggaran", "realisasi"], rows)
    assert not [f for f in findings if f.kind == "nik_split"]


def _microdata(rng: random.Random, n: int) -> list[list[str]]:
    return [[rng.choice(DESA), f"Dusun {rng.choice(['Barat', 'Timur', 'Tengah', 'Karang'])}",
             str(rng.randint(1, 90)), rng.choice(["L", "P"]),
             rng.choice(["Fisik", "Netra", "Rungu", "Wicara", "Mental", "Intelektual"]),
             rng.choice(["PKH", "BPNT", "Belum menerima"])] for _ in range(n)]


def test_person_level_rows_without_names_are_microdata_with_their_k_anonymity():
    rng = random.Random(5)
    rows = _microdata(rng, 80)
    findings = find_personal_data(["Desa", "Dusun", "Umur", "Jenis Kelamin", "Jenis Disabilitas", "Status Bantuan"],
                                  rows)
    micro = [f for f in findings if f.kind == "microdata"]
    assert len(micro) == 1
    f = micro[0]
    assert f.columns == ["Desa", "Dusun", "Umur", "Jenis Kelamin", "Jenis Disabilitas", "Status Bantuan"]
    combos = {}
    for r in rows:
        combos[tuple(v.lower() for v in r)] = combos.get(tuple(v.lower() for v in r), 0) + 1
    assert f.count == sum(1 for c in combos.values() if c == 1) and f.total == 80
    assert f.reason.params["k"] == min(combos.values()) == 1


def test_the_same_quasi_identifiers_with_a_count_column_are_an_aggregate():
    rng = random.Random(6)
    rows = [r[:1] + r[2:4] + [str(rng.randint(0, 40))] for r in _microdata(rng, 80)]
    rows = [[d, f"{a}-{int(a) + 4} tahun", s, n] for d, a, s, n in rows]
    findings = find_personal_data(["Desa", "Kelompok Umur", "Jenis Kelamin", "Jumlah"], rows)
    assert not [f for f in findings if f.kind == "microdata"]
    wide = [[d, s, str(rng.randint(0, 9))] for d, _a, s, _n in rows]
    assert not [f for f in find_personal_data(["Desa", "Jenis Kelamin", "Penyandang Disabilitas"], wide)
                if f.kind == "microdata"]


def test_an_institution_directory_by_village_is_not_microdata():
    rng = random.Random(7)
    rows = [[f"LKSA Nurul {rng.choice(['Iman', 'Huda', 'Hikmah'])} {i}", rng.choice(DESA),
             rng.choice(["Anak", "Lansia", "Disabilitas"]), rng.choice(["Terakreditasi A", "Terakreditasi B"])]
            for i in range(40)]
    findings = find_personal_data(["Nama LKS", "Desa", "Jenis Layanan", "Status"], rows)
    assert not [f for f in findings if f.kind == "microdata"]


def test_quasi_identifier_headers_are_matched_as_whole_words():
    assert quasi_identifier_role("Umur (tahun)") == "age"
    assert quasi_identifier_role("jenis_kelamin") == "sex"
    assert quasi_identifier_role("Nama Desa") == "location"
    assert quasi_identifier_role("Jumlah Desa") is None  # counts villages
    assert quasi_identifier_role("Kode Status") == "attribute"
    assert quasi_identifier_role("penduduk") is None
