"""A live portal for the API tests: the demo data and one account per role, served by a real
HTTP server on 127.0.0.1 in a background thread (the ckanapi client talks to it over TCP)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import fresh_database, live_server, make_app


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
    with fresh_database(tmp, "t_api") as url:
        app = make_app(tmp, url)
        with app.app_context():
            from app.services import users as user_service
            from tests.factories import make_users, seed_demo, user

            seed_demo()
            make_users()
            tokens = {key: user_service.create_token(user(key), "api-test")[1]
                      for key in ("sysadmin", "org_admin", "editor", "other_editor", "other_admin")}
        try:
            with live_server(app) as base:
                yield LivePortal(app, base, tokens)
        finally:
            app.extensions["db_engine"].dispose()
