"""A live portal for the API tests: the demo data and one account per role, served by a real
HTTP server on 127.0.0.1 in a background thread (the ckanapi client talks to it over TCP)."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app


@dataclass
class LivePortal:
    app: object
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def ckan(self, who: str | None = None):
        from ckanapi import RemoteCKAN

        return RemoteCKAN(self.url, apikey=self.tokens[who] if who else None)


def start_portal(tmp: Path):
    """Seed a portal, create users and their API tokens, serve it; yield a LivePortal."""
    app = make_app(tmp, f"sqlite:///{tmp / 'portal.sqlite'}")
    with app.app_context():
        from app.services import users as user_service
        from tests.factories import make_users, seed_demo, user

        seed_demo()
        make_users()
        tokens = {key: user_service.create_token(user(key), "api-test")[1]
                  for key in ("sysadmin", "org_admin", "editor", "other_editor", "other_admin")}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LivePortal(app, f"http://127.0.0.1:{server.server_port}", tokens)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("api"))
