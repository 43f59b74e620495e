"""The site header, measured in a real browser at a desktop and a phone width: tall enough, every link visible,
clickable (nothing on top of it) and readable (WCAG contrast of at least 4.5:1 against what is behind it).

A page's own component classes once restyled the header (a chart's `.bar {height:14px}` collapsed the header's
`<div class="bar">`), so the resource page, which has a chart, is measured as well as the home page."""
from __future__ import annotations

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BENCANA = "korban-bencana-sosial-2019-2024"
MIN_HEIGHT = 48
MIN_CONTRAST = 4.5

# The site header is the page's top-level <header> (its class was `site`, renamed `site-header` with the fix).
HEADER = "body > header"

# For each header link: where it is, what is at its centre, its text colour, and the colours behind it from the
# link outwards down to the first opaque one (so that a translucent background is composited correctly).
MEASURE_LINKS = """header => [...header.querySelectorAll('a')].map(a => {
    const r = a.getBoundingClientRect();
    const style = getComputedStyle(a);
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const layers = [];
    for (let n = a; n; n = n.parentElement) {
        const bg = getComputedStyle(n).backgroundColor;
        layers.push(bg);
        if (/^rgb\\(/.test(bg) || /^rgba\\(.*,\\s*1\\)$/.test(bg)) break;
    }
    return {
        text: a.innerText.trim(), href: a.getAttribute('href'),
        left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
        display: style.display, visibility: style.visibility, opacity: parseFloat(style.opacity),
        hit: hit === null ? null : (hit === a || a.contains(hit)) ? 'self' : hit.outerHTML.slice(0, 120),
        color: style.color, layers: layers,
        viewport: [window.innerWidth, window.innerHeight],
    };
})"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    if not css.startswith("rgb") or len(numbers) < 3:
        raise AssertionError(f"cannot read the colour {css!r}")
    return (numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0)


def _over(top: tuple, bottom: tuple) -> tuple:
    """`top` composited over an opaque `bottom`."""
    a = top[3]
    return tuple(top[i] * a + bottom[i] * (1 - a) for i in range(3)) + (1.0,)


def _background(layers: list[str]) -> tuple:
    colour = (255.0, 255.0, 255.0, 1.0)  # the canvas, if every layer is transparent
    for css in reversed(layers):
        colour = _over(_rgba(css), colour)
    return colour


def _luminance(rgb: tuple) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple, b: tuple) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag_examples():
    white, black = (255, 255, 255, 1), (0, 0, 0, 1)
    assert _contrast(white, black) == pytest.approx(21)
    assert _contrast((118, 118, 118, 1), white) == pytest.approx(4.54, abs=0.01)  # #767676, the 4.5 boundary
    assert _background(["rgba(0, 0, 0, 0)", "rgb(11, 110, 79)"]) == (11, 110, 79, 1.0)


@pytest.fixture(scope="module")
def resource_path(live_server):
    """The bencana table's page (it has a chart)."""
    with urllib.request.urlopen(live_server(f"/api/3/action/package_show?id={BENCANA}")) as response:
        resource = json.load(response)["result"]["resources"][0]
    return f"/dataset/{BENCANA}/resource/{resource['id']}"


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("where", ["home", "resource"])
def test_visitor_sees_a_full_readable_header_with_every_link_clickable(live_server, resource_path, page, screenshot,
                                                                     where, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server("/" if where == "home" else resource_path))
    if where == "resource":
        assert page.locator("figure.chart #chart-image").count() == 1, "the resource page should show its chart"
    header = page.locator(HEADER)
    assert header.count() == 1, "no site header"
    screenshot()

    box = header.bounding_box()
    assert box, "the header is not rendered"
    problems = [] if box["height"] >= MIN_HEIGHT else [f"the header is {box['height']}px high, under {MIN_HEIGHT}px"]

    links = header.evaluate(MEASURE_LINKS)
    hrefs = [link["href"] for link in links]
    assert len(links) >= 7, f"expected the brand, the menu and the ID/EN switch, found {hrefs}"
    assert any("/lang/id" in h for h in hrefs) and any("/lang/en" in h for h in hrefs), hrefs
    assert "/dataset" in hrefs and "/user/login" in hrefs, hrefs

    header_background = _background([header.evaluate("h => getComputedStyle(h).backgroundColor")])
    for link in links:
        name = f"{link['text']!r} ({link['href']})"
        vw, vh = link["viewport"]
        if (link["width"] < 1 or link["height"] < 1 or link["display"] == "none" or link["visibility"] != "visible"
                or link["opacity"] == 0):
            problems.append(f"{name} is not visible: {link}")
            continue
        if link["left"] < 0 or link["right"] > vw or link["top"] < 0 or link["bottom"] > vh:
            problems.append(f"{name} is outside the {vw}x{vh} viewport: x {link['left']:.0f}-{link['right']:.0f}, "
                            f"y {link['top']:.0f}-{link['bottom']:.0f}")
        if not (box["y"] <= link["top"] and link["bottom"] <= box["y"] + box["height"]):
            problems.append(f"{name} sticks out of the header (y 0-{box['height']:.0f}): "
                            f"y {link['top']:.0f}-{link['bottom']:.0f}")
        if link["hit"] != "self":
            problems.append(f"{name} is covered at its centre by {link['hit']}")
        text = _rgba(link["color"])
        behind = _background(link["layers"])
        text_colour = _over(text, behind)
        ratio = _contrast(text_colour, behind)
        if ratio < MIN_CONTRAST:
            problems.append(f"{name}: contrast {ratio:.2f} of {link['color']} on {behind} "
                            f"(header background {header_background})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("where", ["home", "search", "dataset", "resource", "topics"])
def test_no_public_page_is_wider_than_a_phone(live_server, resource_path, page, where):
    # The dataset page's metadata grid (a 220 px label column) once pushed the page to 385 px at 360.
    page.set_viewport_size({"width": 360, "height": 800})
    path = {"home": "/", "search": "/dataset?q=bencana", "dataset": f"/dataset/{BENCANA}",
            "resource": resource_path, "topics": "/group"}[where]
    assert page.goto(live_server(path)).status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-scroll, .scroll, [data-scroll]'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    assert width <= 360, (where, width, wide)


def test_on_a_phone_the_results_come_before_the_filters(live_server, page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server("/dataset?topic=bencana-sosial"))
    first = page.locator("main .result").first
    assert first.bounding_box()["y"] + 40 < 800, "the first result is on the first screen"
    toggle = page.locator("#filters > summary")
    expect(toggle).to_be_visible()
    expect(toggle).to_contain_text("1 aktif")
    expect(page.locator("#filters aside")).to_be_hidden()
    toggle.click()
    expect(page.locator("#filters aside [data-facet=topic]")).to_be_visible()


def test_on_a_wide_screen_the_filters_stay_beside_the_results(live_server, page):
    page.goto(live_server("/dataset"))
    expect(page.locator("#filters > summary")).to_be_hidden()
    facets = page.locator("#filters aside").bounding_box()
    results = page.locator("main .result").first.bounding_box()
    assert facets["x"] + facets["width"] <= results["x"] and abs(facets["y"] - results["y"]) < 200


def test_the_not_found_page_suggests_datasets_and_a_search(live_server, page):
    resp = page.goto(live_server("/dataset/korban-bencana-sosial-2023"))
    assert resp.status == 404
    expect(page.locator("#suggestions a").first).to_contain_text("Bencana")
    page.locator("#notfound-search input[name=q]").fill("lks")
    page.locator("#notfound-search button").click()
    page.wait_for_url(re.compile(r"/dataset\?q=lks"))
    expect(page.locator("main .result").first).to_be_visible()
