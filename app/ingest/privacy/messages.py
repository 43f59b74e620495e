"""The privacy findings' messages: code -> English template, rendered by app/ingest/messages.py.

The templates go through the catalogue (`lazy_gettext`): the Indonesian lives in
app/translations/id/LC_MESSAGES/messages.po, as for every other message.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# %(examples)s is a comma separated list of masked values; %(phrase)s is the matched header phrase.
MESSAGES = {
    "privacy.header.name": _l("Column %(column)s is titled like a person's name (%(phrase)s)."),
    "privacy.header.nik": _l("Column %(column)s is titled like a national ID number, NIK/KTP (%(phrase)s)."),
    "privacy.header.kk": _l("Column %(column)s is titled like a family card number, KK (%(phrase)s)."),
    "privacy.header.address": _l("Column %(column)s is titled like a home address (%(phrase)s)."),
    "privacy.header.birth": _l("Column %(column)s is titled like a place or date of birth (%(phrase)s)."),
    "privacy.header.phone": _l("Column %(column)s is titled like a phone number (%(phrase)s)."),
    "privacy.header.email": _l("Column %(column)s is titled like an e-mail address (%(phrase)s)."),
    "privacy.header.npwp": _l("Column %(column)s is titled like a tax number, NPWP (%(phrase)s)."),
    "privacy.header.nip": _l("Column %(column)s is titled like a civil-servant number, NIP (%(phrase)s)."),
    "privacy.header.bank": _l("Column %(column)s is titled like a bank account number (%(phrase)s)."),
    "privacy.values.nik": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK (national ID "
        "numbers), e.g. %(examples)s."
    ),
    "privacy.values.nik_mangled": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like NIK (national ID "
        "numbers) shortened by Excel, e.g. %(examples)s."
    ),
    "privacy.values.kk": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like family card numbers "
        "(KK), e.g. %(examples)s."
    ),
    "privacy.values.phone": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like phone numbers, e.g. "
        "%(examples)s."
    ),
    "privacy.values.email": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like e-mail addresses, "
        "e.g. %(examples)s."
    ),
    "privacy.values.npwp": _l(
        "Column %(column)s holds %(count)d of %(total)d values that look like tax numbers (NPWP), "
        "e.g. %(examples)s."
    ),
    "privacy.person_rows": _l(
        "The table looks like one row per person: column %(column)s holds %(count)d mostly unique "
        "person names (e.g. %(examples)s) beside %(partners)s."
    ),
    "privacy.header.person": _l(
        "Column %(column)s is titled like a list of people (%(phrase)s) and holds their names."
    ),
    "privacy.person_names": _l(
        "Column %(column)s holds names of people: %(count)d of its %(total)d different values "
        "read as person names, e.g. %(examples)s."
    ),
    "privacy.names_in_text": _l(
        "Column %(column)s mentions people by name in %(count)d of its %(total)d different "
        "values, e.g. %(examples)s."
    ),
    "privacy.split.nik": _l(
        "Columns %(column)s together hold NIK (national ID numbers) split into pieces: %(count)d "
        "of %(total)d rows, e.g. %(examples)s."
    ),
    "privacy.split.kk": _l(
        "Columns %(column)s together hold family card numbers (KK) split into pieces: %(count)d "
        "of %(total)d rows, e.g. %(examples)s."
    ),
    "privacy.microdata": _l(
        "The table is person-level data (one row per person, no count column): the combination of "
        "%(column)s belongs to only one person in %(count)d of %(total)d rows (the smallest group "
        "has %(k)d)."
    ),
    "privacy.small_cells": _l(
        "Column %(column)s has %(count)d cells between 1 and %(max_value)d; such small counts can "
        "point at individual people."
    ),
}
