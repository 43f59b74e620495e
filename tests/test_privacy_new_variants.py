"""Variants nobody wrote the detectors for, tried once from the outside and kept: couples in capitals
under a neutral header, names behind "kepada" in a ledger, a house-repair register with no name at all,
a NIK typed with an apostrophe and spaces; and two aggregates that must pass."""
from __future__ import annotations

import random

from app.ingest.privacy import find_personal_data

COUPLES = ["AMAQ SAHNUN / INAQ RAHMI", "LALU SUPARMAN / BAIQ NURHASANAH", "ANDI MAPPASESSU / HJ. ST. NURLAELA",
           "I KETUT WIRYA / NI MADE SUARNI", "H. ABDUL HAMID / HJ. SITI RUKIAH", "AMAQ JUMRAH / INAQ SAPIAH",
           "MUH. TAUFIK / NURUL AINI", "DAENG MANESSA / WA ODE HASMAH", "RADEN SURYADI / DENDA AYU",
           "AGUS SALIM / SRI UTAMI"]


def _kinds(findings):
    return {(f.column, f.kind) for f in findings}


def test_couples_in_capitals_under_a_neutral_header_are_names_and_fully_masked():
    rows = [[c, "Praya", "BLT"] for c in COUPLES * 3]
    findings = find_personal_data(["Data", "Kecamatan", "Bantuan"], rows)
    assert ("Data", "names_in_text") in _kinds(findings)
    shown = " ".join(e for f in findings for e in f.examples)
    for couple in COUPLES:
        for word in couple.replace("/", " ").split():
            if len(word) > 3:
                assert word not in shown, word


def test_names_behind_kepada_in_a_ledger_are_found():
    names = ["Sdr. Zulkarnain", "Sdri. Wartini", "Bpk. Mahsun", "Ibu Rahmah", "Sdr. Paozan", "Ibu Marni"]
    rows = [[f"2024-03-1{i % 9}", f"Penyaluran BLT kepada {n}", "600000"] for i, n in enumerate(names * 4)]
    findings = find_personal_data(["Tanggal", "Uraian", "Nilai (Rp)"], rows)
    assert ("Uraian", "names_in_text") in _kinds(findings)
    assert not any("Zulkarnain" in e or "Wartini" in e for f in findings for e in f.examples)


def test_a_house_repair_register_without_names_is_microdata():
    rng = random.Random(3)
    rows = [[str(i), rng.choice(["Dasan Baru", "Karang Bongkot", "Gubuk Timur"]), str(rng.randint(20, 85)),
             rng.choice("LP"), rng.choice(["Rusak Berat", "Rusak Sedang"]), rng.choice(["Petani", "Buruh"])]
            for i in range(1, 41)]
    findings = find_personal_data(["No. Urut", "Dusun", "Usia", "L/P", "Kondisi Rumah", "Pekerjaan"], rows)
    micro = [f for f in findings if f.kind == "microdata"]
    assert micro and "No. Urut" not in micro[0].columns and {"Dusun", "Usia", "L/P"} <= set(micro[0].columns)


def test_a_nik_typed_with_an_apostrophe_and_spaces_is_found():
    rows = [["PKH", f"'5201 {10 + i % 5}{41 + i} 1{i % 3}8{i % 10} 00{10 + i}", "1"] for i in range(20)]
    assert ("Keterangan", "nik") in _kinds(find_personal_data(["Program", "Keterangan", "Jumlah"], rows))


def test_counts_per_dusun_with_office_notes_pass():
    rng = random.Random(5)
    rows = [[rng.choice(["Kuripan", "Jagaraga"]), rng.choice(["Lendang Re", "Montong Are", "Dasan Tereng"]),
             str(rng.randint(10, 300)), str(rng.randint(30, 900)),
             rng.choice(["Data sementara", "Diverifikasi Kepala Dusun", "Sumber: laporan kecamatan"])]
            for _ in range(30)]
    assert find_personal_data(["Desa", "Dusun", "Jumlah KK", "Jumlah Jiwa", "Keterangan"], rows) == []


def test_a_directory_whose_responsible_column_names_a_position_passes():
    rows = [[f"LKSA {n}", f"Jl. Gajah Mada No. {i}, Mataram", "Ketua Yayasan", str(10 + i)]
            for i, n in enumerate(["Darul Aitam", "Nurul Falah", "Al-Ikhlas", "Bina Insani", "Tunas Bangsa"] * 3)]
    assert find_personal_data(["Nama LKS", "Alamat Sekretariat", "Penanggung Jawab", "Jumlah Anak Asuh"], rows) == []
