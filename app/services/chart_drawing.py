"""A chart drawn as SVG (pygal) and PNG (CairoSVG), on the server: no chart script, no CDN.

The SVG is a picture, not a program: pygal's own scripts (its config and tooltips) are
removed, and so are its tooltips' style attributes, so the file runs nothing wherever it is
opened. It scales by its viewBox; a narrow drawing (`narrow=True`) is laid out for a
360 px phone: fewer, larger labels, region names shortened ("Kab. Lombok Barat").
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from .charts import Chart

SVG_NS = "http://www.w3.org/2000/svg"
ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")

_FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
_STYLE = dict(background="#ffffff", plot_background="#ffffff", foreground="#1f2933", foreground_strong="#1f2933",
              foreground_subtle="#d5dbe1", colors=("#0b6e4f", "#c8553d", "#2f6690", "#f2a541"),
              font_family=_FONT, label_font_family=_FONT, major_label_font_family=_FONT,
              value_font_family=_FONT, value_label_font_family=_FONT, title_font_family=_FONT,
              legend_font_family=_FONT, tooltip_font_family=_FONT, no_data_font_family=_FONT,
              opacity="1", opacity_hover="1", transition="0s", value_colors=("#1f2933",),
              guide_stroke_dasharray="0", major_guide_stroke_dasharray="0", guide_stroke_color="#e4e7eb",
              major_guide_stroke_color="#cbd2d9")
# A line readers can follow, and values in the plot's own ink.
_EXTRA_CSS = "inline:svg .series path.line{stroke-width:3px !important} svg .text-overlay text.value{fill:#1f2933}"
WIDE = {"width": 800, "title": 20, "label": 14, "value": 13, "row": 30}
NARROW = {"width": 360, "title": 17, "label": 14, "value": 13, "row": 34}
_SHORT = [(re.compile(r"^Kabupaten "), "Kab. "), (re.compile(r"^Provinsi "), "Prov. ")]


def _number(value: float, lang: str) -> str:
    thousands, point = (".", ",") if lang == "id" else (",", ".")
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) and not value.is_integer() \
        else f"{int(value):,}"
    return text.translate(str.maketrans({",": thousands, ".": point}))


def _formatter(values: list[float], lang: str):
    """How the picture writes its numbers: 27.491.250.000 reads as "27,49 miliar" when the figures
    run into millions or billions (the table of figures keeps every digit)."""
    top = max((abs(v) for v in values), default=0)
    for size, word in ((1e12, _("trillion")), (1e9, _("billion")), (1e6, _("million"))):
        if top >= size:
            return lambda v: f"{_number(round(v / size, 2), lang)} {word}"
    return lambda v: _number(v, lang)


def _short(label: str) -> str:
    for pattern, short in _SHORT:
        label = pattern.sub(short, label)
    return label if len(label) <= 20 else label[:19] + "…"


def _pygal_chart(chart: Chart, narrow: bool, lang: str):
    size = NARROW if narrow else WIDE
    n = max(1, len(chart.points))
    style = Style(**_STYLE, title_font_size=size["title"], label_font_size=size["label"],
                  major_label_font_size=size["label"], value_font_size=size["value"],
                  value_label_font_size=size["value"], legend_font_size=size["label"],
                  tooltip_font_size=size["label"])
    labels = [(_short(p.label) if narrow else p.label) for p in chart.points]
    common = dict(style=style, width=size["width"], js=[], disable_xml_declaration=True, show_legend=False,
                  explicit_size=False, title=_wrap(chart.title, 34 if narrow else 70), print_values=True,
                  value_formatter=_formatter([p.value for p in chart.points], lang), margin=12, spacing=8, print_values_position="top",
                  show_y_guides=True, show_x_guides=False, include_x_axis=True,
                  truncate_label=-1, truncate_legend=-1, tooltip_border_radius=0,
                  css=["file://style.css", "file://graph.css", _EXTRA_CSS])
    if chart.kind == "bar":
        height = 150 + size["row"] * n
        drawn = pygal.HorizontalBar(height=height, x_title=chart.value_label, y_title=None,
                                    range=_bar_range(chart, labels, size, common["value_formatter"]), **common)
        drawn.show_x_labels = False  # each bar's value is printed after it: no scale to read across
    elif chart.kind == "column":
        drawn = pygal.Bar(height=420 if not narrow else 400, x_title=chart.group_label, y_title=chart.value_label,
                          x_label_rotation=_rotation(labels, narrow), **common)
        drawn.print_values = n <= (8 if narrow else 16)
    else:
        drawn = pygal.Line(height=420 if not narrow else 360, x_title=chart.group_label, y_title=chart.value_label,
                           x_label_rotation=_rotation(labels, narrow), dots_size=4, stroke_style={"width": 3},
                           margin_right=34, **common)  # room for the last point's value
        drawn.print_values = n <= (6 if narrow else 14)
    drawn.value_formatter = _formatter([p.value for p in chart.points], lang)
    values = [p.value for p in chart.points]
    if chart.kind == "bar":  # pygal draws the first bar at the bottom: the largest goes on top
        labels, values = labels[::-1], values[::-1]
    drawn.x_labels = labels
    drawn.add(chart.value_label, values)
    return drawn


def _bar_range(chart: Chart, labels: list[str], size: dict, formatter) -> tuple[float, float]:
    """The value axis of horizontal bars, long enough for the largest bar's printed value to fit
    after its end (widths estimated from the font sizes: DejaVu Sans averages 0.6 em a glyph)."""
    values = [p.value for p in chart.points] or [0]
    top, low = max(values + [0]), min(values + [0])
    plot = size["width"] - 24 - 0.6 * size["label"] * max((len(label) for label in labels), default=0) - 12
    text = 0.6 * size["value"] * max(len(formatter(v)) for v in values) + 12
    stretch = min(3.0, max(1.1, plot / max(plot - text, plot / 3)))
    return low, (top * stretch) or 1


def _rotation(labels: list[str], narrow: bool) -> int:
    """Slanted axis labels only when side by side they would overlap."""
    room = (NARROW if narrow else WIDE)["width"] - 120
    needed = sum(len(label) * 7.5 + 10 for label in labels)
    return 0 if needed <= room else 45


def _wrap(text: str, width: int) -> str:
    """A long title over two lines (pygal breaks a title at its newlines)."""
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text if cut <= 0 else text[:cut] + "\n" + text[cut + 1:]


def svg(chart: Chart, lang: str, narrow: bool = False) -> bytes:
    """The chart as a standalone SVG file: title, axes, values, source line; no script."""
    drawn = _pygal_chart(chart, narrow, lang)
    root = ElementTree.fromstring(drawn.render(is_unicode=True))
    _drop_scripts_and_tooltips(root)
    if chart.kind == "bar":
        _values_after_bars(root)
    _add_source(root, chart.source, narrow)
    _add_title(root, chart.title)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def png(chart: Chart, lang: str, narrow: bool = False) -> bytes:
    """The same drawing as a PNG image, twice the SVG's pixels (sharp on a phone or in a report)."""
    import cairosvg  # loads libcairo (0.14 s): only when a PNG is asked for, not at every start

    return cairosvg.svg2png(bytestring=svg(chart, lang, narrow), scale=2)


