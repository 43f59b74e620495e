"""Organizations and topics: the office's own vocabulary, kept in app/data/catalog.json."""
from __future__ import annotations

from sqlalchemy import select

from .. import db
from ..models import Organization, Topic
from ..schemas import catalog
from .errors import NotFound
from flask_babel import lazy_gettext as _l


def ensure_catalog() -> None:
    """Create the organizations and topics of catalog.json that are missing."""
    data = catalog()
    with db.transaction() as s:
        have_orgs = set(s.scalars(select(Organization.name)))
        for org in data["organizations"]:
            if org["name"] not in have_orgs:
                s.add(Organization(**org))
        have_topics = set(s.scalars(select(Topic.name)))
        for topic in data["topics"]:
            if topic["name"] not in have_topics:
                s.add(Topic(**topic))


def office() -> Organization:
    """The office itself, the default publisher."""
    return get_organization(catalog()["office"])


def get_organization(name_or_id: str) -> Organization:
    s = db.session()
    org = s.scalar(select(Organization).where((Organization.name == name_or_id) | (Organization.id == name_or_id)))
    if org is None:
        raise NotFound(_l("Organization not found."))
    return org


def get_topic(name_or_id: str) -> Topic:
    s = db.session()
    topic = s.scalar(select(Topic).where((Topic.name == name_or_id) | (Topic.id == name_or_id)))
    if topic is None:
        raise NotFound(_l("Topic not found."))
    return topic


def list_organizations() -> list[Organization]:
    return list(db.session().scalars(select(Organization).order_by(Organization.title)))


def organizations_for(actor) -> list[Organization]:
    """The organizations the actor may create datasets in (all for a sysadmin)."""
    from .permissions import can_edit

    return [o for o in list_organizations() if can_edit(actor, o.id)]


def list_topics() -> list[Topic]:
    return list(db.session().scalars(select(Topic).order_by(Topic.title)))
