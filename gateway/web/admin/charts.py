"""Charts drawn on the server as SVG (pygal), embedded in the page: no JavaScript, no CDN.

pygal's inline configuration script and its links to scripts on the web are left out, so a
chart is plain SVG and the page works offline and under a CSP that forbids every script.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pygal
from markupsafe import Markup
from pygal.style import Style

from gateway.commerce.reports.overview import Series

SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#999",
    colors=("#1b7f5c", "#d9822b", "#3867d6", "#b33939", "#8854d0", "#218c74", "#778ca3"),
    font_family="sans-serif",
)


def _svg(chart: pygal.graph.graph.Graph) -> Markup:
    """The chart as SVG markup without scripts (labels are escaped by pygal's XML writer)."""
    return Markup(SCRIPT.sub("", chart.render(is_unicode=True)))


def _config(title: str, **extra: object) -> dict[str, object]:
    return {
        "title": title,
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "width": 760,
        "height": 300,
        "legend_at_bottom": True,
        "truncate_legend": 30,
        "print_values": False,
        "show_minor_x_labels": False,
        "x_label_rotation": 0,
        "no_data_text": "nothing yet",
        "truncate_label": -1,
        **extra,
    }


def _short(days: Sequence[str]) -> list[str]:
    return [day[5:] for day in days]


def per_day(
    title: str, days: Sequence[str], series: Sequence[Series], stacked: bool = True
) -> Markup:
    """Bars per day, one colour per series."""
    kind = pygal.StackedBar if stacked else pygal.Bar
    chart = kind(**_config(title, x_labels_major_every=5))
    chart.x_labels = _short(days)
    for line in series:
        chart.add(line.name, line.values)
    return _svg(chart)


def line_per_day(title: str, days: Sequence[str], series: Sequence[Series]) -> Markup:
    chart = pygal.Line(**_config(title, x_labels_major_every=5, dots_size=2))
    chart.x_labels = _short(days)
    for line in series:
        chart.add(line.name, line.values)
    return _svg(chart)


def rates(title: str, named: Sequence[tuple[str, float | None]]) -> Markup:
    """One bar per name, as a percentage."""
    chart = pygal.HorizontalBar(
        **_config(title, range=(0, 100), value_formatter=lambda v: f"{v:.0f}%", height=220)
    )
    for name, rate in named:
        chart.add(name, [None if rate is None else round(rate * 100, 1)])
    return _svg(chart)


def counts(title: str, named: Sequence[tuple[str, int]]) -> Markup:
    """One bar per name."""
    chart = pygal.Bar(**_config(title, height=260, show_legend=False, show_minor_x_labels=True))
    chart.x_labels = [name for name, _ in named]
    chart.add("", [n for _, n in named])
    return _svg(chart)


def dropoff(
    screens: Sequence[str], languages: Sequence[str], stops: dict[str, dict[str, int]]
) -> Markup:
    """Sessions that stopped on each screen, a bar per screen split by language."""
    chart = pygal.StackedBar(
        **_config(
            "Sessions that ended on each screen",
            x_label_rotation=30,
            height=360,
        )
    )
    chart.x_labels = list(screens)
    for language in languages:
        chart.add(language, [stops[screen].get(language) for screen in screens])
    return _svg(chart)
