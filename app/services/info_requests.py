"""Interact: information requests under UU 14/2008 (the PPID's register), comments on datasets and
messages to the office. One inbox; every step on the record; the requester's name and contact
never leave the inbox and are erased a while after the request closes.

The law's clock counts working days (services.working_days): an answer is due 10 working days
after receipt, extendable once by 7; an objection may be filed within 30 working days and is
answered within 30; after that, the requester has 14 working days to go to the Komisi Informasi.
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Callable

from flask import current_app
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as SchemaError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import db, mail
from ..ingest.privacy.masks import mask_prose
from ..models import CLOSED_STATUSES, Dataset, InfoRequest, InfoRequestEvent, Organization, User, utcnow
from ..schemas import InfoRequestInSchema
from . import throttle
from .activity import record
from .errors import NotAuthorized, NotFound, Throttled, ValidationError
from .translate import translate_errors
from .permissions import Actor
from .request_answers import Attachment, answer_file, checked_attachment  # noqa: F401  (the views' names)
from .working_days import add_working_days, working_days_between

log = logging.getLogger("portal.requests")

ANSWER_DAYS, EXTENSION_DAYS = 10, 7
OBJECTION_WINDOW_DAYS, OBJECTION_ANSWER_DAYS, DISPUTE_WINDOW_DAYS = 30, 30, 14
DUE_SOON_DAYS = 2
PREFIXES = {"request": "PPID", "feedback": "MSK", "message": "PSN"}

# UU 14/2008 Pasal 17: the closed list of exemptions a refusal must name.
EXEMPTIONS = {
    "a": _l("a. would obstruct law enforcement"),
    "b": _l("b. would harm intellectual property or fair competition"),
    "c": _l("c. would endanger state defence and security"),
    "d": _l("d. would reveal Indonesia's natural wealth"),
    "e": _l("e. would harm the national economy"),
    "f": _l("f. would harm foreign relations"),
    "g": _l("g. would reveal the contents of a personal authentic deed or last will"),
    "h": _l("h. would reveal personal secrets (personal data)"),
    "i": _l("i. internal memoranda or letters that are secret by their nature"),
    "j": _l("j. information that an act of law says may not be disclosed"),
}
# UU 14/2008 Pasal 35: the grounds of an objection.
OBJECTION_GROUNDS = {
    "refused": _l("the request was refused (Pasal 17)"),
    "no_answer": _l("no answer within the time limit"),
    "not_as_asked": _l("the answer is not what was asked"),
    "not_fulfilled": _l("the request was not fulfilled"),
    "fee": _l("an unreasonable fee"),
    "late": _l("the information was delivered late"),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _deadline(start: datetime, days: int) -> datetime:
    """The end of the working day `days` working days after `start`."""
    return datetime.combine(add_working_days(start.date(), days), time(23, 59, 59))


def _is_email(contact: str | None) -> bool:
    return bool(contact and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact))


def _mask_public(text: str | None) -> str:
    return mask_prose(text or "").strip()


# -- filing --------------------------------------------------------------------------------

@dataclass
class Filed:
    request: InfoRequest
    tracking_token: str  # shown once, in the private tracking link


def submit(form: dict[str, Any], address: str, link_for: Callable[[str, str], str],
           organization: str | None = None) -> Filed:
    """File a request, a comment on a dataset or a message; no account needed.

    `organization` (a name or id; the API's organization_id) sends a request straight to that
    bidang's inbox instead of waiting for the PPID to assign it.

    :raises ValidationError: a field is missing or wrong (messages in the reader's language).
    :raises Throttled: this address sent too many lately.
    """
    try:
        data = InfoRequestInSchema().load(form)
    except SchemaError as exc:
        raise ValidationError(translate_errors(exc.messages)) from None
    if data["website"]:  # the honeypot: a person never sees this field
        raise ValidationError({"_": [_l("The form could not be sent. Reload the page and try again.")]})
    wait = throttle.take("public-form", address, current_app.config.get("PUBLIC_FORM_LIMIT", "5/hour;20/day"))
    if wait:
        raise Throttled(_l("You have sent several messages already. Please wait before sending another."),
                        retry_after=wait)
    s = db.session()
    dataset = None
    if data["dataset"]:
        dataset = s.scalar(select(Dataset).where(Dataset.name == data["dataset"], Dataset.state == "published",
                                                 Dataset.private.is_(False)))
        if dataset is None:
            raise ValidationError({"dataset": [_l("Dataset not found.")]})
    kind = "feedback" if dataset is not None else data["kind"]
    org = None
    if organization:
        org = s.scalar(select(Organization).where((Organization.name == organization) | (Organization.id == organization)))
        if org is None:
            raise ValidationError({"organization_id": [_l("Organization not found.")]})
    token = secrets.token_urlsafe(24)
    now = utcnow()
    for _attempt in range(5):
        req = InfoRequest(
            number=_next_number(s, kind, now), kind=kind, subject=data["subject"], description=data["description"],
            purpose=data["purpose"], delivery=data["delivery"], requester_name=data["name"],
            requester_contact=data["contact"], is_public=data["is_public"] or kind == "feedback",
            public_subject=_mask_public(data["subject"])[:300], public_description=_mask_public(data["description"]),
            tracking_hash=_hash(token), dataset_id=dataset.id if dataset else None,
            organization_id=dataset.organization_id if dataset else (org.id if org else None),
            status="diterima", received=now, due=_deadline(now, ANSWER_DAYS))
        try:
            with db.transaction():
                s.add(req)
                s.flush()
                s.add(InfoRequestEvent(request_id=req.id, status="diterima", timestamp=now))
                record(s, None, "file", "info_request", req.id, dataset_id=req.dataset_id, number=req.number)
            break
        except IntegrityError:  # another request took this number at the same moment
            continue
    else:
        raise ValidationError({"_": [_l("The form could not be sent. Please try again.")]})
    _notify_requester(req, link_for(req.number, token), first=True)
    _notify_handlers(req, link_for(req.number, ""), new=True)
    return Filed(req, token)


def _next_number(s, kind: str, now: datetime) -> str:
    prefix = f"{PREFIXES[kind]}-{now.year}-"
    last = s.scalar(select(func.max(InfoRequest.number)).where(InfoRequest.number.like(prefix + "%")))
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:06d}"


# -- the requester's private view ----------------------------------------------------------

def tracked(number: str, token: str) -> InfoRequest:
    """The request this private tracking link opens.

    :raises NotFound: no such request, or the token is not its own (the same answer either way).
    """
    req = db.session().scalar(select(InfoRequest).where(InfoRequest.number == (number or "")[:30]))
    if req is None or not token or not secrets.compare_digest(req.tracking_hash, _hash(token)):
        raise NotFound(_l("Request not found. Check the link you received."))
    return req


def may_object(req: InfoRequest, now: datetime | None = None) -> bool:
    """Pasal 35-36: after an answer (within 30 working days of it), or once the answer is late."""
    now = now or utcnow()
    if req.kind != "request" or req.objection_filed is not None:
        return False
    if req.closed is not None:
        return working_days_between(req.closed.date(), now.date()) <= OBJECTION_WINDOW_DAYS
    return req.due is not None and now > req.due


def may_dispute(req: InfoRequest, now: datetime | None = None) -> bool:
    """After the superior's answer (within 14 working days of it), or once that answer is late."""
    now = now or utcnow()
    if req.status != "keberatan":
        return False
    if req.objection_answered is not None:
        return working_days_between(req.objection_answered.date(), now.date()) <= DISPUTE_WINDOW_DAYS
    return req.objection_due is not None and now > req.objection_due


def file_objection(number: str, token: str, ground: str, reason: str, link_for: Callable[[str, str], str]) -> InfoRequest:
    req = tracked(number, token)
    if not may_object(req):
        raise ValidationError({"_": [_l("An objection is not possible for this request now.")]})
    if ground not in OBJECTION_GROUNDS:
        raise ValidationError({"ground": [_l("Choose the ground of your objection.")]})
    now = utcnow()
    with db.transaction() as s:
        req.objection_ground = ground
        req.objection_reason = (reason or "")[:5000]
        req.objection_filed = now
        req.objection_due = _deadline(now, OBJECTION_ANSWER_DAYS)
        req.status = "keberatan"
        s.add(InfoRequestEvent(request_id=req.id, status="keberatan", note=str(OBJECTION_GROUNDS[ground])))
        record(s, None, "object", "info_request", req.id, number=req.number, ground=ground)
    _notify_requester(req, link_for(req.number, token))
    _notify_handlers(req, link_for(req.number, ""), new=True, sysadmins_only=True)
    return req


def record_dispute(number: str, token: str) -> InfoRequest:
    """The requester took it to the Komisi Informasi: the register says 'sengketa'."""
    req = tracked(number, token)
    if not may_dispute(req):
        raise ValidationError({"_": [_l("A dispute can be recorded only after the answer to your objection, "
                                         "within 14 working days.")]})
    with db.transaction() as s:
        req.status = "sengketa"
        s.add(InfoRequestEvent(request_id=req.id, status="sengketa"))
        record(s, None, "dispute", "info_request", req.id, number=req.number)
    return req


# -- the public register -------------------------------------------------------------------

def register(kind: str = "request", status: str | None = None, page: int = 1, per_page: int = 25):
    """The requests the requesters allowed to be public, newest first: (rows, total)."""
    stmt = select(InfoRequest).where(InfoRequest.is_public.is_(True), InfoRequest.kind == kind)
    if status:
        stmt = stmt.where(InfoRequest.status == status)
    s = db.session()
    total = s.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = s.scalars(stmt.order_by(InfoRequest.received.desc(), InfoRequest.number.desc())
                     .offset((max(1, page) - 1) * per_page).limit(per_page))
    return [public_view(r) for r in rows], total


def public_entry(number: str) -> dict[str, Any]:
    req = db.session().scalar(select(InfoRequest).where(InfoRequest.number == (number or "")[:30],
                                                        InfoRequest.is_public.is_(True)))
    if req is None:
        raise NotFound(_l("Request not found."))
    return public_view(req)


def public_view(req: InfoRequest) -> dict[str, Any]:
    """What anyone may see of a request: never the requester's name or contact, and everything
    typed by a person masked (identifiers, phone numbers, e-mail addresses, names)."""
    answer = db.session().get(Dataset, req.answer_dataset_id) if req.answer_dataset_id else None
    return {
        "number": req.number, "kind": req.kind, "subject": req.public_subject,
        "description": req.public_description, "status": req.status, "received": req.received,
        "due": req.due, "closed": req.closed, "extended_reason": _mask_public(req.extended_reason),
        "reply": _mask_public(req.reply), "refusal_ground": req.refusal_ground,
        "consequence_test": _mask_public(req.consequence_test), "holder": _mask_public(req.holder),
        "answer_dataset": {"name": answer.name, "title": answer.title} if answer is not None and answer.is_public else None,
        "has_attachment": bool(req.answer_filename),
        "objection_ground": req.objection_ground, "objection_filed": req.objection_filed,
        "objection_due": req.objection_due, "objection_answer": _mask_public(req.objection_answer),
        "organization": req.organization.title if req.organization else None,
        "events": [{"timestamp": e.timestamp, "status": e.status, "note": _mask_public(e.note)} for e in req.events],
    }


def dataset_feedback(dataset_id: str) -> list[dict[str, Any]]:
    """The comments on a dataset that the office has answered, for its page."""
    stmt = (select(InfoRequest).where(InfoRequest.dataset_id == dataset_id, InfoRequest.kind == "feedback",
                                      InfoRequest.reply.is_not(None), InfoRequest.is_public.is_(True))
            .order_by(InfoRequest.received.desc()).limit(20))
    return [public_view(r) for r in db.session().scalars(stmt)]


# -- the inbox -----------------------------------------------------------------------------

def can_handle(actor: Actor, req: InfoRequest) -> bool:
    """Sysadmins (the PPID and its superior) handle everything; an organization admin what is
    assigned to their bidang."""
    if not (actor and actor.active):
        return False
    if actor.is_sysadmin:
        return True
    return actor.role == "org_admin" and req.organization_id is not None and req.organization_id == actor.organization_id


def _require_inbox(actor: Actor) -> None:
    if not (actor and actor.active and actor.role in ("sysadmin", "org_admin")):
        raise NotAuthorized(_l("Only the PPID and organization admins see the requests."))


def inbox(actor: Actor, show: str = "open") -> list[InfoRequest]:
    """The actor's requests by due date, the most urgent first ("open", "closed" or "all")."""
    _require_inbox(actor)
    stmt = select(InfoRequest)
    if not actor.is_sysadmin:
        stmt = stmt.where(InfoRequest.organization_id == actor.organization_id)
    if show == "open":
        stmt = stmt.where(InfoRequest.status.not_in(CLOSED_STATUSES), InfoRequest.status != "sengketa")
    elif show == "closed":
        stmt = stmt.where(InfoRequest.status.in_(CLOSED_STATUSES + ("sengketa",)))
    rows = list(db.session().scalars(stmt.order_by(InfoRequest.received)))
    return sorted(rows, key=lambda r: (current_due(r) or datetime.max))


def current_due(req: InfoRequest) -> datetime | None:
    """What the office must answer next, and by when: the objection's answer, else the request's."""
    if req.status == "keberatan" and req.objection_answered is None:
        return req.objection_due
    return req.due if req.is_open else None


def urgency(req: InfoRequest, now: datetime | None = None) -> str | None:
    """'overdue', 'soon' (within 2 working days) or None."""
    due = current_due(req)
    if due is None:
        return None
    now = now or utcnow()
    if now > due:
        return "overdue"
    if working_days_between(now.date(), due.date()) <= DUE_SOON_DAYS:
        return "soon"
    return None


def for_handler(actor: Actor, number: str) -> InfoRequest:
    _require_inbox(actor)
    req = db.session().scalar(select(InfoRequest).where(InfoRequest.number == (number or "")[:30]))
    if req is None or not can_handle(actor, req):
        raise NotFound(_l("Request not found."))
    return req


def _text(form: dict[str, Any], key: str, *, required_message=None, limit: int = 5000) -> str:
    value = (form.get(key) or "").strip()[:limit]
    if required_message and not value:
        raise ValidationError({key: [required_message]})
    return value


def act(actor: Actor, number: str, action: str, form: dict[str, Any],
        link_for: Callable[[str, str], str], attachment: Attachment | None = None) -> InfoRequest:
    """One step of the PPID's work on a request; each goes into the register's history and the
    activity log, and the requester is told by e-mail when they gave an address."""
    req = for_handler(actor, number)
    now = utcnow()
    note = ""
    closes = False
    if action == "assign":
        org = db.session().scalar(select(Organization).where(Organization.name == form.get("organization")))
        if org is None:
            raise ValidationError({"organization": [_l("Choose an organization.")]})
        if not actor.is_sysadmin:
            raise NotAuthorized(_l("Only the PPID assigns requests."))
        req.organization_id = org.id
        status = req.status if req.status != "diterima" else "diproses"
        note = str(_l("Assigned to %(org)s.", org=org.title))
    elif action == "process":
        status = "diproses"
        note = _text(form, "note", limit=2000)
    elif action == "extend":
        if req.kind != "request" or req.extended_reason or not req.is_open or req.status == "keberatan":
            raise ValidationError({"_": [_l("A request can be extended once, while it is open.")]})
        reason = _text(form, "reason", required_message=_l("Write the reason for the extension (Pasal 22 ayat 8)."))
        req.extended_reason = reason
        req.due = _deadline(req.due or now, EXTENSION_DAYS)
        status, note = "diperpanjang", reason
    elif action == "fulfil":
        reply = _text(form, "reply", required_message=_l("Write the answer, or say where the data is."))
        if attachment is not None and (attachment.filename or attachment.data):
            req.answer_filename, req.answer_type, req.answer_file = checked_attachment(attachment)
        dataset_name = (form.get("dataset") or "").strip()
        if dataset_name:
            ds = db.session().scalar(select(Dataset).where((Dataset.name == dataset_name) | (Dataset.id == dataset_name)))
            if ds is None or not ds.is_public:
                raise ValidationError({"dataset": [_l("Link a published, public dataset.")]})
            req.answer_dataset_id = ds.id
        req.reply = reply
        status, note, closes = "dipenuhi", reply, True
    elif action == "refuse":
        ground = form.get("ground") or ""
        if ground not in EXEMPTIONS:
            raise ValidationError({"ground": [_l("Choose the exemption of Pasal 17 that applies.")]})
        test = _text(form, "consequence_test", required_message=_l(
            "Write the consequence test: what harm disclosure would cause, and why it outweighs the public interest."))
        req.refusal_ground, req.consequence_test = ground, test
        req.reply = _text(form, "reply", limit=5000) or None
        status, note, closes = "ditolak", str(EXEMPTIONS[ground]), True
    elif action in ("not_held", "forward"):
        holder = _text(form, "holder", required_message=_l("Say which body holds this information."), limit=300)
        req.holder = holder
        req.reply = _text(form, "reply", limit=5000) or None
        status = "tidak_dikuasai" if action == "not_held" else "diteruskan"
        note, closes = holder, True
    elif action == "reply":
        if req.kind == "request":
            raise ValidationError({"_": [_l("Answer an information request by fulfilling or refusing it.")]})
        req.reply = _text(form, "reply", required_message=_l("Write the answer."))
        status, note, closes = "dijawab", req.reply, True
    elif action == "answer_objection":
        if not actor.is_sysadmin or req.status != "keberatan" or req.objection_answered is not None:
            raise ValidationError({"_": [_l("Only the PPID's superior answers an open objection.")]})
        req.objection_answer = _text(form, "answer", required_message=_l("Write the answer to the objection."))
        req.objection_answered = now
        status, note = "keberatan", req.objection_answer
    else:
        raise ValidationError({"_": [_l("Unknown action.")]})
    with db.transaction() as s:
        req.status = status
        if closes:
            req.closed = now
        s.add(InfoRequestEvent(request_id=req.id, status=status, note=note[:5000], user_id=actor.id))
        record(s, actor, f"request_{action}", "info_request", req.id, dataset_id=req.dataset_id, number=req.number)
    _notify_requester(req, None)
    if action == "assign":
        _notify_handlers(req, link_for(req.number, ""), new=True)
    return req


# -- information requests as data requests (the API's ckanext-datarequests actions) --------

# Out of the office's hands: answered, or before the Komisi Informasi (the inbox's "closed").
FINISHED = CLOSED_STATUSES + ("sengketa",)
CLOSE_OUTCOMES = ("fulfil", "refuse", "not_held", "forward")


def is_finished(req: InfoRequest) -> bool:
    return req.status in FINISHED


def _readable_by(actor: Actor):
    """Which information requests `actor` may read: the public register's, and those it handles
    (a request kept out of the register is still its handlers' business)."""
    register_entry = (InfoRequest.kind == "request") & InfoRequest.is_public.is_(True)
    if not (actor and actor.active):
        return register_entry
    if actor.is_sysadmin:
        return InfoRequest.kind == "request"
    if actor.role == "org_admin" and actor.organization_id is not None:
        return (InfoRequest.kind == "request") & (
            InfoRequest.is_public.is_(True) | (InfoRequest.organization_id == actor.organization_id))
    return register_entry


@dataclass
class Found:
    rows: list[InfoRequest]
    count: int
    organizations: list[tuple[Organization, int]]  # the facets, over every match
    states: dict[str, int]  # "open" / "closed"
    statuses: dict[str, int]


def _organization(ref: str) -> Organization | None:
    return db.session().scalar(select(Organization).where((Organization.name == ref) | (Organization.id == ref)))


def find_requests(actor: Actor, *, organization: str | None = None, closed: bool | None = None,
                  status: str | None = None, q: str | None = None, desc: bool = False,
                  offset: int = 0, limit: int = 10) -> Found:
    """The information requests the actor may read, in the order received (newest first with
    `desc`), with counts by organization, open/closed and status over all the matches.

    :raises NotFound: `organization` (a name or id) does not exist.
    """
    where = [_readable_by(actor)]
    if organization:
        org = _organization(organization)
        if org is None:
            raise NotFound(_l("Organization not found."))
        where.append(InfoRequest.organization_id == org.id)
    if closed is not None:
        where.append(InfoRequest.status.in_(FINISHED) if closed else InfoRequest.status.not_in(FINISHED))
    if status:
        where.append(InfoRequest.status == status)
    words = (q or "").strip().lower()[:200]
    if words:  # the masked texts only: what is searched is what may be shown
        where.append(func.lower(InfoRequest.public_subject).contains(words, autoescape=True)
                     | func.lower(InfoRequest.public_description).contains(words, autoescape=True))
    s = db.session()
    order = ((InfoRequest.received.desc(), InfoRequest.number.desc()) if desc
             else (InfoRequest.received, InfoRequest.number))
    rows = list(s.scalars(select(InfoRequest).where(*where).order_by(*order).offset(offset).limit(limit)))
    groups = s.execute(select(InfoRequest.organization_id, InfoRequest.status, func.count())
                       .where(*where).group_by(InfoRequest.organization_id, InfoRequest.status)).all()
    by_org: dict[str, int] = {}
    states = {"open": 0, "closed": 0}
    statuses: dict[str, int] = {}
    for org_id, st, n in groups:
        if org_id:
            by_org[org_id] = by_org.get(org_id, 0) + n
        states["closed" if st in FINISHED else "open"] += n
        statuses[st] = statuses.get(st, 0) + n
    orgs = {o.id: o for o in s.scalars(select(Organization).where(Organization.id.in_(list(by_org))))} if by_org else {}
    organizations = sorted(((orgs[i], n) for i, n in by_org.items() if i in orgs), key=lambda p: (-p[1], p[0].name))
    return Found(rows, sum(n for _o, _s, n in groups), organizations, states, statuses)


def readable_request(actor: Actor, ref: str) -> InfoRequest:
    """An information request by its number (PPID-2026-000001) or id, if the actor may read it.

    :raises NotFound: no such request, or not one the actor may read (the same answer).
    """
    ref = str(ref or "")[:40]
    req = db.session().scalar(select(InfoRequest).where((InfoRequest.number == ref) | (InfoRequest.id == ref),
                                                        _readable_by(actor)))
    if req is None:
        raise NotFound(_l("Request not found."))
    return req


def _note(e: InfoRequestEvent) -> dict[str, Any]:
    return {"id": e.id, "timestamp": e.timestamp, "status": e.status, "note": _mask_public(e.note)}


def office_notes(req: InfoRequest) -> list[dict[str, Any]]:
    """The office's public notes on a request, oldest first and masked as in the register: each
    step a handler wrote a note on (the reply, the extension's reason, a comment). The
    requester's own steps are not notes."""
    return [_note(e) for e in req.events if e.user_id is not None and (e.note or "").strip()]


def _handled_by(actor: Actor, ref: str) -> InfoRequest:
    req = readable_request(actor, ref)
    if not can_handle(actor, req):
        raise NotAuthorized(_l("Only the PPID and the admins of the request's organization may do this."))
    return req


def add_note(actor: Actor, ref: str, note: Any) -> dict[str, Any]:
    """A public note of the office on a request, its status unchanged; the requester is told
    by e-mail when they gave an address. Returns the note as office_notes shows it.

    :raises NotAuthorized: the actor does not handle this request.
    """
    req = _handled_by(actor, ref)
    if not isinstance(note, str) or not note.strip():
        raise ValidationError({"comment": [_l("Write the comment.")]})
    if len(note.strip()) > 5000:
        raise ValidationError({"comment": [_l("At most 5,000 characters.")]})
    with db.transaction() as s:
        event = InfoRequestEvent(request_id=req.id, status=req.status, note=note.strip(), user_id=actor.id,
                                 timestamp=utcnow())
        s.add(event)
        record(s, actor, "request_note", "info_request", req.id, dataset_id=req.dataset_id, number=req.number)
    _notify_requester(req, None, note=event.note)
    return _note(event)


def close(actor: Actor, ref: str, outcome: str, form: dict[str, Any],
          link_for: Callable[[str, str], str]) -> InfoRequest:
    """Close an information request: fulfil it (a reply, a published dataset, or both), refuse
    it (a Pasal 17 ground and the consequence test), or answer that the office does not hold it
    or passed it on (`holder`). The same steps, rules and e-mail as the inbox.

    :raises NotAuthorized: the actor does not handle this request.
    :raises ValidationError: it is closed already, or a field the outcome needs is missing.
    """
    req = _handled_by(actor, ref)
    if is_finished(req):
        raise ValidationError({"_": [_l("This request is closed already.")]})
    if outcome not in CLOSE_OUTCOMES:
        raise ValidationError({"outcome": [_l("Choose fulfil, refuse, not_held or forward.")]})
    dataset_ref = (form.get("dataset") or "").strip()
    if outcome == "fulfil" and dataset_ref:
        ds = db.session().scalar(select(Dataset).where((Dataset.name == dataset_ref) | (Dataset.id == dataset_ref)))
        if ds is None or not ds.is_public:
            raise ValidationError({"dataset": [_l("Link a published, public dataset.")]})
        if not (form.get("reply") or "").strip():
            form = {**form, "reply": f"Data tersedia di portal / The data is published on the portal: {ds.title}"}
    return act(actor, req.number, outcome, form, link_for)


# -- mail ----------------------------------------------------------------------------------

STATUS_WORDS = {
    "diterima": "diterima / received", "diproses": "diproses / in progress", "diperpanjang": "diperpanjang / extended",
    "dipenuhi": "dipenuhi / fulfilled", "ditolak": "ditolak / refused", "tidak_dikuasai": "tidak dikuasai / not held",
    "diteruskan": "diteruskan / passed on", "keberatan": "keberatan / objection", "sengketa": "sengketa / dispute",
    "dijawab": "dijawab / answered",
}


def _notify_requester(req: InfoRequest, link: str | None, first: bool = False, note: str | None = None) -> None:
    if not _is_email(req.requester_contact):
        return
    due = req.due.strftime("%d-%m-%Y") if req.due else "-"
    lines = [f"Nomor / Number: {req.number}", f"Perihal / Subject: {req.subject}",
             f"Status: {STATUS_WORDS.get(req.status, req.status)}", f"Batas waktu / Due: {due}"]
    if note:
        lines += ["", "Catatan dari PPID / The PPID's note:", note]
    if req.reply:
        lines += ["", "Jawaban / Answer:", req.reply]
    if req.answer_filename:
        lines += ["", "Lampiran jawaban dapat diunduh dari tautan pribadi Anda /",
                  "The answer's attachment can be downloaded from your private link."]
    if link:
        lines += ["", "Pantau permohonan Anda (tautan pribadi, jangan dibagikan) / Follow your request (private link):", link]
    subject = (f"[{req.number}] " + ("Permohonan Anda diterima / Your request was received" if first
                                     else f"Status: {STATUS_WORDS.get(req.status, req.status)}"))
    mail.send(req.requester_contact, subject, "\n".join(lines) + "\n\n-- PPID Dinas Sosial Provinsi NTB\n")


def _handlers(req: InfoRequest, sysadmins_only: bool = False) -> list[User]:
    stmt = select(User).where(User.active.is_(True))
    if req.organization_id and not sysadmins_only:
        stmt = stmt.where((User.role == "org_admin") & (User.organization_id == req.organization_id))
    else:
        stmt = stmt.where(User.role == "sysadmin")
    return list(db.session().scalars(stmt))


def _notify_handlers(req: InfoRequest, link: str, new: bool = False, sysadmins_only: bool = False) -> int:
    due = current_due(req)
    subject = f"[{req.number}] " + ("Masuk / New" if new else "Segera jatuh tempo / Due soon") + f": {req.public_subject}"
    body = (f"{req.number} · {STATUS_WORDS.get(req.status, req.status)}\n"
            f"Batas waktu / Due: {due.strftime('%d-%m-%Y') if due else '-'}\n\n{link}\n")
    sent = 0
    for user in _handlers(req, sysadmins_only):
        sent += bool(mail.send(user.email, subject, body))
    return sent


def remind(link_for: Callable[[str, str], str], now: datetime | None = None) -> dict[str, int]:
    """For cron (`portal requests remind`): tell the handlers of every open item that is overdue or
    due within 2 working days (once a day each), and erase the personal data of requests closed
    longer ago than REQUESTER_DATA_DAYS."""
    now = now or utcnow()
    s = db.session()
    reminded = 0
    for req in s.scalars(select(InfoRequest).where(InfoRequest.status.not_in(CLOSED_STATUSES + ("sengketa",)))):
        if urgency(req, now) is None or (req.reminded and req.reminded.date() == now.date()):
            continue
        if _notify_handlers(req, link_for(req.number, "")):
            reminded += 1
        with db.transaction():
            req.reminded = now
    return {"reminded": reminded, "erased": erase_personal_data(now)}


def erase_personal_data(now: datetime | None = None) -> int:
    """The requester's name and contact, erased REQUESTER_DATA_DAYS after the request closed (the
    request itself stays in the register)."""
    now = now or utcnow()
    keep = timedelta(days=int(current_app.config.get("REQUESTER_DATA_DAYS", 365)))
    erased = 0
    with db.transaction() as s:
        stmt = select(InfoRequest).where(InfoRequest.closed.is_not(None), InfoRequest.closed < now - keep,
                                         InfoRequest.personal_erased.is_(None))
        for req in s.scalars(stmt):
            if req.status in ("keberatan", "sengketa"):
                continue
            req.requester_name = None
            req.requester_contact = None
            # an answer letter is addressed to the requester: it goes with their name
            req.answer_file = None
            req.answer_filename = None
            req.answer_type = None
            req.personal_erased = now
            erased += 1
    return erased
