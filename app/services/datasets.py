"""Dataset actions: create, update, submit, publish, unpublish, delete, take down, show."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError as SchemaError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from .. import db
from ..models import Dataset, Incident, Organization, Resource, Tag, Topic, utcnow
from ..schemas import DatasetInSchema, PackageOutSchema, ckan_time, slugify
from ..storage import file_store
from . import datastore, quarantine, search, vocabulary
from .activity import record
from .errors import NameTaken, NotFound, ValidationError
from .permissions import (
    Actor,
    can_change,
    can_publish,
    can_view,
    require_change,
    require_edit,
    require_publish,
    require_sysadmin,
    require_view,
)

# UU 27/2022 Pasal 46: the people concerned and the authority are told within 3 x 24 hours.
NOTIFY_WITHIN = timedelta(hours=72)
from .translate import translate_errors


def _lookup(name_or_id: str) -> Dataset | None:
    """A dataset by name or id, whatever its state, with what its pages show (no permission check)."""
    s = db.session()
    return s.scalar(
        select(Dataset)
        .where((Dataset.name == name_or_id) | (Dataset.id == name_or_id))
        .options(selectinload(Dataset.topics), selectinload(Dataset.tags),
                 selectinload(Dataset.resources).selectinload(Resource.versions))
    )


def show(actor: Actor, name_or_id: str, *, for_members: bool = False) -> Dataset:
    """A dataset the actor may see, by name or id, else NotFound (a draft does not reveal itself).

    `for_members`: the admin pages' view, for the members of its organization only (an
    editor looks at a published dataset there without the right to change it)."""
    ds = require_view(actor, _lookup(name_or_id))
    if for_members:
        require_edit(actor, ds.organization_id)
        if ds.state == "deleted":
            raise NotFound(_l("Dataset not found."))
    return ds


def for_update(actor: Actor, name_or_id: str) -> Dataset:
    """A dataset the actor may change, else NotFound or NotAuthorized: editors change only
    drafts and pending ones, organization admins any; a deleted one is gone."""
    ds = show(actor, name_or_id, for_members=True)
    require_change(actor, ds)
    return ds


def package(ds: Dataset, base_url: str = "", all_versions: bool = False) -> dict[str, Any]:
    """The CKAN package dict of a dataset."""
    return PackageOutSchema(base_url=base_url, all_versions=all_versions).dump(ds)


def packages(found: list[Dataset], base_url: str = "") -> list[dict[str, Any]]:
    """The CKAN package dicts of many datasets (one schema for all: a search page)."""
    return _packages_schema(base_url).dump(found)


@lru_cache(maxsize=8)
def _packages_schema(base_url: str) -> PackageOutSchema:
    """One schema per site address, kept: building it (and its nested schemas) deep-copies
    every field, half a millisecond a search page. A dump keeps no state on the schema."""
    return PackageOutSchema(base_url=base_url, many=True)


def _load(data: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    try:
        return DatasetInSchema(partial=partial).load(data)
    except SchemaError as exc:
        raise ValidationError(translate_errors(exc.messages)) from None


def _apply(s: Session, ds: Dataset, values: dict[str, Any]) -> None:
    simple = ("title", "notes", "years", "unit", "measure", "frequency", "level", "coverage", "definition",
              "method", "source", "license_id", "contact_name", "contact_email", "private", "suppress_small_cells")
    for key in simple:
        if key in values:
            setattr(ds, key, values[key])
    if "topics" in values:
        ds.topics = _topics(values["topics"])
    if "tags" in values:
        tags = []
        for name in values["tags"]:
            name = name.strip()[:100]
            tag = s.scalar(select(Tag).where(Tag.name == name))
            if tag is None:
                tag = Tag(name=name)
                s.add(tag)
            tags.append(tag)
        ds.tags = tags


def _topics(refs: list[str]) -> list[Topic]:
    topics = []
    for ref in refs:
        try:
            topics.append(vocabulary.get_topic(ref))
        except NotFound:
            known = ", ".join(t.name for t in vocabulary.list_topics())
            raise ValidationError({"topics": [_l("Unknown topic: %(name)s (the topics are: %(known)s)",
                                                 name=ref, known=known)]}) from None
    return topics


def _new_organization(actor: Actor, values: dict[str, Any]) -> Organization:
    """The organization a new dataset goes to: the one named, else the actor's, else the office."""
    org = vocabulary.get_organization(values["organization"]) if values.get("organization") else None
    if org is None:
        org = actor.organization if actor and actor.organization else vocabulary.office()
    return org


