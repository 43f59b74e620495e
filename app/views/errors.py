"""Map service errors and HTTP errors to pages (the API maps its own to CKAN's shapes)."""
from __future__ import annotations

import logging
import re

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..services.errors import NotAuthorized, NotFound, Throttled, Unavailable, ValidationError
from ..services.tables import BadQuery

log = logging.getLogger("portal.errors")


def _page(code: int, message: str):
    suggestions = _suggestions() if code == 404 else []
    return render_template("error.html", code=code, message=message, suggestions=suggestions), code


def _suggestions(limit: int = 5) -> list:
    """Published datasets whose words match the missing address's ("/dataset/korban-bencana-2023"
    suggests the bencana tables); none when the search cannot answer."""
    words = re.findall(r"[^\W\d_]{3,}|\d{4}", request.path.replace("-", " ").replace("_", " "))
    words = [w for w in words if w.lower() not in _PATH_WORDS][:8]
    if not words:
        return []
    try:
        from ..services import catalog
        from .requests import actor

        found = catalog.search(actor(), catalog.SearchParams(q=" ".join(words), per_page=limit))
        return list(found.datasets)[:limit]
    except Exception:  # a suggestion is a courtesy: never a second error on the error page
        log.warning("no suggestions for %s", request.path, exc_info=True)
        return []


# Words of our own addresses, not of the data.
_PATH_WORDS = {"dataset", "resource", "download", "group", "organization", "admin", "api", "action", "user",
               "csv", "json", "xlsx", "html", "php", "index", "static", "www"}


def init_app(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def _not_found(exc):
        return _page(404, str(exc.message) or _("Page not found."))

    @app.errorhandler(NotAuthorized)
    def _forbidden(exc):
        return _page(403, str(exc.message) or _("You are not allowed to do this."))

    @app.errorhandler(ValidationError)
    def _invalid(exc):
        return _page(400, "; ".join(m for ms in exc.errors.values() for m in ms))

    @app.errorhandler(Unavailable)
    def _unavailable(exc):  # a stored file is missing or damaged: logged for the operator
        body, code = _page(503, str(exc.message))
        return body, code, {"Retry-After": "3600"}

    @app.errorhandler(Throttled)
    def _throttled(exc):
        body, code = _page(429, str(exc.message))
        return body, code, {"Retry-After": str(exc.retry_after)}

    @app.errorhandler(BadQuery)
    def _bad_table_query(exc):  # a filter, sort or page link a table cannot answer
        return _page(400, str(exc))

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _page(400, _("The form has expired or was not sent from this site. Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(exc):
        messages = {
            404: _("Page not found."),
            405: _("This action is not allowed here."),
            413: _("The file is too large."),
            429: _("Too many requests. Wait a little and try again."),
            400: _("The request could not be understood."),
            401: _("Log in first."),
            403: _("You are not allowed to do this."),
            414: _("The address is too long."),
            416: _("That part of the file does not exist: download it again from the start."),
            431: _("The request is too large."),
        }
        # werkzeug's own description is English: a code without a message of ours gets a general one
        general = _("The request could not be answered.") if (exc.code or 500) < 500 else _(
            "Something went wrong on our side. Nothing you sent was lost; please try again.")
        return _page(exc.code or 500, messages.get(exc.code, general))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unexpected error on %s", request.path)
        return _page(500, _("Something went wrong on our side. Nothing you sent was lost; please try again."))
