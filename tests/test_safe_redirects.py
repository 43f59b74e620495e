"""The language switch and the login go back only to pages of this site: never an open redirect."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

HOSTILE = ["/%09/evil.example", "/%0a/evil.example", "//evil.example", "/%5Cevil.example", "%5C%5Cevil.example",
           "https://evil.example/", "/%0d%0aSet-Cookie:x=1", "javascript:alert(1)", "/\t/evil.example"]


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return parts.netloc in ("", "localhost") and not location.startswith("//") and "\t" not in location


@pytest.mark.parametrize("target", HOSTILE)
def test_the_language_switch_never_sends_a_reader_off_site(client, target):
    resp = client.get(f"/lang/en?next={target}")
    assert resp.status_code == 302
    assert _stays_here(resp.headers["Location"]), resp.headers["Location"]


def test_the_language_switch_goes_back_to_the_page_the_reader_was_on(client):
    resp = client.get("/lang/en?next=/dataset%3Fq%3Dbencana")
    assert resp.status_code == 302 and resp.headers["Location"] == "/dataset?q=bencana"


@pytest.mark.parametrize("target", HOSTILE + [""])
def test_login_never_sends_the_user_off_site(client, users, target):
    email, password = users["org_admin"]
    resp = client.post(f"/user/login?next={target}", data={"email": email, "password": password})
    assert resp.status_code == 302
    assert _stays_here(resp.headers["Location"]) and resp.headers["Location"].endswith("/admin/")


def test_login_goes_on_to_the_admin_page_it_was_asked_for(client, users):
    email, password = users["org_admin"]
    resp = client.post("/user/login?next=/admin/upload", data={"email": email, "password": password})
    assert resp.headers["Location"] == "/admin/upload"
