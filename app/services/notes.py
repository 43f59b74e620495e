"""The reader's notes and column types as the pages show them, so the doors need not know app/ingest."""
from __future__ import annotations

from typing import Any

from ..ingest.messages import render
from ..ingest.model import COLUMN_TYPES, Note
from ..ingest.privacy import mask_text

__all__ = ["COLUMN_TYPES", "note_text"]


def note_text(note: Note | dict[str, Any] | None) -> str:
    """Render a note (or its stored dict) in the current language, with cell values masked."""
    if not note:
        return ""
    if isinstance(note, dict):
        note = Note(note.get("code", ""), note.get("params") or {})
    # Notes quote cell values: never let one show an identifier whole.
    return mask_text(render(note))
