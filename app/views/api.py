"""The CKAN-compatible Action API (`/api/3/action/<name>`): a thin door over the services."""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..extensions import csrf

bp = Blueprint("api", __name__)
# Token-authenticated JSON clients send no CSRF token; exempt at import time, never per request.
csrf.exempt(bp)


@bp.route("/api/3/action/status_show")
@bp.route("/api/action/status_show")
def status_show():
    return jsonify({"help": "status_show", "success": True,
                    "result": {"ckan_version": "2.10.0", "site_title": "Portal Data Sosial NTB",
                               "extensions": ["datastore"]}})
