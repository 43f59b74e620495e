"""The OpenAPI 3.0 description of the Action API and the linked-data URLs, from the action registry."""
from __future__ import annotations

from typing import Any

from .actions import ACTIONS, CKAN_VERSION, Action, Param

_SCHEMAS = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "array": {"type": "array", "items": {"type": "string"}},
    "object": {"type": "object"},
    "file": {"type": "string", "format": "binary"},
}


def _query_param(p: Param) -> dict[str, Any]:
    schema = dict(_SCHEMAS[p.type])
    if p.type in ("array", "object"):
        # In a query string, lists and objects are JSON text.
        schema = {"type": "string", "description": f"JSON {p.type}"}
    return {"name": p.name, "in": "query", "required": p.required, "description": p.description or p.name,
            "schema": schema}


def _body_schema(act: Action) -> dict[str, Any]:
    props = {p.name: {**_SCHEMAS[p.type], "description": p.description or p.name} for p in act.params}
    schema: dict[str, Any] = {"type": "object", "properties": props}
    required = [p.name for p in act.params if p.required]
    if required:
        schema["required"] = required
    return schema


def _responses() -> dict[str, Any]:
    def err(description: str) -> dict[str, Any]:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}

    return {
        "200": {"description": "Success",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SuccessEnvelope"}}}},
        "400": err("Bad request, unknown action or Search Query Error"),
        "403": err("Authorization Error"),
        "404": err("Not Found Error"),
        "409": err("Validation Error (one key per invalid field)"),
    }


def _operation(act: Action, method: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{act.name}_{method}",
        "summary": act.summary,
        "description": act.doc,
        "tags": ["write" if act.write else "read"],
        "responses": _responses(),
    }
    if method == "get":
        op["parameters"] = [_query_param(p) for p in act.params]
    else:
        content: dict[str, Any] = {"application/json": {"schema": _body_schema(act)}}
        if any(p.type == "file" for p in act.params):
            content = {"multipart/form-data": {"schema": _body_schema(act)}}
        op["requestBody"] = {"required": any(p.required for p in act.params), "content": content}
    if act.needs_token:
        op["security"] = [{"ApiToken": []}, {"CkanApiKey": []}]
    return op


def _plain(summary: str, content_type: str) -> dict[str, Any]:
    return {"get": {"summary": summary, "operationId": summary.lower().replace(" ", "_").replace("-", "_"),
                    "responses": {"200": {"description": summary, "content": {content_type: {"schema": {}}}}}}}


def _with_name(op: dict[str, Any]) -> dict[str, Any]:
    op["get"]["parameters"] = [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "The dataset's name"}]
    op["get"]["responses"]["404"] = {"description": "No such dataset"}
    return op


def document(base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.0.3 document."""
    paths: dict[str, Any] = {}
    for act in sorted(ACTIONS.values(), key=lambda a: a.name):
        item: dict[str, Any] = {"post": _operation(act, "post")}
        if not act.write:
            item["get"] = _operation(act, "get")
        paths[f"/api/3/action/{act.name}"] = item
    paths["/catalog.jsonld"] = _plain("DCAT-AP catalogue in JSON-LD", "application/ld+json")
    paths["/catalog.ttl"] = _plain("DCAT-AP catalogue in Turtle", "text/turtle")
    paths["/dataset/{name}.jsonld"] = _with_name(_plain("DCAT-AP dataset in JSON-LD", "application/ld+json"))
    paths["/dataset/{name}.ttl"] = _with_name(_plain("DCAT-AP dataset in Turtle", "text/turtle"))
    paths["/dataset/{name}/datapackage.json"] = _with_name(_plain("Frictionless Data Package", "application/json"))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Portal Data Sosial NTB API",
            "version": CKAN_VERSION,
            "description": "A CKAN-compatible Action API (ckanapi, the CKAN harvester and uData work unchanged), "
                           "plus DCAT-AP and Frictionless Data Package descriptions. Read actions accept GET "
                           "(query string) and POST (JSON); write actions need POST and an API token.",
        },
        "servers": [{"url": base_url or "/"}],
        "tags": [{"name": "read", "description": "Open to everyone"},
                 {"name": "write", "description": "Needs an API token (Admin > API tokens)"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "ApiToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                             "description": "The token, raw or as `Bearer <token>`"},
                "CkanApiKey": {"type": "apiKey", "in": "header", "name": "X-CKAN-API-Key"},
            },
            "schemas": {
                "SuccessEnvelope": {
                    "type": "object", "required": ["help", "success", "result"],
                    "properties": {"help": {"type": "string"}, "success": {"type": "boolean"},
                                   "result": {"nullable": True}},
                },
                "ErrorEnvelope": {
                    "type": "object", "required": ["help", "success", "error"],
                    "properties": {
                        "help": {"type": "string"}, "success": {"type": "boolean"},
                        "error": {"type": "object", "required": ["__type"],
                                  "properties": {"__type": {"type": "string"}, "message": {"type": "string"}},
                                  "additionalProperties": True},
                    },
                },
            },
        },
    }
