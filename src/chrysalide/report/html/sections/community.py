"""Newcomer response times and the reply network (core members), from the community stage."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from chrysalide.report.html.context import Context, Section, Table, duration
from chrysalide.report.html.figures import base, configure, symlog_axis

# Bins a moderator reads at a glance; 3 h is the study's benchmark (Fayn et al. 2021).
_BINS = [0.0, 1.0, 3.0, 6.0, 12.0, 24.0, 72.0, 168.0, np.inf]
_BIN_LABELS = ["< 1 h", "1-3 h", "3-6 h", "6-12 h", "12-24 h", "1-3 days", "3-7 days", "> 7 days"]
_UNANSWERED = "not answered"


def _pct(value: float | None) -> str:
    return "-" if value is None or value != value else f"{value:.0%}"


def _hours(value: float | None) -> str:
    return duration(value)  # 65,538.9 h reads as 7.5 years


def section_responses(ctx: Context) -> Section:
    """Distribution of the time to a newcomer's first reply, and the share answered within 3 h per year."""
    from chrysalide.community import newcomer_responses

    s = Section("responses", "Newcomer response times")
    if not ctx.scalar("SELECT count(*) FROM messages WHERE member_id IS NOT NULL AND posted_at IS NOT NULL"):
        s.missing = "No dated member messages yet: run `chrysalide ingest FILE`."
        return s
    # The per-newcomer delays are not stored (community_metrics keeps per-period summaries): recomputed here.
    new = newcomer_responses(ctx.store).dropna(subset=["first_post_at"])
    if new.empty:
        s.missing = "No newcomer in this corpus (every member was registered before its first message)."
        return s
    hours = pd.to_numeric(new["first_reply_hours"], errors="coerce")
    binned = pd.cut(hours, _BINS, labels=_BIN_LABELS, right=False).astype(object).where(hours.notna(), _UNANSWERED)
    dist = binned.value_counts().reindex(_BIN_LABELS + [_UNANSWERED], fill_value=0).rename_axis("delay")
    dist = dist.reset_index(name="newcomers")
    dist["share"] = dist["newcomers"] / dist["newcomers"].sum()
    dist["within"] = ["within 3 h" if d in _BIN_LABELS[:2] else "later or never" for d in dist["delay"]]
    chart = base(dist, height=220).mark_bar().encode(
        x=alt.X("delay:N", sort=_BIN_LABELS + [_UNANSWERED], title="time from a newcomer's first message to the first reply"),
        y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of newcomers"),
        color=alt.Color("within:N", scale=alt.Scale(domain=["within 3 h", "later or never"], range=["#1b9e77", "#9e9e9e"]),
                        title=None),
    )  # fmt: skip
    s.figures.append(ctx.figure(configure(chart), "How fast newcomers get their first reply."))
    new["year"] = new["first_post_at"].dt.year
    new["within_3h"] = hours.le(3.0).fillna(False)
    yearly = new.groupby("year").agg(newcomers=("member_id", "size"), answered=("answered", "mean"),
                                     within_3h=("within_3h", "mean"))  # fmt: skip
    yearly["median"] = hours.groupby(new["year"]).median()
    yearly = yearly.reset_index()
    if len(yearly) > 1:
        line = base(yearly, height=180).mark_line(point=True, color="#1b9e77").encode(
            x=alt.X("year:O", title=None), y=alt.Y("within_3h:Q", axis=alt.Axis(format="%"), title="answered within 3 h"),
        )  # fmt: skip
        s.figures.append(ctx.figure(configure(line), "Share of newcomers answered within 3 hours, by year of arrival."))
    s.tables.append(Table(
        ["year", "newcomers", "answered", "within 3 h", "median delay"],
        [[str(r.year), int(r.newcomers), _pct(r.answered), _pct(r.within_3h), _hours(r.median)]
         for r in yearly.itertuples()], "Newcomers by year of their first message"))  # fmt: skip
    s.facts = [("newcomers", f"{len(new):,}"), ("answered", _pct(float(new["answered"].mean()))),
               ("answered within 3 h", _pct(float(new["within_3h"].mean()))),
               ("median delay", _hours(float(hours.median())) if hours.notna().any() else "-")]  # fmt: skip
    run_id = ctx.latest("community", "community_metrics")
    if run_id is not None:
        summary = ctx.run_summary(run_id)
        s.facts += [("threads answered within 3 h", _pct(summary.get("answered_within_3h_share"))),
                    ("threads never answered", _pct(summary.get("threads_unanswered_share")))]  # fmt: skip
        s.runs = [ctx.run_label(run_id)]
    return s


