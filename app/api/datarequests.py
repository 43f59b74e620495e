"""ckanext-datarequests' actions over the PPID's register of information requests (UU 14/2008).

The names, parameters and dict shapes follow the extension as it registers them today
(create/show/list/close_datarequest, comment_datarequest, list_datarequest_comments), so a
client written for a CKAN portal with data requests works here; our own fields (the register
number, the status, the legal due date, the extension) are added beside CKAN's.

A data request's `id` is its register number (PPID-2026-000001): the number the requester
receives, the letters quote and the public register shows. The internal uuid is accepted too.
The requester's name and contact never appear in any answer, whoever asks.
"""
from __future__ import annotations

from typing import Any

from flask import url_for

from ..models import InfoRequest
from ..schemas import ckan_time
from ..services import datasets, info_requests
from ..services.errors import NotFound, ValidationError
from . import params
from .actions import Call, Param, _require_token, _required, action

LIMIT_DEFAULT, LIMIT_MAX = 10, 1000


def _link_for(number: str, token: str) -> str:
    """The requester's private tracking link (with the token), or the inbox's (without)."""
    if token:
        return url_for("ppid.track", number=number, t=token, _external=True)
    return url_for("inbox.item", number=number, _external=True)


def _text(data: dict[str, Any], key: str) -> str:
    """A text parameter: a string or nothing (a JSON list or object here is a client's mistake)."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationError({key: ["Must be a string"]})
    return str(value)


def _organization(req: InfoRequest) -> dict[str, Any] | None:
    org = req.organization
    if org is None:
        return None
    return {"id": org.id, "name": org.name, "title": org.title, "display_name": org.title,
            "type": "organization", "is_organization": True}


def _accepted_dataset(req: InfoRequest, base_url: str) -> dict[str, Any] | None:
    if not req.answer_dataset_id:
        return None
    try:
        ds = datasets.show(None, req.answer_dataset_id)  # what the public may see of it
    except NotFound:
        return None
    return datasets.package(ds, base_url) if ds.is_public else None


def _datarequest(req: InfoRequest, base_url: str) -> dict[str, Any]:
    """A request as ckanext-datarequests' dict, with the register's own fields after CKAN's."""
    entry = info_requests.public_view(req)  # masked texts; never the requester's name or contact
    closed = info_requests.is_finished(req)
    accepted = _accepted_dataset(req, base_url)
    return {
        # ckanext-datarequests' keys
        "id": req.number,
        "user_id": None,  # requesters have no account; who they are is not public
        "user": None,
        "title": entry["subject"],
        "description": entry["description"],
        "organization_id": req.organization_id,
        "organization": _organization(req),
        "open_time": ckan_time(req.received),
        "accepted_dataset_id": accepted["id"] if accepted else None,
        "accepted_dataset": accepted,
        "close_time": ckan_time(req.closed) if closed else None,
        "closed": closed,
        "close_circumstance": info_requests.STATUS_WORDS.get(req.status) if closed else None,
        "approx_publishing_date": None,
        "followers": 0,
        "comments_count": len(info_requests.office_notes(req)),
        # the register's
        "number": req.number,
        "status": req.status,
        "status_label": info_requests.STATUS_WORDS.get(req.status, req.status),
        "is_public": req.is_public,
        "due": ckan_time(req.due),
        "current_due": ckan_time(info_requests.current_due(req)),
        "extended": bool(req.extended_reason),
        "extended_reason": entry["extended_reason"] or None,
        "reply": entry["reply"] or None,
        "refusal_ground": entry["refusal_ground"],
        "refusal_ground_label": str(info_requests.EXEMPTIONS[req.refusal_ground]) if req.refusal_ground in info_requests.EXEMPTIONS else None,
        "consequence_test": entry["consequence_test"] or None,
        "holder": entry["holder"] or None,
        "objection_ground": entry["objection_ground"],
        "objection_filed": ckan_time(req.objection_filed),
        "objection_due": ckan_time(req.objection_due),
        "objection_answer": entry["objection_answer"] or None,
        "register_url": f"{base_url}/permintaan/daftar/{req.number}" if req.is_public else None,
    }


