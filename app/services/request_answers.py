"""An answer to an information request attached as a file (a letter, a table): what it may be,
checked by its first bytes, and reading it back. The file is kept in the database (a backup holds
it) and goes to the requester and the handlers only: it has not been through the privacy scan."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import db
from ..models import InfoRequest
from .errors import ValidationError

# What an answer may be attached as: the kinds an office answers with, recognised by their first
# bytes, never by the name alone (an .html or a script is refused).
ANSWER_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".zip": ("application/zip", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


@dataclass
class Attachment:
    filename: str
    data: bytes


def checked_attachment(file: Attachment) -> tuple[str, str, bytes]:
    """(safe file name, media type, bytes) of an answer file, or a ValidationError saying why not."""
    name = re.sub(r"[^\w.\- ]+", "_", (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")[:200]
    ext = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    limit = int(current_app.config.get("ANSWER_MAX_MB", 10)) * 1024 * 1024
    if ext not in ANSWER_TYPES:
        raise ValidationError({"attachment": [_l("Attach a PDF, Word, Excel, OpenDocument, CSV, text, PNG, JPEG or ZIP file.")]})
    if not file.data:
        raise ValidationError({"attachment": [_l("The attached file is empty.")]})
    if len(file.data) > limit:
        raise ValidationError({"attachment": [_l("The attached file is larger than %(mb)d MB.", mb=limit // (1024 * 1024))]})
    media, magic = ANSWER_TYPES[ext]
    if magic is not None and not file.data.startswith(magic):
        raise ValidationError({"attachment": [_l("The attached file is not the kind its name says (%(ext)s).", ext=ext)]})
    if magic is None:
        try:
            file.data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                file.data.decode("cp1252")
            except UnicodeDecodeError:
                raise ValidationError({"attachment": [_l("The attached file is not the kind its name says (%(ext)s).",
                                                         ext=ext)]}) from None
    return name, media, file.data


def answer_file(req: InfoRequest) -> tuple[str, str, bytes] | None:
    """(file name, media type, bytes) of the answer attached to `req`, for its requester or handlers."""
    if not req.answer_filename:
        return None
    data = db.session().scalar(select(InfoRequest.answer_file).where(InfoRequest.id == req.id))
    return req.answer_filename, req.answer_type or "application/octet-stream", data or b""
