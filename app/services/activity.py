"""The activity log: who did what, when."""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db
from ..models import Activity, Dataset
from .permissions import Actor, require_edit

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
