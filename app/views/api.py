"""The CKAN-compatible Action API (`/api/3/action/<name>`), linked data and the API docs: a thin
door over the services (app/api/ translates parameters and shapes)."""
from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..api import datapackage, dcat, openapi
from ..api.actions import ACTIONS, Call
from ..api.envelope import BadRequest, SearchQueryError, error, help_url, ok
from ..extensions import csrf
from ..services import catalog, datasets, resources, tables, unit_of_work, users
from ..services.errors import NotAuthorized, ServiceError, ValidationError
from .requests import actor, base_url

log = logging.getLogger("portal.api")

bp = Blueprint("api", __name__)
# Token-authenticated JSON clients send no CSRF token; exempt at import time, never per request.
csrf.exempt(bp)


def _raw_token() -> str | None:
    """The API token of the request: `Authorization` (raw or Bearer) or `X-CKAN-API-Key`."""
    header = request.headers.get("Authorization", "").strip()
    if header.lower().startswith("basic "):  # a proxy's password, not ours
        header = ""
    if header.lower().startswith("bearer "):
        header = header[7:].strip()
    return header or request.headers.get("X-CKAN-API-Key", "").strip() or None


def _authenticate() -> bool:
    """Set g.api_user from the token; True when the request carries a valid token.

    :raises NotAuthorized: a token was sent but is unknown, revoked or its user inactive.
    """
    raw = _raw_token()
    if raw is None:
        return False
    user = users.user_for_token(raw)
    if user is None:
        raise NotAuthorized("the API token is not valid (unknown or revoked)")
    g.api_user = user
    return True


def _mixed(multi) -> dict[str, Any]:
    """CKAN's reading of form and query parameters: one value as a string, several as a list."""
    out: dict[str, Any] = {}
    for key, values in multi.to_dict(flat=False).items():
        out[key] = values[0] if len(values) == 1 else values
    return out


def _request_data() -> dict[str, Any]:
    data: dict[str, Any] = {}
    if request.method == "POST":
        if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = request.form
            keys = list(form.keys())
            if len(keys) == 1 and form.get(keys[0]) in ("1", "") and keys[0].lstrip().startswith("{"):
                data = _json_body(keys[0])  # old clients post the JSON as a form key
            else:
                data = _mixed(form)
            for name, upload in request.files.items():
                data[name] = upload
        else:
            raw = request.get_data(cache=True, as_text=True)
            if raw.strip():
                data = _json_body(raw)
    for key, value in _mixed(request.args).items():
        data.setdefault(key, value)
    return data


def _json_body(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise BadRequest("JSON Error", f"Error decoding JSON data. Error: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("JSON Error", f"Request data JSON decoded to {body!r} but it needs to be a dictionary.")
    return body


@bp.route("/api/3/action/<name>", methods=["GET", "POST"])
@bp.route("/api/action/<name>", methods=["GET", "POST"])
def action(name: str):
    """Run one CKAN action and answer in CKAN's envelope."""
    help = help_url(base_url(), name)
    try:
        act = ACTIONS.get(name)
        if act is None:
            raise BadRequest("Action name not known", name)
        via_token = _authenticate()
        if act.write and request.method != "POST":
            raise BadRequest("JSON Error", "Invalid request. Please use POST method for your request")
        try:
            data = _request_data()
        except RequestEntityTooLarge:
            raise ValidationError({"upload": ["The file is too large."]}) from None
        return ok(help, act.func(Call(actor(), data, base_url(), via_token, request.remote_addr or "unknown")))
    except (ServiceError, SearchQueryError, BadRequest) as exc:
        unit_of_work.abandon()
        log.info("API %s refused: %s", name, type(exc).__name__)
        return error(help, exc)
    except HTTPException as exc:
        return error(help, BadRequest(exc.name, exc.description or ""))
    except Exception as exc:  # noqa: BLE001 - answered in the envelope, logged with its trace
        unit_of_work.abandon()
        log.exception("API %s failed", name)
        return error(help, exc)


@bp.route("/api")
@bp.route("/api/")
def docs():
    """The API documentation page."""
    return render_template("api_docs.html", actions=sorted(ACTIONS.values(), key=lambda a: (a.write, a.name)),
                           base=base_url())


@bp.route("/api/3")
def api_version():
    return jsonify({"version": 3})


@bp.route("/api/openapi.json")
def openapi_json():
    return jsonify(openapi.document(base_url()))


# -- linked data -------------------------------------------------------------------------------

def _public_datasets() -> list:
    """Every public dataset, through the same catalogue query the API uses (drafts never)."""
    return catalog.every_public()


def _rdf(graph, fmt: str) -> Response:
    if fmt == "ttl":
        return Response(graph.serialize(format="turtle"), content_type="text/turtle; charset=utf-8")
    return Response(graph.serialize(format="json-ld", context=dcat.CONTEXT, indent=2),
                    content_type="application/ld+json; charset=utf-8")


def _linked_data_guard():
    """Linked data reads as the token's user when a token is sent, else as the visitor."""
    try:
        _authenticate()
    except NotAuthorized as exc:
        return Response(json.dumps({"error": str(exc.message)}), status=403, content_type="application/json")
    return None


@bp.route("/catalog.jsonld", defaults={"fmt": "jsonld"})
@bp.route("/catalog.ttl", defaults={"fmt": "ttl"})
def catalog_rdf(fmt: str):
    """The whole public catalogue in DCAT-AP."""
    packages = datasets.packages(_public_datasets(), base_url())
    return _rdf(dcat.catalog_graph(packages, base_url()), fmt)


@bp.route("/dataset/<name>.jsonld", defaults={"fmt": "jsonld"})
@bp.route("/dataset/<name>.ttl", defaults={"fmt": "ttl"})
def dataset_rdf(name: str, fmt: str):
    """One dataset in DCAT-AP."""
    refused = _linked_data_guard()
    if refused is not None:
        return refused
    ds = datasets.show(actor(), name)
    return _rdf(dcat.dataset_graph(datasets.package(ds, base_url()), base_url()), fmt)


@bp.route("/dataset/<name>/datapackage.json")
def dataset_datapackage(name: str):
    """One dataset as a Frictionless Tabular Data Package (data read from our CSV downloads)."""
    refused = _linked_data_guard()
    if refused is not None:
        return refused
    ds = datasets.show(actor(), name)
    pkg = datasets.package(ds, base_url())
    suppression = {}
    for res in pkg["resources"]:
        version = resources.show(actor(), res["id"], dataset=ds)
        hidden = tables.hidden_columns(actor(), version)
        if hidden:
            suppression[res["id"]] = (tables.HIDDEN_SYMBOL, hidden)
    return jsonify(datapackage.descriptor(pkg, suppression))
