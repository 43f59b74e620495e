"""The log of index changes, so that each machine may keep its own search index.

A service changes the index of the machine it runs on before it commits (`search.reindex`).
The same transaction adds one `index_change` row per dataset it reindexed, naming the index
that already holds the change (its folder's NODE id). Every other index applies the rows it
has not applied yet, on start and before it answers a search: one indexed `SELECT max(seq)`
when nothing is new. An index folder records the newest row it holds in its APPLIED file;
a folder without one (a new machine, an emptied folder) is built from the database.

The numbers are given in commit order: on PostgreSQL the rows are added last, under a
transaction-scoped advisory lock, so a transaction that takes number n has committed before
another can take n + 1 (a reader that sees n sees everything below it); SQLite has one writer
at a time anyway. Applying a row means re-reading the dataset from the database, so applying
one twice, or late, is harmless; only missing one would not be, and this order rules it out.
A row left out by `prune` makes an index that had not reached it rebuild instead.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, event, func, insert, select, text
from sqlalchemy.orm import Session

from .. import db
from ..models import Dataset, IndexChange, Incident, utcnow
from . import search

log = logging.getLogger(__name__)

# pg_advisory_xact_lock's key for numbering the log ("portal" in ASCII).
_LOCK_KEY = 0x706F7274616C
# More changed datasets than this to apply: rebuild the index instead, in one pass.
REBUILD_OVER = 1000


class _Applied:
    """What this process knows its index holds (a cheap check before the file and the lock)."""

    def __init__(self) -> None:
        self.seq = -1


def _applied() -> _Applied:
    found = current_app.extensions.get("index_log")
    if found is None:
        found = current_app.extensions.setdefault("index_log", _Applied())
    return found


# --- writing the log, in the transaction that changes what is indexed --------------------------


def _record(session: Session) -> None:
    pending = session.info.get(search.RESYNC_KEY)
    if not pending:
        return
    app, ids = pending
    ids = sorted(ids)
    states = dict(session.execute(select(Dataset.id, Dataset.state).where(Dataset.id.in_(ids))).all())
    gone = [i for i in ids if states.get(i) == "deleted"]
    taken_down = set(session.scalars(select(Incident.dataset_id).where(Incident.dataset_id.in_(gone)))) if gone else set()
    node = app.extensions["search_index"].node_id()
    rows = [{"dataset_id": i, "node": node, "created": utcnow(),
             "op": "upsert" if states.get(i) == "published" else "expunge" if i in taken_down else "delete"}
            for i in ids]
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    session.execute(insert(IndexChange), rows)


def init_app(app) -> None:
    """Add the log rows as the last step of every portal transaction that reindexed."""
    event.listen(app.extensions["db_sessionmaker"], "before_commit", _record)


# --- applying it ---------------------------------------------------------------------------------


def catch_up() -> int:
    """Apply to this machine's index what other machines committed since it last looked;
    return the newest entry of the log (0 when it is empty).

    :raises IndexWriteError: the index could not be written.
    """
    s = db.session()
    newest = _newest(s)
    applied = _applied()
    if newest == applied.seq:
        return newest
    index = search.search_index()
    with index.log_lock():
        newest = _newest(s)  # again: another process may have applied more meanwhile
        have = index.applied_seq()
        if have is None or have != newest:
            _apply(s, index, have, newest)
    applied.seq = newest
    return newest


def _newest(s: Session) -> int:
    return s.scalar(select(func.max(IndexChange.seq))) or 0


def _apply(s: Session, index, have: int | None, newest: int) -> None:
    """Bring the index from entry `have` to `newest` (under the index's log lock)."""
    if have is None:
        log.info("search index %s has never read the log: building it from the database", index.path)
        search.rebuild()
        return
    if have > newest:  # the log never shrinks at its end: this is another (a restored) database
        log.info("search index %s holds changes the database does not: rebuilding it", index.path)
        search.rebuild()
        return
    oldest = s.scalar(select(func.min(IndexChange.seq)))
    if oldest is not None and have < oldest - 1:
        log.info("search index %s is older than the kept log: rebuilding it", index.path)
        search.rebuild()
        return
    rows = s.execute(select(IndexChange.dataset_id, IndexChange.op)
                     .where(IndexChange.seq > have, IndexChange.seq <= newest,
                            IndexChange.node != index.node_id())).all()
    ids = {ds_id for ds_id, _op in rows}
    if len(ids) > REBUILD_OVER:
        search.rebuild()
        return
    search.resync(ids)
    expunge = sorted({ds_id for ds_id, op in rows if op == "expunge"})
    if expunge:
        index.expunge(expunge)
    index.set_applied(newest)


def start() -> str:
    """Ready this machine's index before serving: a folder that never read the log is built from
    the database (or just marked, when both are empty), then what is new is applied. Say what was done."""
    index = search.search_index()
    s = db.session()
    with index.log_lock():
        if index.applied_seq() is None:
            published = s.scalar(select(Dataset.id).where(Dataset.state == "published").limit(1))
            if published is None and index.doc_count() == 0:
                index.set_applied(_newest(s))
                done = "empty"
            else:
                done = f"built from the database: {search.rebuild()} datasets"
        else:
            done = None
        have = index.applied_seq()
    newest = catch_up()
    if done is None:
        done = "up to date" if have == newest else f"applied log entries {have + 1} to {newest}"
    return f"{done} (log entry {newest})"


def prune(days: int) -> int:
    """Remove the log entries older than `days` (never the newest one, which tells the next
    number); an index that had not reached them rebuilds when it next looks. Return how many."""
    with db.transaction() as s:
        newest = s.scalar(select(func.max(IndexChange.seq)))
        if newest is None:
            return 0
        result = s.execute(delete(IndexChange).where(IndexChange.seq < newest,
                                                     IndexChange.created < utcnow() - timedelta(days=days)))
    return result.rowcount or 0
