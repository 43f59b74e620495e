"""WCAG 2.1 AA, checked the way an auditor would: axe-core runs in Chromium over every kind of page, public and
admin, in Indonesian and in English, at 1280 px, and finds nothing critical or serious (the rest is printed). Beside
axe, what a keyboard or screen-reader user meets first: a skip link, a visible focus ring, the current menu item and
the chosen filters announced as such, and scrolling tables that can be reached and are named.

axe-core is the vendored, pinned `vendor/axe.min.js` (see vendor/README.md). The portal's Content-Security-Policy
allows only its own scripts, so the axe pages run in a browser context that bypasses the policy; the policy itself
is tested in test_browser_csp.py."""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

from tests.browser.conftest import TIMEOUT_MS, file_request, log_in_with_form

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"
# WCAG 2.0/2.1 A and AA, plus axe's best practices (landmarks, heading order, skip link), which the issue names.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Best-practice rules of only "moderate" impact that the issue asks for all the same: none of these either.
ALSO_REQUIRED = {"heading-order", "landmark-unique", "landmark-one-main", "page-has-heading-one", "region",
                 "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "skip-link"}
BENCANA = "korban-bencana-sosial-2019-2024"


def _first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link {selector!r} on {page.url}"
    return href


def _resource_path(server) -> str:
    with urllib.request.urlopen(server(f"/api/3/action/package_show?id={BENCANA}")) as response:
        resource = json.load(response)["result"]["resources"][0]
    return f"/dataset/{BENCANA}/resource/{resource['id']}"


def _filtered_search(page, server, _filed) -> str:
    page.goto(server("/dataset?q=bencana"))
    return _first_href(page, "ul[data-facet=topic] a")


def _topic(page, server, _filed) -> str:
    page.goto(server("/group"))
    return _first_href(page, "main a.card")


def _publisher(page, server, _filed) -> str:
    page.goto(server("/organization"))
    return _first_href(page, "main a.card")


def _stay(_result) -> None:
    """No address to go to: the page the step ended on is the one to check."""
    return None


@pytest.fixture(scope="module")
def filed_request(live_server, browser):
    """One public request on the shared server, for its tracking, register and inbox pages."""
    context = browser.new_context(locale="id-ID")
    try:
        number, link = file_request(context.new_page(), live_server)
    finally:
        context.close()
    return number, link.removeprefix(live_server.url)


def _review(page, server, _filed) -> str:
    page.goto(server(f"/admin/dataset/{BENCANA}"))
    return _first_href(page, "main a[href*='/review/']")


# (name, path or a function (page, server, filed) -> path, or None when it leaves the page there; `filed()` gives the
# filed_request fixture's number and tracking path); every public page type, then every admin page type.
PUBLIC = [
    ("home", "/"),
    ("search", "/dataset?q=bencana"),
    ("search-filtered", _filtered_search),
    ("search-no-result", "/dataset?q=zzqxv+tidakada"),
    ("dataset", f"/dataset/{BENCANA}"),
    ("resource", lambda page, server, _filed: _resource_path(server)),
    ("topics", "/group"),
    ("topic", _topic),
    ("publishers", "/organization"),
    ("publisher", _publisher),
    ("api-docs", "/api"),
    ("login", "/user/login"),
    ("password-forgot", "/user/reset"),
    ("not-found", "/dataset/tidak-ada-dataset-ini"),
    ("request-form", "/permintaan"),
    ("request-filed", lambda page, server, _filed: _stay(file_request(page, server))),
    ("request-tracking", lambda page, server, filed: filed()[1]),
    ("request-register", "/permintaan/daftar"),
    ("request-entry", lambda page, server, filed: f"/permintaan/daftar/{filed()[0]}"),
    ("contact", "/kontak"),
]
ADMIN = [
    ("dashboard", "/admin/"),
    ("upload", "/admin/upload"),
    ("dataset-admin", f"/admin/dataset/{BENCANA}"),
    ("review", _review),
    ("edit", f"/admin/dataset/{BENCANA}/edit"),
    ("tokens", "/admin/tokens"),
    ("users", "/admin/users"),
    ("account", "/admin/account"),
    ("incidents", "/admin/incidents"),
    ("inbox", "/admin/permintaan/"),
    ("inbox-item", lambda page, server, filed: f"/admin/permintaan/{filed()[0]}"),
]
LANGS = ["id", "en"]


@pytest.fixture
def axe_page(browser):
    """A fresh 1280 px page whose context ignores the Content-Security-Policy, so that axe can be injected."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _use_language(page, server, lang: str) -> None:
    page.goto(server(f"/lang/{lang}?next=/"))


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5], "count": len(v["nodes"])} for v in result["violations"]]


def _blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("critical", "serious") or v["id"] in ALSO_REQUIRED]


SCROLL_AREAS_WITHOUT_NAME = """areas => areas.filter(a => a.tabIndex !== 0 || a.getAttribute('role') !== 'region'
    || !(a.getAttribute('aria-label') || '').trim()).map(a => a.outerHTML.slice(0, 100))"""


def _check(page, server, name: str, target, lang: str, request) -> None:
    path = target(page, server, lambda: request.getfixturevalue("filed_request")) if callable(target) else target
    if path is not None:
        answer = page.goto(server(path))
        assert answer.status == (404 if name == "not-found" else 200), (name, path, answer.status)
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == lang, f"{name} is not in {lang}"
    if name == "resource":
        assert page.locator("#chart-image").count() == 1 and page.locator("table.data").count() > 0
    violations = run_axe(page)
    for v in violations:
        print(f"{lang} {name}: {v['impact']} {v['id']} x{v['count']}: {v['help']} {v['nodes']}")
    blocking = _blocking(violations)
    assert not blocking, f"{lang} {path}: " + json.dumps(blocking, indent=1, ensure_ascii=False)
    # axe only asks this of an area that overflows now; every table area may overflow on a narrower screen.
    unnamed = page.locator("main :is(.scroll, .table-scroll)").evaluate_all(SCROLL_AREAS_WITHOUT_NAME)
    assert not unnamed, f"{lang} {path}: scroll areas not focusable or not named: {unnamed}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name,target", PUBLIC, ids=[p[0] for p in PUBLIC])
def test_public_page_has_no_serious_accessibility_violation(live_server, axe_page, name, target, lang, request):
    _use_language(axe_page, live_server, lang)
    _check(axe_page, live_server, name, target, lang, request)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name,target", ADMIN, ids=[p[0] for p in ADMIN])
def test_admin_page_has_no_serious_accessibility_violation(live_server, axe_page, name, target, lang, request):
    _use_language(axe_page, live_server, lang)
    log_in_with_form(axe_page, live_server, "sysadmin")
    _check(axe_page, live_server, name, target, lang, request)


def test_axe_finds_what_it_is_here_for(live_server, axe_page):
    # The check can fail: a page with an unlabelled field, an image without text, two navigations of one name
    # and a heading jumping from h1 to h5.
    axe_page.goto(live_server("/"))
    axe_page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<input type=text><img src=/static/favicon.svg><nav><a href=/>x</a></nav><nav><a href=/>y</a></nav><h5>deep</h5>')""")
    found = {v["id"] for v in _blocking(run_axe(axe_page))}
    assert {"label", "image-alt", "landmark-unique", "heading-order"} <= found, found