def _log2_bin(values: pd.Series) -> np.ndarray:
    """Values below 4 as they are; larger ones down to the power of two below them (4, 8, 16, ...)."""
    v = values.to_numpy(dtype="int64")
    return np.where(v < 4, v, 2 ** np.floor(np.log2(np.maximum(v, 1))).astype("int64"))


def section_network(ctx: Context) -> Section:
    """Core members and a summary of the reply network, from ``member_network``."""
    s = Section("network", "Core members and reply network")
    run_id = ctx.latest("community", "member_network")
    if run_id is None:
        s.missing = "The reply network is not computed yet: run `chrysalide community`."
        return s
    nodes = ctx.df("SELECT * FROM member_network WHERE run_id = ? ORDER BY betweenness DESC, member_id", [run_id])
    summary = ctx.run_summary(run_id)
    core = nodes[nodes["is_core"]]
    s.facts = [
        ("members in the network", f"{len(nodes):,}"),
        ("reply edges", str(summary.get("network_edges", "-"))),
        ("main core (k)", str(summary.get("main_core_k", int(nodes["core_number"].max())))),
        ("core members", f"{len(core):,} ({len(core) / max(len(nodes), 1):.1%} of the network)"),
        ("replies received by core members", f"{core['in_degree'].sum() / max(nodes['in_degree'].sum(), 1):.0%}"
         " of distinct answered pairs"),
    ]  # fmt: skip
    # One dot per (binned) position: degrees above 4 are grouped by powers of two, which the symlog axes
    # show evenly anyway, so a forum of 70,000 members draws hundreds of dots, not tens of thousands.
    shown = (
        nodes.assign(
            group=np.where(nodes["is_core"], "core", "other members"),
            in_degree=_log2_bin(nodes["in_degree"]),
            out_degree=_log2_bin(nodes["out_degree"]),
        )
        .groupby(["in_degree", "out_degree", "group"], as_index=False)
        .size()
    )
    chart = base(shown, height=300, width=420).mark_circle(opacity=0.7).encode(
        x=alt.X("out_degree:Q", scale=alt.Scale(type="symlog"),
                axis=symlog_axis(shown["out_degree"], "members answered (out-degree)")),
        y=alt.Y("in_degree:Q", scale=alt.Scale(type="symlog"),
                axis=symlog_axis(shown["in_degree"], "members who answered them (in-degree)")),
        color=alt.Color("group:N", scale=alt.Scale(domain=["core", "other members"], range=["#d95f02", "#7f9fbf"]), title=None),
        size=alt.Size("size:Q", title="members", scale=alt.Scale(range=[15, 400])),
    )  # fmt: skip
    s.figures.append(ctx.figure(configure(chart), "Helping (x) against being helped (y); core members in orange."))
    top = core[[not ctx.excluded(m) for m in core["member_id"]]].head(15)
    s.tables.append(Table(
        ["member", "answered", "answered by", "betweenness", "core number"],
        [[ctx.label(int(r.member_id)), int(r.out_degree), int(r.in_degree), float(r.betweenness), int(r.core_number)]
         for r in top.itertuples()], "Core members with the highest betweenness (members who asked to be excluded are not"
        " listed)"))  # fmt: skip
    s.runs = [ctx.run_label(run_id)]
    return s
