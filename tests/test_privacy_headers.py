"""Header vocabulary: whole words, regions and counts are not personal."""
from __future__ import annotations

import pytest

from app.ingest.privacy import (
    find_personal_data,
    load_header_vocabulary,
    match_header,
    normalize_header,
)


@pytest.mark.parametrize("header", [
    "nama_kabupaten_kota", "nama_provinsi", "nama_kecamatan", "nama_desa", "nama_lks",
    "nama_program", "jumlah_kk_terdampak", "kk_terdampak", "alamat_kantor", "Alamat Lembaga",
    "Kabupaten/Kota", "teknik_pendampingan", "kode_kabupaten_kota", "jumlah_kpm", "tahun",
    "No", "Program", "Jumlah NIK ganda",
])
def test_region_institution_and_count_headers_are_not_personal(header):
    assert match_header(header) is None


@pytest.mark.parametrize("header, category", [
    ("Nama", "name"), ("Nama Lengkap", "name"), ("NAMA_KEPALA_KELUARGA", "name"),
    ("Nama Ibu Kandung", "name"), ("NIK", "nik"), ("No. KTP", "nik"), ("No. KK", "kk"),
    ("nkk", "kk"), ("no_hp", "phone"), ("No. Telp/WA", "phone"), ("WhatsApp", "phone"),
    ("Tempat/Tanggal Lahir", "birth"), ("TTL", "birth"), ("tgl-lahir", "birth"),
    ("RT/RW", "address"), ("Alamat", "address"), ("alamat rumah", "address"),
    ("E-mail", "email"), ("NPWP", "npwp"), ("NIP", "nip"), ("No. Rekening", "bank"),
])
def test_person_level_headers_are_flagged(header, category):
    found = match_header(header)
    assert found is not None and found[0] == category


def test_header_normalisation():
    assert normalize_header("  No._HP/WA-Aktif ") == "no hp wa aktif"


def test_vocabulary_file_has_sections_and_exceptions():
    vocab = load_header_vocabulary()
    assert vocab.phrases["nama"] == "name"
    assert "nama kabupaten" in vocab.not_personal and "alamat kantor" in vocab.not_personal
    assert "jumlah" in vocab.count_words


def test_header_finding_alone_without_values():
    findings = find_personal_data(["Nama", "jumlah"], [])
    assert [(f.column, f.kind, f.count, f.reason.code) for f in findings] == [
        ("Nama", "header", 0, "privacy.header.name")]
