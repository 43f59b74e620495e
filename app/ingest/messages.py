"""The message catalogue: Note codes -> translatable templates, and rendering.

Templates are English with %(param)s placeholders, wrapped in `lazy_gettext` so
they are translated in the reader's language when rendered. ID_TRANSLATIONS
holds the Indonesian text for every template (source for the .po file).
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from .model import Note

MESSAGES = {
    # ---- refusals
    "unsupported_format": _l("Files of type .%(ext)s cannot be read. Upload a CSV, TSV, TXT or XLSX file."),
    "file_too_large": _l("The file is %(size)s bytes; the limit is %(limit)s bytes."),
    "empty_file": _l("The file is empty: no table was found in it."),
    "header_only": _l("The table has a header (row %(header_row)s) but no data rows."),
    "binary_file": _l("The file is not a text table (it looks like %(kind)s data). Upload a CSV or XLSX file."),
    "not_a_table": _l("The file is text but not a table (it looks like %(kind)s)."),
    "ragged_row": _l(
        "Row %(row)s has %(found)s cells but the header has %(expected)s columns. "
        "Give the extra cells a column header or remove them."
    ),
    "xlsx_too_large_uncompressed": _l(
        "The workbook unpacks to %(size)s bytes, more than the limit of %(limit)s bytes."
    ),
    "xlsx_compression_ratio": _l(
        "The workbook part %(member)s is compressed %(ratio)s times; files this compressed are refused for safety."
    ),
    "bad_xlsx": _l("The file is not a valid Excel (.xlsx) workbook (%(detail)s)."),
    "xlsx_old_format": _l(
        "The file is an old Excel (.xls) workbook or is password-protected. "
        "Save it as .xlsx without a password and upload it again."
    ),
    "no_sheet": _l("The workbook has no sheet named %(sheet)s. Sheets: %(sheets)s."),
    "bad_header_row": _l("Row %(row)s cannot be the header: it is empty or past the end of the table."),
    "csv_malformed": _l("The CSV file cannot be read near row %(row)s (%(detail)s); check for an unclosed quote."),
    "csv_bad_encoding": _l("The text near row %(row)s is not in the file's encoding; save the file as UTF-8."),
    "bad_column_type": _l("Column %(column)s cannot be given the type %(type)s."),
    "all_columns_dropped": _l("Every column was removed; keep at least one."),
    # ---- the uploaded file itself
    "original_withheld_outside": _l(
        "Rows outside the table (row %(rows)s) hold what looks like personal data (%(examples)s): "
        "the table can be published, the original file never."
    ),
    "original_withheld_sheets": _l(
        "Only sheet %(sheet)s was read and checked; the workbook's other sheets (%(sheets)s) were not: "
        "the table can be published, the original file never."
    ),
    # ---- why a column got its type
    "type_integer_all": _l("All %(count)s values are whole numbers."),
    "type_integer_thousands_id": _l(
        "All %(count)s values are whole numbers written with a dot between thousands (1.234 = one thousand two hundred thirty-four)."
    ),
    "type_integer_thousands_en": _l(
        "All %(count)s values are whole numbers written with a comma between thousands (1,234)."
    ),
    "type_decimal_id": _l("All %(count)s values are numbers with a decimal comma (12,5)."),
    "type_decimal_en": _l("All %(count)s values are numbers with a decimal point (12.5)."),
    "type_year": _l("All %(count)s values are years (%(min)s to %(max)s)."),
    "type_date": _l("All %(count)s values are dates, e.g. %(example)s."),
    "type_region_code": _l("All %(count)s values are NTB region codes (%(distinct)s different)."),
    "type_text": _l("The values are text, e.g. %(example)s."),
    "type_text_mixed": _l("Kept as text: numbers are mixed with other values such as %(example)s."),
    "type_text_leading_zeros": _l("Kept as text: values such as %(example)s start with a zero that a number would lose."),
    "type_text_long_number": _l("Kept as text: values such as %(example)s are identifiers too long to be numbers."),
    "type_text_scientific": _l(
        "Kept as text: %(example)s is a number Excel shortened to scientific notation; its digits are lost."
    ),
    "type_text_empty": _l("The column is empty."),
    "type_forced": _l("The type %(type)s was chosen in review."),
    # ---- other notes
    "forced_type_nulls": _l("%(count)s values in column %(column)s do not fit the chosen type and were left empty."),
    "columns_dropped": _l("Columns removed in review: %(columns)s."),
    "option_unknown_column": _l("There is no column named %(column)s; the correction for it was ignored."),
    "header_two_rows": _l("The header spans rows %(rows)s; group and sub-headers were joined."),
    "header_blank_named": _l("Columns without a header were named %(columns)s."),
    "header_duplicates_renamed": _l("Repeated headers were renamed to %(columns)s."),
    "totals_not_detected": _l(
        "%(count)s rows are labelled like totals; since most rows are, they were kept as data."
    ),
    "skipped_rows_truncated": _l("%(count)s rows were skipped; the first %(shown)s are listed."),
}

ID_TRANSLATIONS = {
    "Rows outside the table (row %(rows)s) hold what looks like personal data (%(examples)s): "
    "the table can be published, the original file never.":
        "Baris di luar tabel (baris %(rows)s) berisi data yang tampak seperti data pribadi (%(examples)s): "
        "tabelnya dapat diterbitkan, berkas aslinya tidak pernah.",
    "Only sheet %(sheet)s was read and checked; the workbook's other sheets (%(sheets)s) were not: "
    "the table can be published, the original file never.":
        "Hanya sheet %(sheet)s yang dibaca dan diperiksa; sheet lain dalam workbook (%(sheets)s) tidak: "
        "tabelnya dapat diterbitkan, berkas aslinya tidak pernah.",
    "Files of type .%(ext)s cannot be read. Upload a CSV, TSV, TXT or XLSX file.":
        "Berkas berjenis .%(ext)s tidak dapat dibaca. Unggah berkas CSV, TSV, TXT, atau XLSX.",
    "The file is %(size)s bytes; the limit is %(limit)s bytes.":
        "Ukuran berkas %(size)s byte; batasnya %(limit)s byte.",
    "The file is empty: no table was found in it.":
        "Berkas kosong: tidak ada tabel di dalamnya.",
    "The table has a header (row %(header_row)s) but no data rows.":
        "Tabel memiliki judul kolom (baris %(header_row)s) tetapi tidak ada baris data.",
    "The file is not a text table (it looks like %(kind)s data). Upload a CSV or XLSX file.":
        "Berkas ini bukan tabel teks (tampaknya data %(kind)s). Unggah berkas CSV atau XLSX.",
    "The file is text but not a table (it looks like %(kind)s).":
        "Berkas ini berupa teks tetapi bukan tabel (tampaknya %(kind)s).",
    "Row %(row)s has %(found)s cells but the header has %(expected)s columns. "
    "Give the extra cells a column header or remove them.":
        "Baris %(row)s berisi %(found)s sel, padahal judul kolom hanya %(expected)s kolom. "
        "Beri judul untuk sel tambahan itu atau hapus sel tersebut.",
    "The workbook unpacks to %(size)s bytes, more than the limit of %(limit)s bytes.":
        "Isi buku kerja setelah dibuka berukuran %(size)s byte, melebihi batas %(limit)s byte.",
    "The workbook part %(member)s is compressed %(ratio)s times; files this compressed are refused for safety.":
        "Bagian buku kerja %(member)s terkompresi %(ratio)s kali; demi keamanan, berkas sepadat ini ditolak.",
    "The file is not a valid Excel (.xlsx) workbook (%(detail)s).":
        "Berkas ini bukan buku kerja Excel (.xlsx) yang sah (%(detail)s).",
    "The file is an old Excel (.xls) workbook or is password-protected. "
    "Save it as .xlsx without a password and upload it again.":
        "Berkas ini buku kerja Excel lama (.xls) atau dilindungi kata sandi. "
        "Simpan sebagai .xlsx tanpa kata sandi lalu unggah kembali.",
    "The workbook has no sheet named %(sheet)s. Sheets: %(sheets)s.":
        "Buku kerja tidak memiliki lembar bernama %(sheet)s. Lembar yang ada: %(sheets)s.",
    "Row %(row)s cannot be the header: it is empty or past the end of the table.":
        "Baris %(row)s tidak dapat menjadi judul kolom: baris itu kosong atau melewati akhir tabel.",
    "The CSV file cannot be read near row %(row)s (%(detail)s); check for an unclosed quote.":
        "Berkas CSV tidak dapat dibaca di sekitar baris %(row)s (%(detail)s); periksa tanda kutip yang tidak ditutup.",
    "The text near row %(row)s is not in the file's encoding; save the file as UTF-8.":
        "Teks di sekitar baris %(row)s tidak sesuai dengan pengodean berkas; simpan berkas sebagai UTF-8.",
    "Column %(column)s cannot be given the type %(type)s.":
        "Kolom %(column)s tidak dapat diberi tipe %(type)s.",
    "Every column was removed; keep at least one.":
        "Semua kolom dihapus; sisakan paling sedikit satu kolom.",
    "All %(count)s values are whole numbers.":
        "Semua %(count)s nilai adalah bilangan bulat.",
    "All %(count)s values are whole numbers written with a dot between thousands (1.234 = one thousand two hundred thirty-four).":
        "Semua %(count)s nilai adalah bilangan bulat dengan titik sebagai pemisah ribuan (1.234 = seribu dua ratus tiga puluh empat).",
    "All %(count)s values are whole numbers written with a comma between thousands (1,234).":
        "Semua %(count)s nilai adalah bilangan bulat dengan koma sebagai pemisah ribuan (1,234).",
    "All %(count)s values are numbers with a decimal comma (12,5).":
        "Semua %(count)s nilai adalah bilangan dengan koma desimal (12,5).",
    "All %(count)s values are numbers with a decimal point (12.5).":
        "Semua %(count)s nilai adalah bilangan dengan titik desimal (12.5).",
    "All %(count)s values are years (%(min)s to %(max)s).":
        "Semua %(count)s nilai adalah tahun (%(min)s sampai %(max)s).",
    "All %(count)s values are dates, e.g. %(example)s.":
        "Semua %(count)s nilai adalah tanggal, misalnya %(example)s.",
    "All %(count)s values are NTB region codes (%(distinct)s different).":
        "Semua %(count)s nilai adalah kode wilayah NTB (%(distinct)s kode berbeda).",
    "The values are text, e.g. %(example)s.":
        "Nilainya berupa teks, misalnya %(example)s.",
    "Kept as text: numbers are mixed with other values such as %(example)s.":
        "Disimpan sebagai teks: angka bercampur dengan nilai lain seperti %(example)s.",
    "Kept as text: values such as %(example)s start with a zero that a number would lose.":
        "Disimpan sebagai teks: nilai seperti %(example)s diawali angka nol yang akan hilang bila dijadikan bilangan.",
    "Kept as text: values such as %(example)s are identifiers too long to be numbers.":
        "Disimpan sebagai teks: nilai seperti %(example)s adalah nomor identitas yang terlalu panjang untuk bilangan.",
    "Kept as text: %(example)s is a number Excel shortened to scientific notation; its digits are lost.":
        "Disimpan sebagai teks: %(example)s adalah angka yang disingkat Excel ke notasi ilmiah; sebagian digitnya hilang.",
    "The column is empty.":
        "Kolom ini kosong.",
    "The type %(type)s was chosen in review.":
        "Tipe %(type)s dipilih saat peninjauan.",
    "%(count)s values in column %(column)s do not fit the chosen type and were left empty.":
        "%(count)s nilai di kolom %(column)s tidak sesuai dengan tipe yang dipilih dan dikosongkan.",
    "Columns removed in review: %(columns)s.":
        "Kolom yang dihapus saat peninjauan: %(columns)s.",
    "There is no column named %(column)s; the correction for it was ignored.":
        "Tidak ada kolom bernama %(column)s; koreksi untuk kolom itu diabaikan.",
    "The header spans rows %(rows)s; group and sub-headers were joined.":
        "Judul kolom terdiri atas baris %(rows)s; judul kelompok dan subjudul digabungkan.",
    "Columns without a header were named %(columns)s.":
        "Kolom tanpa judul diberi nama %(columns)s.",
    "Repeated headers were renamed to %(columns)s.":
        "Judul kolom yang berulang diganti menjadi %(columns)s.",
    "%(count)s rows are labelled like totals; since most rows are, they were kept as data.":
        "%(count)s baris berlabel seperti baris jumlah; karena sebagian besar baris demikian, baris itu tetap dianggap data.",
    "%(count)s rows were skipped; the first %(shown)s are listed.":
        "%(count)s baris dilewati; %(shown)s baris pertama ditampilkan.",
}


class _Params(dict):
    """Parameters for a template; a missing one shows as "?" instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def _privacy_templates() -> dict[str, Any]:
    # The privacy scanner keeps (English, Indonesian) pairs; the English goes through the catalogue.
    from .privacy import MESSAGES as PRIVACY

    return {code: _l(pair[0]) for code, pair in PRIVACY.items()}


def render(note: Note) -> str:
    """Format a note in the current language."""
    template = MESSAGES.get(note.code)
    if template is None and note.code.startswith("privacy."):
        template = _privacy_templates().get(note.code)
    if template is None:
        return f"{note.code} {note.params}" if note.params else note.code
    return str(template) % _Params(note.params)
