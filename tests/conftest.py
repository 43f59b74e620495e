"""Fixtures: a real database (SQLite file, or a PostgreSQL schema), real folders, a real index."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app

SAMPLES = Path(__file__).resolve().parent.parent / "app" / "demo_data"
SHARED_SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
BNBA_SAMPLE = Path(__file__).resolve().parent / "files" / "contoh_bnba_harus_ditolak.csv"


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    return url if url.startswith("postgres") else None


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + _postgres_url() if _postgres_url() else 'SQLite (temporary files)'}"


def _pg(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database: a SQLite file, or a new schema on the PostgreSQL server."""
    base = _postgres_url()
    if not base:
        yield f"sqlite:///{tmp_path / 'portal.sqlite'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg(base))
    with admin.begin() as con:
        con.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield _pg(base) + f"{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as con:
        con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def make_app(tmp_path: Path, database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": database_url,
        "DATASETS_DIR": str(tmp_path / "datasets"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        from app.cli import _init_db

        _init_db()
    return app


@pytest.fixture
def app(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One account per role: sysadmin, org admin and editor of one bidang, editor of another."""
    from tests.factories import make_users

    with app.app_context():
        return make_users()


class AuthActions:
    def __init__(self, client, users):
        self._client = client
        self._users = users

    def login(self, who: str = "sysadmin"):
        email, password = self._users[who]
        return self._client.post("/user/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/user/logout")


@pytest.fixture
def auth(client, users):
    return AuthActions(client, users)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """A portal with the demo data loaded once, for tests that only read."""
    tmp = tmp_path_factory.mktemp("demo")
    base = _postgres_url()
    url = f"sqlite:///{tmp / 'portal.sqlite'}"
    schema = None
    if base:
        schema = f"t_demo_{uuid.uuid4().hex[:8]}"
        admin = create_engine(_pg(base))
        with admin.begin() as con:
            con.execute(text(f"CREATE SCHEMA {schema}"))
        sep = "&" if "?" in base else "?"
        url = _pg(base) + f"{sep}options=-csearch_path%3D{schema}"
    app = make_app(tmp, url)
    with app.app_context():
        from tests.factories import seed_demo

        seed_demo()
    yield app
    app.extensions["db_engine"].dispose()
    if schema:
        with admin.begin() as con:
            con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()
