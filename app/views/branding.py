"""The office's logo, at one address whatever file it comes from (services.branding)."""
from __future__ import annotations

from flask import Blueprint, send_file, url_for

from ..services import branding

bp = Blueprint("branding", __name__)

# The logo is shown with <img> only, where an SVG's scripts never run; opened on its own, this policy still
# runs nothing and loads nothing (sandbox, no script, no external resource) and the type is never guessed.
LOGO_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"


@bp.route("/logo")
def logo():
    found = branding.current_logo()
    response = send_file(found.path, mimetype=found.mimetype, max_age=86400, conditional=True)
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline; filename=logo" + found.path.suffix.lower()
    return response


def logo_url() -> str:
    """The logo's address, changed whenever the file is (the browser may keep it a day)."""
    return url_for("branding.logo", v=branding.current_logo().version)