def create(actor: Actor, data: dict[str, Any]) -> Dataset:
    """Create a draft dataset in an organization the actor belongs to."""
    values = prepare_new(actor, data)
    with db.transaction() as s:
        return add_new(s, actor, values)


def prepare_new(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """Check a new dataset's metadata and the actor's right to create it, writing nothing.

    Returns the values `add_new` takes: a service that creates a dataset together with its
    first table reads the file between the two, so a refused file leaves no row behind.
    """
    values = _load(data)
    org = _new_organization(actor, values)
    require_edit(actor, org.id)
    values["organization_id"] = org.id
    values["name"] = values.get("name") or slugify(values["title"])
    _require_free_name(db.session(), actor, values["name"])
    return values


def add_new(s: Session, actor: Actor, values: dict[str, Any]) -> Dataset:
    """Add a draft dataset made of `prepare_new`'s values to the transaction `s`."""
    _require_free_name(s, actor, values["name"])
    ds = Dataset(name=values["name"], title=values["title"], organization_id=values["organization_id"],
                 state="draft", creator_id=actor.id if actor else None)
    s.add(ds)
    _apply(s, ds, values)
    try:
        s.flush()
    except IntegrityError:
        # Another request took the name after the check (the same form sent twice at once): the
        # transaction is dead either way; once rolled back, the dataset that won is there to name.
        s.rollback()
        _require_free_name(s, actor, values["name"])
        raise
    record(s, actor, "create", "dataset", ds.id, ds.id, name=ds.name)
    return ds


def _require_free_name(s: Session, actor: Actor, name: str) -> None:
    """Refuse a URL name another dataset has, naming that dataset (see `NameTaken`).

    A deleted dataset freed its name when it was deleted, so only a live one can clash."""
    existing = s.scalar(select(Dataset).where(Dataset.name == name))
    if existing is None:
        return
    visible = can_view(actor, existing)
    raise NameTaken({"name": [_l("That URL is already in use.")]},
                    _l("A dataset with the URL name %(name)s already exists.", name=name), name=name,
                    existing=existing if visible else None, may_change=visible and can_change(actor, existing))


def update(actor: Actor, name_or_id: str, data: dict[str, Any], partial: bool = True,
           state: str | None = None) -> Dataset:
    """Change a dataset's metadata and, if `state` is given, move it to that state, in one
    transaction: a refused state change (not publishable, not allowed) saves nothing.
    A published dataset is reindexed before commit."""
    ds = for_update(actor, name_or_id)
    values = _load(data, partial=partial)
    if "organization" in values and values["organization"]:
        org = vocabulary.get_organization(values["organization"])
        if org.id != ds.organization_id:
            require_edit(actor, org.id)
            ds.organization_id = org.id
            ds.organization = org
    with db.transaction() as s:
        if values.get("name") and values["name"] != ds.name:
            _require_free_name(s, actor, values["name"])
            ds.name = values["name"]
        _apply(s, ds, values)
        ds.modified = utcnow()
        if values or state is None:
            record(s, actor, "update", "dataset", ds.id, ds.id, fields=sorted(values))
        if state is not None:
            _move(s, actor, ds, state)
        s.flush()
        search.reindex(ds)
    return ds


def publishing_problems(ds: Dataset) -> list[str]:
    """Why a dataset cannot be published yet (empty when it can)."""
    return _publishing_problems(ds.topics, ds.resources)


def _publishing_problems(topics: list[Topic], tables: list[Resource], *, new_table: bool = False,
                         replacing: str | None = None) -> list[str]:
    """The one rule for what a published dataset needs; `new_table` counts a clean table about
    to be uploaded, as the newest version of the resource `replacing` when given."""
    problems = []
    if not new_table and not any(r.public_version for r in tables):
        problems.append(str(_l("Add at least one table without personal data before publishing.")))
    for r in tables:
        latest = r.latest
        if r.id != replacing and latest is not None and not latest.publishable:
            problems.append(str(_l("Table %(name)s contains personal data: drop those columns or delete the upload.",
                                   name=r.name)))
    if not topics:
        problems.append(str(_l("Choose at least one topic.")))
    return problems


def check_publishable(actor: Actor, ds: Dataset | None, data: dict[str, Any] | None = None, *,
                      new_table: bool = False, replacing: str | None = None) -> None:
    """Raise what publishing would raise, before anything is stored.

    Checks `ds` as `update(actor, ds, data)` would leave it or, when `ds` is None, the
    dataset `create(actor, data)` would make. With `new_table`, a table about to be uploaded
    counts as the clean table a published dataset needs (an upload with personal data is
    refused on its own); `replacing` is the resource it becomes the newest version of.

    :raises NotAuthorized: the actor may not publish in that organization.
    :raises ValidationError: the metadata is invalid, or what is missing (under "state").
    """
    values = _load(dict(data or {}), partial=ds is not None)
    if ds is None:
        org = _new_organization(actor, values)
    elif values.get("organization"):
        org = vocabulary.get_organization(values["organization"])
    else:
        org = ds.organization
    require_publish(actor, org.id)
    topics = _topics(values["topics"]) if "topics" in values else (ds.topics if ds is not None else [])
    problems = _publishing_problems(topics, ds.resources if ds is not None else [], new_table=new_table,
                                    replacing=replacing)
    if problems:
        raise ValidationError({"state": problems})


def _move(s: Session, actor: Actor, ds: Dataset, state: str) -> None:
    """Check and make one state change inside the caller's transaction (no index, no commit)."""
    if state == "published":
        require_publish(actor, ds.organization_id)
        _require_publishable(ds)
        now = utcnow()
        ds.state, ds.modified, ds.published = "published", now, ds.published or now
        record(s, actor, "publish", "dataset", ds.id, ds.id)
    elif state == "pending":
        _require_publishable(ds)
        if ds.state == "draft":
            ds.state, ds.modified = "pending", utcnow()
            record(s, actor, "submit", "dataset", ds.id, ds.id)
    elif state == "draft":
        require_publish(actor, ds.organization_id)
        ds.state, ds.modified = "draft", utcnow()
        record(s, actor, "unpublish", "dataset", ds.id, ds.id)
    elif state == "deleted":
        if ds.state == "published":
            require_publish(actor, ds.organization_id)
        ds.state, ds.modified = "deleted", utcnow()
        # Free the name so the URL can be used again, as CKAN does on purge.
        ds.name = f"{ds.name[:60]}-deleted-{ds.id[:8]}"
        record(s, actor, "delete", "dataset", ds.id, ds.id)
        # A refused upload's bytes go with it at once; published tables stay, out of reach.
        quarantine.purge_dataset(s, actor, ds, why="dataset_deleted")
    else:
        raise ValueError(f"unknown dataset state {state!r}")


def _require_publishable(ds: Dataset) -> None:
    problems = publishing_problems(ds)
    if problems:
        raise ValidationError({"state": problems})


def _change_state(actor: Actor, name_or_id: str, state: str) -> Dataset:
    ds = for_update(actor, name_or_id)
    with db.transaction() as s:
        _move(s, actor, ds, state)
        s.flush()
        search.reindex(ds)
    return ds


def submit_for_review(actor: Actor, name_or_id: str) -> Dataset:
    """An editor hands a draft to the organization admins."""
    return _change_state(actor, name_or_id, "pending")


def publish(actor: Actor, name_or_id: str) -> Dataset:
    """Make a dataset public: check, index, then commit."""
    return _change_state(actor, name_or_id, "published")


def unpublish(actor: Actor, name_or_id: str) -> Dataset:
    """Take a dataset back to draft and out of the index."""
    return _change_state(actor, name_or_id, "draft")


def delete(actor: Actor, name_or_id: str) -> Dataset:
    """Mark a dataset deleted (its public files stay on disk, out of public reach; its
    quarantined uploads are purged)."""
    return _change_state(actor, name_or_id, "deleted")


def takedown(actor: Actor, name_or_id: str, reason: str) -> Incident:
    """Purge a dataset found to hold personal data, for good, and keep an incident record.

    System administrators only. Every version's files (originals and typed tables, public or
    quarantined) are removed, the tables' rows with their summaries are deleted, and the
    search index entry is rewritten away; the dataset stays as a deleted record (harvesters
    see it gone: package_show answers 404, package_list, package_search and the DCAT
    catalogue no longer list it), with a `takedown` activity. The incident says what the
    dataset was, when and by whom it was taken down and why, which versions existed
    (created when, downloaded how often), and by when the people concerned must be told
    (72 hours, UU 27/2022 Pasal 46). Visible to system administrators only.

    :raises NotAuthorized: the actor is not a system administrator.
    :raises ValidationError: no reason (at least 10 characters), or already taken down.
    """
    require_sysadmin(actor)
    ds = show(actor, name_or_id)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": [str(_l("Say in at least 10 characters why the dataset is taken down."))]})
    if db.session().scalar(select(Incident.id).where(Incident.dataset_id == ds.id).limit(1)) is not None:
        raise ValidationError({"id": [str(_l("This dataset was already taken down."))]})
    folders = [quarantine.version_dir(v) for r in ds.resources for v in r.versions if v.storage == "quarantine"]
    folders += [file_store().resource_dir(r.id) for r in ds.resources]
    folders += [datastore.stored_table(v) for r in ds.resources for v in r.versions]
    now = utcnow()
    with db.transaction() as s:
        incident = Incident(
            dataset_id=ds.id, dataset_name=ds.name, dataset_title=ds.title,
            organization_title=ds.organization.title if ds.organization else "", dataset_state=ds.state,
            published=ds.published, taken_down=now, notify_by=now + NOTIFY_WITHIN,
            user_id=actor.id, user_email=actor.email, reason=reason, downloads=ds.downloads or 0,
            versions=[{"resource_id": r.id, "resource_name": r.name, "version_id": v.id, "number": v.number,
                       "filename": v.filename, "created": ckan_time(v.created), "downloads": v.downloads or 0,
                       "privacy_status": v.privacy_status, "storage": v.storage}
                      for r in ds.resources for v in sorted(r.versions, key=lambda v: v.number)])
        s.add(incident)
        if ds.state != "deleted":
            ds.name = f"{ds.name[:60]}-deleted-{ds.id[:8]}"
        ds.state, ds.modified = "deleted", now
        ds.resources.clear()  # their rows (and versions' summaries of the cells) go
        s.flush()
        record(s, actor, "takedown", "dataset", ds.id, ds.id, incident=incident.id, name=incident.dataset_name,
               reason=reason)
        search.reindex(ds)
        quarantine.remove_after_commit(s, folders)
    # After the commit (a merge of the whole index would hold the database's write lock): no
    # segment of the index keeps its words, no page of SQLite's log its rows.
    search.expunge(ds.id)
    db.compact()
    return incident


def incidents(actor: Actor) -> list[Incident]:
    """Every takedown, newest first (system administrators only)."""
    require_sysadmin(actor)
    return list(db.session().scalars(select(Incident).order_by(Incident.taken_down.desc(), Incident.id.desc())))


def has_any() -> bool:
    """True when the database holds a dataset that is not deleted."""
    return db.session().scalar(select(Dataset.id).where(Dataset.state != "deleted").limit(1)) is not None


def for_actor(actor: Actor, states: tuple[str, ...] = ("draft", "pending", "published")) -> list[Dataset]:
    """Datasets the actor can work on (all for a sysadmin)."""
    if actor is None:
        return []
    s = db.session()
    stmt = select(Dataset).where(Dataset.state.in_(states)).order_by(Dataset.modified.desc())
    if not actor.is_sysadmin:
        stmt = stmt.where(Dataset.organization_id == actor.organization_id)
    return [d for d in s.scalars(stmt) if can_view(actor, d)]


def review_queue(actor: Actor) -> list[Dataset]:
    """Datasets submitted for review that the actor may publish."""
    return [d for d in for_actor(actor, ("pending",)) if can_publish(actor, d.organization_id)]
