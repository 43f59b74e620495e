"""The office's example tables: the demo copies in app/demo_data plus the BNBA file that must be refused.

They are byte-for-byte copies of ../shared/samples (checked by test_samples_are_the_shared_ones), kept
in the repository so that the package, CI and a fresh clone never depend on a folder beside it.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "app" / "demo_data"
BNBA = ROOT / "tests" / "files" / "contoh_bnba_harus_ditolak.csv"
SHARED_DIR = ROOT.parent / "shared" / "samples"


class _Samples:
    """`SAMPLES / name` and `SAMPLES.iterdir()` over all sample tables, wherever each is kept."""

    def __truediv__(self, name: str) -> Path:
        return BNBA if name == BNBA.name else DEMO_DIR / name

    def iterdir(self):
        return iter(sorted([*DEMO_DIR.iterdir(), BNBA]))


SAMPLES = _Samples()
