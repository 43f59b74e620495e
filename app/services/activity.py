"""The activity log: who did what, when."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from flask_babel import get_timezone
from marshmallow import ValidationError as SchemaError
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .. import db
from ..models import Activity, ApiToken, Dataset, Incident, ResourceVersion, User
from ..schemas import AuditFilterSchema
from .errors import ValidationError
from .permissions import Actor, require_edit, require_sysadmin
from .translate import translate_errors

log = logging.getLogger("portal.activity")


def record(s: Session, actor: Actor, action: str, object_type: str, object_id: str,
           dataset_id: str | None = None, **detail: Any) -> Activity:
    """Add an activity row to the caller's transaction and log it."""
    entry = Activity(
        user_id=actor.id if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        dataset_id=dataset_id,
        detail=detail,
    )
    s.add(entry)
    log.info("%s %s %s %s by %s", action, object_type, object_id, detail or "", actor.email if actor else "system")
    return entry


def for_dataset(actor: Actor, dataset: Dataset, limit: int = 100) -> list[Activity]:
    """The dataset's history, newest first (for its organization's members)."""
    require_edit(actor, dataset.organization_id)
    stmt = (
        select(Activity)
        .where(Activity.dataset_id == dataset.id)
        .order_by(Activity.timestamp.desc(), Activity.id.desc())
        .limit(limit)
    )
    return list(db.session().scalars(stmt))


# -- the audit log: what administrators did ---------------------------------------------------

# The entries of the audit page, as "action:object_type": publishing, overrides of a privacy
# refusal, deletions and takedowns, and everything done to accounts and tokens. Routine editing
# (create, update, upload, re-read, submit) stays in each dataset's own history.
AUDITED_ACTIONS = (
    "publish:dataset", "unpublish:dataset", "delete:dataset", "takedown:dataset",
    "override:resource", "delete:resource", "delete:resource_version", "purge:resource_version",
    "create:user", "change_role:user", "deactivate:user", "reactivate:user",
    "reset_password:user", "send_password_link:user", "reset_password_by_email:user",
    "change_password:user", "enable_totp:user", "disable_totp:user",
    "create:api_token", "revoke:api_token",
    # the PPID's decisions on information requests (UU 14/2008)
    "request_fulfil:info_request", "request_refuse:info_request", "request_extend:info_request",
    "request_not_held:info_request", "request_forward:info_request", "request_answer_objection:info_request",
)
AUDIT_PAGE_SIZE = 50


@dataclass
class AuditEntry:
    """One audited action, with what it was done to and, while that still exists, where it is."""

    activity: Activity
    subject: str = ""  # the dataset's title, the account's e-mail, the token's name
    link: tuple[str, Any] | None = None  # ("dataset", name) | ("review", (name, version_id)) | ("user", id)
    #                                       | ("incident", id); None once the object is gone


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    count: int
    page: int
    per_page: int
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


def audit_filters(args: dict[str, Any]) -> dict[str, Any]:
    """The audit page's filters from request arguments; empty fields are no filter.

    :raises ValidationError: a date that is not YYYY-MM-DD, a range the wrong way round.
    """
    try:
        values = AuditFilterSchema().load(dict(args))
    except SchemaError as exc:
        raise ValidationError(translate_errors(exc.messages)) from None
    if values.get("action") and values["action"] not in AUDITED_ACTIONS:
        values["action"] = None  # an action this page does not list: no filter, as the form offers none
    return values


def _utc(day: date) -> datetime:
    """Midnight of `day` where the pages show times (Babel's time zone), as naive UTC like the column."""
    local = datetime.combine(day, time.min).replace(tzinfo=get_timezone())
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _audited():
    pairs = [key.split(":", 1) for key in AUDITED_ACTIONS]
    return or_(*(and_(Activity.action == a, Activity.object_type == t) for a, t in pairs))


def audit_log(actor: Actor, args: dict[str, Any]) -> AuditPage:
    """The administrators' actions, newest first, filtered by account and dates (system administrators only).

    :raises NotAuthorized: anyone but an active system administrator.
    :raises ValidationError: bad filters (see `audit_filters`).
    """
    require_sysadmin(actor)
    filters = audit_filters(args)
    where = [_audited()]
    if filters.get("user") is not None:
        where.append(Activity.user_id == filters["user"])
    if filters.get("action"):
        a, t = filters["action"].split(":", 1)
        where += [Activity.action == a, Activity.object_type == t]
    if filters.get("date_from"):
        where.append(Activity.timestamp >= _utc(filters["date_from"]))
    if filters.get("date_to"):  # the whole 'to' day is in
        where.append(Activity.timestamp < _utc(filters["date_to"] + timedelta(days=1)))
    s = db.session()
    count = s.scalar(select(func.count()).select_from(Activity).where(*where)) or 0
    pages = max(1, -(-count // AUDIT_PAGE_SIZE))
    page = min(filters["page"], pages)
    rows = list(s.scalars(select(Activity).where(*where)
                          .order_by(Activity.timestamp.desc(), Activity.id.desc())
                          .offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE)))
    return AuditPage(_described(s, rows), count, page, AUDIT_PAGE_SIZE, filters)


def audit_people(actor: Actor) -> list[User]:
    """The accounts that appear in the audit log, for the page's account filter."""
    require_sysadmin(actor)
    ids = select(Activity.user_id).where(_audited(), Activity.user_id.is_not(None)).distinct()
    return list(db.session().scalars(select(User).where(User.id.in_(ids)).order_by(User.email)))


def _described(s: Session, rows: list[Activity]) -> list[AuditEntry]:
    """Each row with its object's name and link, looked up in one query per kind of object."""
    def many(model, ids):
        ids = {i for i in ids if i is not None}
        return {row.id: row for row in s.scalars(select(model).where(model.id.in_(ids)))} if ids else {}

    datasets = many(Dataset, [a.dataset_id for a in rows])
    versions = many(ResourceVersion, [a.object_id for a in rows if a.object_type == "resource_version"])
    accounts = many(User, [int(a.object_id) for a in rows if a.object_type == "user" and a.object_id.isdigit()])
    tokens = many(ApiToken, [a.object_id for a in rows if a.object_type == "api_token"])
    incidents = many(Incident, [a.detail.get("incident") for a in rows if a.action == "takedown"
                                and isinstance(a.detail.get("incident"), int)])
    entries = []
    for a in rows:
        entry = AuditEntry(a)
        detail = a.detail or {}
        if a.object_type == "user":
            account = accounts.get(int(a.object_id)) if a.object_id.isdigit() else None
            entry.subject = account.email if account else detail.get("email", "")
            entry.link = ("user", account.id) if account else None
        elif a.object_type == "api_token":
            token = tokens.get(a.object_id)
            entry.subject = token.name if token else detail.get("name", "")
        elif a.object_type == "info_request":
            entry.subject = detail.get("number", "")
            entry.link = ("info_request", entry.subject) if entry.subject else None
        else:
            ds = datasets.get(a.dataset_id)
            entry.subject = detail.get("name", "") if ds is None else ds.title
            if a.action == "takedown":
                incident = incidents.get(detail.get("incident"))
                entry.link = ("incident", incident.id) if incident else None
            elif ds is not None and ds.state != "deleted":
                version = versions.get(a.object_id) if a.object_type == "resource_version" else None
                entry.link = ("review", (ds.name, version.id)) if version else ("dataset", ds.name)
        entries.append(entry)
    return entries
