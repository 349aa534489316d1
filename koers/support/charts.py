"""The draagvlak trend chart: an SVG line chart made with pygal.

The chart is shown as an image (``<img>``), so it must stand on its own: no
JavaScript (pygal always writes a small config script; a filter removes it), no
external style sheets or fonts. pygal's styles are one ``<style>`` element inside the
SVG; the view relaxes ``style-src`` for this one response so that it applies. Each line
has its own dash pattern as well as its own colour, so the chart reads without colour
too; the page repeats the figures in a table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pygal.style import Style

from koers.support.index import COMPONENTS

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif'
# Koers' brand colour for the index; then colours that keep 3:1 against white.
COLOURS = ("#0b5563", "#b26b00", "#6a3d9a", "#1e6b3a", "#a3201b")
DASHES = (None, "10,5", "3,4", "12,4,3,4", "2,8")


def component_labels() -> dict[str, str]:
    """The four components' names (with a context: "Support" alone is also the name of
    the whole area, which Dutch calls "Draagvlak")."""
    return {
        "support": pgettext("draagvlak component", "Support"),
        "understanding": pgettext("draagvlak component", "Understanding"),
        "participation": pgettext("draagvlak component", "Participation"),
        "example": pgettext("draagvlak component", "Management example"),
    }


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def svg_filter(title: str):
    """An XML filter: no scripts, and the chart's own title instead of "Pygal"."""

    def clean(root):
        for parent in root.iter():
            for child in [c for c in parent if _tag(c) == "script"]:
                parent.remove(child)
        for child in root:
            if _tag(child) == "title":
                child.text = title
        return root

    return clean


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def trend_svg(history: Sequence, *, narrow: bool = False) -> str:
    """The index and its components per closed wave, as SVG text.

    ``history`` holds WaveResults, oldest first; waves whose results may not be shown
    (too few responses) are left out. ``narrow`` draws a smaller chart with larger
    type relative to its size, for phones.
    """
    shown = [r for r in history if r.shown and r.overall is not None]
    font = 16
    style = Style(
        font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2a30",
        foreground_strong="#1d2a30",
        foreground_subtle="#d5dde0",
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="3",
        stroke_width_hover="3",
        guide_stroke_color="#d5dde0",
        major_guide_stroke_color="#b7c3c7",
        guide_stroke_dasharray="none",
        major_guide_stroke_dasharray="none",
        colors=COLOURS,
        label_font_size=font,
        major_label_font_size=font,
        legend_font_size=font,
        value_font_size=font,
        tooltip_font_size=font,
        title_font_size=font + 2,
        no_data_font_size=font + 4,
    )
    chart = pygal.Line(
        style=style,
        width=380 if narrow else 800,
        height=460 if narrow else 420,
        js=[],
        # Served as an image file of its own: the XML declaration is optional for
        # UTF-8, and without it pygal hands back text that Django encodes.
        disable_xml_declaration=True,
        range=(0, 100),
        y_labels=[0, 20, 40, 60, 80, 100],
        show_minor_y_labels=True,
        allow_interruptions=True,
        dots_size=4,
        legend_at_bottom=True,
        legend_at_bottom_columns=2 if narrow else 3,
        truncate_legend=-1,
        truncate_label=8 if narrow else 18,
        margin=12,
        # Room for the first and last wave's name under the axis.
        margin_left=12 if narrow else 50,
        margin_right=20 if narrow else 70,
        # pygal leaves too little room for a legend of several rows in large type.
        margin_bottom=50 if narrow else 36,
        spacing=12,
        no_data_text=_("No closed survey with results yet"),
    )
    chart.add_xml_filter(svg_filter(_("Draagvlak index and its components per survey")))
    chart.x_labels = [
        (str(r.wave.number) if narrow else f"{r.wave.number}. {r.wave.title}") for r in shown
    ]
    series = [(_("Draagvlak index"), [r.overall.index for r in shown])]
    labels = component_labels()
    for name in COMPONENTS:
        values = [_rounded(getattr(r.overall.components, name)) for r in shown]
        series.append((labels[name], values))
    for position, (title, values) in enumerate(series):
        stroke = {"width": 4 if position == 0 else 3}
        if DASHES[position]:
            stroke["dasharray"] = DASHES[position]
        chart.add(title, values, stroke_style=stroke)
    return chart.render()
