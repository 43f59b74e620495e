"""The stylesheet cannot restyle the page frame by accident: a chart's `.bar { height: 14px }` once
collapsed the site header on every page. The header and footer are styled only under their own block,
and every component element class (`.chart__bar`) only inside its component (`.chart`)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "app" / "static" / "style.css"
BASE = ROOT / "app" / "templates" / "base.html"
FRAME_BLOCKS = ("site-header", "site-footer")


def _selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for head in re.findall(r"([^{}]+)\{", css):
        head = head.strip()
        if head.startswith("@"):
            continue  # @media (...) opens a block of ordinary rules, read on their own
        out.extend(s.strip() for s in head.split(",") if s.strip())
    return out


def _classes(selector: str) -> list[str]:
    return re.findall(r"\.([A-Za-z_][\w-]*)", selector)


def _frame_classes() -> set[str]:
    html = BASE.read_text(encoding="utf-8")
    frame = "".join(re.findall(r"<header\b.*?</header>|<footer\b.*?</footer>", html, re.S))
    found = set()
    for attr in re.findall(r'class="([^"{]*)', frame):
        found.update(attr.split())
    return found - {"active"}


def test_the_page_frame_uses_only_its_own_block_classes():
    classes = _frame_classes()
    assert {"site-header", "site-header__inner", "site-footer"} <= classes
    stray = [c for c in classes if not c.startswith(FRAME_BLOCKS)]
    assert not stray, f"header/footer classes outside the site-header/site-footer blocks: {stray}"


def _frame_leaks(css: str, frame: set[str]) -> list[str]:
    """The selectors that reach a class of the page frame without starting at the frame's block."""
    leaks = []
    for selector in _selectors(css):
        touched = set(_classes(selector)) & frame
        first = _classes(selector.split()[0]) if selector.split() else []
        if touched and not set(first) & set(FRAME_BLOCKS):
            leaks.append(selector)
    return leaks


def test_no_rule_outside_the_frame_can_reach_the_header_or_footer():
    leaks = _frame_leaks(CSS.read_text(encoding="utf-8"), _frame_classes())
    assert not leaks, f"rules that reach the page frame without starting at its block: {leaks}"


def test_component_element_classes_are_styled_only_inside_their_component():
    unscoped = []
    for selector in _selectors(CSS.read_text(encoding="utf-8")):
        for cls in _classes(selector):
            if "__" not in cls:
                continue
            block = cls.split("__")[0]
            ancestors = selector.split(cls)[0]
            if not re.search(rf"\.{re.escape(block)}(?![\w-])", ancestors):
                unscoped.append(selector)
    assert not unscoped, f"element classes styled outside their block: {unscoped}"


def test_the_rules_catch_the_bug_they_are_for():
    # The regression itself: a bare component rule on a class the header uses is reported.
    # The regression itself, in the old markup: a header <div class="bar"> and the chart's bare .bar rule.
    old_css = ".bar { display: block; height: 14px; } .site-header .site-header__inner { display: flex; }"
    assert _frame_leaks(old_css, _frame_classes() | {"bar"}) == [".bar"]
    assert _selectors("@media (max-width: 800px) { .chart .chart__bar { height: 8px } }") == [".chart .chart__bar"]
