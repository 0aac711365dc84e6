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
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide.store import Store


def decentering_table(store: Store) -> pd.DataFrame:
    """The view ``decentering``: one row per member with a dated coded readable message, ordered by member."""
    return store.con.execute("SELECT * FROM decentering ORDER BY member_id").df()


def decentering_summary(table: pd.DataFrame) -> dict[str, Any]:
    """Counts of the passage from asker to helper over the rows of the view (:func:`decentering_table`): the
    same in the journeys and survival summaries.

    ``members_coded``: members with a dated coded message holding their words (members who wrote only removed or
    deleted bodies are not among them: :func:`chrysalide.store.unreadable.unreadable_counts`); ``arrived_helping`` and its share of them;
    ``at_risk`` = the others, of whom ``at_risk_without_request`` never asked for help for themselves;
    ``decentered``: at-risk members who decentered; ``decentered_before_entry``: at-risk members with a
    decentered message before their first request (not counted as the passage).
    """
    coded = len(table)
    helping = int(table["arrived_helping"].astype(bool).sum()) if coded else 0
    return {
        "members_coded": coded,
        "arrived_helping": helping,
        "arrived_helping_share": helping / coded if coded else None,
        "at_risk": coded - helping,
        "at_risk_without_request": int(table["entry"].eq("first_message").sum()) if coded else 0,
        "decentered": int(table["decentered_at"].notna().sum()) if coded else 0,
        "decentered_before_entry": int(table["decentered_before_entry"].astype(bool).sum()) if coded else 0,
    }


def registered(store: Store, table: pd.DataFrame | None) -> str:
    """Register the view's rows (read now when ``table`` is None) for a query; returns the relation's name.

    A step reads the view once and joins these rows, instead of computing the view again in each query.
    """
    name = "chrys_decentering"
    store.register(name, decentering_table(store) if table is None else table)
    return name
