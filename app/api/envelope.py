"""CKAN's response envelope: {"help", "success", "result"} or {"help", "success": false, "error"}."""
from __future__ import annotations

import json
from typing import Any

from flask import Response

from ..services.errors import NameTaken, NotAuthorized, NotFound, ServiceError, Unavailable, ValidationError

CONTENT_TYPE = "application/json;charset=utf-8"


class BadRequest(Exception):
    """CKAN's 400 "Bad request - <kind>: <detail>" (unknown action, unreadable body)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


class SearchQueryError(Exception):
    """A search parameter (fq, q, sort, rows, start, facet.*) the portal cannot run."""


def help_url(base_url: str, action: str) -> str:
    return f"{base_url}/api/3/action/help_show?name={action}"


def _response(body: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(body, ensure_ascii=False, default=str), status=status, content_type=CONTENT_TYPE)


def ok(help: str, result: Any) -> Response:
    return _response({"help": help, "success": True, "result": result}, 200)


def error(help: str, exc: Exception) -> Response:
    """Map an exception to CKAN's error type and HTTP status."""
    if isinstance(exc, ValidationError):
        err: dict[str, Any] = {k: list(v) for k, v in exc.errors.items()}
        err["__type"] = "Validation Error"
        err.setdefault("message", str(exc.message))
        if isinstance(exc, NameTaken):  # which dataset has the name: its title and id only for who may see it
            err["existing_dataset"] = ({"name": exc.existing.name, "id": exc.existing.id, "title": exc.existing.title}
                                       if exc.existing is not None else {"name": exc.name})
        status = 409
    elif isinstance(exc, NotAuthorized):
        err = {"__type": "Authorization Error", "message": _join("Access denied", exc.message)}
        status = 403
    elif isinstance(exc, NotFound):
        err = {"__type": "Not Found Error", "message": _join("Not found", exc.message)}
        status = 404
    elif isinstance(exc, Unavailable):
        err = {"__type": "Service Unavailable", "message": str(exc.message)}
        status = 503
    elif isinstance(exc, SearchQueryError):
        err = {"__type": "Search Query Error", "message": f"Search Query is invalid: {exc}"}
        status = 400
    elif isinstance(exc, BadRequest):
        err = {"__type": f"Bad request - {exc.kind}", "message": f"Bad request - {exc}"}
        status = 400
    elif isinstance(exc, ServiceError):  # Conflict and any future service error
        err = {"__type": "Validation Error", "message": str(exc.message)}
        status = 409
    else:
        err = {"__type": "Internal Server Error", "message": "Internal Server Error"}
        status = 500
    return _response({"help": help, "success": False, "error": err}, status)


def _join(prefix: str, message: Any) -> str:
    text = str(message or "")
    return f"{prefix}: {text}" if text else prefix
