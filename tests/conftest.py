"""Fixtures: a real database (SQLite file, or a PostgreSQL schema), real folders, a real index."""
from __future__ import annotations

import contextlib
import os
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from app import create_app
from tests.samples import BNBA as BNBA_SAMPLE  # noqa: F401  (imported by tests)


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


@contextlib.contextmanager
def fresh_database(folder: Path, label: str = "t"):
    """A new, empty database: a SQLite file in `folder`, or a new schema on the PostgreSQL server."""
    base = _postgres_url()
    if not base:
        yield f"sqlite:///{folder / 'portal.sqlite'}"
        return
    schema = f"{label}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg(base))
    with admin.begin() as con:
        con.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield _pg(base) + f"{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as con:
            con.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            # The portal's typed tables (services/datastore.py: `<schema>_datastore`).
            con.execute(text(f"DROP SCHEMA IF EXISTS {schema}_datastore CASCADE"))
        admin.dispose()


@contextlib.contextmanager
def live_server(app):
    """Serve `app` with werkzeug's threaded server on a free 127.0.0.1 port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def table_at(tmp_path):
    """name -> where a test's own typed table goes: a SQLite file in the SQLite pass, a table in
    a fresh datastore schema in the PostgreSQL pass (tests/support/table_targets.py)."""
    from tests.support.table_targets import table_targets

    with table_targets(tmp_path, _postgres_url()) as target:
        yield target


@pytest.fixture
def database_url(tmp_path):
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def redis_url(tmp_path):
    """A real Redis server on a free port (see tests/support/redis_server.py)."""
    from tests.support.redis_server import redis_server

    with redis_server(tmp_path) as url:
        yield url


def make_app(tmp_path: Path, database_url: str, **overrides):
    config = {
        "TESTING": True,
        # scrypt costs ~0.3 s a call; the method is stored in each hash, so logins work the same
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SECRET_KEY": "test",
        "DATABASE_URL": database_url,
        "DATASETS_DIR": str(tmp_path / "datasets"),
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "QUARANTINE_DIR": str(tmp_path / "instance" / "quarantine"),
        "WTF_CSRF_ENABLED": False,
        # The upload form waits for the reading (a loaded CI machine may take seconds): its tests
        # see the review or the refusal, as on a quiet server; tests of the progress page set 0.
        "INGEST_FORM_WAIT_S": 60,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        from app.cli import _init_db

        _init_db()
    return app


def stop_app(app) -> None:
    """Stop what a test portal started: the consumer thread reading its uploads, its connections."""
    from app.services import job_queue

    job_queue.stop_in_process(app)
    app.extensions["db_engine"].dispose()


@contextlib.contextmanager
def prepared_app(folder: Path, label: str, prepare):
    """A portal on a fresh database, `prepare()` run once in its app context, disposed after."""
    with fresh_database(folder, label) as url:
        app = make_app(folder, url)
        with app.app_context():
            prepare()
        try:
            yield app
        finally:
            stop_app(app)


@pytest.fixture
def app(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    yield app
    stop_app(app)


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
    from tests.factories import seed_demo

    with prepared_app(tmp_path_factory.mktemp("demo"), "t_demo", seed_demo) as app:
        yield app


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A live portal (demo data, one account and token per role) shared by one test module.

    Shared to keep the API tests fast: a test that writes through it creates datasets of its own
    (names starting `uji-`) and asserts only about those, never about totals another test changes.
    """
    from tests.support.live_portal import start_portal

    yield from start_portal(tmp_path_factory.mktemp("api"))
