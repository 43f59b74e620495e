"""Create test objects through the services, as a real user would (never by poking rows)."""
from __future__ import annotations

from pathlib import Path

from app.services import datasets, resources, users as user_service
from tests.support.database import stored_dataset

SAMPLES = Path(__file__).resolve().parent.parent / "app" / "demo_data"
ORG = "bidang-perlindungan-jaminan-sosial"
OTHER_ORG = "bidang-rehabilitasi-sosial"
PASSWORD = "rahasia-uji-123"


def make_users() -> dict[str, tuple[str, str]]:
    """Accounts for every role; returns role key -> (email, password)."""
    spec = {
        "sysadmin": ("sysadmin@test.local", "sysadmin", None),
        "org_admin": ("admin@test.local", "org_admin", ORG),
        "editor": ("editor@test.local", "editor", ORG),
        "other_editor": ("other@test.local", "editor", OTHER_ORG),
        "other_admin": ("otheradmin@test.local", "org_admin", OTHER_ORG),
    }
    out = {}
    for key, (email, role, org) in spec.items():
        user_service.create_user(None, email, PASSWORD, role=role, organization=org, _system=True)
        out[key] = (email, PASSWORD)
    return out


def user(key: str):
    from sqlalchemy import select

    from app import db
    from app.models import User

    email = {"sysadmin": "sysadmin@test.local", "org_admin": "admin@test.local", "editor": "editor@test.local",
             "other_editor": "other@test.local", "other_admin": "otheradmin@test.local"}[key]
    return db.session().scalar(select(User).where(User.email == email))


def dataset_with_table(actor, sample: str = "korban_bencana_sosial_2019_2024.csv", *, name: str | None = None,
                       topics=("bencana-sosial",), organization: str = ORG, publish: bool = False, path: Path | None = None,
                       **meta):
    """A dataset with one uploaded table, as a draft unless `publish`."""
    path = path or SAMPLES / sample
    ds = datasets.create(actor, {"title": meta.pop("title", f"Uji {path.stem}"), "name": name or path.stem.replace("_", "-"),
                                 "topics": list(topics), "organization": organization, **meta})
    with open(path, "rb") as fh:
        result = resources.upload(actor, ds.id, fh, path.name)
    if publish:
        datasets.publish(actor, ds.id)
    return stored_dataset(ds.id), result


def seed_demo() -> None:
    """The demo data, loaded exactly as `portal seed-demo` does."""
    from app.cli import _demo_admin_password, _seed_demo, _system_actor
    from flask import current_app

    _demo_admin_password(current_app)
    _seed_demo(_system_actor())
