"""A logged-in user makes an API token in the admin pages, uses it on the API, and revokes it."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import text

from tests.factories import ORG

TOKEN_RE = re.compile(r"ntb_[A-Za-z0-9_-]{20,}")


def _api_create(app, token: str, name: str):
    """package_create from a client with no session cookie: only the token speaks."""
    return app.test_client().post("/api/3/action/package_create", headers={"Authorization": f"Bearer {token}"},
                                  json={"name": name, "title": f"Uji token {name}", "owner_org": ORG})


def _stored_tokens(app) -> list[dict]:
    with app.extensions["db_engine"].connect() as con:
        return [dict(row._mapping) for row in con.execute(text("SELECT * FROM api_token"))]


def test_user_creates_a_token_sees_it_once_uses_it_and_revokes_it(app, client, auth):
    auth.login("editor")
    created = client.post("/admin/tokens", data={"name": "analisis bulanan"})
    assert created.status_code == 302 and created.headers["Location"].endswith("/admin/tokens")

    page = client.get("/admin/tokens")
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert 'id="new-token"' in html and "analisis bulanan" in html
    shown = TOKEN_RE.findall(html)
    assert len(set(shown)) == 1
    raw = shown[0]

    # A reload shows the name but never the token again, and makes no second token.
    again = client.get("/admin/tokens").get_data(as_text=True)
    assert raw not in again and 'id="new-token"' not in again and "analisis bulanan" in again
    stored = _stored_tokens(app)
    assert len(stored) == 1
    # Only the hash is kept: the raw token is in no column.
    assert stored[0]["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert not any(raw in str(value) for value in stored[0].values())

    ok = _api_create(app, raw, "uji-token-ui")
    assert ok.status_code == 200 and ok.get_json()["result"]["state"] == "draft"

    token_id = stored[0]["id"]
    assert f"/admin/tokens/{token_id}/revoke" in again
    revoked = client.post(f"/admin/tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert "analisis bulanan" not in listing and f"/admin/tokens/{token_id}/revoke" not in listing

    refused = _api_create(app, raw, "uji-token-dicabut")
    assert refused.status_code == 403
    body = refused.get_json()
    assert body["success"] is False and body["error"]["__type"] == "Authorization Error"


def test_a_token_is_revoked_only_by_its_owner(app, client, auth):
    auth.login("editor")
    client.post("/admin/tokens", data={"name": "milik editor"})
    raw = TOKEN_RE.search(client.get("/admin/tokens").get_data(as_text=True)).group(0)
    token_id = _stored_tokens(app)[0]["id"]
    auth.logout()

    auth.login("other_editor")
    assert "milik editor" not in client.get("/admin/tokens").get_data(as_text=True)
    assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 404
    assert _stored_tokens(app)[0]["revoked"] in (False, 0)
    assert _api_create(app, raw, "uji-token-tetap").status_code == 200
