"""The privacy findings' messages: code -> (English, Indonesian), rendered by app/ingest/messages.py."""
from __future__ import annotations

# Message catalogue: code -> (English, Indonesian). %(examples)s is a comma
# separated list of masked values; %(phrase)s is the matched header phrase.
MESSAGES: dict[str, tuple[str, str]] = {
    "privacy.header.name": (
        "Column %(column)s is titled like a person's name (%(phrase)s).",
        "Kolom %(column)s berjudul nama orang (%(phrase)s).",
    ),
    "privacy.header.nik": (
        "Column %(column)s is titled like a national ID number, NIK/KTP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor induk kependudukan, NIK/KTP (%(phrase)s).",
    ),
    "privacy.header.kk": (
        "Column %(column)s is titled like a family card number, KK (%(phrase)s).",
        "Kolom %(column)s berjudul nomor kartu keluarga, KK (%(phrase)s).",
    ),
    "privacy.header.address": (
        "Column %(column)s is titled like a home address (%(phrase)s).",
        "Kolom %(column)s berjudul alamat tempat tinggal (%(phrase)s).",
    ),
    "privacy.header.birth": (
        "Column %(column)s is titled like a place or date of birth (%(phrase)s).",
        "Kolom %(column)s berjudul tempat atau tanggal lahir (%(phrase)s).",
    ),
    "privacy.header.phone": (
        "Column %(column)s is titled like a phone number (%(phrase)s).",
        "Kolom %(column)s berjudul nomor telepon (%(phrase)s).",
    ),
    "privacy.header.email": (
        "Column %(column)s is titled like an e-mail address (%(phrase)s).",
        "Kolom %(column)s berjudul alamat e-mail (%(phrase)s).",
    ),
    "privacy.header.npwp": (
        "Column %(column)s is titled like a tax number, NPWP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor pokok wajib pajak, NPWP (%(phrase)s).",
    ),
    "privacy.header.nip": (
        "Column %(column)s is titled like a civil-servant number, NIP (%(phrase)s).",
        "Kolom %(column)s berjudul nomor induk pegawai, NIP (%(phrase)s).",
    ),
    "privacy.header.bank": (
        "Column %(column)s is titled like a bank account number (%(phrase)s).",
        "Kolom %(column)s berjudul nomor rekening bank (%(phrase)s).",
    ),
    "privacy.values.nik": (
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK "
        "(national ID numbers), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti NIK "
        "(nomor induk kependudukan), mis. %(examples)s.",
    ),
    "privacy.values.nik_mangled": (
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK "
        "(national ID numbers) shortened by Excel, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti NIK "
        "(nomor induk kependudukan) yang terpotong oleh Excel, mis. %(examples)s.",
    ),
    "privacy.values.kk": (
        "Column %(column)s holds %(count)d of %(total)d values that look like family "
        "card numbers (KK), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "nomor kartu keluarga (KK), mis. %(examples)s.",
    ),
    "privacy.values.phone": (
        "Column %(column)s holds %(count)d of %(total)d values that look like phone "
        "numbers, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "nomor telepon, mis. %(examples)s.",
    ),
    "privacy.values.email": (
        "Column %(column)s holds %(count)d of %(total)d values that look like e-mail "
        "addresses, e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "alamat e-mail, mis. %(examples)s.",
    ),
    "privacy.values.npwp": (
        "Column %(column)s holds %(count)d of %(total)d values that look like tax "
        "numbers (NPWP), e.g. %(examples)s.",
        "Kolom %(column)s berisi %(count)d dari %(total)d nilai yang tampak seperti "
        "NPWP (nomor pokok wajib pajak), mis. %(examples)s.",
    ),
    "privacy.person_rows": (
        "The table looks like one row per person: column %(column)s holds %(count)d "
        "mostly unique person names (e.g. %(examples)s) beside %(partners)s.",
        "Tabel tampak berisi satu baris per orang: kolom %(column)s berisi %(count)d "
        "nama orang yang hampir semuanya berbeda (mis. %(examples)s) di samping "
        "%(partners)s.",
    ),
    "privacy.header.person": (
        "Column %(column)s is titled like a list of people (%(phrase)s) and holds their names.",
        "Kolom %(column)s berjudul daftar orang (%(phrase)s) dan berisi nama mereka.",
    ),
    "privacy.person_names": (
        "Column %(column)s holds names of people: %(count)d of its %(total)d different values read as "
        "person names, e.g. %(examples)s.",
        "Kolom %(column)s berisi nama orang: %(count)d dari %(total)d nilai yang berbeda terbaca sebagai "
        "nama orang, mis. %(examples)s.",
    ),
    "privacy.names_in_text": (
        "Column %(column)s mentions people by name in %(count)d of its %(total)d different values, "
        "e.g. %(examples)s.",
        "Kolom %(column)s menyebut nama orang pada %(count)d dari %(total)d nilai yang berbeda, "
        "mis. %(examples)s.",
    ),
    "privacy.split.nik": (
        "Columns %(column)s together hold NIK (national ID numbers) split into pieces: %(count)d of "
        "%(total)d rows, e.g. %(examples)s.",
        "Kolom %(column)s bersama-sama berisi NIK (nomor induk kependudukan) yang dipecah: %(count)d dari "
        "%(total)d baris, mis. %(examples)s.",
    ),
    "privacy.split.kk": (
        "Columns %(column)s together hold family card numbers (KK) split into pieces: %(count)d of "
        "%(total)d rows, e.g. %(examples)s.",
        "Kolom %(column)s bersama-sama berisi nomor kartu keluarga (KK) yang dipecah: %(count)d dari "
        "%(total)d baris, mis. %(examples)s.",
    ),
    "privacy.microdata": (
        "The table is person-level data (one row per person, no count column): the combination of "
        "%(column)s belongs to only one person in %(count)d of %(total)d rows (the smallest group "
        "has %(k)d).",
        "Data per orang (satu baris per orang, tanpa kolom jumlah): kombinasi %(column)s hanya dimiliki "
        "oleh 1 orang pada %(count)d dari %(total)d baris (kelompok terkecil: %(k)d orang).",
    ),
    "privacy.small_cells": (
        "Column %(column)s has %(count)d cells between 1 and %(max_value)d; such small "
        "counts can point at individual people.",
        "Kolom %(column)s memiliki %(count)d sel bernilai 1 sampai %(max_value)d; "
        "angka sekecil ini dapat menunjuk orang tertentu.",
    ),
}
