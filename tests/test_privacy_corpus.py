"""The labelled privacy corpus: every person-level file is refused, every aggregate file passes.

The corpus (tests/files/privacy/corpus/, written by its make_corpus.py) is what
scripts/bench_privacy.py measures recall and false alarms on; here each file is one test, read by
the real reader with the scanner, as an upload is.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.ingest import TableRefused, read_table
from app.ingest.privacy import PersonalDataScanner

CORPUS = Path(__file__).resolve().parent / "files" / "privacy" / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
NOT_CORPUS = {"make_corpus.py", "manifest.json"}
LABELS = ("personal", "aggregate")


def _entries(label: str) -> list:
    return [pytest.param(e, id=f"{e['variant']}/{e['file']}") for e in MANIFEST if e["label"] == label]


def _findings(path: Path) -> list:
    """The scanner's findings on the file read as an upload is; small counts do not count here."""
    scanner = PersonalDataScanner()
    read_table(path, path.name, inspectors=[scanner])
    return [f for f in scanner.findings() if "small" not in f.kind and "small_cell" not in f.reason.code]


@pytest.mark.parametrize("entry", _entries("personal"))
def test_upload_of_person_level_file_is_refused(entry):
    path = CORPUS / entry["file"]
    try:
        findings = _findings(path)
    except TableRefused as refused:
        pytest.fail(f"the reader refused {entry['file']} ({refused.note.code}), so the scanner never saw it")
    assert findings, f"{entry['variant']}: nothing found in {entry['file']} ({entry['note']})"


@pytest.mark.parametrize("entry", _entries("aggregate"))
def test_upload_of_aggregate_file_is_accepted(entry):
    findings = _findings(CORPUS / entry["file"])
    assert not findings, "; ".join(
        f"{f.column!r}: {f.kind} ({f.reason.code})" for f in findings) + f" in {entry['file']} ({entry['note']})"


def test_manifest_lists_every_corpus_file_once():
    listed = [e["file"] for e in MANIFEST]
    assert len(listed) == len(set(listed))
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name not in NOT_CORPUS}
    assert on_disk - set(listed) == set(), "files not in the manifest"
    assert set(listed) - on_disk == set(), "manifest entries without a file"
    for e in MANIFEST:
        assert set(e) == {"file", "label", "variant", "note"}
        assert e["label"] in LABELS and e["variant"] and e["note"]
    for label in LABELS:
        assert sum(e["label"] == label for e in MANIFEST) >= 60, label


def test_make_corpus_reproduces_the_committed_bytes(tmp_path):
    done = subprocess.run([sys.executable, str(CORPUS / "make_corpus.py"), "--out", str(tmp_path)],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    made = {p.name for p in tmp_path.iterdir()}
    committed = {p.name for p in CORPUS.iterdir() if p.is_file() and p.name != "make_corpus.py"}
    assert made == committed
    differ = [name for name in sorted(made) if (tmp_path / name).read_bytes() != (CORPUS / name).read_bytes()]
    assert differ == []
