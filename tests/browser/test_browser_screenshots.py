"""The screenshot sweep: every page type, public and admin, at 1280 and 360 px, in Indonesian and English, saved
as a full-page PNG into $BROWSER_SCREENSHOTS (`.ci/run` keeps them as CI artefacts); at 360 px no page may be
wider than the screen (`document.documentElement.scrollWidth` beyond the viewport means sideways scrolling of
the whole page: a table or a code block must scroll inside its own box instead).

One browser context per language and width, on the shared demo server, so the sweep stays well under a
minute and a half. The pages' look does not depend on the database engine: the sweep runs in the SQLite
pass of `scripts/test` only."""
from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

from tests.browser.conftest import TIMEOUT_MS, file_request, log_in_with_form
from tests.conftest import _postgres_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(_postgres_url()), reason="pure presentation, the same on every database: the "
                       "screenshot sweep runs once, in the SQLite pass"),
]

BENCANA = "korban-bencana-sosial-2019-2024"
WIDTHS = {"desktop": 1280, "phone": 360}
LANGS = ["id", "en"]
# Widest part of a page at 360 px, for the failure message: the elements that stick out of the screen.
WIDER_THAN_SCREEN = """() => { const w = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
        && !(e.parentElement && e.parentElement.closest('.scroll, .table-scroll, pre'))
        && !e.closest('.skip-link'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')
        + ' right=' + Math.round(e.getBoundingClientRect().right)); }"""


def _first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector!r} on {page.url}"
    return href


def _resource_path(page, server) -> str:
    with urllib.request.urlopen(server(f"/api/3/action/package_show?id={BENCANA}")) as response:
        resource = json.load(response)["result"]["resources"][0]
    return f"/dataset/{BENCANA}/resource/{resource['id']}"


def _topic(page, server) -> str:
    page.goto(server("/group"))
    return _first_href(page, "main a.card")


def _publisher(page, server) -> str:
    page.goto(server("/organization"))
    return _first_href(page, "main a.card")


def _review(page, server) -> str:
    page.goto(server(f"/admin/dataset/{BENCANA}"))
    return _first_href(page, "main a[href*='/review/']")


@pytest.fixture(scope="module")
def tracked_request(live_server, browser) -> tuple[str, str]:
    """One public request filed through the form: its number and its private tracking path."""
    context = browser.new_context(locale="id-ID")
    try:
        number, link = file_request(context.new_page(), live_server)
    finally:
        context.close()
    return number, link.removeprefix(live_server.url)


# (name, path or a function (page, server) -> path); the request pages get the tracked request's number.
PUBLIC = [
    ("home", "/"),
    ("search", "/dataset?q=bencana"),
    ("search-no-result", "/dataset?q=zzqxv+tidakada"),
    ("topics", "/group"),
    ("topic", _topic),
    ("publishers", "/organization"),
    ("publisher", _publisher),
    ("dataset", f"/dataset/{BENCANA}"),
    ("resource", _resource_path),
    ("api-docs", "/api"),
    ("login", "/user/login"),
    ("password-forgot", "/user/reset"),
    ("not-found", "/dataset/tidak-ada-dataset-ini"),
    ("request-form", "/permintaan"),
    ("request-register", "/permintaan/daftar"),
    ("request-entry", "/permintaan/daftar/{number}"),
    ("request-tracking", "{tracking}"),
    ("contact", "/kontak"),
    ("dip", "/ppid/daftar-informasi"),
    ("exempt", "/ppid/informasi-dikecualikan"),
    ("ppid-report", "/ppid/laporan"),
]
ADMIN = [
    ("admin-dashboard", "/admin/"),
    ("admin-upload", "/admin/upload"),
    ("admin-dataset", f"/admin/dataset/{BENCANA}"),
    ("admin-review", _review),
    ("admin-edit", f"/admin/dataset/{BENCANA}/edit"),
    ("admin-users", "/admin/users"),
    ("admin-audit", "/admin/audit"),
    ("admin-inbox", "/admin/permintaan/"),
    ("admin-inbox-item", "/admin/permintaan/{number}"),
    ("admin-tokens", "/admin/tokens"),
    ("admin-account", "/admin/account"),
    ("admin-incidents", "/admin/incidents"),
]


