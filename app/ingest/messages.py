"""The message catalogue: Note codes -> translatable templates, and rendering.

Templates are English with %(param)s placeholders, wrapped in `lazy_gettext` so
they are translated in the reader's language when rendered (outside an app context,
e.g. a script reading a file, they stay English). Their Indonesian lives only in
app/translations/id/LC_MESSAGES/messages.po.
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import get_locale, lazy_gettext as _l

from .model import Note

MESSAGES = {
    # ---- refusals
    "unsupported_format": _l("Files of type .%(ext)s cannot be read. Upload a CSV, TSV, TXT or XLSX file."),
    "file_too_large": _l("The file is %(size)s bytes; the limit is %(limit)s bytes."),
    "empty_file": _l("The file is empty: no table was found in it."),
    "header_only": _l("The table has a header (row %(header_row)s) but no data rows."),
    "binary_file": _l("The file is not a text table (it looks like %(kind)s data). Upload a CSV or XLSX file."),
    # a variant for one `kind` ("<code>.<kind>"): "unknown" is not a format to name in a sentence
    "binary_file.unknown": _l("The file is not a text table (its bytes are not text). Upload a CSV or XLSX file."),
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
    "xlsx_unreadable": _l(
        "A part of this Excel workbook cannot be read: its XML is damaged, or it declares entities, which are "
        "refused for safety. Open the file in Excel, save it again as .xlsx and upload it again."
    ),
    # A workbook past a limit of xlsx_guard: what was too much, and how to upload the table anyway.
    "xlsx_part_too_large": _l(
        "The workbook part %(member)s unpacks to %(size)s bytes, more than the %(limit)s bytes allowed for it. "
        "Copy the table into a new workbook (paste as values), or save the sheet as CSV (UTF-8), and upload that."
    ),
    "xlsx_part_too_complex": _l(
        "The workbook part %(member)s holds more than %(limit)s XML elements (often formats piled up by much copying "
        "between workbooks). Copy the table into a new workbook (paste as values), or save the sheet as CSV (UTF-8), "
        "and upload that."
    ),
    "xlsx_too_many_sheets": _l(
        "The workbook has more than %(limit)s sheets. Copy the sheet with the table into a new workbook "
        "and upload that."
    ),
    "xlsx_too_many_strings": _l(
        "The workbook holds more than %(limit)s different texts, more than this portal reads from an Excel file. "
        "Save the sheet as CSV (UTF-8) and upload that, or split the table into smaller files."
    ),
    "xlsx_strings_too_long": _l(
        "The texts in the workbook are together longer than %(limit)s characters, more than this portal reads "
        "from an Excel file. Save the sheet as CSV (UTF-8) and upload that, or split the table into smaller files."
    ),
    "xlsx_string_too_long": _l(
        "A text in the workbook is longer than %(limit)s characters, more than Excel allows in one cell. Shorten it, "
        "or save the sheet as CSV (UTF-8), and upload it again."
    ),
    "xlsx_too_many_rows": _l(
        "Sheet %(sheet)s goes down to row %(row)s, past the limit of %(limit)s rows. Delete the empty or "
        "formatted rows below the table, or split it into smaller files."
    ),
    "xlsx_too_many_columns": _l(
        "Sheet %(sheet)s uses columns up to %(column)s, more than the limit of %(limit)s columns. Delete the "
        "empty or formatted columns right of the table, or copy the table into a new workbook."
    ),
    "xlsx_too_many_cells": _l(
        "Sheet %(sheet)s holds more than %(limit)s cells (empty formatted cells count too). Delete the empty or "
        "formatted rows and columns around the table, or save the sheet as CSV (UTF-8) and upload that."
    ),
    "xlsx_workbook_too_many_cells": _l(
        "The workbook's sheets hold more than %(limit)s cells together (empty formatted cells count too). Copy the "
        "sheet with the table into a new workbook, or save it as CSV (UTF-8), and upload that."
    ),
    "xlsx_cell_too_long": _l(
        "Sheet %(sheet)s, cell %(column)s%(row)s, holds more than %(limit)s characters, more than Excel allows "
        "in one cell. Shorten that cell, or save the sheet as CSV (UTF-8), and upload it again."
    ),
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
    "type_text_uncalculated": _l(
        "Empty: its %(count)s formulas have no stored results (the file was never calculated)."
    ),
    # ---- other notes
    "xlsx_formulas_uncalculated": _l(
        "Sheet %(sheet)s holds formulas without stored results in column(s) %(columns)s (%(count)s cells, the first in "
        "row %(row)s): the program that wrote the file never calculated them, so these cells are empty here. "
        "Open the file in Excel or LibreOffice and save it again, or copy the cells and paste them as values, "
        "then upload it again."
    ),
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


class _Params(dict):
    """Parameters for a template; a missing one shows as "?" instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def _privacy_templates() -> dict[str, Any]:
    # Imported on first use: importing the privacy package pulls in the whole scanner.
    from .privacy.messages import MESSAGES as PRIVACY

    return PRIVACY


def render(note: Note) -> str:
    """Format a note in the current language."""
    template = MESSAGES.get(f"{note.code}.{note.params.get('kind')}") or MESSAGES.get(note.code)
    if template is None and note.code.startswith("privacy."):
        template = _privacy_templates().get(note.code)
    if template is None:
        return f"{note.code} {note.params}" if note.params else note.code
    text = str(template)
    counts = set(_COUNT.findall(text))
    params = {k: _grouped(v) if k in counts else v for k, v in note.params.items()}
    return _COUNT.sub(r"%(\1)s", text) % _Params(params)


# Counts in a message read as the page's numbers do: "94.207 dari 94.208" in Indonesian, "94,207 of
# 94,208" in English. Only %(...)d parameters are counts; a %(...)s one may be a year or a row's name.
_COUNT = re.compile(r"%\((\w+)\)d")
_THOUSANDS = {"id": ".", "en": ","}


def _grouped(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    locale = get_locale()
    return f"{value:,}".replace(",", _THOUSANDS.get(locale.language if locale else "en", ","))
