"""Who may do what. The only place such rules live."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from ..models import Dataset, User
from .errors import NotAuthorized, NotFound

Actor = User | None


def is_member(actor: Actor, organization_id: str) -> bool:
    return bool(actor and actor.active and (actor.is_sysadmin or actor.organization_id == organization_id))


def can_view(actor: Actor, dataset: Dataset) -> bool:
    """Public datasets for all; drafts, pending and private ones for their organization."""
    if dataset.state == "deleted":
        return bool(actor and actor.is_sysadmin)
    if dataset.is_public:
        return True
    return is_member(actor, dataset.organization_id)


def visible_datasets(actor: Actor, include_private: bool = True):
    """The SQL condition on Dataset of what the actor finds in the catalogue: published, and
    public or (with `include_private`) private to an organization the actor belongs to."""
    organizations = visible_organizations(actor) if include_private else []
    if organizations is None:
        return Dataset.state == "published"
    if not organizations:
        return Dataset.is_public
    return and_(Dataset.state == "published",
                or_(Dataset.private.is_(False), Dataset.organization_id.in_(organizations)))


def may_follow_upload(actor: Actor, uploader_id: int | None) -> bool:
    """An upload being read (its progress, its outcome) is its uploader's, and a system administrator's."""
    return bool(actor and actor.active and (actor.is_sysadmin or (uploader_id is not None and actor.id == uploader_id)))


def can_edit(actor: Actor, organization_id: str) -> bool:
    return is_member(actor, organization_id)


def can_publish(actor: Actor, organization_id: str) -> bool:
    return bool(
        actor and actor.active and (actor.is_sysadmin or (actor.role == "org_admin" and actor.organization_id == organization_id))
    )


def can_change(actor: Actor, dataset: Dataset) -> bool:
    """Editors change drafts and pending datasets; what the public sees needs a publisher."""
    if not can_edit(actor, dataset.organization_id):
        return False
    return dataset.state != "published" or can_publish(actor, dataset.organization_id)


def allowed_actions(actor: Actor, dataset: Dataset) -> dict[str, bool]:
    """What the admin pages offer on a dataset, from the same rules the services enforce."""
    return {
        "change": can_change(actor, dataset),
        "publish": can_publish(actor, dataset.organization_id),
        "submit": can_change(actor, dataset) and dataset.state == "draft",
        "override": bool(actor and actor.active and actor.is_sysadmin),
        "takedown": bool(actor and actor.active and actor.is_sysadmin),
    }


def can_read_tables(actor: Actor, dataset: Dataset) -> bool:
    """Tables of a published dataset for whoever sees it; of a draft, for its organization."""
    if not can_view(actor, dataset):
        return False
    return dataset.state == "published" or can_edit(actor, dataset.organization_id)


def sees_blocked_uploads(actor: Actor, dataset: Dataset) -> bool:
    """Uploads refused for personal data are listed (masked) to their organization only."""
    return can_edit(actor, dataset.organization_id)


def small_cells_hidden(actor: Actor, dataset: Dataset) -> str | None:
    """Which small counts the actor sees hidden: none for the organization, else the sensitive
    ones, or all of them where the dataset asks so (the plan's name, for the table reader)."""
    if can_edit(actor, dataset.organization_id):
        return None
    return "all" if dataset.suppress_small_cells else "sensitive"


def can_download_original(actor: Actor, dataset: Dataset, *, original_public: bool, hides_cells: bool) -> bool:
    """The uploaded file itself: always for its organization; for others only when it never held
    personal data (`original_public`) and holds no small count that they see hidden."""
    if can_edit(actor, dataset.organization_id):
        return True
    return original_public and not hides_cells


def can_revoke_token(actor: Actor, token_owner_id: int) -> bool:
    return bool(actor and actor.active and (actor.id == token_owner_id or actor.is_sysadmin))


def visible_organizations(actor: Actor) -> list[str] | None:
    """Organization ids whose private datasets the actor may see (None = all)."""
    if actor is None or not actor.active:
        return []
    if actor.is_sysadmin:
        return None
    return [actor.organization_id] if actor.organization_id else []


def require_view(actor: Actor, dataset: Dataset | None) -> Dataset:
    # An invisible dataset is reported as missing, so drafts do not leak their existence.
    if dataset is None or not can_view(actor, dataset):
        raise NotFound(_l("Dataset not found."))
    return dataset


def require_edit(actor: Actor, organization_id: str) -> None:
    if not can_edit(actor, organization_id):
        raise NotAuthorized(_l("You are not allowed to edit datasets of this organization."))


def require_change(actor: Actor, dataset: Dataset) -> None:
    require_edit(actor, dataset.organization_id)
    if not can_change(actor, dataset):
        raise NotAuthorized(_l("This dataset is published: only an organization admin can change it. "
                               "Ask an admin to unpublish it first."))


def require_publish(actor: Actor, organization_id: str) -> None:
    if not can_publish(actor, organization_id):
        raise NotAuthorized(_l("Only an organization admin can publish."))


def require_sysadmin(actor: Actor) -> None:
    if not (actor and actor.active and actor.is_sysadmin):
        raise NotAuthorized(_l("Only a system administrator can do this."))
