"""Figures of the dashboard as SVG drawn on the server: no script, no CDN, nothing the CSP has to allow.

Each function takes the data a view returned (what the JSON twin shows) and returns SVG markup. Every
string from the forum (terms, labels) is escaped; colours are SVG attributes, not ``style`` (the CSP
forbids inline styles). The stage colours are the report's (``report/html/figures.py``), so a stage has
one colour everywhere. Drawn by hand rather than with Vega (the report's vl-convert): a page must answer
in well under 150 ms, and these are bars, dots and one line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from chrysalide.report.html.figures import STAGE_COLORS, STAGES
from chrysalide.units import percent

COLOR = dict(zip(STAGES, STAGE_COLORS, strict=True))
WIDTH = 720
INK, MUTED, GRID = "#1d2433", "#667085", "#e4e7ec"


def _day(value: str) -> int:
    return date.fromisoformat(value[:10]).toordinal()


def _text(x: float, y: float, text: Any, *, anchor: str = "start", size: int = 11, fill: str = MUTED,
          extra: str = "") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}"{extra}>'
        f"{escape(str(text))}</text>"
    )


def _svg(height: float, body: list[str], label: str, width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="figure" viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(label)}"'
        f' font-family="system-ui, sans-serif">{"".join(body)}</svg>'
    )


def _legend(x: float, y: float, stages: Sequence[str]) -> list[str]:
    out = []
    for stage in stages:
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{COLOR[stage]}"/>')
        out.append(_text(x + 14, y, stage))
        x += 30 + 6.5 * len(stage)
    return out


def _time_ticks(first: int, last: int) -> list[tuple[int, str]]:
    """Ticks on a time axis: years over two years, else months (ordinal day, label)."""
    start, end = date.fromordinal(first), date.fromordinal(last)
    if last - first > 730:
        step = max(1, math.ceil((end.year - start.year + 1) / 10))
        return [(date(y, 1, 1).toordinal(), str(y)) for y in range(start.year + 1, end.year + 1, step)]
    ticks, y, m = [], start.year, start.month
    while date(y, m, 1) <= end:
        if date(y, m, 1) >= start:
            ticks.append((date(y, m, 1).toordinal(), date(y, m, 1).strftime("%b %Y")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    step = max(1, math.ceil(len(ticks) / 8))
    return ticks[::step]


def stage_mix(periods: list[dict[str, Any]]) -> Markup:
    """Stacked columns: the share of each stage among the coded messages of each period (``label``: its name)."""
    if not periods:
        return Markup("")
    left, top, plot_h, bottom = 40, 26, 200, 22
    plot_w = WIDTH - left - 10
    band = plot_w / len(periods)
    body = _legend(left, 14, STAGES)
    for share in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - share)
        body.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 4, f"{share:.0%}", anchor="end"))
    years_shown: set[str] = set()
    last_label = -1e9
    for i, row in enumerate(periods):
        x, y = left + i * band, top + plot_h
        for stage in STAGES:
            h = plot_h * (row["shares"].get(stage) or 0.0)
            if h > 0:
                y -= h
                body.append(
                    f'<rect x="{x:.1f}" y="{y:.2f}" width="{max(band - 1, 0.5):.2f}" height="{h:.2f}"'
                    f' fill="{COLOR[stage]}"><title>{escape(row["label"])} {stage}:'
                    f" {percent(row['shares'].get(stage) or 0)} of {row['coded']:,}</title></rect>"
                )
        label = row["period"][:4] if len(periods) > 24 else row["label"]
        if label not in years_shown and x - last_label >= 7 * len(label) + 6:  # labels never overlap
            years_shown.add(label)
            last_label = x
            body.append(_text(x, top + plot_h + 15, label))
    return _svg(top + plot_h + bottom, body, "Share of each stage among coded messages, by period")


def journey(points: dict[str, Any], milestones: list[dict[str, Any]]) -> Markup:
    """A member's coded messages on a time line, one lane per stage, with their milestones.

    ``points``: ``dots`` (at, stage, n messages) and ``spans`` (start, end, stage, n: runs of one stage).
    """
    dated = [p for p in points["dots"] if p.get("at")]
    if not dated:
        return Markup("")
    left, top, lane = 100, 14, 22
    plot_w = WIDTH - left - 16
    first = min(_day(p["at"]) for p in dated)
    last = max([_day(p["at"]) for p in dated] + [_day(r["end"]) for r in points["spans"]])
    width = max(last - first, 1)

    def x(day: int) -> float:
        return left + plot_w * (day - first) / width

    bottom = top + lane * len(STAGES)
    body = []
    for i, stage in enumerate(STAGES):
        y = top + lane * i + lane / 2
        body.append(f'<line x1="{left}" x2="{WIDTH - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, stage, anchor="end"))
    for run in points["spans"]:
        y = top + lane * STAGES.index(run["stage"]) + lane / 2 if run["stage"] in STAGES else bottom
        x0, x1 = x(_day(run["start"])), x(_day(run["end"]))
        body.append(
            f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLOR.get(run["stage"], MUTED)}"'
            f' stroke-width="3" stroke-opacity="0.45"><title>{run["n"]} {escape(run["stage"])} messages in a row,'
            f" {escape(run['start'][:10])} to {escape(run['end'][:10])}</title></line>"
        )
    most = max(p["n"] for p in dated)
    for p in dated:
        y = top + lane * STAGES.index(p["stage"]) + lane / 2 if p["stage"] in STAGES else bottom
        r = 2.5 + 6 * math.sqrt(p["n"] / most)
        body.append(
            f'<circle cx="{x(_day(p["at"])):.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{COLOR.get(p["stage"], MUTED)}"'
            f' fill-opacity="0.75"><title>{escape(p["at"][:10])}: {p["n"]} {escape(p["stage"])}</title></circle>'
        )
    for j, m in enumerate(milestones):  # one row per milestone: close dates never overlap
        mx, my = x(_day(m["at"])), bottom + 14 + 13 * j
        body.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{my - 9}" stroke="{INK}" stroke-dasharray="2 3"/>'
        )
        anchor, dx = ("end", -4) if mx > WIDTH * 0.7 else ("start", 4)
        body.append(_text(mx + dx, my, f"{m['milestone']} {m['at'][:10]}", anchor=anchor, fill=INK))
    axis = bottom + 14 + 13 * len(milestones) + 6
    for day, label in _time_ticks(first, last):
        body.append(_text(x(day), axis, label, anchor="middle"))
    return _svg(axis + 6, body, "The member's coded messages over time, by stage, with milestones")


def bars(rows: list[dict[str, Any]], *, label: str, value: str, highlight: str | None = None,
         caption: str = "") -> Markup:  # fmt: skip
    """Vertical bars of ``value`` (a share) for each ``label``; rows with ``highlight`` true in green."""
    if not rows:
        return Markup("")
    left, top, plot_h = 40, 16, 160
    band = (WIDTH - left - 10) / len(rows)
    most = max((r[value] or 0) for r in rows) or 1
    body = []
    for i, r in enumerate(rows):
        h = plot_h * (r[value] or 0) / most
        x = left + i * band
        fill = "#1b9e77" if highlight and r.get(highlight) else "#98a2b3"
        body.append(
            f'<rect x="{x + 4:.1f}" y="{top + plot_h - h:.1f}" width="{band - 8:.1f}" height="{h:.1f}" fill="{fill}"/>'
        )
        body.append(_text(x + band / 2, top + plot_h - h - 4, percent(r[value] or 0), anchor="middle", fill=INK))
        body.append(_text(x + band / 2, top + plot_h + 15, r[label], anchor="middle"))
    return _svg(top + plot_h + 22, body, caption or f"{value} by {label}")


def classes(rows: list[dict[str, Any]], *, terms: int = 6) -> Markup:
    """Horizontal bars of class shares, each followed by its strongest terms."""
    if not rows:
        return Markup("")
    left, row_h, bar_w = 70, 24, 220
    most = max(r["share"] for r in rows) or 1
    body = []
    for i, r in enumerate(rows):
        y = 6 + i * row_h
        w = bar_w * r["share"] / most
        body.append(_text(left - 8, y + 13, f"class {r['class']}", anchor="end", fill=INK))
        body.append(
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row_h - 8}" fill="#7f56d9" fill-opacity="0.6"/>'
        )
        body.append(_text(left + w + 4, y + 13, percent(r["share"])))
        words = ", ".join(t["term"] for t in r.get("terms", [])[:terms])
        body.append(_text(left + bar_w + 44, y + 13, words, fill=INK))
    return _svg(12 + row_h * len(rows), body, "Size of each lexical class and its most characteristic terms")


def volume(weeks: list[dict[str, Any]], spans: list[dict[str, Any]]) -> Markup:
    """Messages per week (a line) with the burst periods of the alerts shaded."""
    if len(weeks) < 2:
        return Markup("")
    left, top, plot_h = 48, 10, 170
    plot_w = WIDTH - left - 10
    first, last = _day(weeks[0]["week"]), _day(weeks[-1]["week"])
    span = max(last - first, 1)
    most = max(w["messages"] for w in weeks) or 1

    def x(day: int) -> float:
        return left + plot_w * (day - first) / span

    body = []
    for s in spans:
        x0, x1 = x(max(_day(s["start_at"]), first)), x(min(_day(s["end_at"]), last))
        body.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1.5):.1f}" height="{plot_h}" fill="#f79009"'
            f' fill-opacity="0.18"><title>alert {s["alert_id"]}: {escape(s["kind"])} {escape(s["target"])}</title></rect>'
        )
    for frac in (0.0, 0.5, 1.0):
        y = top + plot_h * (1 - frac)
        body.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 4, f"{most * frac:,.0f}", anchor="end"))
    line = " ".join(f"{x(_day(w['week'])):.1f},{top + plot_h * (1 - w['messages'] / most):.1f}" for w in weeks)
    body.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="1.2"/>')
    for day, label in _time_ticks(first, last):
        body.append(_text(x(day), top + plot_h + 15, label, anchor="middle"))
    return _svg(top + plot_h + 22, body, "Messages per week; shaded: the alerts' burst periods")
