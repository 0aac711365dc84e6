"""The ``community`` stage: per-period dynamics, response summary and reply network, stored.

Each call is a new run; earlier runs stay in ``community_metrics`` and ``member_network`` (history),
and readers take the newest successful run (``store.latest("community")``). A call on unchanged data
with the same parameters returns that run (``summary["up_to_date"]``) instead of computing it again.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from chrysalide import __version__
from chrysalide.community.network import ReplyNetwork, reply_edges
from chrysalide.community.responses import newcomer_responses, period_metrics, response_summary, thread_responses
from chrysalide.store import Store
from chrysalide.store.state import unchanged_run

METRIC_COLUMNS = [
    "period", "messages", "active_members", "new_members", "newcomers_answered", "threads_started",
    "threads_unanswered", "first_reply_median_hours", "first_reply_p90_hours", "answered_within_3h_share",
    "coded", "share_individual", "share_community", "share_collaborative", "share_societal", "share_other",
]  # fmt: skip


def community(
    store: Store, *, period: str = "month", participation_weight: float = 0.5, k_samples: int = 200, seed: int = 0
) -> dict[str, Any]:
    """Compute and store the community metrics; return run_id, summary, periods and core members."""
    params = {"period": period, "participation_weight": participation_weight, "k_samples": k_samples, "seed": seed}
    component = f"chrysalide.community/{__version__}"
    done, inputs = unchanged_run(store, "community", component, params)
    if done is not None:
        return _stored(store, done)
    with store.run("community", component, params, inputs=inputs) as run:
        threads = thread_responses(store)
        newcomers = newcomer_responses(store)
        periods = period_metrics(store, threads, newcomers, period=period)[METRIC_COLUMNS]
        network = ReplyNetwork(k_samples=k_samples, seed=seed).fit(reply_edges(store, participation_weight))
        nodes = network.nodes_
        uncoded = store.con.execute(
            "SELECT count(*) FROM messages WHERE message_id NOT IN (SELECT message_id FROM current_codes)"
        ).fetchone()
        summary = response_summary(threads, newcomers)
        summary.update({
            "messages": int(periods["messages"].sum()) if len(periods) else 0,
            "messages_uncoded": int(uncoded[0]) if uncoded else 0,
            "periods": len(periods),
            "network_members": len(nodes),
            "network_edges": network.n_edges_,
            "main_core_k": int(network.main_core_k_),
            "core_members": int(nodes["is_core"].sum()) if len(nodes) else 0,
        })  # fmt: skip
        store.con.execute("BEGIN TRANSACTION")
        try:
            store.insert_run_rows("community_metrics", run.run_id, periods)
            store.insert_run_rows("member_network", run.run_id, nodes)
            store.con.execute("COMMIT")
        except BaseException:
            store.con.execute("ROLLBACK")
            raise
        run.summary.update(summary)
    return _result(run.run_id, run.summary, periods, nodes)


def _result(run_id: int, summary: dict[str, Any], periods: pd.DataFrame, nodes: pd.DataFrame) -> dict[str, Any]:
    core = nodes[nodes["is_core"]] if len(nodes) else nodes
    return {
        "run_id": run_id,
        "summary": summary,
        "periods": periods,
        "core": core.sort_values("betweenness", ascending=False, kind="stable") if len(core) else core,
    }


def _stored(store: Store, run_id: int) -> dict[str, Any]:
    """What :func:`community` returned for a stored run (the data has not changed since)."""
    columns = ", ".join(METRIC_COLUMNS)
    periods = store.con.execute(
        f"SELECT {columns} FROM community_metrics WHERE run_id = ? ORDER BY period", [run_id]
    ).df()
    nodes = store.con.execute(
        "SELECT * EXCLUDE (run_id) FROM member_network WHERE run_id = ? ORDER BY member_id", [run_id]
    ).df()
    return _result(run_id, {**store.run_summary(run_id), "up_to_date": True}, periods, nodes)