def test_the_first_tab_shows_a_skip_link_that_moves_to_the_content(live_server, page):
    page.goto(live_server("/dataset?q=bencana"))
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Langsung ke isi")
    expect(focused).to_have_attribute("href", "#content")
    expect(focused).to_be_visible()
    box = focused.bounding_box()
    assert box["width"] > 20 and box["height"] > 10 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the content, not back in the header
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_hidden_skip_link_stays_out_of_sight_until_focused(live_server, page):
    page.goto(live_server("/"))
    link = page.locator("a.skip-link")
    box = link.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0 or box["width"] <= 1, box


FOCUS_RING = """el => { const s = getComputedStyle(el);
    return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, shadow: s.boxShadow}; }"""


@pytest.mark.parametrize("selector", ["main form.searchbox button", "main .result h3 a", "body > header nav a",
                                      "#lang-switch a", "main ul[data-facet] a"])
def test_keyboard_focus_is_visible(live_server, page, selector):
    page.goto(live_server("/dataset?q=bencana"))
    target = page.locator(selector).first
    target.focus()
    page.keyboard.press("Shift+Tab")  # a keyboard move, so that :focus-visible applies
    page.keyboard.press("Tab")
    expect(target).to_be_focused()
    ring = target.evaluate(FOCUS_RING)
    assert ring["style"] not in ("none", "") and ring["width"] >= 2, (selector, ring)


@pytest.mark.parametrize("path,label", [("/dataset", "Dataset"), ("/group", "Topik"), ("/organization", "Produsen Data"),
                                        ("/api", "API")])
def test_the_header_marks_the_current_section(live_server, page, path, label):
    page.goto(live_server(path))
    current = page.locator("body > header nav a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_text(label)
    page.goto(live_server("/"))
    expect(page.locator("body > header nav a[aria-current]")).to_have_count(0)


def test_a_chosen_filter_is_announced_as_chosen(live_server, page):
    page.goto(live_server("/dataset?q=bencana"))
    topic = page.locator("ul[data-facet=topic] a").first
    expect(topic).not_to_have_attribute("aria-current", re.compile("."))
    topic.click()
    page.wait_for_load_state()
    chosen = page.locator("ul[data-facet=topic] a[aria-current=true]")
    expect(chosen).to_have_count(1)
    expect(page.locator("ul[data-facet=topic] a:not([aria-current])")).not_to_have_count(0)
    expect(page.locator("#lang-switch a[aria-current=true]")).to_have_text("ID")
