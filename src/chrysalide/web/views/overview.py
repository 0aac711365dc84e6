"""The overview (counts, stage mix, consent, sources, runs) and the community page (dynamics, response times)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from chrysalide.coding.reasons import review_reasons
from chrysalide.coding.shares import removed_bodies, shares_by
from chrysalide.community.responses import (
    DELAY_BINS,
    DELAY_UNKNOWN,
    STUDY_HOURS,
    UNANSWERED,
    delay_labels,
    requests_unknown,
    sampled_left_out,
    unthreaded_sources,
)
from chrysalide.community.step import RESPONSE_COLUMNS
from chrysalide.privacy.consent import Consent
from chrysalide.report.authors import POSTING, message_authors, named_guests_apart, no_member_counts, posting_members
from chrysalide.report.html.figures import STAGES
from chrysalide.report.html.sections.community import (
    bots_left_out,
    community_bots,
    day_only_sources,
    judged_by_count,
    undeclared_newcomers,
    unrecorded,
    unrecorded_newcomers,
    without_opening,
)
from chrysalide.report.html.sections.overview import (
    counted_threads,
    mix_period,
    mix_period_words,
    removed_sentence,
    unlearned_sentence,
    unsure_sentence,
)
from chrysalide.report.lacks import lacking, unmeasured
from chrysalide.report.periods import OUT_OF, out_of_shown, seen, threads_apart
from chrysalide.store.bots import bot_counts
from chrysalide.units import dated_by_day, delay_bins
from chrysalide.web.pages import page
from chrysalide.web.reader import Db
from chrysalide.web.views.common import latest


def consent_summary(db: Db) -> dict[str, int]:
    """How many of the members who post may be quoted, are analysed only, or are excluded (members without a row:
    analysed), and whether a consent list was imported (``listed``: its rows).

    The members counted are those the overview counts (:data:`chrysalide.report.authors.POSTING`): a bot account is
    no member and can give no consent, so it is in no part (r/BPD's consent block counted 15,813, its bot
    included, beside the overview's 15,812 members).
    """
    members = db.value(f"SELECT count(*) FROM members WHERE {POSTING}") or 0
    out = {"members": members, "quotable": 0, "excluded": 0, "analysed_only": 0, "with_consent_row": 0}
    for status, scope, n in db.execute(
        f"SELECT status, scope, count(*) FROM consent WHERE {POSTING} GROUP BY ALL"
    ).fetchall():
        found = Consent(status, scope)
        key = "excluded" if found.excluded else "quotable" if found.quotable else "analysed_only"
        out[key] += n
        out["with_consent_row"] += n
    out["analysed_only"] += max(members - out["with_consent_row"], 0)
    out["listed"] = db.value("SELECT count(*) FROM consent") or 0
    return out


def stage_mix(db: Db) -> dict[str, Any]:
    """The stage mix of the current codes as the report's stage-mix table gives it
    (:func:`chrysalide.coding.shares.shares_by` over the whole period): per stage, the estimated share (mean
    calibrated probability: corrected for the coder's errors) and the raw count of primary codes; bot accounts'
    messages left out, and the sentence saying so (None without bots); ``caveats``: the report's sentences on what
    the shares rest on (messages in a language the model did not learn, codes below the review threshold, removed or
    deleted bodies)."""
    whole = shares_by(db, "'all'", key="all")
    mix, coded = [], 0
    if len(whole):
        row = whole.iloc[0]
        mix = [{"code": k, "estimated_share": float(row[f"est_{k}"]), "messages": int(row[f"n_{k}"])} for k in STAGES]
        coded = int(row["coded"])
    bots = bot_counts(db)
    why = "their messages are coded, but they are not members' words"  # as the report's stage-mix section says
    # What the shares rest on, in the report's words: codes in a language the model did not learn, removed bodies.
    reasons = review_reasons(db.con)
    caveats = [unlearned_sentence(reasons, coded) if reasons.unlearned else "", unsure_sentence(reasons, coded),
               removed_sentence(removed_bodies(db), coded)]  # fmt: skip
    return {"coded": coded, "stage_mix": mix, **bots, "caveats": [c for c in caveats if c],
            "bots_left_out": bots_left_out(bots, "Stage shares and counts", why)}  # fmt: skip


@page("/", "overview.html")
def overview(db: Db) -> dict[str, Any]:
    """Counts (the members who post, named guests apart; who wrote the messages, the messages without a member by what
    their import recorded of their author, as the report's corpus row says it; the threads the sources name, as the
    report counts and says them), date range, stage mix of the current codes (bot accounts apart, with the report's caveats), consent, sources,
    latest runs."""
    counts = db.one(
        "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM rejects),"
        " (SELECT min(posted_at) FROM messages), (SELECT max(posted_at) FROM messages)"
    )
    community = db.run_summary(latest(db, "community"))
    threads, threads_apart = counted_threads(db, unthreaded_sources(db), community)
    registered, guests = posting_members(db.con)
    mix = db.cached("stage_mix", lambda: stage_mix(db))
    runs = db.rows(
        "SELECT run_id, stage, component, status, started_at, finished_at,"
        " epoch(finished_at - started_at) AS seconds FROM runs ORDER BY run_id DESC LIMIT 15"
    )
    return {
        "messages": counts[0],
        # Who wrote them when not members alone, in the key findings' words ('' when members wrote them all).
        "message_authors": message_authors(db, counts[0]),
        "without_member": dict(no_member_counts(db.con)),  # {'deleted accounts': 2027}: as the report's overview
        "members": registered + guests,  # who post: registered and named guests, apart as the report says
        "registered_members": registered,
        "named_guests": guests,
        "named_guests_apart": named_guests_apart(registered, guests),
        "threads": threads,  # None when no source names a thread
        # What the count leaves out and how many threads lack their opening message, in the report's words ('' none).
        "threads_apart": threads_apart,
        "rejects": counts[1],
        "first_post_at": counts[2],
        "last_post_at": counts[3],
        "undated": lacking(db, ("dates",)),  # '' when a message is dated
        **mix,
        "consent": consent_summary(db),
        "sources": db.rows("SELECT source_id, importer, imported_at, pseudonymised FROM sources ORDER BY 1"),
        "runs": runs,
    }


def response_times(db: Db, run_id: int, *, by_day: bool = False) -> list[dict[str, Any]]:
    """Newcomers of sources that record replies, by the delay of the first answer to their first message (the
    stored ``newcomer_responses`` of community run ``run_id`` judged answered or not: the rows the report and the
    summary count, not those left unjudged near the end of collection, ``near_end``); with
    ``by_day`` (delays in whole days) the bins under a day are one, "same day"."""
    rows = db.execute(
        "SELECT answered, first_reply_hours FROM newcomer_responses"
        " WHERE run_id = ? AND replies_recorded AND answered IS NOT NULL",
        [run_id],
    ).df()
    shown = delay_bins(DELAY_BINS, by_day=by_day)
    counts = delay_labels(rows["answered"], rows["first_reply_hours"], shown).value_counts()
    total = len(rows) or 1
    bins = [*shown, (None, UNANSWERED)] + ([(None, DELAY_UNKNOWN)] if counts.get(DELAY_UNKNOWN) else [])
    return [
        {"delay": label, "newcomers": int(counts.get(label, 0)), "share": counts.get(label, 0) / total,
         "within_study_hours": upper is not None and upper <= STUDY_HOURS}
        for upper, label in bins
    ]  # fmt: skip


def _period_label(start: pd.Timestamp, unit: str) -> str:
    """A period by its start: ``2019-10`` (month), ``2019 Q4`` (quarter), ``2019`` (year)."""
    return (
        f"{start.year} Q{start.quarter}"
        if unit == "quarter"
        else str(start.year)
        if unit == "year"
        else f"{start:%Y-%m}"
    )


def mix_over_time(db: Db) -> dict[str, Any]:
    """The stage mix over time as the report draws it: the estimated shares of members' coded messages
    (:func:`chrysalide.coding.shares.shares_by`) per month, or per quarter or year when a typical month holds too
    few coded messages (:func:`chrysalide.report.html.sections.overview.mix_period`, the one rule)."""
    unit = mix_period(db)
    frame = shares_by(db, f"date_trunc('{unit}', m.posted_at)::DATE", key="period").dropna(subset=["period"])
    mix = [{"period": f"{start:%Y-%m-%d}", "label": _period_label(start, unit), "coded": int(row["coded"]),
            "shares": {k: None if pd.isna(row[f"est_{k}"]) else float(row[f"est_{k}"]) for k in STAGES}}
           for start, (_, row) in zip(pd.to_datetime(frame["period"]), frame.iterrows(), strict=True)]  # fmt: skip
    return {"mix_unit": unit, "mix_of": mix_period_words(unit), "mix": mix}


@page("/community", "community.html")
def community(db: Db) -> dict[str, Any]:
    """Stage mix over time (as the report draws it), activity per period (newest ``community`` run), newcomers'
    response times, and the report's notes on what the run's figures leave out or judge otherwise.

    Cached until a run changes the data.
    """
    return db.cached("community_page", lambda: _community(db))


def _community(db: Db) -> dict[str, Any]:
    run_id = latest(db, "community", "community_metrics")
    periods = []
    summary: dict[str, Any] = {}
    params: dict[str, Any] = {}
    apart = ""
    if run_id is not None:
        # The stage mix is the figure's (mix_over_time, by the report's period rule): not repeated per row here.
        periods = db.rows(
            f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM community_metrics WHERE run_id = ? ORDER BY period", [run_id]
        )
        raw_summary, raw_params = db.one("SELECT summary, params FROM runs WHERE run_id = ?", [run_id])
        summary, params = json.loads(raw_summary or "{}"), json.loads(raw_params or "{}")
        periods = seen(periods, summary)  # a count of what no source can see is unknown, not 0
        apart = threads_apart(db, summary)  # tables without thread ids start no thread
    by_day = dated_by_day(summary)
    responses = response_times(db, run_id, by_day=by_day) if run_id is not None else []
    newcomers = sum(r["newcomers"] for r in responses)
    return {
        **mix_over_time(db),
        # Why there is no stage mix over time or no community run to show, when the corpus says why ('' else).
        "undated": lacking(db, ("dates",)),
        "unmeasured": "" if run_id is not None else unmeasured(db, "community", ""),
        "run_id": run_id,
        "period": params.get("period"),
        "summary": summary,
        "by_day": by_day,
        "periods": periods,
        # What "334 of 421" in the table means, when a cell reads so ('' else).
        "out_of": OUT_OF if out_of_shown(periods) else "",
        # What the threads and threads started leave out, in the overview's words ('' when nothing).
        "threads_apart": apart,
        "requests_unknown": requests_unknown(summary),  # why the requests are None, in the report's words
        "responses": responses,
        "newcomers": newcomers,
        # Sources whose newcomers cannot be seen answered, with why (the report's words); '' when none.
        "unrecorded": unrecorded(summary),
        # The report's notes beside the run's figures, each '' (None for bots) when it does not apply: newcomers counted
        # but in no share (beside the figure; said above it when no newcomer can be seen), bot accounts left out,
        # threads and requests judged by their declared replies, threads without their opening message.
        "unrecorded_newcomers": unrecorded_newcomers(summary) if newcomers else "",
        "bots_left_out": community_bots(summary),
        "judged_by_count": judged_by_count(summary),
        "without_opening": without_opening(summary),
        # Members first seen in a source declared a selection of threads, not newcomers: the report's words ('' none).
        "sampled": sampled_left_out(
            summary, int(summary.get("first_seen_in_sampled_threads") or 0), "not counted as newcomers"
        ),  # fmt: skip
        # A source that looks like a selection of threads not declared, whose newcomers may be old members: the
        # report's words ('' none).
        "undeclared": undeclared_newcomers(summary),
        # Those posted too near the end of collection to be judged: the report's words (None none).
        "near_end": summary.get("near_end_note"),
        "answered_within_study_hours": summary.get("newcomer_answered_within_3h_share"),
        # Why that share cannot be computed when it is None: said in words, never "-" in a sentence.
        "day_only": day_only_sources(summary),
        "study_hours": STUDY_HOURS,
    }