def _comment(req: InfoRequest, note: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(note["id"]),
        "datarequest_id": req.number,
        "user_id": None,  # the office answers as the office, not as one of its staff
        "user": None,
        "time": ckan_time(note["timestamp"]),
        "comment": note["note"],
        "status": note["status"],
    }


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's field names as this action's parameters."""
    return ValidationError({names.get(k, k): v for k, v in exc.errors.items()})


CREATE_NAMES = {"subject": "title", "name": "requester_name", "contact": "requester_contact"}


@action("create_datarequest", write=True, token=False, params=[
    Param("title", description="What is asked for, in brief (5-300 characters).", required=True),
    Param("description", description="Details (at most 5,000 characters)."),
    Param("organization_id", description="The organization (bidang) that holds it, by id or name; else the PPID assigns it."),
    Param("requester_name", description="Your name (UU 14/2008 Pasal 22). Never shown, never returned.", required=True),
    Param("requester_contact", description="Your e-mail address or phone number, for the answer. Never shown, never returned.",
          required=True),
    Param("purpose", description="Why you ask (UU 14/2008 Pasal 22)."),
    Param("delivery", description="email (default), pickup or post."),
    Param("is_public", "boolean", "In the public register (default true); false: only its handlers read it."),
])
def create_datarequest(call: Call) -> dict[str, Any]:
    """File an information request under UU 14/2008; no account or token needed.

    Returns the data request dict (its `id` is the register number) and, once, `tracking_url`:
    the requester's private link to follow it and, if need be, to object. An e-mail address as
    `requester_contact` also receives that link and every step. The answer is due within 10
    working days. Limited per address like the web form (a Validation Error when exceeded).
    """
    data = call.data
    form = {"kind": "request", "subject": _text(data, "title"), "description": _text(data, "description"),
            "purpose": _text(data, "purpose"), "delivery": _text(data, "delivery") or "email",
            "name": _text(data, "requester_name"), "contact": _text(data, "requester_contact"),
            "is_public": params.boolean(data, "is_public", True)}
    try:
        filed = info_requests.submit(form, call.address, _link_for,
                                     organization=_text(data, "organization_id") or None)
    except ValidationError as exc:
        raise _renamed(exc, CREATE_NAMES) from None
    result = _datarequest(filed.request, call.base_url)
    result["tracking_url"] = _link_for(filed.request.number, filed.tracking_token)
    return result


@action("show_datarequest", params=[Param("id", description="The register number (PPID-2026-000001) or the id.",
                                          required=True)])
def show_datarequest(call: Call) -> dict[str, Any]:
    """Return an information request as a data request dict (by register number or id).

    Requests in the public register are open to everyone; a handler's token (the PPID, or an
    admin of the request's organization) also reads those kept out of it.
    """
    return _datarequest(info_requests.readable_request(call.actor, _required(call.data, "id")), call.base_url)


@action("list_datarequests", params=[
    Param("organization_id", description="Only this organization's, by id or name."),
    Param("closed", "boolean", "true: only closed (answered) ones; false: only open ones."),
    Param("status", description="Only this status: diterima, diproses, diperpanjang, dipenuhi, ditolak, "
                                "tidak_dikuasai, diteruskan, keberatan, sengketa."),
    Param("q", description="Words in the title or description."),
    Param("sort", description="asc (default, oldest first) or desc."),
    Param("offset", "integer", "Skip this many (default 0)."),
    Param("limit", "integer", f"How many (default {LIMIT_DEFAULT}, at most {LIMIT_MAX})."),
])
def list_datarequests(call: Call) -> dict[str, Any]:
    """List information requests; returns count, result (data request dicts) and facets.

    `facets` counts every match by `organization`, `state` (open, closed) and `status`, each
    as {"items": [{"name", "display_name", "count"}]}, and leaves out an empty facet, as
    ckanext-datarequests does. Everyone lists the public register; a handler's token also
    lists the requests it handles that were kept out of it.
    """
    data = call.data
    sort = _text(data, "sort").strip().lower() or "asc"
    if sort not in ("asc", "desc"):
        raise ValidationError({"sort": ["Must be asc or desc"]})
    status = _text(data, "status").strip() or None
    if status is not None and status not in info_requests.STATUS_WORDS:
        raise ValidationError({"status": ["Unknown status"]})
    closed = params.boolean(data, "closed", None)
    found = info_requests.find_requests(
        call.actor, organization=_text(data, "organization_id").strip() or None, closed=closed, status=status,
        q=_text(data, "q"), desc=sort == "desc", offset=params.integer(data, "offset", 0),
        limit=params.integer(data, "limit", LIMIT_DEFAULT, cap=LIMIT_MAX))
    facets: dict[str, Any] = {}
    if found.organizations:
        facets["organization"] = {"items": [{"name": o.name, "display_name": o.title, "count": n}
                                            for o, n in found.organizations]}
    states = [{"name": k, "display_name": k.capitalize(), "count": n} for k, n in found.states.items() if n]
    if states:
        facets["state"] = {"items": states}
    if found.statuses:
        facets["status"] = {"items": [{"name": k, "display_name": info_requests.STATUS_WORDS.get(k, k), "count": n}
                                      for k, n in sorted(found.statuses.items(), key=lambda p: (-p[1], p[0]))]}
    return {"count": found.count, "facets": facets, "result": [_datarequest(r, call.base_url) for r in found.rows]}


CLOSE_NAMES = {"dataset": "accepted_dataset_id"}


@action("close_datarequest", write=True, params=[
    Param("id", description="The register number or the id.", required=True),
    Param("accepted_dataset_id", description="The published, public dataset that answers it (id or name)."),
    Param("reply", description="The answer to the requester (needed without accepted_dataset_id)."),
    Param("outcome", description="fulfil (default), refuse, not_held or forward."),
    Param("ground", description="refuse: the Pasal 17 exemption, a to j."),
    Param("consequence_test", description="refuse: the harm disclosure would cause, and why it outweighs the "
                                          "public interest."),
    Param("holder", description="not_held, forward: the body that holds the information."),
])
def close_datarequest(call: Call) -> dict[str, Any]:
    """Close an information request: fulfil it with a published dataset (`accepted_dataset_id`)
    and/or a `reply`, or refuse it / answer not held / passed on (`outcome`).

    The same step as in the inbox: it goes into the public register's history and the
    requester is told by e-mail. Needs the API token of the PPID or of an admin of the
    request's organization. A closed request cannot be closed again.
    """
    _require_token(call)
    data = call.data
    ref = _required(data, "id")
    form = {"reply": _text(data, "reply"), "dataset": _text(data, "accepted_dataset_id"),
            "ground": _text(data, "ground"), "consequence_test": _text(data, "consequence_test"),
            "holder": _text(data, "holder")}
    outcome = _text(data, "outcome").strip() or "fulfil"
    try:
        req = info_requests.close(call.actor, ref, outcome, form, _link_for)
    except ValidationError as exc:
        raise _renamed(exc, CLOSE_NAMES) from None
    return _datarequest(req, call.base_url)


@action("comment_datarequest", write=True, params=[
    Param("datarequest_id", description="The register number or the id.", required=True),
    Param("comment", description="The office's public note (at most 5,000 characters).", required=True),
])
def comment_datarequest(call: Call) -> dict[str, Any]:
    """Add the office's public note to an information request; its status is unchanged.

    The note is in the public register (personal data in it masked) and is e-mailed to the
    requester. Needs the API token of the PPID or of an admin of the request's organization:
    the public writes to the office through the request form, not here.
    """
    _require_token(call)
    ref = _required(call.data, "datarequest_id", "id")
    note = info_requests.add_note(call.actor, ref, call.data.get("comment"))
    return _comment(info_requests.readable_request(call.actor, ref), note)


@action("list_datarequest_comments", params=[
    Param("datarequest_id", description="The register number or the id.", required=True),
    Param("sort", description="asc (default, oldest first) or desc."),
])
def list_datarequest_comments(call: Call) -> list[dict[str, Any]]:
    """List the office's public notes on an information request: its replies, the reason of an
    extension, its comments (masked as in the public register)."""
    req = info_requests.readable_request(call.actor, _required(call.data, "datarequest_id", "id"))
    sort = _text(call.data, "sort").strip().lower() or "asc"
    if sort not in ("asc", "desc"):
        raise ValidationError({"sort": ["Must be asc or desc"]})
    notes = info_requests.office_notes(req)
    if sort == "desc":
        notes = list(reversed(notes))
    return [_comment(req, n) for n in notes]
