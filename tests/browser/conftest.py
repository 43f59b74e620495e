"""Browser fixtures: the portal served on 127.0.0.1 by a real WSGI server, driven by Debian's chromium.

Playwright's sync API only (no pytest-playwright plugin); never `playwright install`: the browser is
/usr/bin/chromium. Without it the tests skip locally but fail when CI is set, so CI cannot pass silently.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import fresh_database, live_server as serve_app, make_app

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = 20_000


def _unavailable(reason: str):
    """Skip on a developer machine; fail on CI, where the browser tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class Portal:
    app: object
    url: str
    users: dict

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@contextlib.contextmanager
def _serve(folder: Path, *, demo: bool):
    from tests.factories import make_users, seed_demo

    with fresh_database(folder, "t_browser") as url:
        # every browser test reaches the portal from 127.0.0.1: the public forms' per-address limit
        # (tested in tests/test_public_asks_the_office.py) would otherwise count them all together
        app = make_app(folder, url, PUBLIC_FORM_LIMIT="1000/hour")
        with app.app_context():
            if demo:
                seed_demo()
            users = make_users()
        try:
            with serve_app(app) as base:
                yield Portal(app, base, users)
        finally:
            app.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal with the demo data and one account per role, shared by the read-only tests."""
    with _serve(tmp_path_factory.mktemp("browser_demo"), demo=True) as server:
        yield server


@pytest.fixture
def fresh_live_server(tmp_path):
    """An empty portal (catalog and accounts only), for tests that publish through the pages."""
    with _serve(tmp_path, demo=False) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A new page in a fresh context: no cookies or language carried over from another test."""
    context = browser.new_context(accept_downloads=True, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def visitor_page(browser):
    """A second, anonymous reader beside `page` (e.g. the public while an admin is logged in)."""
    context = browser.new_context(accept_downloads=True, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def log_in(page):
    """Log `page` in through the login form as one of the server's accounts (a `make_users` role key)."""

    def log_in_as(server: Portal, role: str) -> None:
        log_in_with_form(page, server, role)

    return log_in_as


def log_in_with_form(page, server: Portal, role: str) -> None:
    """The login form's steps, for a page the `log_in` fixture does not own (a module's own context)."""
    email, password = server.users[role]
    page.goto(server("/user/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/?$"))


def file_request(page, server: Portal) -> tuple[str, str]:
    """File a public information request through the form; on the "filed" page, return its number and
    tracking link. (The public forms allow 5 an hour from one address.)"""
    page.goto(server("/permintaan"))
    page.locator("#subject").fill("Jumlah LKS per kabupaten 2024")
    page.locator("#purpose").fill("Penelitian")
    page.locator("#name").fill("Baiq Nurul")
    page.locator("#contact").fill("baiq.nurul@example.com")
    page.locator("input[name=is_public]").check()
    page.locator("#request-form button[type=submit]").click()
    number = page.locator("#request-number").inner_text()
    return number, page.locator("#tracking-link").get_attribute("href")


@pytest.fixture
def log_out(page):
    """Log `page` out with the header's button."""

    def log_out_now() -> None:
        page.locator("header form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))

    return log_out_now


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def screenshot(page, screenshot_dir, request):
    """Call once per test: a full-page screenshot named after the test (of `page`, or of `of`)."""

    def take(label: str = "", of=None) -> Path:
        path = screenshot_dir / f"{request.node.name}{'-' + label if label else ''}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    return take


@pytest.fixture
def read_csv_download():
    """The rows of a downloaded CSV file (strict UTF-8: a byte-order mark would show in the first cell)."""

    def read(download) -> list[list[str]]:
        body = Path(download.path()).read_bytes().decode("utf-8")
        return list(csv.reader(io.StringIO(body)))

    return read
