"""The office's logo: the portal ships a neutral emblem; the office replaces it with its own file (LOGO_PATH, or
logo.svg / logo.png in the instance folder). However it comes, it is served as an image that can run nothing:
shown with <img> in the header and footer, and opened on its own under a sandboxing policy, never sniffed."""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import make_app

SHIPPED = Path(__file__).resolve().parent.parent / "app" / "static" / "logo.svg"
OFFICE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
              b'<rect width="10" height="10" fill="red"/></svg>')
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _logo_src(client) -> str:
    page = client.get("/").get_data(as_text=True)
    sources = re.findall(r'<img class="site-header__logo" src="([^"]+)"', page)
    assert len(sources) == 1, "the header shows the logo with one <img>"
    return sources[0]


def test_the_portal_shows_its_own_neutral_emblem_until_the_office_gives_its_logo(client):
    src = _logo_src(client)
    assert src.startswith("/logo?v=")
    answer = client.get(src)
    assert answer.status_code == 200 and answer.data == SHIPPED.read_bytes()
    assert answer.mimetype == "image/svg+xml"
    policy = answer.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_an_office_replaces_the_logo_by_putting_its_file_in_the_instance_folder(app, client):
    before = _logo_src(client)
    (Path(app.instance_path) / "logo.svg").write_bytes(OFFICE_SVG)
    after = _logo_src(client)
    answer = client.get(after)
    assert answer.data == OFFICE_SVG and answer.mimetype == "image/svg+xml"
    # its script can never run: an <img> runs no script, and opened alone the policy forbids it
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert 'alt=""' in client.get("/").get_data(as_text=True)
    assert after != before, "a replaced logo gets a new address, so browsers do not keep the old one"


def test_logo_path_points_at_the_offices_file_of_any_image_kind(tmp_path, database_url):
    own = tmp_path / "dinsos.png"
    own.write_bytes(PNG)
    app = make_app(tmp_path, database_url, LOGO_PATH=str(own))
    try:
        answer = app.test_client().get("/logo")
        assert answer.status_code == 200 and answer.data == PNG and answer.mimetype == "image/png"
    finally:
        app.extensions["db_engine"].dispose()


def test_a_logo_path_that_is_not_an_image_is_never_served(tmp_path, database_url):
    page = tmp_path / "logo.html"
    page.write_text("<script>alert(1)</script>")
    app = make_app(tmp_path, database_url, LOGO_PATH=str(page))
    try:
        answer = app.test_client().get("/logo")
        assert answer.mimetype == "image/svg+xml" and answer.data == SHIPPED.read_bytes()
    finally:
        app.extensions["db_engine"].dispose()
