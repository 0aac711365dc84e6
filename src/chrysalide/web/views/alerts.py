"""The alerts of the newest ``alerts`` run: bursts with their dates, size, top terms and sample messages."""

from __future__ import annotations

import json
from typing import Any

from chrysalide.community.alerts import edge_alerts, few_threads_alerts, one_voice_alerts, undeclared_of, watch_counts
from chrysalide.community.alerts import weekly_volume as alert_volume
from chrysalide.community.bursts import LEVEL_WEEKS
from chrysalide.report.html.sections.alerts import (
    COLLECTION_READING,
    FEW_THREADS_READING,
    FEW_THREADS_RULE,
    ONE_VOICE_READING,
    TOP_TERMS,
    WATCH_COUNTED,
    bots_apart,
    reading,
    threads_text,
    volume_caveat,
    watched,
)
from chrysalide.report.lacks import lacking
from chrysalide.store.bots import bot_counts
from chrysalide.units import percent
from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import latest, messages_by_id

EXCERPT = 280  # characters of a sample message shown under its alert
SAMPLES = 3  # sample messages shown per alert


def weekly_volume(db: Db) -> list[dict[str, Any]]:
    """Members' dated messages per week, weeks without one as 0 (:func:`chrysalide.community.alerts.weekly_volume`:
    the alerts' volume series, bot accounts' messages left out)."""
    weeks = alert_volume(db.cursor)
    return [{"week": w.date(), "messages": int(n)} for w, n in zip(weeks["week"], weeks["messages"], strict=True)]


@page("/alerts", "alerts.html")
def alerts(db: Db) -> dict[str, Any]:
    """Each alert (heaviest first) with its weeks, observed against expected messages, terms and samples.

    Cached until a run changes the data (consent, codes and alerts all change through runs).
    """
    return db.cached("alerts_page", lambda: _alerts(db))


def _alerts(db: Db) -> dict[str, Any]:
    run_id = latest(db, "alerts")
    # The text step tells bot accounts: their messages leave the volume then.
    weeks = db.cached("weekly_volume", lambda: weekly_volume(db), steps=("ingest", "text"))
    left_out = bots_apart(bot_counts(db))
    undated = lacking(db, ("dates",))  # no weekly series, no burst to find ('' when a message is dated)
    if run_id is None:
        return {"run_id": None, "alerts": [], "weeks": weeks, "params": {}, "bots_left_out": left_out,
                "undated": undated, "undeclared": "", "watch_held": [], "watch_unheld": []}  # fmt: skip
    found = db.rows("SELECT * EXCLUDE (run_id) FROM alerts WHERE run_id = ? ORDER BY weight DESC, alert_id", [run_id])
    ids = [int(m) for a in found for m in list(a["sample_message_ids"])[:SAMPLES]]
    samples = messages_by_id(db, ids)
    edges, voices = edge_alerts(db.cursor, run_id), one_voice_alerts(db.cursor, run_id)
    threads = few_threads_alerts(db.cursor, run_id)
    for a in found:
        a["top_terms"] = list(a["top_terms"])[:TOP_TERMS]  # as many as the report shows
        # What a burst that is no event reads as, as the report reads it: a change of level, of what was collected,
        # one member's spell of posting, or a few conversations.
        said = reading(a["kind"], int(a["weeks"]), int(a["alert_id"]), len(weeks), edges, voices, threads)
        a["level_change"] = None if said in (None, COLLECTION_READING, ONE_VOICE_READING, FEW_THREADS_READING) else said
        a["collection_edge"] = said if said == COLLECTION_READING else None
        a["one_voice"] = f"{percent(voices[int(a['alert_id'])])}: {said}" if said == ONE_VOICE_READING else None
        few = threads.get(int(a["alert_id"]))
        a["few_threads"] = f"{threads_text(few)}: {said}" if few is not None and said == FEW_THREADS_READING else None
        a["samples"] = []
        for m in list(a.pop("sample_message_ids"))[:SAMPLES]:
            sample = samples.get(int(m))
            if sample is not None:
                text = sample["text"] or ""
                a["samples"].append({**sample, "text": text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")})
    params = json.loads(db.value("SELECT params FROM runs WHERE run_id = ?", [run_id]) or "{}")
    # How many messages hold each watched term, as the command line says it (none listed for a run that did not count).
    held, unheld = watched(watch_counts(db.cursor, run_id) or {})
    return {
        "run_id": run_id,
        "alerts": found,
        "weeks": weeks,
        "params": params,
        "bots_left_out": left_out,
        "undated": undated,
        "level_weeks": LEVEL_WEEKS,
        "few_threads_rule": FEW_THREADS_RULE,
        "watch_counted": WATCH_COUNTED,
        "watch_held": held,  # [(term, messages)], the terms some message holds
        "watch_unheld": unheld,  # the terms no message holds
        # A source that looks like a selection of threads not declared: what it does to the bursts of volume.
        "undeclared": volume_caveat(undeclared_of(db.cursor, run_id), {a["kind"] for a in found}),
    }
