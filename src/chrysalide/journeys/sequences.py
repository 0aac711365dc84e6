"""Stage sequences of members: run lengths and the transition matrix between stage codes.

Both work on the coded messages only (uncoded messages are skipped, not a stage of their own) and
are pure functions of a partition split by member; transition counts add up across partitions.
"""

from __future__ import annotations

import pandas as pd

from chrysalide.journeys.frame import in_member_order

STAGES = ["individual", "community", "collaborative", "societal", "other"]


def _coded(frame: pd.DataFrame) -> pd.DataFrame:
    """The coded messages of ``frame``, each member's in the order of their messages (:func:`in_member_order`)."""
    return in_member_order(frame[frame["code"].notna()])


def stage_runs(frame: pd.DataFrame) -> pd.DataFrame:
    """Run-length encoding of each member's stage codes in the order of their messages (date, file order, ids).

    Columns: member_id, seq (0-based), stage, n_messages, started_at, ended_at.
    """
    coded = _coded(frame)
    if coded.empty:
        return pd.DataFrame(columns=["member_id", "seq", "stage", "n_messages", "started_at", "ended_at"])
    member, code = coded["member_id"], coded["code"]
    new_run = member.ne(member.shift()) | code.ne(code.shift())
    runs = coded.groupby(new_run.cumsum().to_numpy(), sort=True).agg(
        member_id=("member_id", "first"),
        stage=("code", "first"),
        n_messages=("message_id", "size"),
        started_at=("posted_at", "min"),
        ended_at=("posted_at", "max"),
    )
    runs["seq"] = runs.groupby("member_id").cumcount()
    return runs[["member_id", "seq", "stage", "n_messages", "started_at", "ended_at"]].reset_index(drop=True)


def transition_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts of (from_stage, to_stage) over consecutive coded messages of the same member."""
    coded = _coded(frame)
    previous = coded["code"].shift()
    same = coded["member_id"].eq(coded["member_id"].shift())
    pairs = pd.DataFrame({"from_stage": previous[same], "to_stage": coded["code"][same]})
    return pairs.value_counts().rename("n").reset_index()


def transition_matrix(counts: pd.DataFrame) -> pd.DataFrame:
    """Sum partition counts; add ``share`` = n / transitions leaving ``from_stage`` (a Markov estimate)."""
    if counts.empty:
        return pd.DataFrame(columns=["from_stage", "to_stage", "n", "share"])
    total = counts.groupby(["from_stage", "to_stage"])["n"].sum().reset_index()
    total["share"] = total["n"] / total.groupby("from_stage")["n"].transform("sum")
    return total.sort_values(["from_stage", "to_stage"]).reset_index(drop=True)


def summarize_runs(runs: pd.DataFrame, limit: int = 6) -> pd.Series:
    """A short text per member, e.g. ``individual×3 > collaborative×12`` (first ``limit`` runs)."""
    if runs.empty:
        return pd.Series(dtype=object)
    label = runs["stage"] + "×" + runs["n_messages"].astype(str)

    def join(labels: pd.Series) -> str:
        items = list(labels)
        text = " > ".join(items[:limit])
        return text + (f" > … (+{len(items) - limit})" if len(items) > limit else "")

    return label.groupby(runs["member_id"]).agg(join)
