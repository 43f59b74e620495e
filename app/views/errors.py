"""Map service errors and HTTP errors to pages (the API maps its own to CKAN's shapes)."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..services.errors import NotAuthorized, NotFound, Throttled, Unavailable, ValidationError
from ..services.tables import BadQuery

log = logging.getLogger("portal.errors")


def _page(code: int, message: str):
    return render_template("error.html", code=code, message=message), code


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
        }
        return _page(exc.code or 500, messages.get(exc.code, exc.description))

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unexpected error on %s", request.path)
        return _page(500, _("Something went wrong on our side. Nothing you sent was lost; please try again."))
