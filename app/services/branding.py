"""The office's logo: its own file (LOGO_PATH, or logo.svg / logo.png in the instance folder), else the one shipped."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

SHIPPED = Path(__file__).resolve().parent.parent / "static" / "logo.svg"
# The kinds of image a logo may be, by the file's ending: anything else is ignored (the shipped logo is shown).
MIMETYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
             ".webp": "image/webp"}
INSTANCE_NAMES = ("logo.svg", "logo.png")


@dataclass(frozen=True)
class Logo:
    path: Path
    mimetype: str
    version: int  # the file's modification time: a replaced logo gets a new address, so no browser keeps the old one


def _candidates() -> list[Path]:
    own = current_app.config.get("LOGO_PATH") or ""
    instance = Path(current_app.instance_path)
    return ([Path(own)] if own else []) + [instance / name for name in INSTANCE_NAMES]


def current_logo() -> Logo:
    """The first of the office's logo files that exists and is an image kind we serve; else the shipped one."""
    for path in _candidates():
        mimetype = MIMETYPES.get(path.suffix.lower())
        if mimetype and path.is_file():
            return Logo(path, mimetype, int(path.stat().st_mtime))
    return Logo(SHIPPED, MIMETYPES[".svg"], int(SHIPPED.stat().st_mtime))