def _visit(page, server, name, target, tracked) -> int:
    if callable(target):
        path = target(page, server)
    else:
        path = target.format(number=tracked[0], tracking=tracked[1])
    answer = page.goto(server(path))
    page.wait_for_load_state("load")
    return answer.status


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_fits_the_screen_and_is_photographed(live_server, browser, screenshot_dir, tracked_request,
                                                             lang, width):
    pixels = WIDTHS[width]
    context = browser.new_context(locale="id-ID", viewport={"width": pixels, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    too_wide, wrong_status, header_search, titles = [], [], [], {}
    started = time.monotonic()
    try:
        page.goto(live_server(f"/lang/{lang}?next=/"))
        for group, pages in (("public", PUBLIC), ("admin", ADMIN)):
            if group == "admin":
                log_in_with_form(page, live_server, "sysadmin")
            for name, target in pages:
                status = _visit(page, live_server, name, target, tracked_request)
                if status != (404 if name == "not-found" else 200):
                    wrong_status.append((name, status))
                assert page.locator("html").get_attribute("lang") == lang, f"{name} is not in {lang}"
                titles[name] = page.title()
                # the header's search box on every page, but where the page itself is a search (home, search)
                expected = 0 if name in ("home", "search", "search-no-result") else 1
                if page.locator("body > header form[role=search]").count() != expected:
                    header_search.append(name)
                page.screenshot(path=str(screenshot_dir / f"{name}-{lang}-{pixels}.png"), full_page=True)
                if pixels == 360:
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    if scroll_width > pixels:
                        too_wide.append((name, scroll_width, page.evaluate(WIDER_THAN_SCREEN)))
    finally:
        context.close()
    print(f"screenshots of {len(titles)} pages ({lang}, {pixels} px) in {time.monotonic() - started:.1f} s: "
          f"{screenshot_dir}")
    assert not wrong_status, wrong_status
    assert not header_search, f"the header's search box is missing or out of place on {header_search}"
    assert not too_wide, f"wider than a {pixels} px screen: {too_wide}"
    # Every page its own title, "<page> · Portal Data Sosial NTB" (a bookmark, a tab, a search engine's result).
    untitled = {name: t for name, t in titles.items() if not t.endswith(" · Portal Data Sosial NTB")}
    assert not untitled, untitled
    shared = {t: sorted(n for n in titles if titles[n] == t) for t in titles.values()
              if list(titles.values()).count(t) > 1}
    assert not shared, f"page types sharing a title: {shared}"


def test_a_search_without_results_offers_to_request_the_data(live_server, page):
    page.goto(live_server("/dataset?q=jumlah+panti+jompo+lombok"))
    offer = page.locator("main #request-this")
    expect(offer).to_have_text("Minta data ini")
    offer.click()
    page.wait_for_url(re.compile(r"/permintaan\?"))
    expect(page.locator("#subject")).to_have_value("jumlah panti jompo lombok")
    expect(page).to_have_title(re.compile(r"^Permohonan informasi · Portal Data Sosial NTB$"))


@pytest.mark.parametrize("path", ["/login", "/masuk"])
def test_the_addresses_people_type_for_the_login_page_lead_to_it(live_server, page, path):
    page.goto(live_server(path))
    assert page.url.startswith(live_server("/user/login")), page.url
    expect(page.locator("main #email")).to_be_visible()


def test_a_mistyped_address_offers_a_search_suggestions_and_a_way_on(live_server, page):
    answer = page.goto(live_server("/dataset/jumlah-lks-kabupaten"))
    assert answer.status == 404
    expect(page).to_have_title("Tidak ditemukan (404) · Portal Data Sosial NTB")
    expect(page.locator("#suggestions a").first).to_be_visible()
    expect(page.locator("main a[href='/permintaan']")).to_have_text("Minta data")
    # the header keeps its own search box on the error page too, named apart from the page's
    expect(page.locator("header form[role=search]")).to_have_attribute("aria-label", "Cari di portal")
