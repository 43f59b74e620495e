"""Every note the reader can emit has an English and an Indonesian message."""
from __future__ import annotations

import re
from pathlib import Path

from app.ingest.messages import ID_TRANSLATIONS, MESSAGES, render
from app.ingest.model import Note

INGEST = Path(__file__).resolve().parents[1] / "app" / "ingest"
PARAM = re.compile(r"%\((\w+)\)s")


def emitted_codes():
    codes = set()
    for path in INGEST.glob("*.py"):
        if path.name in ("messages.py", "privacy.py"):
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'(?:TableRefused|Note)\(\s*"(\w+)"', text))
    return codes


def test_every_emitted_code_has_a_message():
    missing = emitted_codes() - set(MESSAGES)
    assert not missing


def test_every_message_has_an_indonesian_translation_with_the_same_params():
    for code, template in MESSAGES.items():
        english = str(template)
        assert english in ID_TRANSLATIONS, code
        assert sorted(PARAM.findall(english)) == sorted(PARAM.findall(ID_TRANSLATIONS[english])), code


def test_refusal_renders_with_row_and_column_counts():
    text = render(Note("ragged_row", {"row": 7, "expected": 3, "found": 5}))
    assert text == (
        "Row 7 has 5 cells but the header has 3 columns. Give the extra cells a column header or remove them."
    )


def test_missing_param_and_unknown_code_still_render():
    assert "?" in render(Note("ragged_row", {"row": 7}))
    assert render(Note("no_such_code", {"a": 1})) == "no_such_code {'a': 1}"
