"""Altair charts rendered offline to inline SVG with vl-convert (no JavaScript in the report).

Every chart's data is inlined in its Vega-Lite spec; vl-convert runs Vega's SVG renderer, which
escapes text (titles, terms, pseudonyms) as XML, so forum strings in charts are inert. Element ids
inside each SVG are prefixed with the figure's id: several inline SVGs share one document, and Vega
numbers its clip paths from 1 in every SVG, so unprefixed ``url(#clip1)`` would resolve to another
figure's clip.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd

STAGES = ["individual", "community", "collaborative", "societal", "other"]
STAGE_COLORS = ["#d95f02", "#e7298a", "#1b9e77", "#7570b3", "#b3b3b3"]
STAGE_SCALE = alt.Scale(domain=STAGES, range=STAGE_COLORS)
WIDTH = 640

_ID = re.compile(r'(<[^<>]*?\s)id="([^"]*)"')
_URL = re.compile(r"url\(#([^)]*)\)")
_HREF = re.compile(r'((?:xlink:)?href)="#([^"]*)"')


def render_svg(chart: alt.TopLevelMixin | dict[str, Any], fig_id: str) -> str:
    """SVG markup of a chart, ids prefixed with ``fig_id``, without the XML prolog."""
    import vl_convert as vlc

    if isinstance(chart, dict):
        spec = chart
    else:
        with alt.data_transformers.disable_max_rows():  # sections aggregate before charting
            spec = chart.to_dict()
    svg = vlc.vegalite_to_svg(spec)
    svg = svg[svg.find("<svg") :]
    svg = _ID.sub(lambda m: f'{m.group(1)}id="{fig_id}-{m.group(2)}"', svg)
    svg = _URL.sub(lambda m: f"url(#{fig_id}-{m.group(1)})", svg)
    svg = _HREF.sub(lambda m: f'{m.group(1)}="#{fig_id}-{m.group(2)}"', svg)
    # Let the figure shrink with the page; the viewBox keeps its proportions.
    return svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{fig_id}-cap" style="max-width:100%;height:auto" ', 1
    )


def time_axis(dates: Any) -> alt.Axis:
    """Years on the axis of a corpus spanning more than two years (Vega's default mixes months and years)."""
    values = pd.to_datetime(pd.Series(dates)).dropna()
    if len(values) and (values.max() - values.min()).days > 730:
        return alt.Axis(format="%Y", tickCount="year", labelAngle=0)
    return alt.Axis(labelAngle=0)


def symlog_axis(values: Any, title: str) -> alt.Axis:
    """Ticks 0, 1, 2, 5, 10, 20, 50, ... up to the largest value on a symlog scale.

    Vega's own ticks on a symlog scale crowd the low end (0, 1, 2, ... 9 all drawn on top of each other
    next to 100, 1,000); a 1-2-5 sequence is evenly spaced on such a scale and readable.
    """
    top = float(pd.Series(values).max()) if len(values) else 1.0
    ticks = [0]
    step = 1
    while step <= max(top, 1.0):
        ticks += [v for v in (step, 2 * step, 5 * step) if v <= max(top, 1.0)]
        step *= 10
    return alt.Axis(values=ticks, format="~s", title=title, labelOverlap=True)


def stage_color() -> alt.Color:
    """The colour encoding shared by every stage figure (same stage, same colour)."""
    return alt.Color("stage:N", scale=STAGE_SCALE, sort=STAGES, title="stage")


def base(data: Any, *, height: int = 260, width: int = WIDTH, title: str | None = None) -> alt.Chart:
    chart = alt.Chart(data).properties(width=width, height=height)
    return chart.properties(title=title) if title else chart


def configure(chart: Any) -> Any:
    """House style: quiet axes, legend at the top right, sans-serif text."""
    return (
        chart.configure_axis(labelFontSize=11, titleFontSize=12, grid=True, gridColor="#eee")
        .configure_view(stroke=None)
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="right")
    )
