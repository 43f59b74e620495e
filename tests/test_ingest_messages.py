"""Every note the reader can emit has an English and an Indonesian message, and the
Indonesian lives in the .po catalogue only, never in the ingest code."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

from app.ingest.messages import MESSAGES, render
from app.ingest.model import Note
from app.ingest.privacy.messages import MESSAGES as PRIVACY_MESSAGES

ROOT = Path(__file__).resolve().parents[1]
INGEST = ROOT / "app" / "ingest"
PO = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
PARAM = re.compile(r"%\((\w+)\)[sd]")
# Words of the Indonesian texts the ingest code once kept beside the English ones. Two of
# them in one string constant is an Indonesian sentence: a regular expression or a header
# word list ("nama", "alamat", "jumlah") has at most one.
INDONESIAN_WORDS = frozenset("""
kolom baris berkas tidak tabel nilai sel judul lembar buku kerja tipe teks angka bilangan tanggal tahun
yang dan atau dengan dari pada untuk ukuran ini itu adalah berisi dapat diberi dipilih saat semua
sebagai seperti misalnya mis tampak berjudul ditolak dihapus dilewati diterbitkan unggah simpan
""".split())


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
    with PO.open("rb") as f:
        catalog = read_po(f, locale="id")
    for code, template in {**MESSAGES, **PRIVACY_MESSAGES}.items():
        english = str(template)
        message = catalog.get(english)
        assert message is not None and message.string and not message.fuzzy, code
        assert sorted(PARAM.findall(english)) == sorted(PARAM.findall(message.string)), code


def indonesian_sentences(path: Path, root: Path = ROOT):
    """String constants (docstrings aside) in `path` that read as Indonesian sentences."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words = {w for w in re.findall(r"[^\W\d_]+", node.value.lower()) if w in INDONESIAN_WORDS}
            if len(words) >= 2:
                yield f"{path.relative_to(root)}:{node.lineno}: {node.value[:70]!r}"


def test_no_indonesian_message_text_in_the_ingest_code():
    found = [hit for path in sorted(INGEST.rglob("*.py")) for hit in indonesian_sentences(path)]
    assert not found, "Indonesian belongs in app/translations/id/LC_MESSAGES/messages.po:\n" + "\n".join(found)


def test_the_indonesian_scan_sees_an_old_style_message_dict(tmp_path):
    old = tmp_path / "messages.py"
    old.write_text('ID = {"The column is empty.": "Kolom ini kosong.",\n'
                   '      "x": "Ukuran berkas %(size)s byte; batasnya %(limit)s byte."}\n'
                   'NAME_RE = r"^(?:di|me|ber|ter|pe|ke)\\w{4,}"\nHEADERS = ("nama", "alamat", "jumlah")\n',
                   encoding="utf-8")
    assert [hit.split(": ", 1)[1] for hit in indonesian_sentences(old, tmp_path)] == [
        "'Kolom ini kosong.'", "'Ukuran berkas %(size)s byte; batasnya %(limit)s byte.'"]


def test_refusal_renders_with_row_and_column_counts():
    text = render(Note("ragged_row", {"row": 7, "expected": 3, "found": 5}))
    assert text == (
        "Row 7 has 5 cells but the header has 3 columns. Give the extra cells a column header or remove them."
    )


def test_missing_param_and_unknown_code_still_render():
    assert "?" in render(Note("ragged_row", {"row": 7}))
    assert render(Note("no_such_code", {"a": 1})) == "no_such_code {'a': 1}"
