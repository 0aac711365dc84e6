"""Decentering, the passage from asker to helper: who is at risk, from when, and who arrived helping.

The definition is the store view ``decentering`` (migration 0012, last defined in 0019), read by the journeys
milestones, the survival model and the report alike. Fayn et al. (2021) describe members who, "after being supported upon
their arrival", come to "forget their own problems in order to focus on those of others" (decentering).
So a member is at risk from their first request for help for themselves (their first
``individual`` message; for a member who never asks, their first message), and decenters with their first
decentered message after it (the codebook's flag: ``collaborative`` without a first-person reference to their
own health). A member whose first message already helps others (``collaborative``) "arrived helping": they
did not make that passage in the corpus and are counted apart, not as decentered on day 0.

All of it is read from the messages that hold words of their author (:mod:`chrysalide.store.unreadable`): a body
removed or deleted (``[removed]``, coded 'other') is neither a first message that never asks nor the end of the
time observed. A member who wrote only such messages has no row (``members_unreadable`` counts them apart).

Only the members whose arrival the record shows are read (view ``member_arrivals``, migration 0023: the same as the
``newcomers`` of :mod:`chrysalide.community.responses`): for a member first seen less than ``burn_in_days()`` after
the start of a record that starts after their community did, or registered before it, the first recorded message
may come years into their membership, so that neither "arrived helping" nor "their first request" is theirs (left
truncation). So are the members first seen in a source declared a selection of threads at import (migration 0031),
whose first message there need not be their first on the forum. They keep their row, with ``arrival_shown`` false,
and are counted apart (``members_arrival_unseen``, of whom ``members_first_seen_in_sampled_threads`` the latter).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from chrysalide.community.responses import boards_apart_clause, sampled_left_out
from chrysalide.ingest.sampled import ARRIVALS_READ, undeclared_caveat, undeclared_selections
from chrysalide.store import Store
from chrysalide.store.histories import count_histories


def decentering_table(store: Store) -> pd.DataFrame:
    """The view ``decentering``: one row per member with a dated coded readable message, ordered by member, with
    their ``arrival`` (view ``member_arrivals``) and ``arrival_shown``: whether the ``newcomers`` view would count
    them, the record showing them arrive."""
    return store.con.execute(
        """
        SELECT d.*, a.arrival, coalesce(d.member_id IN (SELECT member_id FROM newcomers), false) AS arrival_shown
        FROM decentering d LEFT JOIN member_arrivals a USING (member_id) ORDER BY d.member_id
        """
    ).df()


def decentering_summary(store: Store, table: pd.DataFrame) -> dict[str, Any]:
    """Counts of the passage from asker to helper over the rows of the view (:func:`decentering_table`): the
    same in the journeys and survival summaries.

    ``members_coded``: members with a dated coded message holding their words (members who wrote only removed or
    deleted bodies are not among them: :func:`chrysalide.store.unreadable.unreadable_counts`), of whom
    ``members_arrival_unseen`` are left out of the rest because the record does not show them arrive (first seen
    within ``burn_in_days`` of their record's start, or registered before it, or,
    ``members_first_seen_in_sampled_threads`` of them, in a source declared a selection of threads);
    ``arrived_helping`` and its share of the others;
    ``at_risk`` = the others, of whom ``at_risk_without_request`` never asked for help for themselves;
    ``decentered``: at-risk members who decentered; ``decentered_before_entry``: at-risk members with a decentered
    message before their first request (not counted as the passage); ``at_risk_histories`` and
    ``decentered_histories``: those of them whose own history the source holds (:mod:`chrysalide.store.histories`);
    ``undeclared_selections`` and ``members_arrival_in_undeclared_selections``: :func:`undeclared_arrivals_counts`.
    """
    shown = table[table["arrival_shown"].astype(bool)] if len(table) else table
    coded, read = len(table), len(shown)
    helping = int(shown["arrived_helping"].astype(bool).sum()) if read else 0
    at_risk = shown[~shown["arrived_helping"].astype(bool)] if read else shown
    row = store.con.execute("SELECT burn_in_days()").fetchone()
    return {
        "members_coded": coded,
        "members_arrival_unseen": coded - read,
        "members_first_seen_in_sampled_threads": int(table["arrival"].eq("sampled").sum()) if coded else 0,
        "burn_in_days": int(row[0]) if row else None,
        "arrived_helping": helping,
        "arrived_helping_share": helping / read if read else None,
        "at_risk": read - helping,
        "at_risk_without_request": int(shown["entry"].eq("first_message").sum()) if read else 0,
        "decentered": int(shown["decentered_at"].notna().sum()) if read else 0,
        "decentered_before_entry": int(shown["decentered_before_entry"].astype(bool).sum()) if read else 0,
        "at_risk_histories": count_histories(store, at_risk["member_id"]) if read else 0,
        "decentered_histories": count_histories(store, at_risk.loc[at_risk["decentered_at"].notna(), "member_id"])
        if read
        else 0,
        **undeclared_arrivals_counts(store, shown),
    }


def undeclared_arrivals_counts(store: Store, shown: pd.DataFrame) -> dict[str, Any]:
    """The sources not declared a selection of threads that look like one (``undeclared_selections``:
    :func:`chrysalide.ingest.sampled.undeclared_selections`) and ``members_arrival_in_undeclared_selections``, how many
    of the members whose arrival is read (``shown``: rows of :func:`decentering_table` with ``arrival_shown``) first
    posted in one of them (view ``member_arrivals``): their arrived helping, time at risk and delays read a first
    message there as their arrival."""
    selections = undeclared_selections(store.con)
    row = store.con.execute(
        "SELECT count(*) FROM member_arrivals a JOIN messages m USING (message_id)"
        " WHERE m.source_id IN (SELECT unnest(?::VARCHAR[])) AND a.member_id IN (SELECT unnest(?::BIGINT[]))",
        [list(selections), [int(i) for i in shown["member_id"]] if len(shown) else []],
    ).fetchone()
    return {"undeclared_selections": selections, "members_arrival_in_undeclared_selections": int(row[0]) if row else 0}


#: Where a member stands in the passage from asker to helper, by the groups above: decentered after their time at
#: risk started; arrived helping (their first message already helps others); their arrival not shown by the record
#: (left out: no time at risk is theirs); at risk and not decentered (yet); or unknown, no message of theirs coded.
DECENTERED, ARRIVED_HELPING, ARRIVAL_NOT_SHOWN, NOT_YET, UNKNOWN = (
    "decentered", "arrived helping", "arrival not shown", "not yet", "unknown")  # fmt: skip


def decentering_status(members: pd.DataFrame) -> pd.Series:
    """Each member's place in the passage (:data:`DECENTERED` ... :data:`UNKNOWN`), from their row of a journeys run
    (``days_to_decentered``, ``arrived_helping``, ``n_coded``).

    A member with no delay to decentering is not always still at risk: one who arrived helping made no passage, and
    one whose arrival the record does not show (``arrived_helping`` NULL although some message of theirs is coded:
    the view has their row, but ``member_arrivals`` does not show them arrive) has no time at risk, whatever they
    wrote after. Saying "not yet" of either misreads them (on r/covidlonghaulers, 6 of the panel's first 30).
    """
    coded = pd.to_numeric(members["n_coded"], errors="coerce").fillna(0).gt(0)
    helping = members["arrived_helping"].astype("boolean")
    conditions = [members["days_to_decentered"].notna(), ~coded, helping.isna(), helping.fillna(False)]
    choices = [DECENTERED, UNKNOWN, ARRIVAL_NOT_SHOWN, ARRIVED_HELPING]
    return pd.Series(np.select([c.to_numpy(bool) for c in conditions], choices, default=NOT_YET), index=members.index)


def registered(store: Store, table: pd.DataFrame | None) -> str:
    """Register the view's rows (:func:`decentering_table`, read now when ``table`` is None) for a query; returns the
    relation's name.

    A step reads the view once and joins these rows, instead of computing the view again in each query.
    """
    name = "chrys_decentering"
    store.register(name, decentering_table(store) if table is None else table)
    return name


def undeclared_arrivals(summary: dict[str, Any], source_id: str | None = None) -> str:
    """The sources of a journeys or survival run (``summary``'s ``undeclared_selections``) that look like a selection
    of threads not declared at import, whose members' first messages are read as their arrivals
    (:data:`chrysalide.ingest.sampled.ARRIVALS_READ`), as a clause (:func:`chrysalide.ingest.sampled.undeclared_caveat`);
    '' when none, when no member whose arrival is read first posted there (``members_arrival_in_undeclared_selections``),
    or in a run made before journeys ``asker-to-helper/14`` and survival ``/12``. ``source_id``: only that source (the
    source of one member's first message)."""
    if not summary.get("members_arrival_in_undeclared_selections"):
        return ""
    selections = summary.get("undeclared_selections") or {}
    if source_id is not None:
        selections = {name: signs for name, signs in selections.items() if name == source_id}
    return undeclared_caveat(selections, ARRIVALS_READ)


def arrival_unseen_text(summary: dict[str, Any]) -> str:
    """The clause saying how many members a journeys or survival run (its ``summary``) left out of arrived helping,
    the time at risk and decentering because the record does not show them arrive (``members_arrival_unseen``),
    those first seen in a source declared a selection of threads (``members_first_seen_in_sampled_threads``) in
    their own words; empty when none were (or the run predates the key)."""
    sampled = int(summary.get("members_first_seen_in_sampled_threads") or 0)
    n = int(summary.get("members_arrival_unseen") or 0) - sampled
    what = "left out of arrived helping, the time at risk and decentering"
    if not n:
        return sampled_left_out(summary, sampled, what)
    who = "1 member whose arrival the record does not show is" if n == 1 else (
        f"{n:,} members whose arrival the record does not show are")  # fmt: skip
    boards = boards_apart_clause(summary)
    truncated = (
        f"{who} {what} (first seen less than "
        f"{summary.get('burn_in_days')} days after the start of their record, or registered before it"
        f"{'; ' + boards if boards else ''}): their first recorded message may come years into their membership, as "
        "for the newcomers"
    )
    return "; ".join(filter(None, [truncated, sampled_left_out(summary, sampled, what + " too")]))
