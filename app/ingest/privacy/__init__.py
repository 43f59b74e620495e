"""Find personal (by-name-by-address) data in a table before it is published.

The office publishes aggregates only (UU 27/2022). `PersonalDataScanner` is a
`RowInspector`: the spreadsheet reader calls `start(columns)` and then
`feed(row)` for every raw data row while it streams the file, and asks for
`findings()` at the end. It looks at

* headers, matched as whole words against `app/data/personal_data_headers.txt`;
* values, by structure: NIK and KK (region code + date), phone numbers,
  e-mail addresses, NPWP; Excel-mangled NIKs (`5.20301E+15`) included;
* names by their content, whatever the header (`names`: NTB's name parts, titles
  and degrees, with regions and institutions as counter-evidence), names inside
  notes ("a/n Baiq Wahyuni"), and headers for people over names (penerima, KPM);
* a NIK or KK split over neighbouring columns (`split_identifiers`);
* person-level microdata without names: quasi-identifiers and no count column,
  reported with its k-anonymity (`microdata`);
* shape: a column of unique person-like names beside an identifier or an
  address column ("person_rows").

`feed` / `feed_many` must keep up with million-row uploads: the first
`full_rows` rows are checked value by value (with the shape test); after that
each column of a chunk is searched at once for anything an identifier could
hide in, and only a chunk with such a candidate is checked value by value, so
no row is skipped. `outside(row, values)` looks at rows left out of the table
(titles, notes), which the original file still holds. Examples in findings are
always masked.

Small counts are found in the typed table (`datastore.Table.small_cells`,
reported with `small_cell_finding`), and `is_sensitive_category` tells whether a
category label is about health, drugs, children in conflict with the law,
trafficking, sexual violence or criminal records (`app/data/sensitive_categories.txt`).
"""
from __future__ import annotations

from .headers import HeaderVocabulary, header_is_exempt, load_header_vocabulary, match_header, normalize_header
from .identifiers import PROVINCE_CODES, classify_id16, classify_int, classify_text_number, classify_value
from .lexicons import load_non_name_words, rules_stamp
from .masks import mask, mask_column, mask_finding, mask_text
from .messages import MESSAGES
from .names import name_word_count
from .scanner import FINDING_KINDS, VALUE_KINDS, Finding, PersonalDataScanner, find_personal_data
from .sensitive import is_sensitive_category, load_sensitive_categories
from .small_cells import SmallCellFinding, small_cell_finding

__all__ = [
    "FINDING_KINDS", "MESSAGES", "PROVINCE_CODES", "VALUE_KINDS", "Finding", "HeaderVocabulary",
    "PersonalDataScanner", "SmallCellFinding", "classify_id16", "classify_int", "classify_text_number",
    "classify_value", "find_personal_data", "header_is_exempt", "is_sensitive_category", "load_header_vocabulary",
    "load_non_name_words", "load_sensitive_categories", "mask", "mask_column", "mask_finding", "mask_text", "match_header", "name_word_count",
    "normalize_header", "rules_stamp", "small_cell_finding",
]