def _drop_scripts_and_tooltips(root: ElementTree.Element) -> None:
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "script" or (tag == "g" and "tooltip" in (child.get("class") or "").split()):
                parent.remove(child)
            elif tag == "desc":
                parent.remove(child)  # tooltip texts, duplicated by the printed values


def _values_after_bars(root: ElementTree.Element) -> None:
    """A horizontal bar's value just after its end, not across it (pygal centres it there)."""
    for node in root.iter(f"{{{SVG_NS}}}text"):
        if "value" in (node.get("class") or "").split():
            node.set("text-anchor", "start")
            node.set("x", f"{float(node.get('x', '0')) + 6:.1f}")


def _view_box(root: ElementTree.Element) -> tuple[float, float]:
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "0 0 800 400").split())
    return width, height


def _add_source(root: ElementTree.Element, source: str, narrow: bool) -> None:
    """The source line under the chart, inside the file (it goes with every download)."""
    width, height = _view_box(root)
    extra = 24 if not narrow else 56
    root.set("viewBox", f"0 0 {width:g} {height + extra:g}")
    ElementTree.SubElement(root, f"{{{SVG_NS}}}rect", x="0", y=f"{height:g}", width=f"{width:g}", height=f"{extra}",
                           fill="#ffffff")
    lines = [source] if not narrow else _lines(source, 44)
    for k, line in enumerate(lines[:3]):
        text = ElementTree.SubElement(root, f"{{{SVG_NS}}}text", x="12", y=f"{height + 15 + 16 * k:g}",
                                      fill="#52606d")
        text.set("font-family", _FONT)
        text.set("font-size", "12")
        text.text = line


def _lines(text: str, width: int) -> list[str]:
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return out + ([line] if line else [])


def _add_title(root: ElementTree.Element, title: str) -> None:
    """A <title> first: what a screen reader or a file viewer names the picture."""
    node = ElementTree.Element(f"{{{SVG_NS}}}title")
    node.text = title
    root.insert(0, node)
