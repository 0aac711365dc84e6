"""The alerts of the newest ``alerts`` run: bursts with their dates, size, top terms and sample messages."""

from __future__ import annotations

import json
from typing import Any

from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import latest, messages_by_id

EXCERPT = 280  # characters of a sample message shown under its alert
SAMPLES = 3  # sample messages shown per alert


def weekly_volume(db: Db) -> list[dict[str, Any]]:
    """Dated messages per week (weeks without a message included, as 0)."""
    return db.rows(
        """WITH w AS (SELECT date_trunc('week', posted_at)::DATE AS week, count(*) AS messages FROM messages
                      WHERE posted_at IS NOT NULL GROUP BY 1),
                span AS (SELECT unnest(generate_series(min(week), max(week), INTERVAL 7 DAY))::DATE AS week FROM w)
           SELECT span.week, coalesce(w.messages, 0) AS messages FROM span LEFT JOIN w USING (week) ORDER BY 1"""
    )


@page("/alerts", "alerts.html")
def alerts(db: Db) -> dict[str, Any]:
    """Each alert (heaviest first) with its weeks, observed against expected messages, terms and samples.

    Cached until a run changes the data (consent, codes and alerts all change through runs).
    """
    return db.cached("alerts_page", lambda: _alerts(db))


def _alerts(db: Db) -> dict[str, Any]:
    run_id = latest(db, "alerts")
    weeks = db.cached("weekly_volume", lambda: weekly_volume(db), steps=("ingest",))
    if run_id is None:
        return {"run_id": None, "alerts": [], "weeks": weeks, "params": {}}
    found = db.rows("SELECT * EXCLUDE (run_id) FROM alerts WHERE run_id = ? ORDER BY weight DESC, alert_id", [run_id])
    ids = [int(m) for a in found for m in list(a["sample_message_ids"])[:SAMPLES]]
    samples = messages_by_id(db, ids)
    for a in found:
        a["top_terms"] = list(a["top_terms"])
        a["samples"] = []
        for m in list(a.pop("sample_message_ids"))[:SAMPLES]:
            sample = samples.get(int(m))
            if sample is not None:
                text = sample["text"] or ""
                a["samples"].append({**sample, "text": text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")})
    params = json.loads(db.value("SELECT params FROM runs WHERE run_id = ?", [run_id]) or "{}")
    return {"run_id": run_id, "alerts": found, "weeks": weeks, "params": params}
