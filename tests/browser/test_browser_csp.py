"""The Content-Security-Policy breaks no page: Chromium loads the home page, a dataset page and a
resource page with its chart, and reports no refused script, style or frame."""
from __future__ import annotations

import json
import urllib.request

import pytest

BENCANA = "korban-bencana-sosial-2019-2024"
LISTEN = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def test_the_policy_refuses_nothing_on_the_public_pages(live_server, page):
    with urllib.request.urlopen(live_server(f"/api/3/action/package_show?id={BENCANA}")) as response:
        resource = json.load(response)["result"]["resources"][0]
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Refused to" in msg.text else None)
    page.add_init_script(f"({LISTEN})()")
    for path in ("/", f"/dataset/{BENCANA}", f"/dataset/{BENCANA}/resource/{resource['id']}"):
        answer = page.goto(live_server(path))
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        page.wait_for_load_state("load")
        refused += page.evaluate("window.__violations")
        if path != "/":  # the dataset and the resource page each draw a chart (an SVG through <img>)
            assert page.locator("#chart-image").evaluate("img => img.complete && img.naturalWidth") > 0, path
    assert not refused, refused


def test_the_listener_hears_a_refusal(live_server, page):
    # The check above can fail: a style element the policy forbids is reported as a violation event
    # (Chromium's own "Refused to ..." log line does not reach Playwright's console event; kept above anyway).
    page.add_init_script(f"({LISTEN})()")
    page.goto(live_server("/"))
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>body{color:red}</style>')")
    page.wait_for_function("window.__violations.length > 0")
    assert any("style-src" in v for v in page.evaluate("window.__violations"))


@pytest.mark.parametrize("width", [1280, 360])
def test_the_chart_is_drawn_on_a_desktop_and_on_a_phone(live_server, page, width, screenshot):
    # At 360 px the phone drawing (360 units wide, larger labels) is the one shown, at its own size.
    page.set_viewport_size({"width": width, "height": 900})
    with urllib.request.urlopen(live_server(f"/api/3/action/package_show?id={BENCANA}")) as response:
        resource = json.load(response)["result"]["resources"][0]
    refused = []
    page.add_init_script(f"({LISTEN})()")
    for name, path in (("dataset", f"/dataset/{BENCANA}"),
                       ("resource", f"/dataset/{BENCANA}/resource/{resource['id']}?chart_x=kode_kabupaten_kota")):
        page.goto(live_server(path))
        image = page.locator("#chart-image")
        page.wait_for_function("() => document.querySelector('#chart-image').complete")
        drawn = image.evaluate("img => ({src: img.currentSrc, natural: img.naturalWidth})")
        assert drawn["natural"] > 0, drawn
        assert ("size=narrow" in drawn["src"]) == (width < 600), drawn
        box = image.bounding_box()
        assert box["width"] > (300 if width < 600 else 600), (name, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} wider than the screen"
        image.scroll_into_view_if_needed()
        screenshot(f"{name}-{width}")
        refused += page.evaluate("window.__violations")
    assert not refused, refused
