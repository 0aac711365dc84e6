"""Variables of a segment's message and member, for specificities and class cross tables.

Each segment inherits the variables of its message, as IRaMuTeQ's segments inherit the starred
variables of their text. ``position`` is the rank of the message in its member's history in the
store (view ``member_order``: by date, undated last, then file order, then the source's id, then ours):
``1``, ``2-5`` or ``6+``; guests' messages have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from chrysalide.store import Store

VARIABLES = ("stage", "year", "month", "board", "position", "role", "member_group")
MAX_VALUES = 60  # values of one variable kept apart; rarer ones are pooled as OTHER
OTHER = "(other)"


def message_variables(store: Store, names: Sequence[str]) -> pd.DataFrame:
    """One row per message having segments: message_id and the requested variables (NULL = missing)."""
    unknown = sorted(set(names) - set(VARIABLES))
    if unknown:
        raise ValueError(f"unknown variables {unknown}; known: {', '.join(VARIABLES)}")
    select = ["m.message_id"]
    joins = ["JOIN (SELECT DISTINCT message_id FROM segments) s USING (message_id)"]
    params: list[object] = []
    if "stage" in names:
        select.append("c.primary_code AS stage")
        joins.append("LEFT JOIN current_codes c ON c.message_id = m.message_id")
    if "year" in names:
        select.append("strftime(m.posted_at, '%Y') AS year")
    if "month" in names:
        select.append("strftime(m.posted_at, '%Y-%m') AS month")
    if "board" in names:
        select.append("t.board AS board")
        joins.append("LEFT JOIN threads t ON t.thread_id = m.thread_id")
    if "position" in names:
        select.append(
            "CASE WHEN p.member_pos IS NULL THEN NULL WHEN p.member_pos = 0 THEN '1'"
            " WHEN p.member_pos < 5 THEN '2-5' ELSE '6+' END AS position"
        )
        joins.append("LEFT JOIN member_order p ON p.message_id = m.message_id")
    if "role" in names:
        select.append("mb.role AS role")
        joins.append("LEFT JOIN members mb ON mb.member_id = m.member_id")
    if "member_group" in names:
        journeys = store.latest("journeys") if store.has_table("member_metrics") else None
        if journeys is None:
            select.append("NULL::VARCHAR AS member_group")
        else:
            select.append("mm.segment AS member_group")
            joins.append("LEFT JOIN member_metrics mm ON mm.member_id = m.member_id AND mm.run_id = ?")
            params.append(journeys)
    sql = f"SELECT {', '.join(select)} FROM messages m {' '.join(joins)}"
    return store.con.execute(sql, params).df()


def segment_variables(
    store: Store, message_id: pd.Series, names: Sequence[str]
) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Each usable variable as a categorical Series aligned on the segments, and the skipped ones with the reason.

    Values are strings, categories in sorted order, missing values NaN. A variable is skipped when
    no segment has a value (e.g. no stage codes yet) or all share one value (nothing to contrast).
    Beyond ``MAX_VALUES`` values, the rarer ones are pooled as ``OTHER`` so they stay in the reference
    group of the tests. Values are coded once per message and spread to the segments as integers.
    """
    frame = message_variables(store, names).sort_values("message_id", kind="stable")
    ids = frame["message_id"].to_numpy()
    seg = message_id.to_numpy()
    at = np.searchsorted(ids, seg).clip(0, max(ids.size - 1, 0))
    found = (at < ids.size) & (ids[at] == seg) if ids.size else np.zeros(seg.size, dtype=bool)
    usable: dict[str, pd.Series] = {}
    skipped: dict[str, str] = {}
    for name in names:
        col = frame[name]
        # pandas-stubs reject None as `other`, which pandas takes (the missing value of an object column)
        text = col.astype(str).where(col.notna(), None)  # type: ignore[call-overload]
        msg_codes, cats = pd.factorize(text, sort=True)
        codes = np.where(found, msg_codes[at] if ids.size else -1, -1)
        counts = np.bincount(codes[codes >= 0], minlength=len(cats))
        present = np.flatnonzero(counts)
        if present.size == 0:
            skipped[name] = "no segment has a value"
            continue
        if present.size < 2:
            skipped[name] = f"a single value ({cats[present[0]]})"
            continue
        if present.size > MAX_VALUES:
            # same ranking as pandas' value_counts on the values in segment order (ties: first seen)
            first = np.full(len(cats), codes.size)
            np.minimum.at(first, codes[codes >= 0], np.flatnonzero(codes >= 0))
            ranked = sorted(present, key=lambda c: (-counts[c], first[c]))
            labels = np.asarray(cats, dtype=object)
            labels[ranked[MAX_VALUES - 1 :]] = OTHER
            cats, remap = np.unique(labels[present], return_inverse=True)
            full = np.full(len(labels), -1)
            full[present] = remap
            codes = np.where(codes >= 0, full[codes], -1)
        # pandas-stubs want the codes as a Sequence; pandas takes any array-like of integers
        usable[name] = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(cats)))  # type: ignore[arg-type]
    return usable, skipped
