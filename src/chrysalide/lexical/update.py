"""New segments join the classes of the newest classification: the incremental path of the lexical stage.

A Reinert classification is a partition of the whole corpus: classifying again after new messages arrive
re-draws and re-numbers the classes, so that "class 3" of last month's report is no longer this month's.
A forum watched week after week needs stable classes. When the newest lexical run used the same
parameters, none of its segments is gone and the new segments and those the text step processed again are
few (at most ``MAX_NEW_SHARE`` of those it classified; `chrysalide text --all` processes all), the stage keeps
that run's classes and gives each new segment the class of the nearest class profile in the chi-square
metric (``tables.assign_nearest``, the rule that assigns the segments left out of a ``--sample``);
characteristic terms, CA, typical segments, specificities and cross tables are then computed again on
every segment. ``refit`` (``chrysalide lexical --refit``) classifies everything again.

Only the simple classification is extended this way: the levels of its dendrogram are nested, so a new
segment's class at every level is the ancestor of its final class. The crossed partitions of a double
classification are not nested; a double classification is always fitted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from chrysalide.lexical.tables import assign_nearest
from chrysalide.store import Store
from chrysalide.store.state import params_json

#: beyond this share of new segments (relative to those the kept run classified) the classes are fitted again
MAX_NEW_SHARE = 0.25


@dataclass
class Partition:
    """The classes of every current segment: fitted now, or kept from run ``base_run`` and extended."""

    labels: np.ndarray  # final class of every segment, 0-based, -1 = unclassified
    sampled: np.ndarray  # classified by the Reinert algorithm (not by a nearest profile)
    classes: pd.DataFrame  # lexical_classes rows (every level)
    splits: list[dict[str, Any]]
    base_run: int | None = None  # the run whose classes were kept
    assigned: int = 0  # new segments given a class of base_run
    warnings: list[str] = field(default_factory=list)
    left_out: np.ndarray = field(init=False)  # why a segment is unclassified: "outlier", "boilerplate" or None
    outlier_groups: list[int] = field(default_factory=list)  # sizes of the groups set aside as outliers

    def __post_init__(self) -> None:
        self.left_out = np.full(self.labels.size, None, dtype=object)


def base_run(store: Store, params: dict[str, Any], segment_ids: np.ndarray) -> tuple[int | None, str]:
    """The run whose classes the current segments can keep, or None and the reason to fit again.

    That is the newest successful lexical run with the same parameters (another language's run in between
    does not hide it).
    """
    newest = store.latest("lexical")
    if newest is None:
        return None, "no earlier classification"
    row = store.con.execute(
        "SELECT max(run_id) FROM runs WHERE stage = 'lexical' AND status = 'ok' AND params::VARCHAR = ?",
        [params_json(params)],
    ).fetchone()
    if row is None or row[0] is None:
        return None, f"run {newest} used other parameters"
    run_id = int(row[0])
    if params["double"]:
        return None, "a double classification is always fitted again"
    store.register("chrys_current_segments", pd.DataFrame({"segment_id": segment_ids}))
    try:
        # A segment written by a text run newer than this run was processed again (same id: a hash of message
        # and position), e.g. by `chrysalide text --all` after a rule changed its terms.
        ((kept, total, again),) = store.con.execute(
            "SELECT count(c.segment_id), count(*), count(g.segment_id) FROM segment_classes s"
            " LEFT JOIN chrys_current_segments c USING (segment_id)"
            " LEFT JOIN segments g ON g.segment_id = c.segment_id AND g.run_id > s.run_id WHERE s.run_id = ?",
            [run_id],
        ).fetchall()
    finally:
        store.con.unregister("chrys_current_segments")
    if kept < total:
        return None, (
            f"{total - kept:,} segments classified by run {run_id} are gone (text processed again) or left out"
            " (written in another language than their message's)"
        )
    new = segment_ids.size - total
    if new + again > MAX_NEW_SHARE * total:
        if again:
            return None, (
                f"{again:,} segments classified by run {run_id} were processed again by the text step"
                + (f" and {new:,} are new" if new else "")
                + f": more than {MAX_NEW_SHARE:.0%} of {total:,}"
            )
        return None, f"{new:,} new segments are more than {MAX_NEW_SHARE:.0%} of the {total:,} of run {run_id}"
    return run_id, f"{new:,} new segments join the classes of run {run_id}"


def extend(store: Store, run_id: int, X: sp.csr_matrix, segment_ids: np.ndarray) -> Partition:
    """Old segments keep their class; new ones get the nearest class profile; level sizes are recounted."""
    stored = store.con.execute(
        "SELECT segment_id, class, sampled, left_out FROM segment_classes WHERE run_id = ? ORDER BY segment_id",
        [run_id],
    ).fetchnumpy()
    order = np.argsort(segment_ids, kind="stable")
    rows = order[np.searchsorted(segment_ids[order], stored["segment_id"])]
    stored_class = np.asarray(stored["class"])
    old_labels = np.where(stored_class > 0, stored_class - 1, -1).astype(np.int64)
    labels = assign_nearest(X, rows, old_labels) if rows.size < segment_ids.size else np.full(rows.size, -1)
    labels[rows] = old_labels
    sampled = np.zeros(segment_ids.size, dtype=bool)
    sampled[rows] = stored["sampled"]
    new = np.ones(segment_ids.size, dtype=bool)
    new[rows] = False
    added = labels[new & (labels >= 0)]
    classes = store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM lexical_classes WHERE run_id = ? ORDER BY k, class", [run_id]
    ).df()
    summary = store.run_summary(run_id)
    partition = Partition(labels, sampled, recount(classes, added), summary.get("splits", []), run_id, int(added.size))
    partition.left_out[rows] = np.asarray(stored["left_out"], dtype=object)
    return partition


def recount(classes: pd.DataFrame, added: np.ndarray) -> pd.DataFrame:
    """The tree's sizes and shares with the new segments (final 0-based classes ``added``) counted in.

    A final class's ancestor at level ``k - 1`` is the ``parent`` of its class at level ``k``.
    """
    out = classes.copy()
    top = int(out["k"].max())
    final = np.bincount(added, minlength=int((out["k"] == top).sum()))
    parent = {(int(k), int(c)): p for k, c, p in zip(out["k"], out["class"], out["parent"], strict=True)}
    extra = {(top, c + 1): int(n) for c, n in enumerate(final)}
    for k in range(top, 1, -1):
        for c in range(1, k + 1):
            up = (k - 1, int(parent[(k, c)]))
            extra[up] = extra.get(up, 0) + extra.get((k, c), 0)
    out["size"] = out["size"] + [extra.get((int(k), int(c)), 0) for k, c in zip(out["k"], out["class"], strict=True)]
    level_total = out.groupby("k")["size"].transform("sum")
    out["share"] = out["size"] / level_total.where(level_total > 0, 1)
    return out
